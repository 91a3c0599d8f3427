import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { albPathPattern } from "../awsLimits";
import { repoRoot } from "../paths";
import { unwrapped } from "./cliTypes";
import { ServiceRoute } from "../models/routing";


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

// ALB rule condition values: path patterns from AWS's character set and length (this one must also start
// with /, as a path does), host names up to 128 characters.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
const pathPatternPunctuation = albPathPattern.characters.replace("A-Za-z0-9", "").replaceAll("\\", "");
const pathPattern = z.string().regex(new RegExp(`^/[${albPathPattern.characters}]{0,${albPathPattern.maxLength - 1}}$`), {
    error: `a path pattern starting with / of at most ${albPathPattern.maxLength} characters `
        + `(letters, digits and ${pathPatternPunctuation}, of which * and ? are wildcards)`,
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

// Each setting's default and description live here: serviceDefaults and the README's table are derived
// from them. Pulumi.yaml cannot declare an object config value, so the `services` map has no entry there.
const serviceEntry = z.strictObject({
    imageDirectory: dockerfileFolder.default("app-image")
        .describe("Folder with the service's Dockerfile, relative to the repository root"),
    pathPatterns: z.array(pathPattern, { error: "a list of path patterns" }).default([])
        .describe("ALB path patterns routed to the service, such as /orders/* (up to 3); with no path patterns and no host headers, "
            + "it is the default route (one service at most)"),
    hostHeaders: z.array(hostHeader, { error: "a list of host names" }).default([])
        .describe("Host names routed to the service, such as api.example.com (up to 3; 5 path patterns and host headers in all)"),
    desiredCount: integer(1, 100).default(5)
        .describe("Tasks the service keeps running, and the floor of its autoscaling (1-100)"),
    maxCount: integer(1, 100).default(10)
        .describe("Most tasks service autoscaling may run (desiredCount-100)"),
    containerPort: integer(1024, 65535).default(8080)
        .describe("Port the app listens on inside the container (1024-65535); the host port is dynamic"),
    memory: integer(32, 16384).default(128)
        .describe("Container memory hard limit in MiB (32-16384); the container is killed above it"),
    cpu: integer(0, 10240).default(128)
        .describe("CPU units reserved for the container, 1024 per vCPU (0-10240)"),
    healthCheckPath: healthCheckPath.default("/health")
        .describe("Path the ALB and the container health checks request, passed to the app as HEALTH_CHECK_PATH; a literal path"),
    healthCheckCommand: z.array(z.string().min(1, { error: "a non-empty argument" }), { error: "a list of command arguments" })
        .max(20, { error: "at most 20 arguments" }).default(["/app/EcsApp", "--health-check"])
        .describe("Exec-form command ECS runs in the container to check it (the image has no shell); [] for no container health check"),
    // ECS drops empty values, which the provider then sees as a change on every up.
    environment: z.record(environmentName, z.string({ error: "a non-empty string value" }).min(1, { error: "a non-empty string value" }),
        { error: "a map of names to string values" })
        .default({})
        .describe("Extra environment variables of the container (names that look like secrets are refused: keep those in Secrets Manager)"),
    azLossFloor: integer(0, 100).default(2)
        .describe("Fewest tasks the service should keep through the loss of one AZ (0-desiredCount); fewer is a preview warning"),
    // prefault: an absent object is parsed as {}, so its fields' own defaults fill it.
    autoscaling: z.strictObject({
        requestsPerTarget: integer(10, 100000).default(1000)
            .describe("ALB requests per task per minute that autoscaling aims for (10-100000)"),
        cpuUtilization: integer(10, 90).default(60)
            .describe("Average CPU utilization of the service's reservation, in percent, that autoscaling aims for (10-90)"),
    }, { error: "an object of autoscaling targets" }).prefault({}),
    alarms: z.strictObject({
        serverErrorPercent: integer(1, 100).default(5)
            .describe("5xx answers as a percentage of requests that roll a deployment back (1-100)"),
        unhealthyTargets: integer(1, 100).default(1)
            .describe("Unhealthy targets that roll a deployment back (1-100)"),
        evaluationPeriods: integer(1, 10).default(3)
            .describe("One-minute periods a threshold must be breached before the alarm fires (1-10)"),
    }, { error: "an object of deployment alarm thresholds" }).prefault({}),
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

/** The settings of a service that sets none: every field's default, from the schema above. */
export const serviceDefaults: ServiceSettings = serviceEntry.parse({});

/** One entry of the `services` map, validated, with every default applied. */
export type ServiceSettings = z.infer<typeof serviceEntry>;

/** One setting of a service as the README's table shows it: its key (dotted when nested), default and description. */
export interface ServiceSettingDoc {
    readonly key: string;
    readonly default: unknown;
    readonly description: string;
}

/** Every setting of a service, in the schema's order; an object of settings gives one row per field. */
export function serviceSettingDocs(): ServiceSettingDoc[] {
    const walk = (shape: Readonly<Record<string, z.ZodType>>, defaults: Record<string, unknown>, prefix: string): ServiceSettingDoc[] =>
        Object.entries(shape).flatMap(([key, field]) => {
            const inner = unwrapped(field);
            if (inner instanceof z.ZodObject) {
                return walk(inner.shape as Record<string, z.ZodType>, defaults[key] as Record<string, unknown>, `${prefix}${key}.`);
            }
            if (field.description === undefined) {
                throw new Error(`services.<name>.${prefix}${key} has no description in its schema`);
            }
            return [{ key: `${prefix}${key}`, default: defaults[key], description: field.description }];
        });
    return walk(serviceEntry.shape, serviceDefaults, "");
}

/** One service of the cluster, validated, with every default applied. */
export type ServiceConfig = ServiceSettings & { readonly name: string; readonly route: ServiceRoute };

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
