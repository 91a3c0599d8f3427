// EC2 Auto Scaling groups and Application Auto Scaling targets and policies.
import {
    Inputs, Spec, TypeRules, Violation, bool, checkSpec, each, int, isRecord, items, length, maxItems, notPrefixed, num, numberOf,
    oneOf, pattern, required, violation,
} from "./check";
import { resourceTags } from "../../infra/awsLimits";
import { subnetId } from "./ec2";

export const group: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html (AutoScalingGroupName)
        // botocore's autoscaling XmlStringMaxLen255 pattern also allows the supplementary planes (U+10000-U+10FFFF,
        // written there as the surrogate range \uD800\uDC00-\uDBFF\uDFFF), which the rule refused before.
        name: [length(1, 255), pattern(/^[\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}\t\r\n]+$/u, "printable characters")],
        minSize: int(0, 2 ** 31 - 1),
        maxSize: int(0, 2 ** 31 - 1),
        healthCheckType: (v) => String(v).split(",").every((t) => ["EC2", "ELB", "VPC_LATTICE", "EBS"].includes(t.trim()))
            ? undefined : "must be EC2, ELB, VPC_LATTICE or EBS",
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
        // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
        "instanceRefresh.strategy": oneOf(["Rolling", "ReplaceRootVolume"]),
        "instanceRefresh.preferences.minHealthyPercentage": int(0, 100),
        "instanceRefresh.preferences.maxHealthyPercentage": int(100, 200),
        // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Tag.html; at most 50 tags a group
        // (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-tagging.html).
        tags: maxItems(resourceTags.maxPerResource),
        "tags.*.key": [length(1, 128), notPrefixed(["aws:"], true)],
        "tags.*.value": length(0, 256),
        "tags.*.propagateAtLaunch": bool,
    },
    relations: (inputs) => [
        ...required(inputs, ["minSize", "maxSize"]),
        ...sizes(inputs),
        ...launchTemplate(inputs),
        ...healthyPercentages(inputs),
        ...items(inputs, "tags").flatMap(({ item, path }) => required(item, ["key", "propagateAtLaunch"], path)),
    ],
};

function sizes(inputs: Inputs): Violation[] {
    const min = numberOf(inputs.minSize);
    const max = numberOf(inputs.maxSize);
    // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html (MinSize, MaxSize)
    return violation("minSize", min, min > max ? "must not exceed maxSize" : undefined);
}

function launchTemplate(inputs: Inputs): Violation[] {
    const template = isRecord(inputs.launchTemplate) ? inputs.launchTemplate : undefined;
    const given = template === undefined ? [] : ["id", "name"].filter((key) => template[key] !== undefined);
    // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchTemplateSpecification.html (an ID or a name, not both)
    return template !== undefined && given.length !== 1 ? violation("launchTemplate", given, "exactly one of id or name") : [];
}

function healthyPercentages(inputs: Inputs): Violation[] {
    const preferences = isRecord(inputs.instanceRefresh) && isRecord(inputs.instanceRefresh.preferences) ? inputs.instanceRefresh.preferences : {};
    const min = numberOf(preferences.minHealthyPercentage ?? 90);
    const max = numberOf(preferences.maxHealthyPercentage ?? 100);
    // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
    return violation("instanceRefresh.preferences.maxHealthyPercentage", max, max - min > 100
        ? "must be at most 100 above minHealthyPercentage" : undefined);
}

// ---- Application Auto Scaling ----

// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
const namespaces = [
    "ecs", "elasticmapreduce", "ec2", "appstream", "dynamodb", "rds", "sagemaker", "custom-resource", "comprehend", "lambda",
    "cassandra", "kafka", "elasticache", "neptune", "workspaces",
];
const ecsDimension = "ecs:service:DesiredCount";

// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html (ResourceId, ScalableDimension)
const scalingIdentity: Spec = {
    serviceNamespace: oneOf(namespaces),
    resourceId: length(1, 1600),
    scalableDimension: pattern(/^[a-z-]+:[a-zA-Z-]+:[A-Za-z]+$/, "namespace:resource:property"),
};

function ecsIdentity(inputs: Inputs): Violation[] {
    return [
        ...required(inputs, ["serviceNamespace", "scalableDimension", "resourceId"]),
        ...(inputs.serviceNamespace === "ecs" ? checkSpec(inputs, {
            scalableDimension: oneOf([ecsDimension]),
            resourceId: pattern(/^service\/[a-zA-Z0-9_-]{1,255}\/[a-zA-Z0-9_-]{1,255}$/, "service/<cluster>/<service>"),
        }) : []),
    ];
}

export const scalableTarget: TypeRules = {
    // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html (MinCapacity, MaxCapacity)
    fields: { ...scalingIdentity, minCapacity: int(0, 2 ** 31 - 1), maxCapacity: int(0, 2 ** 31 - 1) },
    relations: (inputs) => {
        const min = numberOf(inputs.minCapacity);
        const max = numberOf(inputs.maxCapacity);
        return [
            ...ecsIdentity(inputs),
            ...required(inputs, ["minCapacity", "maxCapacity"]),
            ...violation("minCapacity", min, min > max ? "must not exceed maxCapacity" : undefined),
        ];
    },
};

// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html
const ecsMetrics = ["ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization", "ALBRequestCountPerTarget"];
const targetTracking = "targetTrackingScalingPolicyConfiguration";

export const scalingPolicy: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html (PolicyName)
        // botocore's application-autoscaling PolicyName: 1-256 characters of \p{Print} (printable ASCII, not all of
        // Unicode's printable characters); the rule allowed any non-control character before.
        name: [length(1, 256), pattern(/^[\x20-\x7E]+$/, "printable ASCII characters")],
        ...scalingIdentity,
        policyType: oneOf(["StepScaling", "TargetTrackingScaling", "PredictiveScaling"]),
        // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html
        [`${targetTracking}.targetValue`]: num(8.515920e-109, 1.174271e+108),
        [`${targetTracking}.scaleInCooldown`]: int(0, 2 ** 31 - 1),
        [`${targetTracking}.scaleOutCooldown`]: int(0, 2 ** 31 - 1),
        [`${targetTracking}.predefinedMetricSpecification.resourceLabel`]: length(1, 1023),
    },
    relations: (inputs) => {
        const type = String(inputs.policyType ?? "StepScaling");
        const config = inputs[targetTracking];
        return [
            ...ecsIdentity(inputs),
            ...violation(targetTracking, config, type === "TargetTrackingScaling" && config === undefined
                ? "is required for TargetTrackingScaling" : undefined),
            ...(isRecord(config) ? targetTrackingRelations(config, targetTracking, inputs.serviceNamespace === "ecs") : []),
        ];
    },
};

// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html
function targetTrackingRelations(c: Inputs, path: string, ecs: boolean): Violation[] {
    const predefined = isRecord(c.predefinedMetricSpecification) ? c.predefinedMetricSpecification : undefined;
    const metricKinds = ["predefinedMetricSpecification", "customizedMetricSpecification"].filter((key) => c[key] !== undefined);
    const albMetric = predefined?.predefinedMetricType === "ALBRequestCountPerTarget";
    return [
        ...required(c, ["targetValue"], path),
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
