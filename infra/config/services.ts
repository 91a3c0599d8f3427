import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { repoRoot } from "../paths";
import { ServiceRoute } from "../models/routing";


/**
 * The defaults of one entry of the `services` map, in one place. Pulumi.yaml cannot declare an object
 * config value, so these live here and the README's table is checked against them.
 */
export const serviceDefaults = {
    /** Folder with the service's Dockerfile, relative to the repository root. */
    imageDirectory: "app-image",
    /** ALB path patterns routed to the service, such as /orders/*; none and no host headers: the default route. */
    pathPatterns: [] as string[],
    /** Host headers routed to the service, such as api.example.com. */
    hostHeaders: [] as string[],
    /** Tasks the service keeps running, and the floor of its autoscaling (1-100). */
    desiredCount: 5,
    /** Most tasks service autoscaling may run (desiredCount-100). */
    maxCount: 10,
    /** Port the app listens on inside the container (1024-65535); the host port is dynamic. */
    containerPort: 8080,
    /** Container memory hard limit in MiB (32-16384); the container is killed above it. */
    memory: 128,
    /** CPU units reserved for the container, 1024 per vCPU (0-10240). */
    cpu: 128,
    /** Path the ALB and the container health checks request. */
    healthCheckPath: "/health",
    /** Exec-form command ECS runs in the container to check it (the app image's self-check); empty: no container health check. */
    healthCheckCommand: ["/app/EcsApp", "--health-check"] as string[],
    /** Extra environment variables of the container. */
    environment: {} as Record<string, string>,
    /** Fewest tasks the service should keep through the loss of one AZ (0-desiredCount); fewer is a preview warning. */
    azLossFloor: 2,
    autoscaling: {
        /** ALB requests per task per minute that autoscaling aims for (10-100000). */
        requestsPerTarget: 1000,
        /** Average CPU utilization of the service's reservation, in percent, that autoscaling aims for (10-90). */
        cpuUtilization: 60,
    },
    alarms: {
        /** 5xx answers as a percentage of requests that roll a deployment back (1-100). */
        serverErrorPercent: 5,
        /** Unhealthy targets that roll a deployment back (1-100). */
        unhealthyTargets: 1,
        /** One-minute periods a threshold must be breached before the alarm fires (1-10). */
        evaluationPeriods: 3,
    },
};

/** The services a stack runs when it sets no `services`: one, exactly the seed's app. */
export const defaultServices = { app: {} };

// The stack sets these for the app's contract; a service may not override them.
const reservedEnvironment = ["ASPNETCORE_HTTP_PORTS", "HEALTH_CHECK_PATH", "SHUTDOWN_TIMEOUT_SECONDS"];

/** A whole number in [min, max]; the one message for every way a value can miss it. */
export function integer(min: number, max: number) {
    const error = `an integer from ${min} to ${max}`;
    return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const dockerfileFolder = z.string({ error: "a folder holding a Dockerfile, relative to the repository root" })
    .refine((folder) => fs.existsSync(path.join(repoRoot, folder, "Dockerfile")), {
        error: "a folder holding a Dockerfile, relative to the repository root (none found there)",
    });

// ALB rule condition values: path patterns up to 128 characters from its allowed set, host names up to 128.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
const pathPattern = z.string().regex(/^\/[A-Za-z0-9_\-.$/~@:+*?]{0,127}$/, {
    error: "a path pattern starting with / of at most 128 characters (letters, digits, _-.$/~@:+ and the wildcards * ?)",
});
const hostHeader = z.string().regex(/^(?=.{1,128}$)[a-z0-9*?-]+(\.[a-z0-9*?-]+)+$/, {
    error: "a lower-case host name of at most 128 characters, such as api.example.com (wildcards * ? allowed)",
});
const healthCheckPath = z.string().regex(/^\/[A-Za-z0-9\-._~/]{0,1023}$/, {
    error: "a literal absolute URL path of at most 1024 characters (letters, digits, -._~/; no query, no wildcards), such as /health",
});
// Environment values are plain text in the task definition (FSBP ECS.8): a name that says secret is refused.
const secretLooking = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AWS_ACCESS_KEY_ID|ECS_ENGINE_AUTH_DATA/i;
const environmentName = z.string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, { error: "an environment variable name: letters, digits and _, not starting with a digit" })
    .refine((name) => !reservedEnvironment.includes(name), { error: `a name other than ${reservedEnvironment.join(", ")}, which the stack sets` })
    .refine((name) => !secretLooking.test(name), {
        error: "a name that does not look like a secret: environment values are plain text in the task definition; "
            + "keep secrets in Secrets Manager or SSM Parameter Store",
    });

const serviceEntry = z.strictObject({
    imageDirectory: dockerfileFolder.default(serviceDefaults.imageDirectory),
    pathPatterns: z.array(pathPattern, { error: "a list of path patterns" }).default(serviceDefaults.pathPatterns),
    hostHeaders: z.array(hostHeader, { error: "a list of host names" }).default(serviceDefaults.hostHeaders),
    desiredCount: integer(1, 100).default(serviceDefaults.desiredCount),
    maxCount: integer(1, 100).default(serviceDefaults.maxCount),
    containerPort: integer(1024, 65535).default(serviceDefaults.containerPort),
    memory: integer(32, 16384).default(serviceDefaults.memory),
    cpu: integer(0, 10240).default(serviceDefaults.cpu),
    healthCheckPath: healthCheckPath.default(serviceDefaults.healthCheckPath),
    healthCheckCommand: z.array(z.string().min(1, { error: "a non-empty argument" }), { error: "a list of command arguments" })
        .max(20, { error: "at most 20 arguments" }).default(serviceDefaults.healthCheckCommand),
    // ECS drops empty values, which the provider then sees as a change on every up.
    environment: z.record(environmentName, z.string({ error: "a non-empty string value" }).min(1, { error: "a non-empty string value" }),
        { error: "a map of names to string values" })
        .default(serviceDefaults.environment),
    azLossFloor: integer(0, 100).default(serviceDefaults.azLossFloor),
    autoscaling: z.strictObject({
        requestsPerTarget: integer(10, 100000).default(serviceDefaults.autoscaling.requestsPerTarget),
        cpuUtilization: integer(10, 90).default(serviceDefaults.autoscaling.cpuUtilization),
    }, { error: "an object of autoscaling targets" }).default(serviceDefaults.autoscaling),
    alarms: z.strictObject({
        serverErrorPercent: integer(1, 100).default(serviceDefaults.alarms.serverErrorPercent),
        unhealthyTargets: integer(1, 100).default(serviceDefaults.alarms.unhealthyTargets),
        evaluationPeriods: integer(1, 10).default(serviceDefaults.alarms.evaluationPeriods),
    }, { error: "an object of deployment alarm thresholds" }).default(serviceDefaults.alarms),
}, { error: "an object of service settings" }).superRefine((service, ctx) => {
    if (service.maxCount < service.desiredCount) {
        ctx.addIssue({ code: "custom", path: ["maxCount"], message: `an integer from ${service.desiredCount} (desiredCount) to 100` });
    }
    if (service.azLossFloor > service.desiredCount) {
        ctx.addIssue({ code: "custom", path: ["azLossFloor"], message: `an integer from 0 to ${service.desiredCount} (desiredCount)` });
    }
    // An ALB rule condition takes at most 3 values, and a rule at most 5 in all.
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html
    for (const field of ["pathPatterns", "hostHeaders"] as const) {
        if (service[field].length > 3) {
            ctx.addIssue({ code: "custom", path: [field], message: "at most 3 values (an ALB rule condition's limit)" });
        }
    }
    if (service.pathPatterns.length + service.hostHeaders.length > 5) {
        ctx.addIssue({ code: "custom", path: ["pathPatterns"], message: "at most 5 path patterns and host headers together (an ALB rule's limit)" });
    }
});

/** One service of the cluster, validated, with every default applied. */
export type ServiceConfig = z.infer<typeof serviceEntry> & { readonly name: string; readonly route: ServiceRoute };

// Target groups per ALB: 100 (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html).
const maxServices = 100;

// Service names become parts of AWS names: ECR repositories (lower case), log groups, target groups (32 characters).
const serviceName = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const serviceNameAllowed = "a service name of 1 to 20 characters: lower-case letters, digits and single hyphens, starting with a letter";

export const servicesSchema = z.record(
    z.string().max(20, { error: serviceNameAllowed }).regex(serviceName, { error: serviceNameAllowed }),
    serviceEntry,
    { error: "a map of service names to service settings" },
).refine((services) => Object.keys(services).length >= 1, { error: "at least one service" })
    .refine((services) => Object.keys(services).length <= maxServices, {
        error: `at most ${maxServices} services (an ALB's target group quota)`,
    });
