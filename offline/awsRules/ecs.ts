// ECS: cluster, capacity providers, task definition (with its containerDefinitions JSON) and service.
import {
    Check, Inputs, TypeRules, Violation, arn, bool, document, each, int, isRecord, items, join,
    length, maxItems, minItems, notPrefixed, numberOf, oneOf, pattern, required, str, violation,
} from "./check";
import { imageReference } from "./ecr";

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html
const ecsName = [length(1, 255), pattern(/^[a-zA-Z0-9_-]+$/, "letters, numbers, underscores and hyphens")];

// A Cloud Map namespace as ECS takes it: its ARN, or a name of up to 1024 characters without > < " or /.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterServiceConnectDefaultsRequest.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectConfiguration.html
const namespace: Check = (v) => typeof v === "string" && (/^arn:aws[a-z-]*:servicediscovery:[a-z0-9-]+:\d{12}:namespace\/ns-[a-z0-9]+$/.test(v)
    || /^[^<>"/]{1,1024}$/.test(v)) ? undefined : "a Cloud Map namespace ARN, or a name of up to 1024 characters without > < \" or /";

// A port mapping's name, which a Service Connect service's portName and discoveryName refer to: up to 64 lower-case
// letters, digits, _ and -, not starting with -. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html
const portName = pattern(/^[a-z0-9_][a-z0-9_-]{0,63}$/, "up to 64 lower-case letters, digits, _ and -, not starting with -");

export const cluster: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html
        name: ecsName,
        "serviceConnectDefaults.namespace": namespace,
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterSetting.html
        "settings.*.name": oneOf(["containerInsights"]),
        "settings.*.value": oneOf(["enhanced", "enabled", "disabled"]),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExecuteCommandConfiguration.html
        "configuration.executeCommandConfiguration.logging": oneOf(["NONE", "DEFAULT", "OVERRIDE"]),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExecuteCommandLogConfiguration.html
        "configuration.executeCommandConfiguration.logConfiguration.cloudWatchLogGroupName": str,
    },
    relations: (inputs) => execLogging(inputs),
};

// "When logging=OVERRIDE is specified, a logConfiguration must be provided" (API_ExecuteCommandConfiguration).
function execLogging(inputs: Inputs): Violation[] {
    const configuration = isRecord(inputs.configuration) ? inputs.configuration.executeCommandConfiguration : undefined;
    if (!isRecord(configuration) || configuration.logging !== "OVERRIDE") {
        return [];
    }
    return required(configuration, ["logConfiguration"], "configuration.executeCommandConfiguration");
}

const managedScaling = "autoScalingGroupProvider.managedScaling";

export const capacityProvider: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html
        name: [...ecsName, notPrefixed(["aws", "ecs", "fargate"], true)],
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AutoScalingGroupProvider.html
        "autoScalingGroupProvider.autoScalingGroupArn": arn("autoscaling"),
        "autoScalingGroupProvider.managedTerminationProtection": oneOf(["ENABLED", "DISABLED"]),
        "autoScalingGroupProvider.managedDraining": oneOf(["ENABLED", "DISABLED"]),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html
        [`${managedScaling}.status`]: oneOf(["ENABLED", "DISABLED"]),
        [`${managedScaling}.targetCapacity`]: int(1, 100),
    },
    relations: (inputs) => [
        ...required(inputs, ["autoScalingGroupProvider.autoScalingGroupArn"]),
        ...terminationProtection(inputs),
    ],
};

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
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
function strategyFields(property: string): Record<string, Check> {
    return { [`${property}.*.weight`]: int(0, 1000), [`${property}.*.base`]: int(0, 100000), [`${property}.*.capacityProvider`]: length(1, 255) };
}

function strategy(inputs: Inputs, property: string): Violation[] {
    const list = items(inputs, property);
    const withBase = list.filter(({ item }) => numberOf((item as Inputs).base ?? 0) > 0);
    return [
        ...list.flatMap(({ item, path }) => required(item, ["capacityProvider"], path)),
        ...violation(property, inputs[property], withBase.length > 1 ? "only one provider of a strategy may have a base" : undefined),
    ];
}

export const clusterCapacityProviders: TypeRules = {
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PutClusterCapacityProviders.html
    fields: { clusterName: length(1, 255), capacityProviders: each(length(1, 255)), ...strategyFields("defaultCapacityProviderStrategies") },
    relations: (inputs) => {
        const providers = Array.isArray(inputs.capacityProviders) ? inputs.capacityProviders as unknown[] : [];
        const unlisted = items(inputs, "defaultCapacityProviderStrategies").flatMap(({ item, path }) => {
            const name = (item as Inputs).capacityProvider;
            return providers.includes(name) ? [] : violation(`${path}.capacityProvider`, name, "must be one of the cluster's capacityProviders");
        });
        return [...required(inputs, ["clusterName"]), ...strategy(inputs, "defaultCapacityProviderStrategies"), ...unlisted];
    },
};

// ---- task definition ----

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (Type: Integer, Boolean)
// Numbers and booleans in container definitions must be JSON numbers and booleans: ECS does not coerce strings.
function jsonInt(min: number, max: number): Check {
    return (v) => typeof v === "number" ? int(min, max)(v) : `must be a JSON integer from ${min} to ${max}`;
}

const jsonBool: Check = (v) => typeof v === "boolean" ? undefined : "must be a JSON boolean";

const containers = "containerDefinitions.*";

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_KeyValuePair.html
// An environment variable's name, as the environment and the secrets set it: non-empty, without '='.
const variableName = pattern(/^[^=\0]+$/, "a non-empty name without '='");

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html (valueFrom): a Secrets Manager secret's ARN,
// full or partial, with none or all three of :json-key:version-stage:version-id
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html); an SSM parameter's
// ARN; or, in the task's region, a parameter's name. ECS takes anything else for a parameter name and refuses it
// ("The Systems Manager parameter name specified for secret ... is invalid. The parameter name can be up to 2048
// characters and include the following letters and symbols"), so an ARN of another service fails as a name.
const secretArn = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}(:[^:]*:[^:]*:[^:]*)?$/;
const parameterArn = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]{1,2048}$/;
const parameterName = /^[A-Za-z0-9_.\-/]{1,2048}$/;
const secretValueFrom: Check = (v) => typeof v === "string" && [secretArn, parameterArn, parameterName].some((re) => re.test(v)) ? undefined
    : "must be a Secrets Manager secret ARN (optionally :json-key:version-stage:version-id), an SSM parameter ARN, "
        + "or a parameter name of up to 2048 characters of a-zA-Z0-9_.-/";

export const taskDefinition: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
        family: ecsName,
        networkMode: oneOf(["bridge", "host", "awsvpc", "none"]),
        requiresCompatibilities: each(oneOf(["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"])),
        executionRoleArn: arn("iam", "role/"),
        taskRoleArn: arn("iam", "role/"),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Volume.html (name)
        "volumes.*.name": [length(1, 255), pattern(/^[a-zA-Z0-9_-]+$/, "letters, numbers, underscores and hyphens")],
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
        [`${containers}.name`]: ecsName,
        [`${containers}.image`]: imageReference,
        [`${containers}.essential`]: jsonBool,
        [`${containers}.readonlyRootFilesystem`]: jsonBool,
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinuxParameters.html
        [`${containers}.linuxParameters.initProcessEnabled`]: jsonBool,
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_MountPoint.html
        [`${containers}.mountPoints.*.sourceVolume`]: str,
        [`${containers}.mountPoints.*.containerPath`]: str,
        [`${containers}.mountPoints.*.readOnly`]: jsonBool,
        [`${containers}.cpu`]: jsonInt(0, 2 ** 31 - 1),
        [`${containers}.memory`]: jsonInt(6, 2 ** 31 - 1),
        [`${containers}.stopTimeout`]: jsonInt(0, 120),
        [`${containers}.user`]: pattern(/^[^:\s]+(:[^:\s]+)?$/, "user, user:group, uid, uid:gid, user:gid or uid:group"),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html (command starts with CMD or CMD-SHELL)
        [`${containers}.healthCheck.command`]: [minItems(1), each(str), (v) => ["CMD", "CMD-SHELL", "NONE"].includes(String((v as unknown[])[0]))
            ? undefined : "must start with CMD or CMD-SHELL"],
        [`${containers}.healthCheck.interval`]: jsonInt(5, 300),
        [`${containers}.healthCheck.timeout`]: jsonInt(2, 120),
        [`${containers}.healthCheck.retries`]: jsonInt(1, 10),
        [`${containers}.healthCheck.startPeriod`]: jsonInt(0, 300),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html
        [`${containers}.portMappings.*.containerPort`]: jsonInt(1, 65535),
        [`${containers}.portMappings.*.protocol`]: oneOf(["tcp", "udp"]),
        [`${containers}.portMappings.*.name`]: portName,
        [`${containers}.portMappings.*.appProtocol`]: oneOf(["http", "http2", "grpc"]),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_KeyValuePair.html
        // Environment variables: a name and a string value (a JSON number fails to unmarshal).
        [`${containers}.environment.*.name`]: variableName,
        [`${containers}.environment.*.value`]: str,
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html
        [`${containers}.secrets.*.name`]: variableName,
        [`${containers}.secrets.*.valueFrom`]: secretValueFrom,
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html
        [`${containers}.logConfiguration.logDriver`]: oneOf(["json-file", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "awsfirelens"]),
    },
    relations: (inputs) => {
        const networkMode = String(inputs.networkMode ?? "bridge");
        return [
            ...required(inputs, ["family", "containerDefinitions"]),
            ...items(inputs, "volumes").flatMap(({ item, path }) => required(item, ["name"], path)),
            ...uniqueVolumeNames(inputs),
            ...document(inputs, "containerDefinitions", (doc, property) => containerDefinitions(doc, property, networkMode, inputs)),
        ];
    },
};

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
        ...secretsNeedExecutionRole(doc, task),
    ];
}

// ECS's "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'": the
// execution role is what reads them (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).
function secretsNeedExecutionRole(doc: readonly unknown[], task: Inputs): Violation[] {
    const withSecrets = doc.some((c) => isRecord(c) && Array.isArray(c.secrets) && c.secrets.length > 0);
    return withSecrets ? required(task, ["executionRoleArn"]) : [];
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Volume.html: a volume's name is what mount points refer to.
function uniqueVolumeNames(task: Inputs): Violation[] {
    const names = items(task, "volumes").map(({ item }) => (item as Inputs).name);
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    return violation("volumes", repeated, repeated === undefined ? undefined : "volume names must be unique");
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_MountPoint.html (sourceVolume: "must match the name
// parameter of a volume"); ECS refuses the registration otherwise.
function mountPoints(c: Inputs, path: string, task: Inputs): Violation[] {
    const volumes = items(task, "volumes").map(({ item }) => (item as Inputs).name);
    return items(c, "mountPoints", path).flatMap(({ item, path: p }) => [
        ...required(item, ["sourceVolume", "containerPath"], p),
        ...violation(join(p, "sourceVolume"), (item as Inputs).sourceVolume, (item as Inputs).sourceVolume === undefined
            || volumes.includes((item as Inputs).sourceVolume) ? undefined : "must be the name of one of the task's volumes"),
    ]);
}

function container(c: unknown, path: string, networkMode: string, task: Inputs): Violation[] {
    if (!isRecord(c)) {
        return violation(path, c, "must be a container definition object");
    }
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (memory, memoryReservation)
    // On EC2 a container needs memory or memoryReservation unless the task sets memory.
    const memoryMissing = c.memory === undefined && c.memoryReservation === undefined && task.memory === undefined;
    return [
        ...required(c, ["name", "image"], path),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html (both required)
        ...items(c, "secrets", path).flatMap(({ item, path: p }) => required(item, ["name", "valueFrom"], p)),
        ...violation(join(path, "memory"), c.memory, memoryMissing ? "memory or memoryReservation is required when the task sets no memory" : undefined),
        ...items(c, "portMappings", path).flatMap(({ item, path: p }) => hostPort(item as Inputs, p, networkMode)),
        ...mountPoints(c, path, task),
        ...logConfiguration(c, path),
    ];
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html (hostPort per network mode)
function hostPort(m: Inputs, path: string, networkMode: string): Violation[] {
    const hostRule = networkMode === "awsvpc" || networkMode === "host"
        ? (m.hostPort === undefined || m.hostPort === m.containerPort ? undefined : `must equal containerPort in ${networkMode} mode`)
        : jsonInt(0, 65535)(m.hostPort ?? 0);
    return violation(join(path, "hostPort"), m.hostPort, m.hostPort === undefined && networkMode === "bridge" ? undefined : hostRule);
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
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html (options: string to string)
        ...Object.entries(options).flatMap(([key, value]) => violation(`${prefix}.options.${key}`, value, str(value))),
        ...awslogs,
    ];
}

// ---- service ----

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlacementStrategy.html (the field each type takes)
const placementFields: Readonly<Record<string, Check>> = {
    spread: (v) => v === "instanceId" || v === "host" || /^attribute:.+/.test(String(v)) ? undefined
        : "spread takes instanceId, host or attribute:<name>",
    binpack: oneOf(["cpu", "memory"]),
    random: (v) => v === undefined ? undefined : "random takes no field",
};

function placementField(s: Inputs, path: string): Violation[] {
    const check = placementFields[String(s.type)];
    return check === undefined ? [] : violation(join(path, "field"), s.field, check(s.field));
}

export const service: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
        name: ecsName,
        desiredCount: int(0, 2 ** 31 - 1),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
        deploymentMinimumHealthyPercent: int(0, 100),
        deploymentMaximumPercent: int(0, 2 ** 31 - 1),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
        healthCheckGracePeriodSeconds: int(0, 2147483647),
        propagateTags: oneOf(["TASK_DEFINITION", "SERVICE", "NONE"]),
        enableEcsManagedTags: bool,
        enableExecuteCommand: bool,
        cluster: pattern(/^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/)?[a-zA-Z0-9_-]{1,255}$/, "a cluster name or ARN"),
        taskDefinition: pattern(/^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[a-zA-Z0-9_-]{1,255}(:\d+)?$/,
            "a task definition family[:revision] or ARN"),
        orderedPlacementStrategies: maxItems(5),
        "orderedPlacementStrategies.*.type": oneOf(Object.keys(placementFields)),
        "deploymentCircuitBreaker.enable": bool,
        "deploymentCircuitBreaker.rollback": bool,
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentAlarms.html
        "alarms.alarmNames": [minItems(1), each(length(1, 255))],
        "alarms.enable": bool,
        "alarms.rollback": bool,
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (availabilityZoneRebalancing)
        availabilityZoneRebalancing: oneOf(["ENABLED", "DISABLED"]),
        ...strategyFields("capacityProviderStrategies"),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html
        "loadBalancers.*.containerPort": int(0, 65535),
        "loadBalancers.*.targetGroupArn": arn("elasticloadbalancing", "targetgroup/"),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectConfiguration.html
        "serviceConnectConfiguration.enabled": bool,
        "serviceConnectConfiguration.namespace": namespace,
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectService.html
        "serviceConnectConfiguration.services.*.portName": portName,
        "serviceConnectConfiguration.services.*.discoveryName": portName,
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectClientAlias.html
        "serviceConnectConfiguration.services.*.clientAlias.*.port": int(0, 65535),
        // Up to 127 lower-case letters, digits, _, - and ., not starting with -.
        "serviceConnectConfiguration.services.*.clientAlias.*.dnsName": pattern(/^[a-z0-9_.][a-z0-9_.-]{0,126}$/,
            "up to 127 lower-case letters, digits, _, - and ., not starting with -"),
    },
    relations: (inputs) => [
        ...strategy(inputs, "capacityProviderStrategies"),
        ...items(inputs, "orderedPlacementStrategies").flatMap(({ item, path }) => placementField(item as Inputs, path)),
        ...items(inputs, "loadBalancers").flatMap(({ item, path }) => required(item, ["containerName", "containerPort"], path)),
        ...gracePeriod(inputs),
        ...(isRecord(inputs.serviceConnectConfiguration) ? required(inputs.serviceConnectConfiguration, ["enabled"], "serviceConnectConfiguration") : []),
        ...items(inputs.serviceConnectConfiguration, "services", "serviceConnectConfiguration")
            .flatMap(({ item, path }) => required(item, ["portName"], path)),
    ],
};

// "Health check grace period is only valid for services configured to use load balancers" (CreateService's
// InvalidParameterException). https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
function gracePeriod(inputs: Inputs): Violation[] {
    const balanced = Array.isArray(inputs.loadBalancers) && inputs.loadBalancers.length > 0;
    return violation("healthCheckGracePeriodSeconds", inputs.healthCheckGracePeriodSeconds,
        inputs.healthCheckGracePeriodSeconds !== undefined && !balanced ? "only valid for a service with load balancers" : undefined);
}
