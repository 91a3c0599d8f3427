import { CloudWatchClient, DescribeAlarmsCommand, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { main } from "../scripts/alarmsBefore";
import { ReadOutputs, StackOutputsError } from "../scripts/stackOutputs";
import outputs from "./fixtures/status/outputs.json";
import typedOutputs from "./fixtures/status/typed-outputs.json";

interface Run { code: number; out: string[]; err: string[]; calls: { AlarmNames?: string[] }[]; regions: string[] }

/** Runs the check on `read`'s outputs, CloudWatch answering `alarms` (an instance mock: no other test's client is touched). */
async function run(argv: string[], read: ReadOutputs, alarms: MetricAlarm[] | Error = []): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const regions: string[] = [];
    const client = new CloudWatchClient({ region: "us-east-1" });
    const mock = mockClient(client);
    if (alarms instanceof Error) mock.on(DescribeAlarmsCommand).rejects(alarms);
    else mock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: alarms });
    const code = await main(argv, {
        readOutputs: read,
        cloudwatch: (region) => { regions.push(region); return client; },
        out: (text) => out.push(text),
        err: (text) => err.push(text),
    });
    return { code, out, err, calls: mock.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input), regions };
}

const deployed: ReadOutputs = (stack) => ({ stack: stack ?? "dev", outputs: structuredClone(outputs) });
const unhealthyHosts: MetricAlarm = {
    AlarmName: "ecs-on-ec2-dev-app-unhealthy-hosts", StateValue: "ALARM",
    StateReason: "Threshold Crossed: 1 out of the last 1 datapoints [2.0 (25/11/26 09:50:00)] was greater than or equal to the threshold (1.0).",
};
const fiveXx: MetricAlarm = { AlarmName: "ecs-on-ec2-dev-app-5xx-rate", StateValue: "OK", StateReason: "Threshold Crossed: no breach" };
const why = "ECS ignores the deployment alarms for a deployment that starts while one is in ALARM: this deploy would not roll back on them. "
    + "Find out why it fires first (npm run status).";

describe("scripts/alarmsBefore.ts: the warning before an up (aws-sdk-client-mock)", () => {
    test("an alarm in ALARM: one warning naming it and its reason, then why it matters; exit 0", async () => {
        const r = await run(["--stack", "dev"], deployed, [fiveXx, unhealthyHosts]);
        assert.equal(r.code, 0);
        assert.deepEqual(r.out, [`warning: deployment alarm ecs-on-ec2-dev-app-unhealthy-hosts of service app is in ALARM: ${unhealthyHosts.StateReason}`, `warning: ${why}`]);
        assert.deepEqual(r.err, []);
        assert.deepEqual(r.calls.map((c) => c.AlarmNames), [outputs.services.app.alarmNames]);
        assert.deepEqual(r.regions, ["us-east-1"]);
    });

    test("--github: the same warnings as ::warning:: annotations", async () => {
        const r = await run(["--stack", "dev", "--github"], deployed, [unhealthyHosts]);
        assert.equal(r.code, 0);
        assert.deepEqual(r.out, [`::warning::deployment alarm ecs-on-ec2-dev-app-unhealthy-hosts of service app is in ALARM: ${unhealthyHosts.StateReason}`, `::warning::${why}`]);
    });

    test("none in ALARM: nothing at all", async () => {
        const r = await run([], deployed, [fiveXx, { ...unhealthyHosts, StateValue: "INSUFFICIENT_DATA" }]);
        assert.deepEqual([r.code, r.out, r.err], [0, [], []]);
    });

    test("a stack never deployed has no outputs: nothing, and CloudWatch is not asked", async () => {
        const r = await run(["--stack", "dev"], (stack) => ({ stack: stack ?? "dev", outputs: {} }), [unhealthyHosts]);
        assert.deepEqual([r.code, r.out, r.err, r.calls], [0, [], [], []]);
    });

    test("only the services' deployment alarms: a job's failed-run alarm is not one", async () => {
        const read: ReadOutputs = () => ({ stack: "dev", outputs: structuredClone(typedOutputs) });
        const r = await run([], read, []);
        const asked = r.calls.flatMap((c) => c.AlarmNames ?? []);
        assert.ok(asked.length > 0);
        assert.ok(!asked.includes("ecs-on-ec2-dev-report-failed-runs"), asked.join(", "));
        assert.deepEqual(asked, typedOutputs.services.app.alarmNames);
    });

    test("it never stops a deploy: unreadable outputs or a refused call are a one-line note, exit 0", async () => {
        const unreadable = await run(["--stack", "dev"], () => { throw new StackOutputsError("no stack named 'dev' found"); });
        assert.deepEqual([unreadable.code, unreadable.out, unreadable.err], [0, [], ["deployment alarms not checked: no stack named 'dev' found"]]);
        const refused = Object.assign(new Error("User is not authorized to perform: cloudwatch:DescribeAlarms"), { name: "AccessDenied" });
        const denied = await run(["--github"], deployed, refused);
        assert.equal(denied.code, 0);
        assert.deepEqual(denied.out, []);
        assert.match(denied.err.join("\n"), /^::notice::deployment alarms not checked: CloudWatch DescribeAlarms failed: AccessDenied: /);
    });

    test("a command line it cannot read: exit 2 with the usage", async () => {
        const r = await run(["--stak", "dev"], deployed);
        assert.equal(r.code, 2);
        assert.match(r.err.join("\n"), /^usage: tsx scripts\/alarmsBefore.ts \[--stack NAME\] \[--github\]/);
    });
});
