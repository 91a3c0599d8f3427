import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { ChildOptions } from "../aliases";

export interface DeploymentAlarmsArgs {
    /** `targetgroup/…/…` and `app/…/…`: the CloudWatch dimensions of the service's targets. */
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    readonly thresholds: {
        /** 5xx answers of the targets, in percent of their requests. */
        readonly serverErrorPercent: number;
        /** Targets the ALB counts unhealthy. */
        readonly unhealthyTargets: number;
        /** One-minute periods in breach before the alarm fires. */
        readonly evaluationPeriods: number;
    };
    /** SNS topic told when an alarm fires and when it clears. */
    readonly topicArn: pulumi.Input<string>;
    /** The service's tag (infra/models/tags.ts), on each of these that takes tags; the provider adds the stack's. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * The alarms an ECS deployment watches to roll itself back: the targets' 5xx rate as a share of their
 * requests (so it means the same at any traffic, and no traffic is no breach), the count of unhealthy
 * targets, and the ALB's failed connections to the targets. A new image that passes its health check but fails
 * real requests trips the first; a task that crashes or stops listening trips the last, whose requests end in a
 * 502/503/504 the ALB makes itself, which the first never counts. CloudWatch has the ALB's own 5xx counts
 * (HTTPCode_ELB_5XX_Count, HTTPCode_ELB_502/503/504_Count) per load balancer and AZ only, never per target group,
 * so they cannot tell this service's errors from another's; TargetConnectionErrorCount has the TargetGroup dimension.
 */
export function deploymentAlarms(prefix: string, args: DeploymentAlarmsArgs, child: ChildOptions): cloudwatch.MetricAlarm[] {
    const dimensions = { TargetGroup: args.targetGroupArnSuffix, LoadBalancer: args.loadBalancerArnSuffix };
    const targetMetric = (id: string, metricName: string) => ({
        id,
        returnData: false,
        metric: { namespace: "AWS/ApplicationELB", metricName, dimensions, period: 60, stat: "Sum" },
    });
    const everyAlarm = { alarmActions: [args.topicArn], okActions: [args.topicArn], tags: args.tags };
    const periods = { evaluationPeriods: args.thresholds.evaluationPeriods, datapointsToAlarm: args.thresholds.evaluationPeriods };
    const serverErrors = new cloudwatch.MetricAlarm(`${prefix}-5xx-rate`, {
        alarmDescription: `Over ${args.thresholds.serverErrorPercent} percent of the service's requests answered 5xx by its tasks`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: args.thresholds.serverErrorPercent,
        ...periods,
        // A minute without requests is no evidence either way.
        treatMissingData: "notBreaching",
        metricQueries: [
            targetMetric("errors", "HTTPCode_Target_5XX_Count"),
            targetMetric("requests", "RequestCount"),
            { id: "rate", label: "5xx percent", returnData: true, expression: "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)" },
        ],
        ...everyAlarm,
    }, child(`${prefix}-5xx-rate`));
    const unhealthy = new cloudwatch.MetricAlarm(`${prefix}-unhealthy-targets`, {
        alarmDescription: `At least ${args.thresholds.unhealthyTargets} of the service's targets failing the ALB health check`,
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions,
        statistic: "Maximum",
        period: 60,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: args.thresholds.unhealthyTargets,
        ...periods,
        treatMissingData: "notBreaching",
        ...everyAlarm,
    }, child(`${prefix}-unhealthy-targets`));
    const connectionErrors = new cloudwatch.MetricAlarm(`${prefix}-target-connection-errors`, {
        alarmDescription: "The ALB failed to connect to the service's targets (it answers those requests 502/503/504 itself)",
        namespace: "AWS/ApplicationELB",
        metricName: "TargetConnectionErrorCount",
        dimensions,
        statistic: "Sum",
        period: 60,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        ...periods,
        // Reported only when nonzero: a minute without errors has no data point.
        treatMissingData: "notBreaching",
        ...everyAlarm,
    }, child(`${prefix}-target-connection-errors`));
    return [serverErrors, unhealthy, connectionErrors];
}
