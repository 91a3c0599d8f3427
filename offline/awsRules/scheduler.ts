// EventBridge Scheduler schedules.
import { Check, TypeRules, Violation, arn, bool, int, length, maxItems, oneOf, pattern, required, violation } from "./check";

// https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html (ScheduleExpression): at(...), rate(...)
// or cron(...); a rate is a positive whole number of minute(s), hour(s) or day(s); a cron six fields, one of the two day
// fields ? (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
const scheduleExpression: Check = (v) => {
    const text = String(v);
    if (/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(text) || /^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/.test(text)) {
        return undefined;
    }
    const cron = /^cron\((.*)\)$/.exec(text)?.[1].split(" ");
    return cron !== undefined && cron.length === 6 && cron.every((field) => /^[0-9A-Z,*/?#-]+$/.test(field))
        && (cron[2] === "?") !== (cron[4] === "?")
        ? undefined : "must be at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(6 fields with ? in day-of-month or day-of-week)";
};

export const schedule: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
        name: [length(1, 64), pattern(/^[0-9a-zA-Z-_.]+$/, "[0-9a-zA-Z-_.]+")],
        description: length(0, 512),
        scheduleExpression: [length(1, 256), scheduleExpression],
        scheduleExpressionTimezone: length(1, 50),
        // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_FlexibleTimeWindow.html
        "flexibleTimeWindow.mode": oneOf(["OFF", "FLEXIBLE"]),
        // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Target.html
        "target.arn": length(1, 1600),
        // The model's pattern: an IAM role ARN has no region, a 12-digit account, and a path and name of [\w+=,.@/-].
        "target.roleArn": [length(1, 1600), pattern(/^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/, "an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)")],
        // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_EcsParameters.html
        "target.ecsParameters.taskDefinitionArn": [length(1, 1600), arn("ecs", "task-definition/")],
        "target.ecsParameters.taskCount": int(1, 10),
        "target.ecsParameters.capacityProviderStrategies": maxItems(6),
        // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CapacityProviderStrategyItem.html
        "target.ecsParameters.capacityProviderStrategies.*.capacityProvider": length(1, 255),
        "target.ecsParameters.capacityProviderStrategies.*.weight": int(0, 1000),
        "target.ecsParameters.capacityProviderStrategies.*.base": int(0, 100000),
        "target.ecsParameters.enableEcsManagedTags": bool,
        "target.ecsParameters.propagateTags": oneOf(["TASK_DEFINITION"]),
        // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html
        "target.retryPolicy.maximumRetryAttempts": int(0, 185),
        "target.retryPolicy.maximumEventAgeInSeconds": int(60, 86400),
        // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_DeadLetterConfig.html
        "target.deadLetterConfig.arn": [length(1, 1600), pattern(/^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9\-_]+$/, "an SQS queue ARN")],
    },
    relations: (inputs) => [
        ...required(inputs, ["scheduleExpression", "flexibleTimeWindow.mode", "target.arn", "target.roleArn"]),
        ...flexibleWindow(inputs),
        ...ecsTarget(inputs),
    ],
};

// FLEXIBLE needs MaximumWindowInMinutes (1-1440); OFF takes none.
function flexibleWindow(inputs: Record<string, unknown>): Violation[] {
    const window = inputs.flexibleTimeWindow as { mode?: unknown; maximumWindowInMinutes?: unknown } | undefined;
    const minutes = window?.maximumWindowInMinutes;
    return window?.mode === "FLEXIBLE"
        ? violation("flexibleTimeWindow.maximumWindowInMinutes", minutes, int(1, 1440)(minutes))
        : violation("flexibleTimeWindow.maximumWindowInMinutes", minutes, minutes !== undefined ? "is only allowed with mode FLEXIBLE" : undefined);
}

// An ECS target's ARN is the cluster's (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html);
// a launch type and a capacity provider strategy exclude each other, as in RunTask.
function ecsTarget(inputs: Record<string, unknown>): Violation[] {
    const target = inputs.target as { arn?: unknown; ecsParameters?: Record<string, unknown> } | undefined;
    if (target?.ecsParameters === undefined) {
        return [];
    }
    const ecs = target.ecsParameters;
    return [
        ...violation("target.arn", target.arn, arn("ecs", "cluster/")(target.arn)),
        ...required(inputs, ["target.ecsParameters.taskDefinitionArn"]),
        ...violation("target.ecsParameters.launchType", ecs.launchType,
            ecs.launchType !== undefined && Array.isArray(ecs.capacityProviderStrategies) && ecs.capacityProviderStrategies.length > 0
                ? "cannot be set with a capacity provider strategy" : undefined),
    ];
}
