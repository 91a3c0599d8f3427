import { CloudWatchClient, DescribeAlarmsCommand, StateValue } from "@aws-sdk/client-cloudwatch";
import {
    DescribeContainerInstancesCommand, DescribeServiceDeploymentsCommand, DescribeServiceRevisionsCommand,
    DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListServiceDeploymentsCommand, ListTasksCommand,
} from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { mockClient } from "aws-sdk-client-mock";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { main, parseArgs } from "../scripts/status";
import { pulumiStackOutputs, ReadOutputs, StackOutputsError } from "../scripts/stackOutputs";
import outputs from "./fixtures/status/outputs.json";
import { recorded, rolledBack, rollingBack, rollingOut, Scenario, steady, targetGroupArn, taskId, unhealthy } from "./fixtures/status/responses";
import typedOutputs from "./fixtures/status/typed-outputs.json";
import {
    internalServices, ordersDiscoveryArn, reportAlarm, ordersOffServiceConnect, ordersOnServiceConnect, reportFailing, reportRuns, reportSchedule, serviceNames,
} from "./fixtures/status/typed";
import { repoRoot } from "../infra/paths";
import { noCredentials, withEnv } from "./env";

interface Run { code: number; out: string; err: string }

async function run(argv: string[], readOutputs: ReadOutputs = (stack) => ({ stack: stack ?? "dev", outputs: structuredClone(outputs) })): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { readOutputs, out: (text) => out.push(text), err: (text) => err.push(text) });
    return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The lines under NOT STEADY:, without their bullet. */
function reasons(out: string): string[] {
    return out.split("\n").filter((line) => line.startsWith("    - ")).map((line) => line.slice(6));
}

const createMocks = () => ({ ecs: mockClient(ECSClient), elb: mockClient(ElasticLoadBalancingV2Client), cloudwatch: mockClient(CloudWatchClient) });

describe("against recorded responses (aws-sdk-client-mock)", () => {
    let mocks: ReturnType<typeof createMocks>;
    before(() => { mocks = createMocks(); });
    after(() => { for (const mock of Object.values(mocks)) mock.restore(); });

    /** Answers every call the way AWS answered in the scenario. */
    function play(scenario: Scenario): void {
        for (const mock of Object.values(mocks)) mock.reset();
        const r = recorded(scenario);
        mocks.ecs.on(DescribeServicesCommand).resolves(r.describeServices)
            .on(ListServiceDeploymentsCommand).resolves(r.listServiceDeployments)
            .on(DescribeServiceDeploymentsCommand).resolves(r.describeServiceDeployments)
            .on(DescribeServiceRevisionsCommand).resolves(r.describeServiceRevisions)
            .on(ListTasksCommand).resolves(r.listTasks)
            .on(DescribeTasksCommand).resolves(r.describeTasks)
            .on(DescribeContainerInstancesCommand).resolves(r.describeContainerInstances);
        mocks.elb.on(DescribeTargetHealthCommand).resolves(r.describeTargetHealth);
        mocks.cloudwatch.on(DescribeAlarmsCommand).resolves(r.describeAlarms);
    }

    test("a steady service: exit 0 and the full report", async () => {
        play(steady);
        const { code, out, err } = await run(["--stack", "dev"]);
        assert.equal(err, "");
        assert.equal(code, 0);
        assert.equal(out, [
            `stack dev (us-east-1), dashboard: ${outputs.dashboardUrl}`,
            "",
            "app: service app-3f9c2e1 in cluster ecs-on-ec2-dev",
            "  tasks: 5 running, 0 pending, 5 desired",
            "  deployments now:",
            "    PRIMARY  ecs-on-ec2-dev-app:7  COMPLETED  running 5/5, pending 0, failed 0  ECS deployment ecs-svc/4812719387234987123 completed.",
            "  recent deployments (newest first):",
            "    SUCCESSFUL            ecs-on-ec2-dev-app:7 from ecs-on-ec2-dev-app:6  running 5/5, pending 0  2026-11-25T09:11:40Z → 2026-11-25T09:14:40Z",
            "    SUCCESSFUL            ecs-on-ec2-dev-app:6 from ecs-on-ec2-dev-app:5  running 0/5, pending 0  2026-11-25T08:40:02Z → 2026-11-25T08:43:31Z",
            "  tasks (5) by AZ and host:",
            "    us-east-1a: 3",
            "      i-0a1b2c3d4e5f60001: 3  (3 × ecs-on-ec2-dev-app:7 RUNNING)",
            "    us-east-1b: 2",
            "      i-0a1b2c3d4e5f60002: 2  (2 × ecs-on-ec2-dev-app:7 RUNNING)",
            "  targets (5):",
            ...[1, 2, 3, 4, 5].map((n) => `    healthy            i-0a1b2c3d4e5f6000${n <= 3 ? 1 : 2}:${49152 + n}  us-east-1${n <= 3 ? "a" : "b"}  task ${taskId(n)}`),
            "  alarms:",
            "    OK                ecs-on-ec2-dev-app-5xx-rate",
            "    OK                ecs-on-ec2-dev-app-unhealthy-hosts",
            "  last 5 events:",
            "    2026-11-25T09:14:41Z  (service app-3f9c2e1) has reached a steady state.",
            "    2026-11-25T09:14:40Z  (service app-3f9c2e1) (deployment ecs-svc/4812719387234987123) deployment completed.",
            `    2026-11-25T09:13:58Z  (service app-3f9c2e1) deregistered 5 targets in (target-group ${targetGroupArn})`,
            `    2026-11-25T09:12:30Z  (service app-3f9c2e1) registered 5 targets in (target-group ${targetGroupArn})`,
            `    2026-11-25T09:11:52Z  (service app-3f9c2e1) has started 5 tasks: ${[1, 2, 3, 4, 5].map((n) => `(task ${taskId(n)})`).join(" ")}.`,
            "  STEADY",
        ].join("\n"));
    });

    test("asks about the stack's service, target group and alarms, in the stack's region", async () => {
        play(steady);
        const stacks: (string | undefined)[] = [];
        await run(["--stack", "prod"], (stack) => { stacks.push(stack); return { stack: "prod", outputs: structuredClone(outputs) }; });
        assert.deepEqual(stacks, ["prod"]);
        assert.deepEqual(mocks.ecs.commandCalls(DescribeServicesCommand)[0].args[0].input, { cluster: "ecs-on-ec2-dev", services: ["app-3f9c2e1"] });
        assert.deepEqual(mocks.ecs.commandCalls(ListTasksCommand)[0].args[0].input, { cluster: "ecs-on-ec2-dev", serviceName: "app-3f9c2e1", nextToken: undefined });
        assert.equal(mocks.elb.commandCalls(DescribeTargetHealthCommand)[0].args[0].input.TargetGroupArn, targetGroupArn);
        assert.deepEqual(mocks.cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input.AlarmNames, outputs.services.app.alarmNames);
        const client = mocks.ecs.commandCalls(DescribeServicesCommand)[0].thisValue as ECSClient;
        assert.equal(await client.config.region(), "us-east-1");
    });

    test("a rollout in progress: exit 1, old and new revision side by side, new targets still in initial checks", async () => {
        play(rollingOut);
        const { code, out } = await run([]);
        assert.equal(code, 1);
        assert.deepEqual(reasons(out), [
            "primary deployment ecs-on-ec2-dev-app:8 is IN_PROGRESS: ECS deployment ecs-svc/5520918347561029384 in progress.",
            "7 of 5 desired tasks running (1 pending)",
            "2 of 7 targets not healthy: i-0a1b2c3d4e5f60001:49158 initial (Elb.InitialHealthChecking), i-0a1b2c3d4e5f60002:49159 initial (Elb.InitialHealthChecking)",
        ]);
        assert.match(out, /^ {4}ACTIVE {3}ecs-on-ec2-dev-app:7 {2}COMPLETED {2}running 5\/5/m);
        assert.match(out, /^ {4}IN_PROGRESS +ecs-on-ec2-dev-app:8 from ecs-on-ec2-dev-app:7 {2}running 2\/5, pending 1 {2}2026-11-25T09:30:38Z → now$/m);
        assert.match(out, /^ {6}i-0a1b2c3d4e5f60002: 4 {2}\(2 × ecs-on-ec2-dev-app:7 RUNNING, 1 × ecs-on-ec2-dev-app:8 PENDING, 1 × ecs-on-ec2-dev-app:8 RUNNING\)$/m);
    });

    test("a deploy the circuit breaker is rolling back: exit 1, with the breaker's count and reason", async () => {
        play(rollingBack);
        const { code, out } = await run([]);
        assert.equal(code, 1);
        assert.deepEqual(reasons(out), [
            "primary deployment ecs-on-ec2-dev-app:7 is IN_PROGRESS: ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/4812719387234987123.",
            "6 of 5 desired tasks running (0 pending)",
            "1 of 6 targets not healthy: i-0a1b2c3d4e5f60002:49159 unhealthy (Target.ResponseCodeMismatch)",
        ]);
        assert.match(out, /^ {4}ACTIVE {3}ecs-on-ec2-dev-app:8 {2}FAILED {2}running 1\/0, pending 0, failed 3 {2}ECS deployment circuit breaker: tasks failed to start\.$/m);
        assert.match(out, /ROLLBACK_IN_PROGRESS +ecs-on-ec2-dev-app:8 from ecs-on-ec2-dev-app:7 .*; rollback to ecs-on-ec2-dev-app:7: Service deployment rolled back because the circuit breaker threshold was exceeded\.; circuit breaker 3\/3 failed tasks$/m);
    });

    test("a rolled-back deploy, once the rollback finished: steady on the old revision (exit 0), the failure named", async () => {
        play(rolledBack);
        const { code, out } = await run([]);
        assert.equal(code, 0);
        assert.match(out, /^ {4}ROLLBACK_SUCCESSFUL +ecs-on-ec2-dev-app:8 from ecs-on-ec2-dev-app:7 {2}running 0\/5, pending 0 {2}2026-11-25T09:30:38Z → 2026-11-25T09:37:14Z; rollback to ecs-on-ec2-dev-app:7: /m);
        assert.equal(out.split("\n").at(-1), "  STEADY on ecs-on-ec2-dev-app:7, but the latest deployment (ecs-on-ec2-dev-app:8) was rolled back: "
            + "Service deployment rolled back because the circuit breaker threshold was exceeded.");
    });

    test("unhealthy targets and an alarm in ALARM: exit 1, each target with its reason", async () => {
        play(unhealthy);
        const { code, out } = await run([]);
        assert.equal(code, 1);
        assert.deepEqual(reasons(out), [
            "2 of 5 targets not healthy: i-0a1b2c3d4e5f60002:49156 unhealthy (Target.Timeout), i-0a1b2c3d4e5f60002:49157 unhealthy (Target.ResponseCodeMismatch)",
            "alarm ecs-on-ec2-dev-app-unhealthy-hosts is in ALARM: Threshold Crossed: 1 out of the last 1 datapoints [2.0 (25/11/26 09:50:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).",
        ]);
        assert.match(out, new RegExp(`^ {4}unhealthy {10}i-0a1b2c3d4e5f60002:49156 {2}us-east-1b {2}task ${taskId(4)} {2}Target.Timeout: Request timed out$`, "m"));
        assert.match(out, /^ {4}ALARM {13}ecs-on-ec2-dev-app-unhealthy-hosts$/m);
    });

    test("a deployment alarm in ALARM: the report ends in the warning that the next deploy would not roll back on it", async () => {
        play(unhealthy);
        const { out } = await run([]);
        assert.deepEqual(out.split("\n\n").at(-1)?.split("\n"), [
            "warning: deployment alarm ecs-on-ec2-dev-app-unhealthy-hosts of service app is in ALARM: Threshold Crossed: 1 out of the last 1 datapoints [2.0 (25/11/26 09:50:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).",
            "warning: ECS ignores the deployment alarms for a deployment that starts while one is in ALARM: the next deploy would not roll back on them. Find out why it fires first (npm run status).",
        ]);
        const json = JSON.parse((await run(["--json"])).out);
        assert.equal(json.warnings.length, 2);
        assert.match(json.warnings[0], /^warning: deployment alarm ecs-on-ec2-dev-app-unhealthy-hosts of service app is in ALARM: /);
        play(steady);
        const calm = await run([]);
        assert.doesNotMatch(calm.out, /warning/);
        assert.deepEqual(JSON.parse((await run(["--json"])).out).warnings, []);
    });

    test("--json: the same status and reasons, machine-readable", async () => {
        play(unhealthy);
        const { code, out } = await run(["--json", "--events", "2"]);
        assert.equal(code, 1);
        const json = JSON.parse(out);
        assert.equal(json.steady, false);
        assert.equal(json.region, "us-east-1");
        assert.equal(json.services[0].reasons.length, 2);
        assert.equal(json.services[0].events.length, 2);
        assert.deepEqual(json.services[0].targets[3], {
            id: "i-0a1b2c3d4e5f60002", port: 49156, availabilityZone: "us-east-1b", taskId: taskId(4),
            state: "unhealthy", reason: "Target.Timeout", description: "Request timed out",
        });
    });

    test("--service picks one entry; an unknown one is refused with the names there are (exit 2)", async () => {
        play(steady);
        assert.equal((await run(["--service", "app"])).code, 0);
        const { code, err } = await run(["--service", "worker"]);
        assert.equal(code, 2);
        assert.equal(err, 'status: stack dev has no service "worker"; it has: app');
    });

    test("AWS refusing a call: exit 2 naming the call", async () => {
        play(steady);
        mocks.ecs.on(DescribeServicesCommand).rejects(Object.assign(
            new Error("User: arn:aws:iam::012345678910:user/ops is not authorized to perform: ecs:DescribeServices"), { name: "AccessDeniedException" }));
        const { code, err } = await run([]);
        assert.equal(code, 2);
        assert.match(err, /^status: ECS DescribeServices failed: AccessDeniedException: User: .* is not authorized/);
    });
});

describe("a stack with a web service, a backend, a worker and a scheduled job (aws-sdk-client-mock)", () => {
    const createTypedMocks = () => ({ ...createMocks(), scheduler: mockClient(SchedulerClient) });
    let mocks: ReturnType<typeof createTypedMocks>;
    before(() => { mocks = createTypedMocks(); });
    after(() => { for (const mock of Object.values(mocks)) mock.restore(); });
    const typed = (stack: string | undefined) => ({ stack: stack ?? "dev", outputs: structuredClone(typedOutputs) });

    /** The web service answers as in the steady scenario; the others by service name, task family and task ARN. */
    function play(orders = ordersOnServiceConnect, runs: typeof reportRuns = reportRuns, alarm: StateValue = "OK"): void {
        for (const mock of Object.values(mocks)) mock.reset();
        const app = recorded(steady);
        const internal = internalServices(orders);
        const tasks = [...(app.describeTasks.tasks ?? []), ...Object.values(internal).flatMap((s) => s.tasks), ...runs.running, ...runs.stopped];
        mocks.ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => internal[input.services[0]]?.describeServices ?? app.describeServices)
            .on(ListServiceDeploymentsCommand).callsFake((input: { service: string }) => (input.service in internal ? { serviceDeployments: [] } : app.listServiceDeployments))
            .on(DescribeServiceDeploymentsCommand).resolves(app.describeServiceDeployments)
            .on(DescribeServiceRevisionsCommand).resolves(app.describeServiceRevisions)
            .on(ListTasksCommand).callsFake((input: { serviceName?: string; family?: string; desiredStatus?: string }) => ({
                taskArns: (input.family === "ecs-on-ec2-dev-report" ? (input.desiredStatus === "STOPPED" ? runs.stopped : runs.running)
                    : input.serviceName !== undefined && input.serviceName in internal ? internal[input.serviceName].tasks
                        : app.describeTasks.tasks ?? []).map((t) => t.taskArn),
            }))
            .on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({ tasks: tasks.filter((t) => input.tasks.includes(t.taskArn ?? "")), failures: [] }))
            .on(DescribeContainerInstancesCommand).resolves(app.describeContainerInstances);
        mocks.elb.on(DescribeTargetHealthCommand).resolves(app.describeTargetHealth);
        mocks.cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) =>
            (input.AlarmNames.includes("ecs-on-ec2-dev-report-failed-runs") ? reportAlarm(alarm) : app.describeAlarms));
        mocks.scheduler.on(GetScheduleCommand).resolves(reportSchedule);
    }

    test("each service by its type: exit 0 when all are steady and the job's last finished run succeeded", async () => {
        play();
        const { code, out, err } = await run([], typed);
        assert.equal(err, "");
        assert.equal(code, 0);
        const [, app, orders, mailer, report] = out.split("\n\n");
        assert.match(app, /^app: service app-3f9c2e1 in cluster ecs-on-ec2-dev\n/);
        assert.match(app, /^ {2}targets \(5\):$/m);
        assert.doesNotMatch(app, /service connect/);
        assert.equal(orders, [
            "orders (backend): service orders-7c1d9e4 in cluster ecs-on-ec2-dev",
            "  tasks: 2 running, 0 pending, 2 desired",
            "  deployments now:",
            "    PRIMARY  ecs-on-ec2-dev-orders:3  COMPLETED  running 2/2, pending 0, failed 0  ECS deployment ecs-svc/381273948127394812 completed.",
            "  recent deployments (newest first):",
            "    none recorded",
            "  tasks (2) by AZ and host:",
            "    us-east-1a: 2",
            "      i-0a1b2c3d4e5f60001: 2  (2 × ecs-on-ec2-dev-orders:3 RUNNING)",
            "  service connect:",
            `    PRIMARY  ecs-on-ec2-dev-orders:3  serves http://orders:8080 in namespace ${ordersOnServiceConnect.serviceConnectConfiguration?.namespace}; Cloud Map orders ${ordersDiscoveryArn}`,
            "  alarms:",
            "    none in the stack outputs",
            "  last 1 events:",
            "    2026-11-25T09:14:41Z  (service orders-7c1d9e4) has reached a steady state.",
            "  STEADY",
        ].join("\n"));
        assert.match(mailer, /^mailer \(worker\): service mailer-2e8f0a6 in cluster ecs-on-ec2-dev\n {2}tasks: 1 running, 0 pending, 1 desired$/m);
        assert.match(mailer, /^ {2}service connect: not on it$/m);
        assert.doesNotMatch(mailer, /targets/);
        assert.equal(report, [
            "report (job): schedule ecs-on-ec2-dev-report (group default), task family ecs-on-ec2-dev-report in cluster ecs-on-ec2-dev",
            "  schedule: ENABLED  rate(10 minutes) (UTC)  runs ecs-on-ec2-dev-report:2",
            "  last runs (newest first; ECS keeps stopped tasks only about an hour, older runs are in the log group /ecs/ecs-on-ec2-dev/report):",
            "    RUNNING   2026-11-25T09:30:02Z → now  task report0930  ecs-on-ec2-dev-report:2",
            "    SUCCEEDED 2026-11-25T09:20:02Z → 2026-11-25T09:20:38Z  task report0920  ecs-on-ec2-dev-report:2  report exit 0; Essential container in task exited",
            "    FAILED    2026-11-25T09:10:03Z → 2026-11-25T09:10:41Z  task report0910  ecs-on-ec2-dev-report:2  report exit 1; Essential container in task exited",
            "  alarms:",
            "    OK                ecs-on-ec2-dev-report-failed-runs",
            "  OK",
        ].join("\n"));
    });

    test("asks about each type's own things: no target group for the others, the job's schedule and its runs by family", async () => {
        play();
        await run([], typed);
        assert.deepEqual(mocks.elb.commandCalls(DescribeTargetHealthCommand).map((c) => c.args[0].input.TargetGroupArn), [targetGroupArn]);
        assert.deepEqual(mocks.cloudwatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames),
            [typedOutputs.services.app.alarmNames, typedOutputs.services.report.alarmNames]);
        assert.deepEqual(mocks.scheduler.commandCalls(GetScheduleCommand).map((c) => c.args[0].input), [{ Name: "ecs-on-ec2-dev-report", GroupName: "default" }]);
        assert.deepEqual(mocks.ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input).filter((input) => input.family !== undefined), [
            { cluster: "ecs-on-ec2-dev", family: "ecs-on-ec2-dev-report", desiredStatus: "RUNNING", nextToken: undefined },
            { cluster: "ecs-on-ec2-dev", family: "ecs-on-ec2-dev-report", desiredStatus: "STOPPED", nextToken: undefined },
        ]);
        assert.deepEqual(mocks.ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services),
            [["app-3f9c2e1"], [serviceNames.orders], [serviceNames.mailer]]);
    });

    test("a job whose last run failed is flagged (exit 1), a container that never started with ECS's reason", async () => {
        play(ordersOnServiceConnect, reportFailing);
        const { code, out } = await run(["--service", "report"], typed);
        assert.equal(code, 1);
        assert.deepEqual(reasons(out), ["last run report0920 (ecs-on-ec2-dev-report:2, 2026-11-25T09:20:02Z) failed: report exit 3; Essential container in task exited"]);
        assert.match(out, /^ {4}FAILED {4}2026-11-25T09:10:03Z → 2026-11-25T09:10:09Z {2}task report0910 {2}ecs-on-ec2-dev-report:2 {2}report no exit code \(CannotPullContainerError: pull access denied\); CannotPullContainerError$/m);
        assert.match(out, /^ {2}NEEDS A LOOK:$/m);
    });

    test("no runs left: the job says ECS keeps them about an hour; only its failed-run alarm can still flag it", async () => {
        play(ordersOnServiceConnect, { running: [], stopped: [] });
        const { code, out } = await run(["--service", "report"], typed);
        assert.equal(code, 0);
        assert.match(out, /ECS keeps stopped tasks only about an hour, older runs are in the log group \/ecs\/ecs-on-ec2-dev\/report\):\n {4}none in the last hour or so\n/);
        play(ordersOnServiceConnect, { running: [], stopped: [] }, "ALARM");
        const alarmed = await run(["--service", "report"], typed);
        assert.equal(alarmed.code, 1);
        assert.deepEqual(reasons(alarmed.out), [`alarm ecs-on-ec2-dev-report-failed-runs is in ALARM: ${reportAlarm("ALARM").MetricAlarms?.[0].StateReason}`]);
        // A job's failed-run alarm is no deployment alarm: nothing to warn a deploy about.
        assert.doesNotMatch(alarmed.out, /warning/);
    });

    test("a backend whose primary deployment serves nothing on Service Connect is not steady: the others cannot reach it", async () => {
        play(ordersOffServiceConnect);
        const { code, out } = await run(["--service", "orders"], typed);
        assert.equal(code, 1);
        assert.deepEqual(reasons(out), ["primary deployment ecs-on-ec2-dev-orders:4 serves nothing on Service Connect: other services cannot reach http://orders:8080"]);
        assert.match(out, /^ {2}service connect: not on it$/m);
    });

    test("--json: each entry with its type, a job with its schedule and runs", async () => {
        play(ordersOnServiceConnect, reportFailing);
        const { code, out } = await run(["--json"], typed);
        assert.equal(code, 1);
        const json = JSON.parse(out);
        assert.deepEqual(json.services.map((s: { key: string; type: string; reasons: string[] }) => [s.key, s.type, s.reasons.length]),
            [["app", "web", 0], ["orders", "backend", 0], ["mailer", "worker", 0], ["report", "job", 1]]);
        assert.deepEqual(json.services[3].schedule, { name: "ecs-on-ec2-dev-report", group: "default", state: "ENABLED", expression: "rate(10 minutes)", timezone: "UTC", taskDefinition: "ecs-on-ec2-dev-report:2" });
        assert.deepEqual(json.services[3].runs[0].containers, [{ name: "report", exitCode: 3 }]);
        assert.deepEqual(json.services[1].serviceConnect[0].serves, ["http://orders:8080"]);
    });

    test("a job named only by its schedule's ARN, without a cluster: group and name from the ARN, the stack's cluster", async () => {
        play();
        const outputs = structuredClone(typedOutputs) as { services: Record<string, Record<string, unknown>> };
        outputs.services = { report: { ...outputs.services.report, scheduleName: undefined, scheduleGroupName: undefined, clusterName: undefined } };
        await run([], () => ({ stack: "dev", outputs: JSON.parse(JSON.stringify({ ...typedOutputs, ...outputs })) }));
        assert.deepEqual(mocks.scheduler.commandCalls(GetScheduleCommand)[0].args[0].input, { Name: "ecs-on-ec2-dev-report", GroupName: "default" });
        assert.equal(mocks.ecs.commandCalls(ListTasksCommand)[0].args[0].input.cluster, typedOutputs.clusterName);
    });

    test("outputs of a job that lack its family or schedule, or a type status does not know: exit 2 naming the field", async () => {
        const broken = structuredClone(typedOutputs) as { services: Record<string, Record<string, unknown>> };
        broken.services.report = { type: "job", logGroupName: "/ecs/ecs-on-ec2-dev/report" };
        broken.services.mailer.type = "cron";
        const { code, err } = await run([], () => ({ stack: "dev", outputs: broken }));
        assert.equal(code, 2);
        assert.match(err, /^ {2}services\.report\.taskDefinitionFamily: /m);
        assert.match(err, /^ {2}services\.mailer\.type: /m);
        broken.services.report.taskDefinitionFamily = "ecs-on-ec2-dev-report";
        broken.services.mailer.type = "worker";
        assert.match((await run([], () => ({ stack: "dev", outputs: broken }))).err, /^ {2}services\.report: a job needs scheduleName or scheduleArn$/m);
    });
});

describe("stack outputs and command line", () => {
    /** A `pulumi` on PATH that records its arguments and backend, then prints what `script` prints. */
    async function withFakePulumi<T>(script: string, body: (calls: string) => T): Promise<T> {
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "status-pulumi-"));
        const calls = path.join(bin, "calls");
        fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\necho "$* $PULUMI_BACKEND_URL" >> "${calls}"\n${script}\n`, { mode: 0o755 });
        try {
            return await withEnv({ PATH: `${bin}${path.delimiter}${process.env.PATH}`, PULUMI_BACKEND_URL: undefined }, async () => body(calls));
        } finally {
            fs.rmSync(bin, { recursive: true, force: true });
        }
    }

    test("reads the outputs with `pulumi stack output --json`, on the backend scripts/stack.sh uses", async () => {
        const fixture = path.join(__dirname, "fixtures/status/outputs.json");
        await withFakePulumi(`cat "${fixture}"`, (calls) => {
            assert.deepEqual(pulumiStackOutputs("prod"), { stack: "prod", outputs });
            assert.equal(fs.readFileSync(calls, "utf8"), `stack output --json --show-secrets=false --stack prod file://${repoRoot}/.pulumi-state\n`);
        });
    });

    test("a failing `pulumi stack output` is a StackOutputsError carrying what Pulumi said", async () => {
        await withFakePulumi(`echo "error: no stack named 'prod' found" >&2; exit 255`, () => {
            assert.throws(() => pulumiStackOutputs("prod"),
                new StackOutputsError("`pulumi stack output --json --show-secrets=false --stack prod` failed: error: no stack named 'prod' found"));
        });
    });

    test("outputs without the fields status reads: exit 2 listing each one", async () => {
        const broken: Partial<typeof outputs> = structuredClone(outputs);
        delete broken.region;
        (broken.services as { app: Record<string, unknown> }).app.alarmNames = "none";
        const { code, err } = await run([], () => ({ stack: "dev", outputs: broken }));
        assert.equal(code, 2);
        assert.match(err, /^status: stack dev: its outputs lack what status reads/);
        assert.match(err, /^ {2}region: /m);
        assert.match(err, /^ {2}services\.app\.alarmNames: /m);
    });

    test("outputs that cannot be read: exit 2 with the reason", async () => {
        const { code, err } = await run([], () => { throw new StackOutputsError("`pulumi stack output --stack dev` failed: no stack named 'dev' found"); });
        assert.equal(code, 2);
        assert.equal(err, "status: `pulumi stack output --stack dev` failed: no stack named 'dev' found");
    });

    test("--help prints usage (exit 0); an unknown flag or a bad number is refused (exit 2)", async () => {
        const help = await run(["--help"]);
        assert.equal(help.code, 0);
        assert.match(help.out, /^usage: npm run status -- \[--stack NAME\]/);
        const unknown = await run(["--verbose"]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.err, /^status: unknown argument "--verbose"\nusage:/);
        assert.throws(() => parseArgs(["--events", "many"]), /--events takes a whole number/);
        assert.throws(() => parseArgs(["--stack"]), /--stack takes a name/);
        assert.throws(() => parseArgs(["--timeout", "0"]), /--timeout takes a number of at least 0.1/);
        assert.deepEqual(parseArgs(["--stack", "prod", "--events", "0", "--timeout", "2.5", "--json"]),
            { stack: "prod", events: 0, timeoutSeconds: 2.5, json: true, help: false });
        assert.match((await run(["--json=yes"])).err, /^status: --json takes no value\nusage:/);
        assert.match((await run(["prod"])).err, /^status: unknown argument "prod"\nusage:/);
        assert.throws(() => parseArgs(["--events", "-1"]), /--events takes a whole number of at least 0, got "-1"/);
        assert.throws(() => parseArgs(["--service", "--json"]), /--service takes a name/);
    });

    test("every value flag reads --name=value as --name value", () => {
        const values: [string, string][] = [["--stack", "prod"], ["--service", "app"], ["--events", "2"], ["--timeout", "2.5"]];
        for (const [flag, value] of values) {
            assert.deepEqual(parseArgs([`${flag}=${value}`]), parseArgs([flag, value]), flag);
            assert.notDeepEqual(parseArgs([flag, value]), parseArgs([]), `${flag} ${value} changes something`);
        }
        assert.deepEqual(parseArgs(values.map(([flag, value]) => `${flag}=${value}`)),
            { stack: "prod", service: "app", events: 2, timeoutSeconds: 2.5, json: false, help: false });
        assert.throws(() => parseArgs(["--stack="]), /--stack takes a name/);
        assert.throws(() => parseArgs(["--events=many"]), /--events takes a whole number of at least 0, got "many"/);
        assert.throws(() => parseArgs(["--timeout="]), /--timeout takes a number of at least 0.1, got ""/);
    });
});

describe("the real SDK clients, no AWS needed", () => {
    test("missing credentials: the default chain's CredentialsProviderError becomes advice (exit 2)", async () => {
        const { code, err } = await withEnv(noCredentials, () => run([]));
        assert.equal(code, 2);
        assert.match(err, /^status: no usable AWS credentials/);
        for (const way of ["AWS_PROFILE=<profile>", "aws sso login", "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY"]) {
            assert.ok(err.includes(way), `the advice names ${way}`);
        }
        assert.match(err, /Could not load credentials from any providers\)$/);
    });

    test("an endpoint that accepts and never answers: the call is cut at --timeout (exit 2)", async () => {
        const hung = http.createServer(() => undefined);
        await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
        try {
            const endpoint = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
            const { code, err } = await withEnv(
                { ...noCredentials, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
                () => run(["--timeout", "0.1"]));
            assert.equal(code, 2);
            assert.match(err, /^status: (ECS|ELB|CloudWatch) \w+ got no answer within 0\.1 s$/);
        } finally {
            hung.closeAllConnections();
            hung.close();
        }
    });
});
