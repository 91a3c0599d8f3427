// Jobs: a task EventBridge Scheduler runs on a schedule, with no ECS service. Its schedule, target, retries and
// dead-letter queue, the failed-run alarm, its role's exact policy, what it does not get (no ECS service, target group
// or autoscaling), the capacity check and cost estimate counting it, its outputs; and each bad setting refused before
// anything is registered, naming the key and its value.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, parseStackConfig } from "../infra/config";
import { isSchedulerCron } from "../infra/config/services";
import { deadLetterRetentionSeconds, jobRetryPolicy } from "../infra/resources/jobSchedule";
import { project, stackConfigFile, withProjectDefaults } from "../offline/stackFiles";
import { all, assertRefusedBeforeRegistering, input, Json, services, state, T } from "./resources";
import { deployed } from "./shared";

const scheduleType = "aws:scheduler/schedule:Schedule";
const queueType = "aws:sqs/queue:Queue";
// The example stack's nightly job (Pulumi.microservices.yaml).
const run = () => deployed(stackConfigFile("microservices"), { stack: "microservices" });
const policyOf = (resource: Json) => JSON.parse(String(resource.policy)) as { Statement: Json[] };

describe("a job (Pulumi.microservices.yaml's report)", () => {
    test("the schedule runs the pinned task definition revision on the cluster, with its capacity provider strategy", async () => {
        const d = await run();
        const schedule = input(d, scheduleType, "report-schedule");
        assert.equal(schedule.scheduleExpression, "cron(0 3 * * ? *)");
        assert.equal(schedule.scheduleExpressionTimezone, "Europe/Paris");
        assert.deepEqual(schedule.flexibleTimeWindow, { mode: "OFF" });
        const target = schedule.target as Json;
        assert.equal(target.arn, state(d, T.cluster).arn);
        assert.equal(target.roleArn, state(d, T.role, "report-schedule-role").arn);
        const ecs = target.ecsParameters as Json;
        assert.equal(ecs.taskDefinitionArn, state(d, T.taskDefinition, "report-task-definition").arn);
        assert.match(String(ecs.taskDefinitionArn), /:task-definition\/ecs-on-ec2-microservices-report:1$/);
        assert.equal(ecs.taskCount, 1);
        assert.deepEqual(ecs.capacityProviderStrategies, input(d, T.clusterCapacityProviders).defaultCapacityProviderStrategies);
        assert.equal(ecs.launchType, undefined);
        assert.deepEqual([ecs.enableEcsManagedTags, ecs.propagateTags], [true, "TASK_DEFINITION"]);
    });

    test("a failed run is retried twice within an hour, then sent to the stack's encrypted dead-letter queue", async () => {
        const d = await run();
        const target = input(d, scheduleType, "report-schedule").target as Json;
        assert.deepEqual(target.retryPolicy, { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 });
        assert.deepEqual(jobRetryPolicy, { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 });
        const queue = input(d, queueType, "report-dlq");
        assert.deepEqual(queue, { messageRetentionSeconds: 14 * 24 * 3600, sqsManagedSseEnabled: true, tags: { service: "report" } });
        assert.equal(deadLetterRetentionSeconds, 1209600);
        assert.deepEqual(target.deadLetterConfig, { arn: state(d, queueType, "report-dlq").arn });
    });

    test("an alarm on the dead-letter queue notifies the stack's alarm topic", async () => {
        const d = await run();
        const alarm = input(d, T.alarm, "report-failed-runs");
        assert.deepEqual([alarm.namespace, alarm.metricName, alarm.statistic], ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum"]);
        assert.deepEqual(alarm.dimensions, { QueueName: state(d, queueType, "report-dlq").name });
        assert.deepEqual([alarm.comparisonOperator, alarm.threshold, alarm.treatMissingData], ["GreaterThanThreshold", 0, "notBreaching"]);
        const topic = state(d, T.topic).arn;
        assert.deepEqual([alarm.alarmActions, alarm.okActions], [[topic], [topic]]);
    });

    test("the schedule's role: trusted by Scheduler for this account only; runs only the job's family, passes only its two roles", async () => {
        const d = await run();
        const trust = JSON.parse(String(input(d, T.role, "report-schedule-role").assumeRolePolicy)) as { Statement: Json[] };
        assert.deepEqual(trust.Statement, [{
            Effect: "Allow", Principal: { Service: "scheduler.amazonaws.com" }, Action: "sts:AssumeRole",
            Condition: {
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnEquals: { "aws:SourceArn": "arn:aws:scheduler:us-east-1:123456789012:schedule-group/default" },
            },
        }]);
        const definition = input(d, T.taskDefinition, "report-task-definition");
        const cluster = state(d, T.cluster);
        assert.deepEqual(policyOf(input(d, T.rolePolicy, "report-schedule-policy")).Statement, [
            {
                Effect: "Allow", Action: "ecs:RunTask",
                Resource: "arn:aws:ecs:us-east-1:123456789012:task-definition/ecs-on-ec2-microservices-report:*",
                Condition: { ArnEquals: { "ecs:cluster": cluster.arn } },
            },
            {
                Effect: "Allow", Action: "ecs:TagResource", Resource: "arn:aws:ecs:us-east-1:123456789012:task/ecs-on-ec2-microservices/*",
                Condition: { StringEquals: { "ecs:CreateAction": "RunTask" } },
            },
            {
                Effect: "Allow", Action: "iam:PassRole", Resource: [definition.executionRoleArn, definition.taskRoleArn],
                Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
            },
            { Effect: "Allow", Action: "sqs:SendMessage", Resource: state(d, queueType, "report-dlq").arn },
        ]);
        assert.deepEqual([definition.executionRoleArn, definition.taskRoleArn], [
            state(d, T.role, "report-task-execution-role").arn, state(d, T.role, "report-task-role").arn,
        ]);
    });

    test("no ECS service, target group, listener rule or autoscaling; a task definition with no port", async () => {
        const d = await run();
        const ofReport = (type: string) => all(d, type).map((r) => r.name).filter((name) => name.startsWith("report"));
        for (const type of [T.service, T.targetGroup, T.listenerRule, T.scalableTarget, T.scalingPolicy]) {
            assert.deepEqual(ofReport(type), [], type);
        }
        const definition = input(d, T.taskDefinition, "report-task-definition");
        const container = (JSON.parse(String(definition.containerDefinitions)) as Json[])[0];
        assert.deepEqual(container.portMappings, []);
        assert.deepEqual(container.command, ["sh", "-c", "echo nightly report done"]);
        assert.equal(all(d, scheduleType).length, 1);
    });

    test("the capacity check places a run's tasks beside the services', with no host port", async () => {
        const d = await run();
        const report = d.report?.capacity?.services.find((s) => s.name === "report");
        assert.ok(report);
        assert.equal(Object.values(report.tasksPerAz).reduce((sum, n) => sum + n, 0), 1);
        assert.deepEqual(report.deployPeak, { tasks: 1, placed: 1 });
        // Two t3.small hosts (2048 CPU units each) less app's and orders' 2 tasks of 384, mailer's and report's 1 of 128.
        assert.equal(d.report?.capacity?.steadyHeadroom.cpuUnits, 2 * 2048 - 4 * 384 - 2 * 128);
    });

    test("the cost estimate has the job's alarm, its schedule and its queue", async () => {
        const d = await run();
        const lines = d.report?.estimate.min.lines ?? [];
        assert.equal(lines.find((l) => l.item === "alarm metrics")?.quantity, 8 + 2 + 2 + 1);
        assert.match(lines.find((l) => l.item === "alarm metrics")?.note ?? "", /1 per job, on its dead-letter queue/);
        const scheduler = lines.find((l) => l.service === "EventBridge Scheduler");
        assert.equal(scheduler?.status, "free");
        assert.match(scheduler?.note ?? "", /1 schedule, at most 43,800 invocations a month each; first 14 million a month free/);
        assert.equal(lines.find((l) => l.service === "SQS")?.status, "free");
        const none = await deployed(services({ app: {} }));
        assert.ok(!(none.report?.estimate.min.lines ?? []).some((l) => l.service === "EventBridge Scheduler" || l.service === "SQS"));
    });

    test("the outputs: the job's type, schedule, task family, cluster, log group and alarm; no service name or URL", async () => {
        const d = await run();
        const report = (d.outputs.services as Record<string, Json>).report;
        assert.deepEqual({ ...report, imageRef: undefined, repositoryUrl: undefined }, {
            type: "job",
            desiredCount: 1,
            scheduleName: state(d, scheduleType, "report-schedule").name,
            scheduleGroupName: "default",
            scheduleArn: state(d, scheduleType, "report-schedule").arn,
            taskDefinitionFamily: "ecs-on-ec2-microservices-report",
            clusterName: "ecs-on-ec2-microservices",
            alarmNames: [state(d, T.alarm, "report-failed-runs").name],
            deadLetterQueueUrl: state(d, queueType, "report-dlq").url,
            logGroupName: "/ecs/ecs-on-ec2-microservices/report",
            appImage: false,
            imageRef: undefined,
            repositoryUrl: undefined,
        });
        assert.match(String(report.scheduleArn), /^arn:aws:scheduler:us-east-1:123456789012:schedule\/default\/report-schedule-/);
    });

    test("a rate schedule in UTC, several tasks a run", async () => {
        const d = await deployed(services({
            app: {},
            sweep: { type: "job", imageDirectory: "tests/fixtures/other-image", desiredCount: 3, schedule: { expression: "rate(15 minutes)" } },
        }));
        const schedule = input(d, scheduleType, "sweep-schedule");
        assert.deepEqual([schedule.scheduleExpression, schedule.scheduleExpressionTimezone], ["rate(15 minutes)", "UTC"]);
        assert.equal((schedule.target as { ecsParameters: Json }).ecsParameters.taskCount, 3);
        const sweep = d.report?.capacity?.services.find((s) => s.name === "sweep");
        assert.deepEqual(sweep?.deployPeak, { tasks: 3, placed: 3 });
    });
});

describe("the cron grammar as Scheduler takes it", () => {
    test("accepts six fields with ? in exactly one day field, names, ranges, lists, increments and L W #", () => {
        for (const fields of ["0 3 * * ? *", "0/15 * ? * MON-FRI *", "0 8 1,15 JAN-JUN ? 2030", "0 0 L * ? *", "0 0 15W * ? *",
            "30 6 ? * 6L *", "0 9 ? * 2#1 *", "5 4 ? * SUN *"]) {
            assert.ok(isSchedulerCron(fields), fields);
        }
    });
    test("refuses five or seven fields, both or neither day field ?, out-of-range values and misplaced wildcards", () => {
        for (const fields of ["0 3 * * ?", "0 3 * * ? * *", "0 3 * * * *", "0 3 ? * ? *", "60 3 * * ? *", "0 24 * * ? *",
            "0 3 32 * ? *", "0 3 * 13 ? *", "0 3 ? * 8 *", "0 3 * * ? 2200", "0 3 ? * MON/2 *", "0/0 3 * * ? *", "0 3 * FOO ? *"]) {
            assert.ok(!isSchedulerCron(fields), fields);
        }
    });
});

describe("bad job settings are refused before anything is registered, naming the key and value", () => {
    const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
    const job = { type: "job", imageDirectory: "tests/fixtures/other-image", schedule: { expression: "rate(1 day)" } };
    const refused = (service: object, key: string, value: string, reason: RegExp) => assertRefusedBeforeRegistering(
        services({ app: {}, other: service }), ConfigError,
        [literal(`'ecs-on-ec2:services.other.${key}'`), literal(`got ${JSON.stringify(value)}`), reason]);

    test("a job without a schedule", () => refused({ type: "job" }, "schedule", "", /a schedule for a job/));
    test("a bad cron expression", () => refused({ ...job, schedule: { expression: "cron(0 3 * * *)" } }, "schedule.expression",
        "cron(0 3 * * *)", /cron\(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>\)/));
    test("rate(0 minutes)", () => refused({ ...job, schedule: { expression: "rate(0 minutes)" } }, "schedule.expression",
        "rate(0 minutes)", /rate\(1 minute\|hour\|day\) or rate\(<whole number from 2>/));
    test("a rate whose unit does not agree with its number", async () => {
        await refused({ ...job, schedule: { expression: "rate(1 hours)" } }, "schedule.expression", "rate(1 hours)", /rate\(1 minute\|hour\|day\)/);
        await refused({ ...job, schedule: { expression: "rate(5 hour)" } }, "schedule.expression", "rate(5 hour)", /rate\(1 minute\|hour\|day\)/);
    });
    test("time zone aliases Scheduler takes are accepted, not only ICU's canonical names", () => {
        for (const timezone of ["Europe/Kyiv", "Etc/UTC", "US/Eastern", "UTC"]) {
            assert.equal(parseStackConfig(project, withProjectDefaults({ "aws:region": "us-east-1",
                [`${project}:services`]: JSON.stringify({ app: {}, nightly: { ...job, schedule: { expression: "rate(1 day)", timezone } } }) }))
                .services.find((s) => s.name === "nightly")?.schedule?.timezone, timezone);
        }
    });
    test("a one-time at() expression", () => refused({ ...job, schedule: { expression: "at(2030-01-01T00:00:00)" } }, "schedule.expression",
        "at(2030-01-01T00:00:00)", /a recurring EventBridge Scheduler expression/));
    test("a bad time zone", () => refused({ ...job, schedule: { expression: "rate(1 day)", timezone: "Europe/Atlantis" } },
        "schedule.timezone", "Europe/Atlantis", /an IANA time zone name/));
    test("a schedule on a web service", () => refused({ pathPatterns: ["/x/*"], schedule: { expression: "rate(1 day)" } }, "schedule",
        "{\"expression\":\"rate(1 day)\"}", /no schedule on a web service: only a job/));
    test("a schedule on a worker", () => refused({ type: "worker", schedule: { expression: "rate(1 day)" } }, "schedule",
        "{\"expression\":\"rate(1 day)\"}", /no schedule on a worker service/));
    test("routes on a job", () => refused({ ...job, pathPatterns: ["/report/*"] }, "pathPatterns", "[\"/report/*\"]", /no pathPatterns on a job/));
    test("host headers on a job", () => refused({ ...job, hostHeaders: ["report.example.com"] }, "hostHeaders", "[\"report.example.com\"]",
        /no hostHeaders on a job/));
    test("a health path on a job", () => refused({ ...job, healthCheckPath: "/health" }, "healthCheckPath", "/health", /no healthCheckPath on a job/));
    test("autoscaling on a job", () => refused({ ...job, autoscaling: { cpuUtilization: 50 } }, "autoscaling", "{\"cpuUtilization\":50}",
        /no autoscaling on a job: a job is a task EventBridge Scheduler runs/));
    test("alarms on a job", () => refused({ ...job, alarms: { evaluationPeriods: 2 } }, "alarms", "{\"evaluationPeriods\":2}", /no alarms on a job/));
    test("maxCount on a job", () => refused({ ...job, maxCount: 4 }, "maxCount", "4", /no maxCount on a job/));
    test("a port on a job", () => refused({ ...job, containerPort: 9000 }, "containerPort", "9000", /no containerPort on a job/));
    test("more than 10 tasks a run", () => refused({ ...job, desiredCount: 11 }, "desiredCount", "11", /an integer from 1 to 10/));
});
