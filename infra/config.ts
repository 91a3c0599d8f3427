import * as pulumi from "@pulumi/pulumi";

/** Everything the stack reads from config, validated and typed. Each default is the one in Pulumi.yaml. */
export interface StackConfig {
    /** AWS region, from `aws:region`. Required (Pulumi.dev.yaml: us-east-1). */
    readonly region: string;
    /** AZs the hosts and the ALB span, each with a default subnet. Default: ["us-east-1a", "us-east-1b"]. */
    readonly availabilityZones: readonly string[];
    /** EC2 instance type of the ECS hosts; x86_64 only, because the image is built for linux/amd64. Default: t3.small. */
    readonly instanceType: string;
    /** Hosts kept in each AZ: the Auto Scaling group's minimum is this times the AZ count. Default: 1. */
    readonly hostsPerAz: number;
    /** Auto Scaling group's maximum size, the ceiling for managed scaling. Default: 4. */
    readonly asgMaxSize: number;
    /** Tasks the ECS service keeps running, and the floor of its autoscaling. Default: 5. */
    readonly desiredCount: number;
    /** Fewest tasks the service should keep through the loss of one AZ; fewer is a preview warning. Default: 2. */
    readonly azLossFloor: number;
    /** Most tasks service autoscaling may run. Default: 10. */
    readonly autoscalingMaxCapacity: number;
    /** ALB requests per task per minute that autoscaling aims for. Default: 1000. */
    readonly autoscalingRequestsPerTarget: number;
    /** Average CPU utilization (%) of the service's reservation that autoscaling aims for. Default: 60. */
    readonly autoscalingCpuUtilization: number;
    /** Port the app listens on inside the container; the host port is dynamic. Default: 8080. */
    readonly containerPort: number;
    /** Container memory hard limit in MiB (`memory`): the container is killed above it. Default: 128. */
    readonly containerMemory: number;
    /** CPU units reserved for the container (1024 = one vCPU). Default: 128. */
    readonly containerCpu: number;
    /** Path the ALB health check requests; the app serves it. Default: /health. */
    readonly healthCheckPath: string;
    /** Days CloudWatch keeps the task logs. Default: 14. */
    readonly logRetentionInDays: number;
    /** CloudWatch Container Insights on the cluster. Default: true. */
    readonly containerInsights: boolean;
    /** ALB access logs to an S3 bucket the stack owns. Default: true. */
    readonly albAccessLogs: boolean;
    /** ALB deletion protection; on, `pulumi destroy` stops at the ALB. Default: false. */
    readonly albDeletionProtection: boolean;
    /** HTTPS, when set: the name the service answers on. Default: none (HTTP only). */
    readonly https?: HttpsConfig;
}

/**
 * How the stack serves HTTPS for a domain name: with a certificate it requests and validates in the
 * name's Route 53 zone, or with an existing one (and then an alias record only if the zone is given).
 */
export type HttpsConfig = { readonly domainName: string } & (
    | { readonly hostedZoneId: string; readonly certificateArn?: undefined }
    | { readonly hostedZoneId?: string; readonly certificateArn: string }
);

export class ConfigError extends pulumi.RunError {
    constructor(key: string, value: string, allowed: string) {
        super(`Invalid config '${key}': got ${JSON.stringify(value)}; expected ${allowed}.`);
        this.name = "ConfigError";
    }
}

/** Reads one raw config value by its full key (`project:key`), undefined when unset. */
export type ConfigSource = (fullKey: string) => string | undefined;

export const defaults = {
    availabilityZones: ["us-east-1a", "us-east-1b"],
    instanceType: "t3.small",
    hostsPerAz: 1,
    asgMaxSize: 4,
    desiredCount: 5,
    azLossFloor: 2,
    autoscalingMaxCapacity: 10,
    autoscalingRequestsPerTarget: 1000,
    autoscalingCpuUtilization: 60,
    containerPort: 8080,
    containerMemory: 128,
    containerCpu: 128,
    healthCheckPath: "/health",
    logRetentionInDays: 14,
    containerInsights: true,
    albAccessLogs: true,
    albDeletionProtection: false,
    domainName: "",
    hostedZoneId: "",
    certificateArn: "",
} as const satisfies Omit<StackConfig, "region" | "https"> & Record<"domainName" | "hostedZoneId" | "certificateArn", string>;

/** The values CloudWatch Logs accepts for a log group's retention. */
export const logRetentionValues = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

// Graviton families: a1, and every family whose generation digit is followed by "g" (t4g, m7gd, c6gn, is4gen).
const arm64Family = /^(a1|[a-z]+\d+g[a-z-]*)$/;

/** Parses and validates the stack's config; the first bad value throws a ConfigError naming key, value and what is allowed. */
export function parseStackConfig(project: string, read: ConfigSource): StackConfig {
    const key = (name: string) => `${project}:${name}`;

    const regionKey = "aws:region";
    const region = read(regionKey);
    if (region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
        throw new ConfigError(regionKey, region ?? "", "an AWS region name such as us-east-1");
    }

    const integer = (name: keyof typeof defaults, min: number, max: number): number => {
        const raw = read(key(name));
        if (raw === undefined) {
            return defaults[name] as number;
        }
        const value = Number(raw);
        if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
            throw new ConfigError(key(name), raw, `an integer from ${min} to ${max}`);
        }
        return value;
    };

    const availabilityZones = stringList(key("availabilityZones"), read(key("availabilityZones")))
        ?? [...defaults.availabilityZones];
    const azPattern = new RegExp(`^${region}[a-z]$`);
    const azAllowed = `a list of two or more distinct AZ names in ${region}, such as ["${region}a", "${region}b"]`;
    if (availabilityZones.length < 2 || new Set(availabilityZones).size !== availabilityZones.length
        || !availabilityZones.every((az) => azPattern.test(az))) {
        throw new ConfigError(key("availabilityZones"), JSON.stringify(availabilityZones), azAllowed);
    }

    const instanceType = read(key("instanceType")) ?? defaults.instanceType;
    const family = instanceType.split(".")[0];
    if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(instanceType)) {
        throw new ConfigError(key("instanceType"), instanceType, "an EC2 instance type such as t3.small");
    }
    if (arm64Family.test(family)) {
        throw new ConfigError(key("instanceType"), instanceType,
            "an x86_64 instance type such as t3.small: this is an arm64 (Graviton) type, "
            + "and the image is built for linux/amd64 on the x86_64 ECS-optimized AMI");
    }

    const hostsPerAz = integer("hostsPerAz", 1, 10);
    const minHosts = hostsPerAz * availabilityZones.length;
    const asgMaxSize = integer("asgMaxSize", minHosts, 100);

    const desiredCount = integer("desiredCount", 1, 100);
    const autoscalingMaxCapacity = integer("autoscalingMaxCapacity", desiredCount, 100);

    const healthCheckPath = read(key("healthCheckPath")) ?? defaults.healthCheckPath;
    if (!/^\/[A-Za-z0-9\-._~/]{0,1023}$/.test(healthCheckPath)) {
        throw new ConfigError(key("healthCheckPath"), healthCheckPath,
            "an absolute URL path of at most 1024 characters, such as /health");
    }

    const logRetentionInDays = integer("logRetentionInDays", 1, 3653);
    if (!(logRetentionValues as readonly number[]).includes(logRetentionInDays)) {
        throw new ConfigError(key("logRetentionInDays"), String(logRetentionInDays),
            `one of the retention periods CloudWatch Logs allows: ${logRetentionValues.join(", ")}`);
    }

    const boolean = (name: "containerInsights" | "albAccessLogs" | "albDeletionProtection"): boolean => {
        const raw = read(key(name));
        if (raw !== undefined && raw !== "true" && raw !== "false") {
            throw new ConfigError(key(name), raw, "true or false");
        }
        return raw === undefined ? defaults[name] : raw === "true";
    };

    return {
        region,
        availabilityZones,
        instanceType,
        hostsPerAz,
        asgMaxSize,
        desiredCount,
        azLossFloor: integer("azLossFloor", 0, desiredCount),
        autoscalingMaxCapacity,
        autoscalingRequestsPerTarget: integer("autoscalingRequestsPerTarget", 10, 100000),
        autoscalingCpuUtilization: integer("autoscalingCpuUtilization", 10, 90),
        // A non-root container user cannot bind a port below 1024.
        containerPort: integer("containerPort", 1024, 65535),
        containerMemory: integer("containerMemory", 32, 16384),
        containerCpu: integer("containerCpu", 0, 10240),
        healthCheckPath,
        logRetentionInDays,
        containerInsights: boolean("containerInsights"),
        albAccessLogs: boolean("albAccessLogs"),
        albDeletionProtection: boolean("albDeletionProtection"),
        https: parseHttps(region, (name) => ({ key: key(name), value: read(key(name)) || undefined })),
    };
}

function parseHttps(
    region: string,
    read: (name: "domainName" | "hostedZoneId" | "certificateArn") => { key: string; value: string | undefined },
): HttpsConfig | undefined {
    const domain = read("domainName");
    const zone = read("hostedZoneId");
    const certificate = read("certificateArn");
    if (domain.value === undefined) {
        for (const setting of [zone, certificate]) {
            if (setting.value !== undefined) {
                throw new ConfigError(domain.key, "", `a domain name, because ${setting.key} is set`);
            }
        }
        return undefined;
    }
    if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain.value)) {
        throw new ConfigError(domain.key, domain.value, "a fully qualified lower-case DNS name such as app.example.com");
    }
    if (zone.value !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(zone.value)) {
        throw new ConfigError(zone.key, zone.value, "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ");
    }
    if (certificate.value === undefined) {
        if (zone.value === undefined) {
            throw new ConfigError(domain.key, domain.value,
                `a Route 53 zone to validate its certificate in (${zone.key}) or an existing certificate (${certificate.key}) with it`);
        }
        return { domainName: domain.value, hostedZoneId: zone.value };
    }
    const certificateRegion = /^arn:aws:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/.exec(certificate.value)?.[1];
    if (certificateRegion !== region) {
        throw new ConfigError(certificate.key, certificate.value, certificateRegion === undefined
            ? "an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>"
            : `an ACM certificate in ${region}, the ALB's region (this one is in ${certificateRegion})`);
    }
    return { domainName: domain.value, hostedZoneId: zone.value, certificateArn: certificate.value };
}

function stringList(fullKey: string, raw: string | undefined): string[] | undefined {
    if (raw === undefined) {
        return undefined;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string")) {
        throw new ConfigError(fullKey, raw, "a list of strings, such as [\"us-east-1a\", \"us-east-1b\"]");
    }
    return parsed;
}

/** The stack's config from the Pulumi engine (`pulumi config`, Pulumi.<stack>.yaml). */
export function loadStackConfig(): StackConfig {
    return parseStackConfig(pulumi.getProject(), (fullKey) => pulumi.runtime.getConfig(fullKey));
}
