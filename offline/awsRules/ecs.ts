// ECS: cluster, capacity providers, task definition (with its containerDefinitions JSON) and service.
import {
    Check, Context, Inputs, Violation, arn, bool, checkName, checkSpec, document, each, int, isRecord, items, join,
    length, maxItems, minItems, notPrefixed, numberOf, oneOf, pattern, required, str, tags, violation,
} from "./check";
import { imageReference } from "./ecr";

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html
const ecsName = [length(1, 255), pattern(/^[a-zA-Z0-9_-]+$/, "letters, numbers, underscores and hyphens")];

export function cluster(inputs: Inputs, context: Context): Violation[] {
    return [
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html
        ...checkName(inputs, context, ecsName),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterSetting.html
        ...items(inputs, "settings").flatMap(({ item, path }) => checkSpec(item, {
            name: oneOf(["containerInsights"]), value: oneOf(["enhanced", "enabled", "disabled"]),
        }, path)),
        ...tags(inputs),
    ];
}

export function capacityProvider(inputs: Inputs, context: Context): Violation[] {
    const scaling = "autoScalingGroupProvider.managedScaling";
    return [
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html
        ...checkName(inputs, context, [...ecsName, notPrefixed(["aws", "ecs", "fargate"], true)]),
        ...required(inputs, ["autoScalingGroupProvider.autoScalingGroupArn"]),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AutoScalingGroupProvider.html
        ...checkSpec(inputs, {
            "autoScalingGroupProvider.autoScalingGroupArn": arn("autoscaling"),
            "autoScalingGroupProvider.managedTerminationProtection": oneOf(["ENABLED", "DISABLED"]),
            "autoScalingGroupProvider.managedDraining": oneOf(["ENABLED", "DISABLED"]),
        }),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html
        ...checkSpec(inputs, {
            [`${scaling}.status`]: oneOf(["ENABLED", "DISABLED"]),
            [`${scaling}.targetCapacity`]: int(1, 100),
            [`${scaling}.minimumScalingStepSize`]: int(1, 10000),
            [`${scaling}.maximumScalingStepSize`]: int(1, 10000),
            [`${scaling}.instanceWarmupPeriod`]: int(0, 10000),
        }),
        ...stepSizes(inputs),
        ...terminationProtection(inputs),
        ...tags(inputs),
    ];
}

function stepSizes(inputs: Inputs): Violation[] {
    const scaling = (inputs.autoScalingGroupProvider as Inputs | undefined)?.managedScaling as Inputs | undefined;
    const min = numberOf(scaling?.minimumScalingStepSize ?? 1);
    const max = numberOf(scaling?.maximumScalingStepSize ?? 10000);
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html
    return min > max ? violation("autoScalingGroupProvider.managedScaling.minimumScalingStepSize", min,
        "must not exceed maximumScalingStepSize") : [];
}

function terminationProtection(inputs: Inputs): Violation[] {
    const provider = inputs.autoScalingGroupProvider as Inputs | undefined;
    const scaling = provider?.managedScaling as Inputs | undefined;
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AutoScalingGroupProvider.html (managedTerminationProtection)
    return provider?.managedTerminationProtection === "ENABLED" && scaling?.status !== "ENABLED"
        ? violation("autoScalingGroupProvider.managedTerminationProtection", "ENABLED",
            "managed termination protection requires managed scaling ENABLED")
        : [];
}

// A capacity provider strategy: weights 0-1000, bases 0-100000, and a base on one provider at most.
function strategy(inputs: Inputs, property: string): Violation[] {
    const list = items(inputs, property);
    const withBase = list.filter(({ item }) => numberOf((item as Inputs).base ?? 0) > 0);
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
    return [
        ...list.flatMap(({ item, path }) => [
            ...required(item, ["capacityProvider"], path),
            ...checkSpec(item, { weight: int(0, 1000), base: int(0, 100000), capacityProvider: length(1, 255) }, path),
        ]),
        ...violation(property, inputs[property], withBase.length > 1 ? "only one provider of a strategy may have a base" : undefined),
    ];
}

export function clusterCapacityProviders(inputs: Inputs): Violation[] {
    const providers = Array.isArray(inputs.capacityProviders) ? inputs.capacityProviders as unknown[] : [];
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PutClusterCapacityProviders.html
    const unlisted = items(inputs, "defaultCapacityProviderStrategies").flatMap(({ item, path }) => {
        const name = (item as Inputs).capacityProvider;
        return providers.includes(name) ? [] : violation(`${path}.capacityProvider`, name,
            "must be one of the cluster's capacityProviders");
    });
    return [
        ...required(inputs, ["clusterName"]),
        ...checkSpec(inputs, { clusterName: length(1, 255), capacityProviders: each(length(1, 255)) }),
        ...strategy(inputs, "defaultCapacityProviderStrategies"),
        ...unlisted,
    ];
}

// ---- task definition ----

export function taskDefinition(inputs: Inputs): Violation[] {
    const networkMode = String(inputs.networkMode ?? "bridge");
    return [
        ...required(inputs, ["family", "containerDefinitions"]),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
        ...checkSpec(inputs, {
            family: ecsName,
            networkMode: oneOf(["bridge", "host", "awsvpc", "none"]),
            requiresCompatibilities: each(oneOf(["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"])),
            executionRoleArn: arn("iam", "role/"),
            taskRoleArn: arn("iam", "role/"),
            ipcMode: oneOf(["host", "task", "none"]),
            pidMode: oneOf(["host", "task"]),
            cpu: pattern(/^\d+$|^\d+(\.\d+)? ?vcpu$/i, "CPU units (1024) or vCPUs (1 vCPU)"),
            memory: pattern(/^\d+$|^\d+(\.\d+)? ?gb$/i, "MiB (512) or GB (0.5 GB)"),
        }),
        ...document(inputs, "containerDefinitions", (doc, property) => containerDefinitions(doc, property, networkMode, inputs)),
        ...tags(inputs),
    ];
}

function containerDefinitions(doc: unknown, property: string, networkMode: string, task: Inputs): Violation[] {
    if (!Array.isArray(doc) || doc.length === 0) {
        return violation(property, doc, "must be a non-empty JSON array of container definitions");
    }
    const names = doc.map((c) => (isRecord(c) ? c.name : undefined));
    const duplicate = names.find((name, i) => name !== undefined && names.indexOf(name) !== i);
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
    return [
        ...violation(property, doc, maxItems(10)(doc)),
        ...violation(property, duplicate, duplicate === undefined ? undefined : "container names must be unique"),
        ...violation(property, doc, doc.some((c) => isRecord(c) && c.essential !== false) ? undefined
            : "at least one container must be essential"),
        ...doc.flatMap((c, i) => container(c, `${property}.${i}`, networkMode, task)),
        ...taskSizes(doc, property, task),
    ];
}

// Task-level sizes: CPU units or vCPUs, MiB or GB, as RegisterTaskDefinition takes them.
function taskUnits(value: unknown, unit: RegExp): number {
    const text = String(value);
    return unit.test(text) ? parseFloat(text) * 1024 : numberOf(text);
}

// The containers of a task share its task-level CPU and memory, when set.
function taskSizes(containers: unknown[], property: string, task: Inputs): Violation[] {
    const sum = (key: string) => containers.reduce<number>((total, c) => total + (isRecord(c) && typeof c[key] === "number" ? c[key] as number : 0), 0);
    const cpu = taskUnits(task.cpu, /vcpu/i);
    const memory = taskUnits(task.memory, /gb/i);
    const largest = Math.max(...containers.map((c) => (isRecord(c) && typeof c.memory === "number" ? c.memory : 0)));
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (cpu, memory)
    return [
        ...violation(property, sum("cpu"), sum("cpu") > cpu ? "the containers' cpu must not exceed the task's cpu" : undefined),
        ...violation(property, largest, largest > memory ? "a container's memory must not exceed the task's memory" : undefined),
        ...violation(property, sum("memoryReservation"), sum("memoryReservation") > memory
            ? "the containers' memoryReservation must not exceed the task's memory" : undefined),
    ];
}

function container(c: unknown, path: string, networkMode: string, task: Inputs): Violation[] {
    if (!isRecord(c)) {
        return violation(path, c, "must be a container definition object");
    }
    return [
        ...required(c, ["name", "image"], path),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
        ...checkSpec(c, {
            name: ecsName, image: imageReference, essential: jsonBool, privileged: jsonBool,
            readonlyRootFilesystem: jsonBool, cpu: jsonInt(0, 2 ** 31 - 1), stopTimeout: jsonInt(0, 120), startTimeout: jsonInt(0, 600),
            user: pattern(/^[^:\s]+(:[^:\s]+)?$/, "user, user:group, uid, uid:gid, user:gid or uid:group"),
            // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html (command starts with CMD or CMD-SHELL)
            "healthCheck.command": [minItems(1), each(str), (v) => ["CMD", "CMD-SHELL", "NONE"].includes(String((v as unknown[])[0]))
                ? undefined : "must start with CMD or CMD-SHELL"],
            "healthCheck.interval": jsonInt(5, 300),
            "healthCheck.timeout": jsonInt(2, 120),
            "healthCheck.retries": jsonInt(1, 10),
            "healthCheck.startPeriod": jsonInt(0, 300),
        }, path),
        ...memory(c, path, task),
        ...items(c, "portMappings", path).flatMap(({ item, path: p }) => portMapping(item, p, networkMode)),
        ...items(c, "environment", path).flatMap(({ item, path: p }) => keyValue(item, p)),
        ...items(c, "ulimits", path).flatMap(({ item, path: p }) => ulimit(item, p)),
        ...logConfiguration(c, path),
    ];
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (Type: Integer, Boolean)
// Numbers and booleans in container definitions must be JSON numbers and booleans: ECS does not coerce strings.
function jsonInt(min: number, max: number): Check {
    return (v) => typeof v === "number" ? int(min, max)(v) : `must be a JSON integer from ${min} to ${max}`;
}

const jsonBool: Check = (v) => typeof v === "boolean" ? undefined : "must be a JSON boolean";

// On EC2 a container needs memory or memoryReservation unless the task sets memory; reservation below the limit.
function memory(c: Inputs, path: string, task: Inputs): Violation[] {
    const limit = c.memory;
    const reservation = c.memoryReservation;
    const missing = limit === undefined && reservation === undefined && task.memory === undefined;
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (memory, memoryReservation)
    return [
        ...checkSpec(c, { memory: jsonInt(6, 2 ** 31 - 1), memoryReservation: jsonInt(6, 2 ** 31 - 1) }, path),
        ...violation(join(path, "memory"), limit, missing ? "memory or memoryReservation is required when the task sets no memory" : undefined),
        ...violation(join(path, "memoryReservation"), reservation,
            typeof limit === "number" && typeof reservation === "number" && reservation > limit
                ? "must not exceed memory" : undefined),
    ];
}

function portMapping(mapping: unknown, path: string, networkMode: string): Violation[] {
    const m = mapping as Inputs;
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html
    const hostRule = networkMode === "awsvpc" || networkMode === "host"
        ? (m.hostPort === undefined || m.hostPort === m.containerPort ? undefined : `must equal containerPort in ${networkMode} mode`)
        : jsonInt(0, 65535)(m.hostPort ?? 0);
    return [
        ...checkSpec(m, {
            containerPort: jsonInt(1, 65535),
            protocol: oneOf(["tcp", "udp"]),
            appProtocol: oneOf(["http", "http2", "grpc"]),
            name: pattern(/^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/, "lowercase letters, numbers and hyphens, up to 64"),
        }, path),
        ...violation(join(path, "hostPort"), m.hostPort, m.hostPort === undefined && networkMode === "bridge" ? undefined : hostRule),
    ];
}

// Environment variables: a name and a string value (ECS's KeyValuePair; a JSON number fails to unmarshal).
function keyValue(pair: unknown, path: string): Violation[] {
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_KeyValuePair.html
    return [
        ...required(pair, ["name"], path),
        ...checkSpec(pair, { name: pattern(/^[^=\0]+$/, "a non-empty name without '='"), value: str }, path),
    ];
}

function ulimit(limit: unknown, path: string): Violation[] {
    const u = limit as Inputs;
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Ulimit.html
    return [
        ...checkSpec(u, {
            name: oneOf(["core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc",
                "rss", "rtprio", "rttime", "sigpending", "stack"]),
            softLimit: jsonInt(0, 2 ** 31 - 1), hardLimit: jsonInt(0, 2 ** 31 - 1),
        }, path),
        ...violation(join(path, "softLimit"), u.softLimit, numberOf(u.softLimit) > numberOf(u.hardLimit) ? "must not exceed hardLimit" : undefined),
    ];
}

function logConfiguration(c: Inputs, path: string): Violation[] {
    const config = c.logConfiguration;
    if (!isRecord(config)) {
        return [];
    }
    const prefix = join(path, "logConfiguration");
    const options = isRecord(config.options) ? config.options : {};
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html (awslogs-group and awslogs-region required)
    const awslogs = config.logDriver === "awslogs" ? required(options, ["awslogs-group", "awslogs-region"], join(prefix, "options")) : [];
    return [
        ...required(config, ["logDriver"], prefix),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html
        ...checkSpec(config, {
            logDriver: oneOf(["json-file", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "awsfirelens"]),
        }, prefix),
        ...Object.entries(options).flatMap(([key, value]) => violation(`${prefix}.options.${key}`, value, str(value))),
        ...awslogs,
    ];
}

// ---- service ----

export function service(inputs: Inputs, context: Context): Violation[] {
    return [
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
        ...checkName(inputs, context, ecsName),
        ...checkSpec(inputs, {
            desiredCount: int(0, 2 ** 31 - 1),
            // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
            deploymentMinimumHealthyPercent: int(0, 100),
            deploymentMaximumPercent: int(0, 2 ** 31 - 1),
            // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
            healthCheckGracePeriodSeconds: int(0, 2147483647),
            launchType: oneOf(["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"]),
            schedulingStrategy: oneOf(["REPLICA", "DAEMON"]),
            propagateTags: oneOf(["TASK_DEFINITION", "SERVICE", "NONE"]),
            enableEcsManagedTags: bool,
            cluster: pattern(/^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/)?[a-zA-Z0-9_-]{1,255}$/, "a cluster name or ARN"),
            taskDefinition: pattern(/^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[a-zA-Z0-9_-]{1,255}(:\d+)?$/,
                "a task definition family[:revision] or ARN"),
            orderedPlacementStrategies: maxItems(5),
            placementConstraints: maxItems(10),
            "deploymentController.type": oneOf(["ECS", "CODE_DEPLOY", "EXTERNAL"]),
            "deploymentCircuitBreaker.enable": bool,
            "deploymentCircuitBreaker.rollback": bool,
            // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentAlarms.html
            "alarms.alarmNames": [minItems(1), each(length(1, 255))],
            "alarms.enable": bool,
            "alarms.rollback": bool,
            // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (availabilityZoneRebalancing)
            availabilityZoneRebalancing: oneOf(["ENABLED", "DISABLED"]),
        }),
        ...launchTypeOrStrategy(inputs),
        ...strategy(inputs, "capacityProviderStrategies"),
        ...items(inputs, "orderedPlacementStrategies").flatMap(({ item, path }) => placementStrategy(item as Inputs, path)),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlacementConstraint.html
        ...items(inputs, "placementConstraints").flatMap(({ item, path }) =>
            checkSpec(item, { type: oneOf(["distinctInstance", "memberOf"]), expression: length(0, 2000) }, path)),
        ...items(inputs, "loadBalancers").flatMap(({ item, path }) => [
            // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html
            ...required(item, ["containerName", "containerPort"], path),
            ...checkSpec(item, { containerPort: int(0, 65535), targetGroupArn: arn("elasticloadbalancing", "targetgroup/") }, path),
        ]),
        ...daemonCount(inputs),
        ...tags(inputs),
    ];
}

function launchTypeOrStrategy(inputs: Inputs): Violation[] {
    const both = inputs.launchType !== undefined && Array.isArray(inputs.capacityProviderStrategies)
        && inputs.capacityProviderStrategies.length > 0;
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (capacityProviderStrategy)
    return both ? violation("launchType", inputs.launchType, "launchType and capacityProviderStrategies are mutually exclusive") : [];
}

function daemonCount(inputs: Inputs): Violation[] {
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (desiredCount)
    return inputs.schedulingStrategy === "DAEMON" && inputs.desiredCount !== undefined
        ? violation("desiredCount", inputs.desiredCount, "must not be set for the DAEMON scheduling strategy") : [];
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlacementStrategy.html
function placementStrategy(s: Inputs, path: string): Violation[] {
    const fieldRule: Readonly<Record<string, Check>> = {
        spread: (v) => v === "instanceId" || v === "host" || /^attribute:.+/.test(String(v)) ? undefined
            : "spread takes instanceId, host or attribute:<name>",
        binpack: oneOf(["cpu", "memory"]),
        random: (v) => v === undefined ? undefined : "random takes no field",
    };
    const type = String(s.type);
    return [
        ...checkSpec(s, { type: oneOf(Object.keys(fieldRule)) }, path),
        ...(fieldRule[type] === undefined ? [] : violation(join(path, "field"), s.field, fieldRule[type](s.field))),
    ];
}
