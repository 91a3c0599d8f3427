import * as appautoscaling from "@pulumi/aws/appautoscaling";
import type * as types from "@pulumi/aws/types";
import * as pulumi from "@pulumi/pulumi";
import { ChildOptions } from "../aliases";

type PredefinedMetric = types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification;

export interface ServiceAutoscalingArgs {
    readonly clusterName: pulumi.Input<string>;
    readonly serviceName: pulumi.Input<string>;
    /** The floor: the service's desired count. */
    readonly minCount: number;
    readonly maxCount: number;
    /**
     * A web service's ALB requests per task per minute to aim for, and `app/…/…/targetgroup/…/…`, the ALB and target
     * group whose requests are counted; absent for a service the ALB does not route to, which scales on CPU only.
     */
    readonly requestsPerTarget?: { readonly resourceLabel: pulumi.Input<string>; readonly target: number };
    /** Average CPU utilization of the service's reservation, in percent, to aim for. */
    readonly cpuUtilization: number;
    /** The service's tag (infra/models/tags.ts), on each of these that takes tags; the provider adds the stack's. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * Target tracking on the service's desired count, between its floor and maximum, on ALB requests per task
 * (a web service's) and on CPU; the capacity provider then grows or shrinks the hosts to fit the tasks. `child` names and
 * parents the resources (the owning service's, so their identity stays what it was before components).
 */
export function serviceAutoscaling(prefix: string, args: ServiceAutoscalingArgs, child: ChildOptions): void {
    const scalableTarget = new appautoscaling.Target(`${prefix}-scalable-target`, {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${args.clusterName}/${args.serviceName}`,
        minCapacity: args.minCount,
        maxCapacity: args.maxCount,
        tags: args.tags,
    }, child(`${prefix}-scalable-target`));
    const targetTracking = (name: string, predefinedMetricSpecification: PredefinedMetric, targetValue: number) =>
        new appautoscaling.Policy(name, {
            policyType: "TargetTrackingScaling",
            serviceNamespace: scalableTarget.serviceNamespace,
            scalableDimension: scalableTarget.scalableDimension,
            resourceId: scalableTarget.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification,
                targetValue,
                // Out fast, in slowly: a brief lull must not shed tasks a returning burst needs.
                scaleOutCooldown: 60,
                scaleInCooldown: 300,
            },
        }, child(name));
    if (args.requestsPerTarget) {
        targetTracking(`${prefix}-requests-per-target`, {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: args.requestsPerTarget.resourceLabel,
        }, args.requestsPerTarget.target);
    }
    targetTracking(`${prefix}-cpu`, { predefinedMetricType: "ECSServiceAverageCPUUtilization" }, args.cpuUtilization);
}
