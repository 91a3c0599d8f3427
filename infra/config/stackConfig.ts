import * as pulumi from "@pulumi/pulumi";
import { closest } from "fastest-levenshtein";
import { z } from "zod";
import { minimumHosts } from "../models/fleet";
import { logRetentionDays, wafRateLimit } from "../awsLimits";
import { CostAssumptions } from "../cost/estimate";
import { planRoutes } from "../models/routing";
import { CliType, cliTypeOf, decodeCliString, unwrapped } from "./cliTypes";
import { parseAwsProviderConfig } from "./awsProvider";
import { ConfigError } from "./errors";
import { HostEgressRule, hostEgressSchema } from "./hostEgress";
import { HttpsConfig, parseHttps } from "./https";
import { defaultServices, integer, ServiceConfig, servicesSchema } from "./services";

/** Everything the stack reads from config, validated and typed. Cluster-wide defaults are Pulumi.yaml's. */
export interface StackConfig {
    /** AWS region, from `aws:region`. */
    readonly region: string;
    /** Tags every resource carries besides the stack's own, from `aws:defaultTags`. */
    readonly accountTags: Readonly<Record<string, string>>;
    /** AZs the hosts and the ALB span, each with a default subnet. */
    readonly availabilityZones: readonly string[];
    /** EC2 instance type of the ECS hosts; x86_64 only. */
    readonly instanceType: string;
    /** Hosts kept in each AZ: the Auto Scaling group's minimum is this times the AZ count. */
    readonly hostsPerAz: number;
    /** Auto Scaling group's maximum size, the ceiling for managed scaling. */
    readonly asgMaxSize: number;
    /** Days CloudWatch Logs keeps the logs, and S3 the ALB's access logs. */
    readonly logRetentionInDays: number;
    readonly containerInsights: boolean;
    readonly albAccessLogs: boolean;
    readonly albDeletionProtection: boolean;
    /**
     * Outbound rules the hosts' security group gets besides HTTPS to AWS's endpoints (to a database, a cache, a mail
     * relay). In bridge mode every task on a host shares that group, so each rule is open to every service's tasks.
     */
    readonly hostEgress: readonly HostEgressRule[];
    /** Email address subscribed to the alarm topic; absent: no subscription. */
    readonly alarmEmail?: string;
    /** AWS WAF on the ALB, with its per-IP rate limit; absent: no web ACL. */
    readonly waf?: { readonly requestsPerIpPer5Minutes: number };
    /** What the cost estimate assumes of traffic, logs and images; no resource depends on these. */
    readonly costAssumptions: CostAssumptions;
    /** HTTPS, when a domain name is set. */
    readonly https?: HttpsConfig;
    /** The services the cluster hosts, in name order. */
    readonly services: readonly ServiceConfig[];
}


// Graviton families: a1, and every family whose generation digit is followed by "g" (t4g, m7gd, c6gn, is4gen).
const arm64Family = /^(a1|[a-z]+\d+g[a-z-]*)$/;

const boolean = z.boolean({ error: "true or false" });
const optionalText = (pattern: RegExp, error: string) => z.string({ error }).refine((v) => v === "" || pattern.test(v), { error });

const logRetentionAllowed = `one of the retention periods CloudWatch Logs allows: ${logRetentionDays.join(", ")}`;
const azList = "a list of strings, such as [\"us-east-1a\", \"us-east-1b\"]";

/**
 * Every key of this project and what its value is: the one home of each key's type. Pulumi.yaml declares
 * every key but `services` a second time, for the CLI, with its type, default and description; a test keeps
 * the two in step.
 */
const clusterSchema = z.strictObject({
    availabilityZones: z.array(z.string({ error: azList }), { error: azList }),
    instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: "an EC2 instance type such as t3.small" })
        .refine((type) => !arm64Family.test(type.split(".")[0]), {
            error: "an x86_64 instance type such as t3.small: this is an arm64 (Graviton) type, "
                + "and the image is built for linux/amd64 on the x86_64 ECS-optimized AMI",
        }),
    hostsPerAz: integer(1, 10),
    asgMaxSize: integer(1, 100),
    // int() says what the key is (an integer, for the CLI); the list alone already refuses fractions.
    logRetentionInDays: z.number().int({ error: logRetentionAllowed })
        .refine((days) => (logRetentionDays as readonly number[]).includes(days), { error: logRetentionAllowed }),
    containerInsights: boolean,
    albAccessLogs: boolean,
    albDeletionProtection: boolean,
    hostEgress: hostEgressSchema,
    domainName: z.string(),
    hostedZoneId: z.string(),
    certificateArn: z.string(),
    alarmEmail: optionalText(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, "an email address, or empty for none"),
    wafEnabled: boolean,
    wafRequestsPerIpPer5Minutes: integer(wafRateLimit.min, wafRateLimit.max),
    costRequestsPerSecond: integer(0, 100000),
    costAverageResponseKiB: integer(0, 100000),
    costLogMiBPerTaskMonth: integer(0, 1048576),
    costImageMiBPerService: integer(0, 1048576),
    costApplyFreeTier: boolean,
    services: servicesSchema,
});
type ClusterInput = z.input<typeof clusterSchema>;
const clusterKeys = Object.keys(clusterSchema.shape) as (keyof ClusterInput)[];

/** Each key's config type, from its schema: what Pulumi.yaml must declare, and how the CLI's string decodes. */
export const clusterCliTypes = Object.fromEntries(clusterKeys.map((key) => [key, cliTypeOf(clusterSchema.shape[key])])) as
    Readonly<Record<keyof ClusterInput, CliType>>;

// Keys of the single-service stack, now per service: refused with where they went.
const movedKeys: Record<string, string> = {
    desiredCount: "desiredCount", azLossFloor: "azLossFloor", autoscalingMaxCapacity: "maxCount",
    autoscalingRequestsPerTarget: "autoscaling.requestsPerTarget", autoscalingCpuUtilization: "autoscaling.cpuUtilization",
    containerPort: "containerPort", containerMemory: "memory", containerCpu: "cpu", healthCheckPath: "healthCheckPath",
};

/**
 * Parses and validates the stack's config: `config` holds every key the CLI hands the program (full
 * keys, string values, Pulumi.yaml's defaults applied). The first bad value throws a ConfigError naming
 * the key, the value and what is allowed; an unknown key of this project is refused with the closest one.
 */
export function parseStackConfig(project: string, config: Readonly<Record<string, string>>): StackConfig {
    const { region, accountTags } = parseAwsProviderConfig(config);
    const raw = projectKeys(project, config);
    const decoded = Object.fromEntries(Object.entries(raw).map(([key, value]) =>
        [key, decodeCliString(clusterCliTypes[key as keyof ClusterInput], value)]));
    const parsed = clusterSchema.safeParse({ services: defaultServices, ...decoded });
    if (!parsed.success) {
        // An unknown key is the cause of what its absence breaks (NotAction of a missing Action): name it first.
        const issues = parsed.error.issues;
        throw configErrorOf(project, issues.find((issue) => issue.code === "unrecognized_keys") ?? issues[0], decoded, raw);
    }
    const c = parsed.data;
    const minHosts = minimumHosts(c.hostsPerAz, c.availabilityZones.length);
    const keyOf = (name: string) => `${project}:${name}`;
    const azPattern = new RegExp(`^${region}[a-z]$`);
    if (c.availabilityZones.length < 2 || new Set(c.availabilityZones).size !== c.availabilityZones.length
        || !c.availabilityZones.every((az) => azPattern.test(az))) {
        throw new ConfigError(keyOf("availabilityZones"), raw.availabilityZones,
            `a list of two or more distinct AZ names in ${region}, such as ["${region}a", "${region}b"]`);
    }
    if (c.asgMaxSize < minHosts) {
        throw new ConfigError(keyOf("asgMaxSize"), raw.asgMaxSize, `an integer from ${minHosts} (hostsPerAz x AZs) to 100`);
    }
    checkSecretSources(project, region, c.services);
    return {
        region,
        accountTags,
        availabilityZones: c.availabilityZones,
        instanceType: c.instanceType,
        hostsPerAz: c.hostsPerAz,
        asgMaxSize: c.asgMaxSize,
        logRetentionInDays: c.logRetentionInDays,
        containerInsights: c.containerInsights,
        albAccessLogs: c.albAccessLogs,
        albDeletionProtection: c.albDeletionProtection,
        hostEgress: c.hostEgress,
        alarmEmail: c.alarmEmail || undefined,
        waf: c.wafEnabled ? { requestsPerIpPer5Minutes: c.wafRequestsPerIpPer5Minutes } : undefined,
        costAssumptions: {
            requestsPerSecond: c.costRequestsPerSecond,
            averageResponseKiB: c.costAverageResponseKiB,
            logGiBPerTaskPerMonth: c.costLogMiBPerTaskMonth / 1024,
            imageGiBPerService: c.costImageMiBPerService / 1024,
            applyAlwaysFreeTier: c.costApplyFreeTier,
        },
        https: parseHttps(region, (name) => ({ key: keyOf(name), value: c[name] || undefined })),
        services: routedServices(project, c.services),
    };
}

/** This project's keys without the prefix; unknown ones and ones moved into `services` are refused. */
function projectKeys(project: string, config: Readonly<Record<string, string>>): Record<string, string> {
    const prefix = `${project}:`;
    const raw: Record<string, string> = {};
    for (const [fullKey, value] of Object.entries(config)) {
        if (!fullKey.startsWith(prefix)) {
            continue;
        }
        const key = fullKey.slice(prefix.length);
        if (key in movedKeys) {
            throw new ConfigError(fullKey, value, `no top-level key: it is set per service now, as `
                + `${prefix}services.<name>.${movedKeys[key]} (for the default service: pulumi config set --path 'services.app.${movedKeys[key]}' ${value})`);
        }
        if (!(clusterKeys as string[]).includes(key)) {
            // A misspelled moved key (desiredCont) points to its new home, not to the closest cluster-wide key.
            const intended = closest(key, [...clusterKeys, ...Object.keys(movedKeys)]);
            const suggestion = intended in movedKeys ? `${prefix}services.<name>.${movedKeys[intended]}' (${intended} is set per service now)` : `${prefix}${intended}'`;
            throw new ConfigError(fullKey, value, `a key this project reads; did you mean '${suggestion}?`);
        }
        raw[key] = value;
    }
    for (const key of clusterKeys) {
        if (key !== "services" && raw[key] === undefined) {
            throw new ConfigError(`${prefix}${key}`, "", "a value: Pulumi.yaml declares its default, which the Pulumi CLI applies");
        }
    }
    return raw;
}

function configErrorOf(project: string, issue: z.core.$ZodIssue, decoded: Record<string, unknown>, raw: Record<string, string>): ConfigError {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
        const unknown = issue.keys[0];
        const fullPath = [...path, unknown];
        return new ConfigError(`${project}:${fullPath.join(".")}`, display(valueAt(decoded, fullPath)),
            `a key this project reads; did you mean '${project}:${[...path, closest(unknown, keysAt(clusterSchema, path))].join(".")}'?`);
    }
    if (issue.code === "invalid_key") {
        // A map's key is wrong, not its value: name the key and what a key may be.
        return new ConfigError(`${project}:${path.join(".")}`, path[path.length - 1], issue.issues[0]?.message ?? issue.message);
    }
    const value = path.length === 1 ? raw[path[0]] : display(valueAt(decoded, path));
    return new ConfigError(`${project}:${path.join(".")}`, value ?? "", issue.message);
}

/** The keys the schema reads in the object at `path`, through maps' and lists' items: what an unknown key there is near. */
function keysAt(schema: z.core.$ZodType, path: readonly string[]): string[] {
    const def = (unwrapped(schema) as z.core.$ZodTypes)._zod.def;
    const [key, ...rest] = path;
    switch (def.type) {
        case "object":
            return key === undefined ? Object.keys(def.shape) : key in def.shape ? keysAt(def.shape[key], rest) : [];
        case "record":
            return key === undefined ? [] : keysAt(def.valueType, rest);
        case "array":
            return key === undefined ? [] : keysAt(def.element, rest);
        default:
            return [];
    }
}

// One value where the schema reads a list of them (IAM's `Action: "s3:GetObject"`) stands as the list's item 0.
function valueAt(value: unknown, path: readonly string[]): unknown {
    return path.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key]
        : key === "0" ? node : undefined), value);
}

function display(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value) ?? "";
}

function routedServices(project: string, services: z.output<typeof servicesSchema>): ServiceConfig[] {
    const named = Object.entries(services).sort(([a], [b]) => a.localeCompare(b)).map(([name, service]) => ({ name, ...service }));
    const { routes, problems } = planRoutes(named);
    const [problem] = problems;
    if (problem !== undefined) {
        const service = services[problem.service];
        throw new ConfigError(`${project}:services.${problem.service}.${problem.field}`, JSON.stringify(service[problem.field]), problem.message);
    }
    return named.map((service, i) => ({ ...service, route: routes[i] }));
}

/**
 * Refuses a secret, parameter or KMS key ARN of the services outside the stack's region, or in another account
 * than the first one named. In the region: a task starting here must not wait on another region's Secrets
 * Manager or SSM, and the execution role may decrypt only through this region's endpoints (kms:ViaService).
 * One account: ECS reads a parameter only from the task's own account
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html), and the stack
 * cannot know its account before it registers anything, but it can know its ARNs agree, so a mistyped account
 * is refused here rather than failing each task's start.
 */
function checkSecretSources(project: string, region: string, services: z.output<typeof servicesSchema>): void {
    let first: { key: string; account: string } | undefined;
    for (const [name, service] of Object.entries(services).sort(([a], [b]) => a.localeCompare(b))) {
        const sources = [
            ...Object.entries(service.secrets).map(([variable, arn]) => ({ key: `${project}:services.${name}.secrets.${variable}`, arn })),
            ...(service.secretsKmsKeyArn === undefined ? [] : [{ key: `${project}:services.${name}.secretsKmsKeyArn`, arn: service.secretsKmsKeyArn }]),
        ];
        for (const { key, arn } of sources) {
            // The schema has checked the shape: arn:aws:<service>:<region>:<account>:<resource>.
            const [, , arnService, arnRegion, account] = arn.split(":");
            const what = arnService === "kms" ? "a KMS key" : "a secret or parameter";
            if (arnRegion !== region) {
                throw new ConfigError(key, arn, `${what} in ${region}, the stack's region (this one is in ${arnRegion})`);
            }
            // ECS reads a parameter only from the task's own account; a secret may be another account's.
            // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
            if (arnService !== "ssm") {
                continue;
            }
            first ??= { key, account };
            if (account !== first.account) {
                throw new ConfigError(key, arn, `a parameter of account ${first.account}, as ${first.key} names: `
                    + `ECS reads parameters from the task's own account only, so a stack's parameters are in one account (this one is in ${account})`);
            }
        }
    }
}

/** The stack's config from the Pulumi engine (`pulumi config`, Pulumi.<stack>.yaml, Pulumi.yaml's defaults). */
export function loadStackConfig(): StackConfig {
    return parseStackConfig(pulumi.getProject(), pulumi.runtime.allConfig());
}
