import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ecs from "@pulumi/aws/ecs";
import * as iam from "@pulumi/aws/iam";
import * as scheduler from "@pulumi/aws/scheduler";
import * as sqs from "@pulumi/aws/sqs";
import * as pulumi from "@pulumi/pulumi";
import { ChildOptions } from "../aliases";
import { EcsCluster } from "../components/ecsCluster";

/**
 * How a job's run is retried: Scheduler retries a RunTask call that failed (throttled, no capacity provider to
 * place on, access denied) twice, with back-off, for at most an hour after the scheduled time, then delivers the
 * event to the dead-letter queue. RetryPolicy allows 0-185 attempts and 60-86400 seconds.
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html
 */
export const jobRetryPolicy = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 } as const;

/** SQS's longest retention, 14 days (MessageRetentionPeriod 60-1209600 s): time to read why a run failed. */
export const deadLetterRetentionSeconds = 14 * 24 * 60 * 60;

// Every schedule the stack makes is in the account's default group (CreateSchedule's GroupName, unset).
export const scheduleGroupName = "default";

export interface JobScheduleArgs {
    readonly schedule: { readonly expression: string; readonly timezone?: string };
    /** Tasks each run starts (EcsParameters.TaskCount, 1-10). */
    readonly tasksPerRun: number;
    readonly cluster: EcsCluster;
    /** The revision the stack registered: each run starts exactly it. */
    readonly taskDefinition: ecs.TaskDefinition;
    readonly region: string;
    /** SNS topic the failed-run alarm notifies. */
    readonly alarmTopicArn: pulumi.Input<string>;
    /** The service's tag (infra/models/tags.ts), on each of these that takes tags; the provider adds the stack's. */
    readonly tags: Readonly<Record<string, string>>;
}

export interface JobSchedule {
    readonly schedule: scheduler.Schedule;
    readonly deadLetterQueue: sqs.Queue;
    readonly alarm: cloudwatch.MetricAlarm;
}

/**
 * A job's way of running: an EventBridge Scheduler schedule whose target is ECS RunTask on the cluster, with the
 * cluster's capacity provider strategy (so a run waits for the Auto Scaling group to add a host rather than fail);
 * the role it runs as; a dead-letter queue for the runs it could not start; and an alarm on that queue.
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html,
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_EcsParameters.html
 */
export function jobSchedule(name: string, args: JobScheduleArgs, child: ChildOptions): JobSchedule {
    const { cluster, taskDefinition } = args;
    // The partition and account from the cluster's ARN: the task definition ARNs and the trust condition name them.
    const arnParts = cluster.cluster.arn.apply((arn) => {
        const [, partition, , , account] = arn.split(":");
        return { partition, account };
    });

    // A standard queue (Scheduler takes no FIFO DLQ), encrypted with SQS's own key, keeping a failed run's event 14 days.
    // https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
    const deadLetterQueue = new sqs.Queue(`${name}-dlq`, {
        messageRetentionSeconds: deadLetterRetentionSeconds,
        sqsManagedSseEnabled: true,
        tags: args.tags,
    }, child(`${name}-dlq`));

    // Only scheduler.amazonaws.com acting for this account's default schedule group may assume it (the confused
    // deputy guard Scheduler documents). https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html
    const role = new iam.Role(`${name}-schedule-role`, {
        description: "EventBridge Scheduler on behalf of the job: run its task definition on the cluster, pass its two roles",
        assumeRolePolicy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { Service: "scheduler.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": arnParts.account },
                    // The schedule group's ARN: Scheduler sets aws:SourceArn to it, never to a schedule's.
                    ArnEquals: { "aws:SourceArn": pulumi.interpolate`arn:${arnParts.partition}:scheduler:${args.region}:${arnParts.account}:schedule-group/${scheduleGroupName}` },
                },
            }],
        }),
        tags: args.tags,
    }, child(`${name}-schedule-role`));
    // What Scheduler's ECS target needs, narrowed to this job: RunTask on its family only (any revision, so that the
    // schedule moving to a new revision never races this policy; the schedule itself names the exact one), on this
    // cluster only; tagging only the tasks RunTask creates (managed and propagated tags); PassRole on exactly the
    // task's execution and task roles, to ECS tasks only; and SendMessage to its own dead-letter queue.
    // https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role,
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html,
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html (RunTask: ecs:cluster)
    const policy = new iam.RolePolicy(`${name}-schedule-policy`, {
        role: role.name,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: "ecs:RunTask",
                    Resource: pulumi.interpolate`arn:${arnParts.partition}:ecs:${args.region}:${arnParts.account}:task-definition/${taskDefinition.family}:*`,
                    Condition: { ArnEquals: { "ecs:cluster": cluster.cluster.arn } },
                },
                {
                    Effect: "Allow",
                    Action: "ecs:TagResource",
                    Resource: pulumi.interpolate`arn:${arnParts.partition}:ecs:${args.region}:${arnParts.account}:task/${cluster.cluster.name}/*`,
                    Condition: { StringEquals: { "ecs:CreateAction": "RunTask" } },
                },
                {
                    Effect: "Allow",
                    Action: "iam:PassRole",
                    Resource: [taskDefinition.executionRoleArn, taskDefinition.taskRoleArn],
                    Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                },
                { Effect: "Allow", Action: "sqs:SendMessage", Resource: deadLetterQueue.arn },
            ],
        }),
    }, child(`${name}-schedule-policy`));

    const schedule = new scheduler.Schedule(`${name}-schedule`, {
        description: `Runs the ${name} job's task definition on the cluster`,
        scheduleExpression: args.schedule.expression,
        // Scheduler's own default, sent so that the plan shows the zone the expression is read in.
        scheduleExpressionTimezone: args.schedule.timezone ?? "UTC",
        // Runs start at the scheduled minute, not anywhere in a window.
        flexibleTimeWindow: { mode: "OFF" },
        target: {
            arn: cluster.cluster.arn,
            roleArn: role.arn,
            ecsParameters: {
                taskDefinitionArn: taskDefinition.arn,
                taskCount: args.tasksPerRun,
                capacityProviderStrategies: cluster.capacityProviderStrategies,
                enableEcsManagedTags: true,
                propagateTags: "TASK_DEFINITION",
            },
            retryPolicy: { ...jobRetryPolicy },
            deadLetterConfig: { arn: deadLetterQueue.arn },
        },
    // A run before the role's policy exists fails with AccessDenied.
    }, child(`${name}-schedule`, { dependsOn: [policy] }));

    // A run Scheduler could not start, after its retries, is a message in the queue: alarm while one waits there.
    // SQS publishes its queue metrics every minute while the queue is active.
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
    const alarm = new cloudwatch.MetricAlarm(`${name}-failed-runs`, {
        alarmDescription: `A run of the ${name} job that EventBridge Scheduler could not start is in its dead-letter queue`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: deadLetterQueue.name },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
        alarmActions: [args.alarmTopicArn],
        okActions: [args.alarmTopicArn],
        tags: args.tags,
    }, child(`${name}-failed-runs`));
    return { schedule, deadLetterQueue, alarm };
}
