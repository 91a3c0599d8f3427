// `npm run task`, `logs` and `exec`, and the stack outputs module every operator command reads through.
// AWS is aws-sdk-client-mock, time a fake clock, the Pulumi CLI a script on PATH: no AWS, no network, no waiting.
import { CloudWatchLogsClient, FilterLogEventsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
    DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, RunTaskCommand, Task,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { main as execMain } from "../scripts/exec";
import { onPath } from "../scripts/exec/session";
import { main as logsMain } from "../scripts/logs";
import { parseSince } from "../scripts/logs/events";
import { Clock } from "../scripts/operator/clock";
import { parseServiceLine } from "../scripts/operator/command";
import { pulumiStackOutputs, ReadOutputs, StackOutputsError } from "../scripts/stackOutputs";
import { main as taskMain } from "../scripts/task";
import { repoRoot } from "../infra/paths";
import outputs from "./fixtures/status/outputs.json";
import typedOutputs from "./fixtures/status/typed-outputs.json";
import { noCredentials, withEnv } from "./env";

const cluster = "ecs-on-ec2-dev";
const account = "012345678910";
const taskId = "9f1e2d3c4b5a69788796a5b4c3d2e1f0";
const taskArn = `arn:aws:ecs:us-east-1:${account}:task/${cluster}/${taskId}`;
const taskDefinition = `arn:aws:ecs:us-east-1:${account}:task-definition/ecs-on-ec2-dev-app:7`;
const strategy = [{ capacityProvider: "ecs-on-ec2-dev-hosts", weight: 1, base: 0 }];
const at = (hhmmss: string) => new Date(`2026-11-25T${hhmmss}.250Z`).getTime();

/** The dev stack's outputs; `app` built from app-image unless `appImage` says otherwise (or is absent, as from an older stack). */
const stackOutputs = (appImage: boolean | "absent" = true): ReadOutputs => (stack) => {
    const copy = structuredClone(outputs) as { services: { app: Record<string, unknown> } };
    if (appImage === "absent") delete copy.services.app.appImage; else copy.services.app.appImage = appImage;
    return { stack: stack ?? "dev", outputs: copy };
};

/** The dev stack's outputs with typed services: app (web), orders (backend), mailer (worker), report (job); `edit` changes the copy. */
const typedStack = (edit: (services: Record<string, Record<string, unknown>>) => void = () => undefined): ReadOutputs => (stack) => {
    const copy = structuredClone(typedOutputs) as { services: Record<string, Record<string, unknown>> };
    edit(copy.services);
    return { stack: stack ?? "dev", outputs: copy };
};

/** A clock that only moves when slept on, remembering each sleep; `onSleep` runs after each (a test's Ctrl-C). */
function fakeClock(start = at("10:00:00"), onSleep: (slept: number[]) => void = () => undefined): Clock & { slept: number[] } {
    let now = start;
    const slept: number[] = [];
    return {
        slept,
        now: () => now,
        sleep: async (ms) => { slept.push(ms); now += ms; onSleep(slept); },
    };
}

interface Run { code: number; out: string[]; err: string }
const io = (readOutputs: ReadOutputs) => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line), readOutputs } };
};

async function runTask(argv: string[], readOutputs = stackOutputs(), clock = fakeClock()): Promise<Run & { clock: typeof clock }> {
    const r = io(readOutputs);
    const code = await taskMain(argv, { ...r.io, clock });
    return { code, out: r.out, err: r.err.join("\n"), clock };
}

async function runLogs(argv: string[], { clock = fakeClock(), stop = undefined as AbortSignal | undefined, readOutputs = stackOutputs() } = {}): Promise<Run> {
    const r = io(readOutputs);
    const code = await logsMain(argv, { ...r.io, clock, stop });
    return { code, out: r.out, err: r.err.join("\n") };
}

interface ExecSetup { readOutputs?: ReadOutputs; onPath?: (name: string) => boolean; exitCode?: number }
async function runExec(argv: string[], { readOutputs = stackOutputs(), onPath = () => true, exitCode = 0 }: ExecSetup = {}) {
    const r = io(readOutputs);
    const awsRuns: string[][] = [];
    const code = await execMain(argv, { ...r.io, onPath, runAws: async (args) => { awsRuns.push(args); return exitCode; } });
    return { code, out: r.out, err: r.err.join("\n"), awsRuns };
}

const createMocks = () => ({ ecs: mockClient(ECSClient), logs: mockClient(CloudWatchLogsClient) });
let ecs: ReturnType<typeof createMocks>["ecs"];
let logs: ReturnType<typeof createMocks>["logs"];

describe("against aws-sdk-client-mock", () => {
before(() => ({ ecs, logs } = createMocks()));
after(() => { ecs.restore(); logs.restore(); });

describe("npm run task", () => {
    beforeEach(() => {
        ecs.reset();
        logs.reset();
        ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: "app-3f9c2e1", status: "ACTIVE", taskDefinition, capacityProviderStrategy: strategy }] })
            .on(RunTaskCommand).resolves({ tasks: [{ taskArn, lastStatus: "PROVISIONING" }], failures: [] });
    });

    /** DescribeTasks answers each of `states` in turn, the last one from then on. */
    function taskGoes(...states: Task[]): void {
        const describe = ecs.on(DescribeTasksCommand);
        for (const state of states) describe.resolvesOnce({ tasks: [{ taskArn, ...state }] });
        describe.resolves({ tasks: [{ taskArn, ...states.at(-1) }] });
    }
    const stopped = (exitCode: number): Task => ({
        lastStatus: "STOPPED", stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited",
        containers: [{ name: "app", exitCode, lastStatus: "STOPPED" }],
    });

    test("runs the service's task definition on its capacity providers, with the command as the container's override", async () => {
        taskGoes(stopped(0));
        logs.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: "f/0" });
        const { code } = await runTask(["app", "/app/EcsApp", "--health-check"]);
        assert.equal(code, 0);
        assert.deepEqual(ecs.commandCalls(DescribeServicesCommand)[0].args[0].input, { cluster, services: ["app-3f9c2e1"] });
        assert.deepEqual(ecs.commandCalls(RunTaskCommand)[0].args[0].input, {
            cluster, taskDefinition, count: 1, capacityProviderStrategy: strategy, startedBy: "npm-run-task",
            propagateTags: "TASK_DEFINITION", enableECSManagedTags: true,
            overrides: { containerOverrides: [{ name: "app", command: ["/app/EcsApp", "--health-check"] }] },
        });
        const client = ecs.commandCalls(RunTaskCommand)[0].thisValue as ECSClient;
        assert.equal(await client.config.region(), "us-east-1");
    });

    test("no command: the container's own, no overrides", async () => {
        taskGoes(stopped(0));
        logs.on(GetLogEventsCommand).resolves({ events: [] });
        await runTask(["app"]);
        assert.equal(ecs.commandCalls(RunTaskCommand)[0].args[0].input.overrides, undefined);
    });

    test("waits on the clock, streams the task's log stream as it grows, and exits with the container's code (3)", async () => {
        taskGoes({ lastStatus: "PENDING" }, { lastStatus: "RUNNING" }, stopped(3));
        // Poll 1: no stream yet (the container has not started); 2: two events, then the end; 3: one more, then the end.
        logs.on(GetLogEventsCommand, { nextToken: undefined }).rejectsOnce(Object.assign(new Error("The specified log stream does not exist."), { name: "ResourceNotFoundException" }))
            .resolvesOnce({ events: [{ timestamp: at("10:00:04"), message: "migrating\n" }, { timestamp: at("10:00:05"), message: "step 1 of 2" }], nextForwardToken: "f/2" });
        logs.on(GetLogEventsCommand, { nextToken: "f/2" })
            .resolvesOnce({ events: [], nextForwardToken: "f/2" })
            .resolvesOnce({ events: [{ timestamp: at("10:00:07"), message: "failed: 3" }], nextForwardToken: "f/3" });
        logs.on(GetLogEventsCommand, { nextToken: "f/3" }).resolves({ events: [], nextForwardToken: "f/3" });
        const { code, out, err, clock } = await runTask(["app", "migrate"]);
        assert.equal(code, 3);
        assert.deepEqual(out, [
            `2026-11-25T10:00:04.250Z ${taskId} migrating`,
            `2026-11-25T10:00:05.250Z ${taskId} step 1 of 2`,
            `2026-11-25T10:00:07.250Z ${taskId} failed: 3`,
        ]);
        assert.deepEqual(clock.slept, [3000, 3000]);
        const stream = logs.commandCalls(GetLogEventsCommand)[0].args[0].input;
        assert.deepEqual(stream, { logGroupName: "/ecs/ecs-on-ec2-dev/app", logStreamName: `app/app/${taskId}`, startFromHead: true, nextToken: undefined });
        assert.deepEqual(ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input), Array(3).fill({ cluster, tasks: [taskArn] }));
        assert.match(err, new RegExp(`^task ${taskId} of ecs-on-ec2-dev-app:7 started on ${cluster}: migrate \\(Ctrl-C stops waiting, not the task: aws ecs stop-task --cluster ${cluster} --task ${taskId}\\)$`, "m"));
        assert.match(err, /^task \w+: PENDING\ntask \w+: RUNNING\ntask \w+: STOPPED\n/m);
        assert.match(err, /container app exited with 3 \(Essential container in task exited\)$/);
    });

    test("a task that never runs its container: its stopped reason, exit 1", async () => {
        taskGoes({
            lastStatus: "STOPPED", stopCode: "TaskFailedToStart",
            stoppedReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s): not found",
            containers: [{ name: "app", lastStatus: "STOPPED", reason: "CannotPullContainerError" }],
        });
        logs.on(GetLogEventsCommand).rejects(Object.assign(new Error("The specified log stream does not exist."), { name: "ResourceNotFoundException" }));
        const { code, out, err } = await runTask(["app"]);
        assert.equal(code, 1);
        assert.deepEqual(out, []);
        assert.match(err, /stopped without running its container \(TaskFailedToStart\): CannotPullContainerError: pull image manifest .*not found; CannotPullContainerError$/);
    });

    test("RunTask placing nothing: ECS's reason, exit 1", async () => {
        ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ arn: "arn:aws:ecs:us-east-1:012345678910:container-instance/x", reason: "RESOURCE:MEMORY" }] });
        const { code, err } = await runTask(["app"]);
        assert.equal(code, 1);
        assert.equal(err, "task: ECS did not start the task: RESOURCE:MEMORY");
    });

    test("AWS refusing a call: exit 1 naming the call", async () => {
        ecs.on(DescribeServicesCommand).rejects(Object.assign(new Error("User: ops is not authorized to perform: ecs:DescribeServices"), { name: "AccessDeniedException" }));
        const { code, err } = await runTask(["app"]);
        assert.equal(code, 1);
        assert.equal(err, "task: ECS DescribeServices failed: AccessDeniedException: User: ops is not authorized to perform: ecs:DescribeServices");
    });

    describe("a job (no ECS service)", () => {
        const family = "ecs-on-ec2-dev-report";
        const jobDefinition = `arn:aws:ecs:us-east-1:${account}:task-definition/${family}:4`;
        const defaultStrategy = [{ capacityProvider: "ecs-on-ec2-dev-hosts", weight: 1, base: 1 }];
        const reportStopped = (exitCode: number): Task => ({ ...stopped(exitCode), containers: [{ name: "report", exitCode, lastStatus: "STOPPED" }] });
        beforeEach(() => {
            ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: jobDefinition, family, revision: 4, status: "ACTIVE" } })
                .on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: cluster, status: "ACTIVE", defaultCapacityProviderStrategy: defaultStrategy }], failures: [] });
        });

        test("runs its family's latest ACTIVE revision on the cluster's default strategy; same waiting, log stream and exit code (4)", async () => {
            const describe = ecs.on(DescribeTasksCommand);
            describe.resolvesOnce({ tasks: [{ taskArn, lastStatus: "PENDING" }] }).resolves({ tasks: [{ taskArn, ...reportStopped(4) }] });
            logs.on(GetLogEventsCommand, { nextToken: undefined }).rejectsOnce(Object.assign(new Error("The specified log stream does not exist."), { name: "ResourceNotFoundException" }))
                .resolves({ events: [{ timestamp: at("10:00:04"), message: "report failed\n" }], nextForwardToken: "f/1" });
            logs.on(GetLogEventsCommand, { nextToken: "f/1" }).resolves({ events: [], nextForwardToken: "f/1" });
            const { code, out, err, clock } = await runTask(["report", "/app/report", "--since", "1d"], typedStack());
            assert.equal(code, 4, err);
            assert.equal(ecs.commandCalls(DescribeServicesCommand).length, 0);
            assert.deepEqual(ecs.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input), [{ taskDefinition: family }]);
            assert.deepEqual(ecs.commandCalls(DescribeClustersCommand).map((c) => c.args[0].input), [{ clusters: [cluster] }]);
            assert.deepEqual(ecs.commandCalls(RunTaskCommand)[0].args[0].input, {
                cluster, taskDefinition: jobDefinition, count: 1, capacityProviderStrategy: defaultStrategy, startedBy: "npm-run-task",
                propagateTags: "TASK_DEFINITION", enableECSManagedTags: true,
                overrides: { containerOverrides: [{ name: "report", command: ["/app/report", "--since", "1d"] }] },
            });
            assert.deepEqual(out, [`2026-11-25T10:00:04.250Z ${taskId} report failed`]);
            assert.deepEqual(clock.slept, [3000]);
            assert.deepEqual(logs.commandCalls(GetLogEventsCommand)[0].args[0].input,
                { logGroupName: "/ecs/ecs-on-ec2-dev/report", logStreamName: `report/report/${taskId}`, startFromHead: true, nextToken: undefined });
            assert.match(err, new RegExp(`^task ${taskId} of ${family}:4 started on ${cluster}: /app/report --since 1d \\(Ctrl-C stops waiting`, "m"));
            assert.match(err, /^task \w+: PENDING\ntask \w+: STOPPED\n/m);
            assert.match(err, /container report exited with 4 \(Essential container in task exited\)$/);
        });

        test("a cluster without a default strategy: none sent; a job's outputs without clusterName: the stack's cluster", async () => {
            ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: cluster, status: "ACTIVE" }] });
            ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn, ...reportStopped(0) }] });
            logs.on(GetLogEventsCommand).resolves({ events: [] });
            const { code, err } = await runTask(["report"], typedStack((services) => { delete services.report.clusterName; }));
            assert.equal(code, 0, err);
            assert.deepEqual(ecs.commandCalls(RunTaskCommand)[0].args[0].input, {
                cluster, taskDefinition: jobDefinition, count: 1, startedBy: "npm-run-task", propagateTags: "TASK_DEFINITION", enableECSManagedTags: true,
            });
        });

        test("no such cluster, or no revision of the family: exit 1 saying which, nothing started", async () => {
            ecs.on(DescribeClustersCommand).resolves({ clusters: [], failures: [{ arn: cluster, reason: "MISSING" }] });
            const missing = await runTask(["report"], typedStack());
            assert.deepEqual([missing.code, missing.err], [1, `task: no cluster ${cluster} (MISSING; deploy the stack first)`]);
            ecs.on(DescribeTaskDefinitionCommand).rejects(Object.assign(new Error("Unable to describe task definition."), { name: "ClientException" }));
            const noFamily = await runTask(["report"], typedStack());
            assert.deepEqual([noFamily.code, noFamily.err], [1, "task: ECS DescribeTaskDefinition failed: ClientException: Unable to describe task definition."]);
            assert.equal(ecs.commandCalls(RunTaskCommand).length, 0);
        });

        test("a backend of the same typed stack still runs as its ECS service", async () => {
            ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn, ...stopped(0), containers: [{ name: "orders", exitCode: 0 }] }] });
            logs.on(GetLogEventsCommand).resolves({ events: [] });
            const { code, err } = await runTask(["orders"], typedStack());
            assert.equal(code, 0, err);
            assert.deepEqual(ecs.commandCalls(DescribeServicesCommand)[0].args[0].input, { cluster, services: ["orders-7c1d9e4"] });
            assert.equal(ecs.commandCalls(DescribeTaskDefinitionCommand).length, 0);
        });

        test("a job without clusterName in a stack without one: unreadable outputs (exit 2)", async () => {
            const read: ReadOutputs = (stack) => {
                const copy = structuredClone(typedOutputs) as { clusterName?: string; services: Record<string, Record<string, unknown>> };
                delete copy.clusterName;
                delete copy.services.report.clusterName;
                return { stack: stack ?? "dev", outputs: copy };
            };
            const { code, err } = await runTask(["report"], read);
            assert.equal(code, 2);
            assert.match(err, /^ {2}services\.report\.clusterName: a job needs clusterName \(or the stack's clusterName\)$/m);
        });
    });

    test("--help (exit 0); no service, an unknown one, an unknown option (exit 2, naming it)", async () => {
        const help = await runTask(["--help"]);
        assert.equal(help.code, 0);
        assert.match(help.out[0], /^usage: npm run task -- \[--stack NAME\] SERVICE \[COMMAND\.\.\.\]$/m);
        assert.deepEqual([(await runTask([])).code, (await runTask([])).err], [2, "task: name the service to run a task of\n(npm run task -- --help for usage)"]);
        assert.match((await runTask(["worker"])).err, /^task: no service "worker" in stack dev \(it has: app\)/);
        const unknown = await runTask(["--verbose", "app"]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.err, /^task: unknown argument "--verbose"/);
        assert.match((await runTask(["--stack"])).err, /^task: --stack needs a value/);
        assert.equal(ecs.commandCalls(RunTaskCommand).length, 0);
    });
});

describe("npm run logs", () => {
    const group = "/ecs/ecs-on-ec2-dev/app";
    const stream = (id: string) => `app/app/${id}`;
    const event = (eventId: string, hhmmss: string, message: string, task = taskId) =>
        ({ eventId, timestamp: at(hhmmss), message, logStreamName: stream(task) });
    beforeEach(() => { logs.reset(); });

    test("--since: a whole number with s, m, h or d; anything else is a usage error naming it", async () => {
        assert.deepEqual(["30s", "10m", "2h", "1d"].map(parseSince), [30_000, 600_000, 7_200_000, 86_400_000]);
        for (const bad of ["10", "0m", "-1m", "1.5h", "10y", ""]) assert.throws(() => parseSince(bad), /--since takes a duration such as 30s, 10m, 2h or 1d/);
        const { code, err } = await runLogs(["app", "--since", "10y"]);
        assert.equal(code, 2);
        assert.equal(err, 'logs: --since takes a duration such as 30s, 10m, 2h or 1d, got "10y"\n(npm run logs -- --help for usage)');
    });

    test("the group's events since 10 minutes ago by default, every page, one line each with time and task", async () => {
        logs.on(FilterLogEventsCommand)
            .resolvesOnce({ events: [event("1", "09:51:00", "started\n"), event("2", "09:52:00", "GET / 200", "0a0b")], nextToken: "p2" })
            .resolvesOnce({ events: [event("3", "09:59:00", "GET /health 200")] })
            .resolves({ events: [] });
        const { code, out } = await runLogs(["app"]);
        assert.equal(code, 0);
        assert.deepEqual(out, [
            `2026-11-25T09:51:00.250Z ${taskId} started`,
            "2026-11-25T09:52:00.250Z 0a0b GET / 200",
            `2026-11-25T09:59:00.250Z ${taskId} GET /health 200`,
        ]);
        assert.deepEqual(logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input), [
            { logGroupName: group, startTime: at("10:00:00") - 600_000, nextToken: undefined },
            { logGroupName: group, startTime: at("10:00:00") - 600_000, nextToken: "p2" },
        ]);
        await runLogs(["--since", "2h", "app"]);
        assert.equal(logs.commandCalls(FilterLogEventsCommand).at(-1)?.args[0].input.startTime, at("10:00:00") - 7_200_000);
    });

    test("--follow polls on the clock from the newest event (less a window for late ones), never printing one twice, until stopped", async () => {
        const stop = new AbortController();
        logs.on(FilterLogEventsCommand)
            .resolvesOnce({ events: [event("1", "09:59:50", "a"), event("2", "09:59:58", "b")] })
            .resolvesOnce({ events: [event("2", "09:59:58", "b"), event("3", "09:59:57", "late")] })
            .resolvesOnce({ events: [event("4", "10:00:05", "c")] });
        // Ctrl-C during the third wait.
        const clock = fakeClock(at("10:00:00"), (slept) => { if (slept.length === 3) stop.abort(); });
        const { code, out } = await runLogs(["app", "--follow", "--since", "1m"], { clock, stop: stop.signal });
        assert.equal(code, 0);
        assert.deepEqual(out.map((line) => line.split(" ").at(-1)), ["a", "b", "late", "c"]);
        assert.deepEqual(clock.slept, [2000, 2000, 2000]);
        assert.deepEqual(logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input.startTime),
            [at("09:59:00"), at("09:59:28"), at("09:59:28")]);
    });

    test("a job: its log group, every run's stream", async () => {
        logs.on(FilterLogEventsCommand).resolves({ events: [{ eventId: "1", timestamp: at("09:58:00"), message: "report sent", logStreamName: `report/report/${taskId}` }] });
        const { code, out } = await runLogs(["report"], { readOutputs: typedStack() });
        assert.equal(code, 0);
        assert.deepEqual(out, [`2026-11-25T09:58:00.250Z ${taskId} report sent`]);
        assert.deepEqual(logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input),
            [{ logGroupName: "/ecs/ecs-on-ec2-dev/report", startTime: at("10:00:00") - 600_000, nextToken: undefined }]);
    });

    test("--help (exit 0); no service or an unknown option (exit 2); AWS refusing (exit 1)", async () => {
        const help = await runLogs(["--help"]);
        assert.deepEqual([help.code, help.out[0].split("\n")[0]], [0, "usage: npm run logs -- SERVICE [--follow] [--since DURATION] [--stack NAME]"]);
        assert.match((await runLogs([])).err, /^logs: name the service whose logs to print/);
        assert.match((await runLogs(["app", "--tail"])).err, /^logs: unknown argument "--tail"/);
        assert.match((await runLogs(["app", "orders"])).err, /^logs: one service only, got "orders" too/);
        logs.on(FilterLogEventsCommand).rejects(Object.assign(new Error("The specified log group does not exist."), { name: "ResourceNotFoundException" }));
        const refused = await runLogs(["app"]);
        assert.deepEqual([refused.code, refused.err], [1, "logs: CloudWatch Logs FilterLogEvents failed: ResourceNotFoundException: The specified log group does not exist."]);
    });
});

describe("npm run exec", () => {
    const running = (enableExecuteCommand: boolean): Task => ({ taskArn, lastStatus: "RUNNING", enableExecuteCommand });
    beforeEach(() => {
        ecs.reset();
        ecs.on(ListTasksCommand).resolves({ taskArns: [taskArn] }).on(DescribeTasksCommand).resolves({ tasks: [running(true)] });
    });

    test("runs `aws ecs execute-command` into a running task's container, interactive, and passes its exit status on", async () => {
        const { code, awsRuns, err } = await runExec(["app", "/app/EcsApp", "--health-check"], { exitCode: 130 });
        assert.equal(code, 130);
        assert.deepEqual(awsRuns, [["ecs", "execute-command", "--region", "us-east-1", "--cluster", cluster, "--task", taskArn,
            "--container", "app", "--interactive", "--command", "/app/EcsApp --health-check"]]);
        assert.deepEqual(ecs.commandCalls(ListTasksCommand)[0].args[0].input, { cluster, serviceName: "app-3f9c2e1", desiredStatus: "RUNNING" });
        assert.equal(err, `exec: /app/EcsApp --health-check in container app of task ${taskId} (${cluster})`);
    });

    test("no command: /bin/sh, for an image that is not app-image (or a stack that does not say)", async () => {
        for (const appImage of [false, "absent"] as const) {
            const { code, awsRuns, err } = await runExec(["--stack", "prod", "app"], { readOutputs: stackOutputs(appImage) });
            assert.equal(code, 0, err);
            assert.equal(awsRuns[0].at(-1), "/bin/sh");
        }
    });

    test("no command for app-image: it has no shell, try the health check (exit 1, no AWS call)", async () => {
        const { code, err, awsRuns } = await runExec(["app"]);
        assert.equal(code, 1);
        assert.equal(err, "exec: service app runs app-image, a chiseled .NET image with no shell: give the command to run, "
            + "e.g. npm run exec -- app /app/EcsApp --health-check");
        assert.deepEqual([awsRuns, ecs.calls().length], [[], 0]);
    });

    test("no Session Manager plugin (or AWS CLI) on PATH: names what to install (exit 1)", async () => {
        const noPlugin = await runExec(["app", "ls"], { onPath: (name) => name !== "session-manager-plugin" });
        assert.equal(noPlugin.code, 1);
        assert.match(noPlugin.err, /^exec: ECS Exec runs through `aws ecs execute-command`, which needs session-manager-plugin on PATH; install the Session Manager plugin for the AWS CLI: https:\/\/docs\.aws\.amazon\.com\/systems-manager\/.*session-manager-working-with-install-plugin\.html$/);
        const neither = await runExec(["app", "ls"], { onPath: () => false });
        assert.match(neither.err, /needs aws and session-manager-plugin on PATH; install the AWS CLI v2: .*; and the Session Manager plugin/);
        assert.deepEqual([noPlugin.awsRuns, ecs.calls().length], [[], 0]);
    });

    test("tasks started without ECS Exec: says so, and that `exec: true` on the service turns it on (exit 1)", async () => {
        ecs.on(DescribeTasksCommand).resolves({ tasks: [running(false)] });
        const { code, err, awsRuns } = await runExec(["app", "ls"]);
        assert.equal(code, 1);
        assert.equal(err, `exec: the tasks of service app run without ECS Exec (enableExecuteCommand is false on ${taskId}): `
            + "set `exec: true` on the service (pulumi config set --path 'services.app.exec' true) and deploy; the tasks that deployment starts have it");
        assert.deepEqual(awsRuns, []);
    });

    test("a job: refused, pointing at npm run task (exit 2, no AWS call, no session)", async () => {
        const { code, err, awsRuns } = await runExec(["report", "/app/report"], { readOutputs: typedStack() });
        assert.equal(code, 2);
        assert.equal(err, "exec: report is a job: it has no long-running tasks to exec into; "
            + "run its command in a task of its own instead: npm run task -- report <command>\n(npm run exec -- --help for usage)");
        assert.deepEqual([awsRuns, ecs.calls().length], [[], 0]);
    });

    test("a worker of a typed stack: its ECS service's tasks", async () => {
        const { code, awsRuns } = await runExec(["mailer", "ls"], { readOutputs: typedStack() });
        assert.equal(code, 0);
        assert.deepEqual(ecs.commandCalls(ListTasksCommand)[0].args[0].input, { cluster, serviceName: "mailer-2e8f0a6", desiredStatus: "RUNNING" });
        assert.equal(awsRuns[0][awsRuns[0].indexOf("--container") + 1], "mailer");
    });

    test("no running task: exit 1 saying so", async () => {
        ecs.on(ListTasksCommand).resolves({ taskArns: [] });
        assert.deepEqual(await runExec(["app", "ls"]).then((r) => [r.code, r.err]), [1, `exec: service app (app-3f9c2e1) has no running task in ${cluster}`]);
    });

    test("--help (exit 0); no service or an unknown option (exit 2); options before the command, its own flags after", async () => {
        const help = await runExec(["--help"]);
        assert.equal(help.code, 0);
        assert.match(help.out[0], /^usage: npm run exec -- \[--stack NAME\] SERVICE \[COMMAND\.\.\.\]$/m);
        assert.match((await runExec([])).err, /^exec: name the service to exec into\n\(npm run exec -- --help for usage\)$/);
        assert.equal((await runExec(["--shell", "app"])).code, 2);
        const options = { stack: { type: "string" }, help: { type: "boolean" } } as const;
        const line = (argv: string[]) => {
            const { values, ...rest } = parseServiceLine(argv, options, true);
            return { values: { ...values }, ...rest };
        };
        assert.deepEqual(line(["app", "--stack", "prod", "/app/EcsApp", "--health-check", "--stack"]),
            { values: { stack: "prod" }, service: "app", command: ["/app/EcsApp", "--health-check", "--stack"] });
        assert.deepEqual(line(["--stack=prod", "app"]), { values: { stack: "prod" }, service: "app", command: [] });
    });

    test("onPath finds executable files only", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exec-path-"));
        try {
            fs.writeFileSync(path.join(dir, "session-manager-plugin"), "#!/bin/sh\n", { mode: 0o755 });
            fs.writeFileSync(path.join(dir, "aws"), "not executable", { mode: 0o644 });
            fs.mkdirSync(path.join(dir, "folder"));
            assert.deepEqual(["session-manager-plugin", "aws", "folder"].map((name) => onPath(name, `/nonexistent${path.delimiter}${dir}`)), [true, false, false]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

});

describe("the stack outputs every operator command reads", () => {
    let bin: string;
    before(() => { bin = fs.mkdtempSync(path.join(os.tmpdir(), "outputs-pulumi-")); });
    after(() => fs.rmSync(bin, { recursive: true, force: true }));

    /** A `pulumi` on PATH that records each command line with its backend and passphrase, then runs `script`. */
    function fakePulumi(script: string): string {
        const calls = path.join(bin, `calls-${Math.random().toString(36).slice(2)}`);
        fs.writeFileSync(path.join(bin, "pulumi"),
            `#!/bin/sh\necho "$* | $PULUMI_BACKEND_URL | \${PULUMI_CONFIG_PASSPHRASE-unset}" >> "${calls}"\n${script}\n`, { mode: 0o755 });
        fs.writeFileSync(calls, "");
        return calls;
    }
    const fixture = path.join(__dirname, "fixtures/status/outputs.json");
    const env = (more: Record<string, string | undefined> = {}) =>
        ({ PATH: `${bin}${path.delimiter}${process.env.PATH}`, PULUMI_BACKEND_URL: undefined, PULUMI_CONFIG_PASSPHRASE: undefined, ...more });
    const backend = `file://${repoRoot}/.pulumi-state`;

    test("--stack NAME: that stack's outputs, secrets hidden, on stack.sh's backend with its empty passphrase", async () => {
        const calls = fakePulumi(`cat "${fixture}"`);
        const read = await withEnv(env(), () => pulumiStackOutputs("prod"));
        assert.deepEqual(read, { stack: "prod", outputs });
        assert.equal(fs.readFileSync(calls, "utf8"), `stack output --json --show-secrets=false --stack prod | ${backend} | \n`);
    });

    test("no --stack: the selected stack, by name", async () => {
        const calls = fakePulumi(`[ "$1 $2" = "stack --show-name" ] && { echo staging; exit 0; }\ncat "${fixture}"`);
        const read = await withEnv(env({ PULUMI_BACKEND_URL: "s3://state-bucket", PULUMI_CONFIG_PASSPHRASE: "pass" }), () => pulumiStackOutputs(undefined));
        assert.equal(read.stack, "staging");
        assert.equal(fs.readFileSync(calls, "utf8"), "stack --show-name | s3://state-bucket | pass\n"
            + "stack output --json --show-secrets=false --stack staging | s3://state-bucket | pass\n");
    });

    test("no --stack and none selected: a clear StackOutputsError", async () => {
        fakePulumi(`echo "error: no stack selected; please use \\\`pulumi stack select\\\` or \\\`pulumi stack init\\\` to choose one" >&2; exit 255`);
        await withEnv(env(), () => assert.throws(() => pulumiStackOutputs(undefined), (error: Error) => error instanceof StackOutputsError
            && error.message === `no --stack given and no stack selected on ${backend} (error: no stack selected; please use \`pulumi stack select\` `
                + "or `pulumi stack init` to choose one): give --stack NAME, or select one with `pulumi stack select NAME`"));
    });

    test("unreadable or incomplete outputs: the same message and exit status (2) from every command", async () => {
        const unreadable: ReadOutputs = () => { throw new StackOutputsError("`pulumi stack output --json --show-secrets=false --stack dev` failed: boom"); };
        const incomplete: ReadOutputs = () => ({ stack: "dev", outputs: { url: "http://x" } });
        for (const [name, run] of [
            ["task", (read: ReadOutputs) => runTask(["app"], read)],
            ["logs", (read: ReadOutputs) => runLogs(["app"], { readOutputs: read })],
            ["exec", (read: ReadOutputs) => runExec(["app", "ls"], { readOutputs: read })],
        ] as const) {
            const a = await run(unreadable);
            assert.deepEqual([a.code, a.err], [2, `${name}: \`pulumi stack output --json --show-secrets=false --stack dev\` failed: boom`]);
            const b = await run(incomplete);
            assert.equal(b.code, 2);
            assert.match(b.err, new RegExp(`^${name}: stack dev: its outputs lack what ${name} reads \\(deploy the current program first\\):\n {2}region: .*\n {2}services: `));
        }
    });
});

describe("the real SDK clients, no AWS needed", () => {
    test("missing credentials: advice naming the command (exit 1)", async () => {
        const { code, err } = await withEnv(noCredentials, () => runTask(["app"]));
        assert.equal(code, 1);
        assert.match(err, /^task: no usable AWS credentials/);
        assert.ok(err.includes("AWS_PROFILE=<profile> npm run task"), err);
        assert.match(err, /\(ECS DescribeServices: Could not load credentials from any providers\)$/);
    });
});
