// EC2 Auto Scaling groups and Application Auto Scaling targets and policies.
import {
    Context, Inputs, Violation, bool, checkName, checkSpec, each, int, isRecord, items, length, notPrefixed, num, numberOf,
    oneOf, pattern, required, violation,
} from "./check";
import { subnetId } from "./ec2";

export function group(inputs: Inputs, context: Context): Violation[] {
    return [
        // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html (AutoScalingGroupName)
        ...checkName(inputs, context, [length(1, 255), pattern(/^[\u0020-\uD7FF\uE000-\uFFFD\t\r\n]+$/u, "printable characters")]),
        ...required(inputs, ["minSize", "maxSize"]),
        ...checkSpec(inputs, {
            minSize: int(0, 2 ** 31 - 1),
            maxSize: int(0, 2 ** 31 - 1),
            desiredCapacity: int(0, 2 ** 31 - 1),
            healthCheckType: (v) => String(v).split(",").every((t) => ["EC2", "ELB", "VPC_LATTICE", "EBS"].includes(t.trim()))
                ? undefined : "must be EC2, ELB, VPC_LATTICE or EBS",
            healthCheckGracePeriod: int(0, 2 ** 31 - 1),
            defaultCooldown: int(0, 2 ** 31 - 1),
            vpcZoneIdentifiers: each(subnetId),
            protectFromScaleIn: bool,
            // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_EnableMetricsCollection.html (Metrics, Granularity)
            enabledMetrics: each(oneOf(["GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances",
                "GroupPendingInstances", "GroupStandbyInstances", "GroupTerminatingInstances", "GroupTotalInstances",
                "GroupInServiceCapacity", "GroupPendingCapacity", "GroupStandbyCapacity", "GroupTerminatingCapacity",
                "GroupTotalCapacity", "WarmPoolDesiredCapacity", "WarmPoolWarmedCapacity", "WarmPoolPendingCapacity",
                "WarmPoolTerminatingCapacity", "WarmPoolTotalCapacity", "GroupAndWarmPoolDesiredCapacity", "GroupAndWarmPoolTotalCapacity"])),
            metricsGranularity: oneOf(["1Minute"]),
            // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchTemplateSpecification.html (Version)
            "launchTemplate.version": pattern(/^(\$Latest|\$Default|\d+)$/, "$Latest, $Default or a version number"),
            "launchTemplate.id": pattern(/^lt-[0-9a-z-]+$/, "a launch template ID (lt-…)"),
        }),
        ...sizes(inputs),
        ...launchTemplate(inputs),
        ...instanceRefresh(inputs),
        ...groupTags(inputs),
    ];
}

function sizes(inputs: Inputs): Violation[] {
    const min = numberOf(inputs.minSize);
    const max = numberOf(inputs.maxSize);
    const desired = numberOf(inputs.desiredCapacity);
    // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html (MinSize, MaxSize, DesiredCapacity)
    return [
        ...violation("minSize", min, min > max ? "must not exceed maxSize" : undefined),
        ...violation("desiredCapacity", desired, desired < min || desired > max ? "must be between minSize and maxSize" : undefined),
    ];
}

function launchTemplate(inputs: Inputs): Violation[] {
    const template = isRecord(inputs.launchTemplate) ? inputs.launchTemplate : undefined;
    const given = template === undefined ? [] : ["id", "name"].filter((key) => template[key] !== undefined);
    // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchTemplateSpecification.html (an ID or a name, not both)
    return template !== undefined && given.length !== 1 ? violation("launchTemplate", given, "exactly one of id or name") : [];
}

function instanceRefresh(inputs: Inputs): Violation[] {
    const preferences = isRecord(inputs.instanceRefresh) && isRecord(inputs.instanceRefresh.preferences) ? inputs.instanceRefresh.preferences : {};
    const min = numberOf(preferences.minHealthyPercentage ?? 90);
    const max = numberOf(preferences.maxHealthyPercentage ?? 100);
    // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
    return [
        ...checkSpec(inputs, {
            "instanceRefresh.strategy": oneOf(["Rolling", "ReplaceRootVolume"]),
            "instanceRefresh.preferences.minHealthyPercentage": int(0, 100),
            "instanceRefresh.preferences.maxHealthyPercentage": int(100, 200),
            "instanceRefresh.preferences.instanceWarmup": int(0, 2 ** 31 - 1),
            "instanceRefresh.preferences.checkpointPercentages": each(int(1, 100)),
        }),
        ...violation("instanceRefresh.preferences.maxHealthyPercentage", max, max - min > 100
            ? "must be at most 100 above minHealthyPercentage" : undefined),
    ];
}

function groupTags(inputs: Inputs): Violation[] {
    // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Tag.html
    return items(inputs, "tags").flatMap(({ item, path }) => [
        ...required(item, ["key", "propagateAtLaunch"], path),
        ...checkSpec(item, { key: [length(1, 128), notPrefixed(["aws:"], true)], value: length(0, 256), propagateAtLaunch: bool }, path),
    ]);
}

// ---- Application Auto Scaling ----

// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
const namespaces = [
    "ecs", "elasticmapreduce", "ec2", "appstream", "dynamodb", "rds", "sagemaker", "custom-resource", "comprehend", "lambda",
    "cassandra", "kafka", "elasticache", "neptune", "workspaces",
];
const ecsDimension = "ecs:service:DesiredCount";

function scalingIdentity(inputs: Inputs): Violation[] {
    const ecs = inputs.serviceNamespace === "ecs";
    // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html (ResourceId, ScalableDimension)
    return [
        ...required(inputs, ["serviceNamespace", "scalableDimension", "resourceId"]),
        ...checkSpec(inputs, {
            serviceNamespace: oneOf(namespaces),
            resourceId: length(1, 1600),
            scalableDimension: pattern(/^[a-z-]+:[a-zA-Z-]+:[A-Za-z]+$/, "namespace:resource:property"),
        }),
        ...(ecs ? checkSpec(inputs, {
            scalableDimension: oneOf([ecsDimension]),
            resourceId: pattern(/^service\/[a-zA-Z0-9_-]{1,255}\/[a-zA-Z0-9_-]{1,255}$/, "service/<cluster>/<service>"),
        }) : []),
    ];
}

export function scalableTarget(inputs: Inputs): Violation[] {
    const min = numberOf(inputs.minCapacity);
    const max = numberOf(inputs.maxCapacity);
    return [
        ...scalingIdentity(inputs),
        // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html (MinCapacity, MaxCapacity)
        ...required(inputs, ["minCapacity", "maxCapacity"]),
        ...checkSpec(inputs, { minCapacity: int(0, 2 ** 31 - 1), maxCapacity: int(0, 2 ** 31 - 1), roleArn: pattern(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "a role ARN") }),
        ...violation("minCapacity", min, min > max ? "must not exceed maxCapacity" : undefined),
    ];
}

// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html
const ecsMetrics = ["ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization", "ALBRequestCountPerTarget"];

export function scalingPolicy(inputs: Inputs, context: Context): Violation[] {
    const type = String(inputs.policyType ?? "StepScaling");
    const config = "targetTrackingScalingPolicyConfiguration";
    return [
        // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html (PolicyName)
        ...checkName(inputs, context, [length(1, 256), pattern(/^\P{C}+$/u, "printable characters")]),
        ...scalingIdentity(inputs),
        ...checkSpec(inputs, { policyType: oneOf(["StepScaling", "TargetTrackingScaling", "PredictiveScaling"]) }),
        ...violation(config, inputs[config], type === "TargetTrackingScaling" && inputs[config] === undefined
            ? "is required for TargetTrackingScaling" : undefined),
        ...(isRecord(inputs[config]) ? targetTracking(inputs[config] as Inputs, config, inputs.serviceNamespace === "ecs") : []),
    ];
}

// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html
function targetTracking(c: Inputs, path: string, ecs: boolean): Violation[] {
    const predefined = isRecord(c.predefinedMetricSpecification) ? c.predefinedMetricSpecification : undefined;
    const metricKinds = ["predefinedMetricSpecification", "customizedMetricSpecification"].filter((key) => c[key] !== undefined);
    const albMetric = predefined?.predefinedMetricType === "ALBRequestCountPerTarget";
    return [
        ...required(c, ["targetValue"], path),
        ...checkSpec(c, {
            targetValue: num(8.515920e-109, 1.174271e+108),
            scaleInCooldown: int(0, 2 ** 31 - 1),
            scaleOutCooldown: int(0, 2 ** 31 - 1),
            disableScaleIn: bool,
            "predefinedMetricSpecification.resourceLabel": length(1, 1023),
        }, path),
        ...(ecs ? checkSpec(c, { "predefinedMetricSpecification.predefinedMetricType": oneOf(ecsMetrics) }, path) : []),
        ...violation(path, metricKinds, metricKinds.length !== 1 ? "exactly one of predefinedMetricSpecification or customizedMetricSpecification" : undefined),
        // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html (ResourceLabel)
        ...violation(`${path}.predefinedMetricSpecification.resourceLabel`, predefined?.resourceLabel,
            albMetric === (predefined?.resourceLabel === undefined)
                ? "is required for ALBRequestCountPerTarget, and allowed only with it" : undefined),
        ...violation(`${path}.predefinedMetricSpecification.resourceLabel`, predefined?.resourceLabel, albMetric
            && !/^app\/[^/]+\/[^/]+\/targetgroup\/[^/]+\/[^/]+$/.test(String(predefined?.resourceLabel ?? ""))
            ? "must be app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>" : undefined),
    ];
}
