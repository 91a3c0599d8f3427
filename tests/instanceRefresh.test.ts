// The hosts' instance refresh: the preferences the program gives the Auto Scaling group (and the fake AWS accepts),
// and scripts/waitForInstanceRefresh.ts, which `npm run deploy` and the deploy workflow run between the up and the
// smoke check. AWS is aws-sdk-client-mock and time a fake clock: no AWS, no waiting.
import { AutoScalingClient, DescribeInstanceRefreshesCommand, InstanceRefresh } from "@aws-sdk/client-auto-scaling";
import { mockClient } from "aws-sdk-client-mock";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, before, describe, test } from "node:test";
import { parse } from "yaml";
import { resourceRules } from "../offline/awsRules";
import type { Deployment } from "../offline/run";
import { repoRoot } from "../infra/paths";
import { Clock } from "../scripts/operator/clock";
import { ReadOutputs } from "../scripts/stackOutputs";
import { clockSkewMs, main, pick } from "../scripts/waitForInstanceRefresh";
import { input, T } from "./resources";
import { deployed } from "./shared";

const group = "ecs-on-ec2-dev-hosts-5d1e7a2";
const upStarted = "2026-11-25T10:00:00Z";
const at = (hhmmss: string) => new Date(`2026-11-25T${hhmmss}Z`);
const outputs: ReadOutputs = (stack) => ({ stack: stack ?? "dev", outputs: { autoScalingGroupName: group, region: "us-east-1", url: "http://x" } });

function fakeClock(): Clock & { slept: number[] } {
    let now = at("10:05:00").getTime();
    const slept: number[] = [];
    return { slept, now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; } };
}

const refresh = (id: string, status: string, startTime: Date, more: Partial<InstanceRefresh> = {}): InstanceRefresh =>
    ({ InstanceRefreshId: id, AutoScalingGroupName: group, Status: status, StartTime: startTime, ...more } as InstanceRefresh);

async function run(args: string[] = ["--stack", "dev", "--since", upStarted]) {
    const out: string[] = [];
    const err: string[] = [];
    const clock = fakeClock();
    const code = await main(args, { readOutputs: outputs, clock, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err, slept: clock.slept };
}

describe("the Auto Scaling group's instance refresh preferences", () => {
    let stack: Deployment;
    const devRun = deployed();
    before(async () => { stack = await devRun; });

    test("Rolling at 100-200 %: every host's replacement launches in one batch before any old host goes; the fake AWS accepts it", () => {
        const asg = input(stack, T.asg);
        assert.deepEqual(asg.instanceRefresh, { strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 } });
        assert.deepEqual(resourceRules["aws:autoscaling/group:Group"](asg, { logicalName: "host-asg", physicalName: group }), []);
        // A refresh starts on a launch template change only if the group names a version number, not $Latest.
        assert.match(String((asg.launchTemplate as { version: string }).version), /^\d+$/);
    });
});

describe("waitForInstanceRefresh", () => {
    const autoScaling = mockClient(AutoScalingClient);
    afterEach(() => autoScaling.reset());
    const describes = () => autoScaling.commandCalls(DescribeInstanceRefreshesCommand).map((c) => c.args[0].input);

    test("a refresh the up started that already succeeded: exit 0 without waiting", async () => {
        autoScaling.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [
            refresh("new", "Successful", at("10:02:00"), { PercentageComplete: 100, InstancesToUpdate: 0 }),
            refresh("old", "Failed", at("09:00:00"), { StatusReason: "an earlier one" }),
        ] });
        const { code, out, err, slept } = await run();
        assert.equal(code, 0, err.join("\n"));
        assert.deepEqual(out, [`instance refresh new of ${group}: Successful, 100% complete, 0 host(s) still to replace`]);
        assert.deepEqual(slept, []);
        assert.deepEqual(describes(), [{ AutoScalingGroupName: group, MaxRecords: 20 }]);
    });

    test("in progress, then successful: progress printed as it changes, polled by the refresh's ID, exit 0", async () => {
        autoScaling.on(DescribeInstanceRefreshesCommand)
            .resolvesOnce({ InstanceRefreshes: [refresh("r1", "Pending", at("10:02:00"))] })
            .resolvesOnce({ InstanceRefreshes: [refresh("r1", "InProgress", at("10:02:00"), { PercentageComplete: 0, InstancesToUpdate: 2 })] })
            .resolvesOnce({ InstanceRefreshes: [refresh("r1", "InProgress", at("10:02:00"), { PercentageComplete: 0, InstancesToUpdate: 2 })] })
            .resolvesOnce({ InstanceRefreshes: [refresh("r1", "InProgress", at("10:02:00"), { PercentageComplete: 50, InstancesToUpdate: 1 })] })
            .resolves({ InstanceRefreshes: [refresh("r1", "Successful", at("10:02:00"), { PercentageComplete: 100, InstancesToUpdate: 0 })] });
        const { code, out, slept } = await run(["--since", upStarted, "--interval-seconds", "30"]);
        assert.equal(code, 0);
        assert.deepEqual(out, [
            `instance refresh r1 of ${group}: Pending`,
            `instance refresh r1 of ${group}: InProgress, 0% complete, 2 host(s) still to replace`,
            `instance refresh r1 of ${group}: InProgress, 50% complete, 1 host(s) still to replace`,
            `instance refresh r1 of ${group}: Successful, 100% complete, 0 host(s) still to replace`,
        ]);
        assert.deepEqual(slept, [30_000, 30_000, 30_000, 30_000]);
        assert.deepEqual(describes().slice(1), Array(4).fill({ AutoScalingGroupName: group, InstanceRefreshIds: ["r1"] }));
    });

    for (const status of ["Failed", "Cancelled", "RollbackSuccessful"]) {
        test(`a refresh that ends ${status}: exit 1 with AWS's reason`, async () => {
            const reason = "Instance failed to launch: InsufficientInstanceCapacity in us-east-1a";
            autoScaling.on(DescribeInstanceRefreshesCommand)
                .resolvesOnce({ InstanceRefreshes: [refresh("r2", "InProgress", at("10:01:00"), { PercentageComplete: 0, InstancesToUpdate: 2 })] })
                .resolves({ InstanceRefreshes: [refresh("r2", status, at("10:01:00"), { StatusReason: reason, PercentageComplete: 0 })] });
            const { code, err } = await run();
            assert.equal(code, 1);
            assert.equal(err.length, 1);
            assert.match(err[0], new RegExp(`instance refresh r2 of ${group} ended ${status}: ${reason}`));
        });
    }

    test("no refresh since the up and none running: exit 0 at once, an old failed one notwithstanding", async () => {
        autoScaling.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [refresh("old", "Failed", at("08:00:00"), { StatusReason: "old" })] });
        const { code, out, slept } = await run();
        assert.equal(code, 0);
        assert.deepEqual(out, [`no instance refresh running on ${group}: the hosts are as the launch template says`]);
        assert.deepEqual(slept, []);
        autoScaling.reset();
        autoScaling.on(DescribeInstanceRefreshesCommand).resolves({});
        assert.equal((await run()).code, 0, "a group that never had a refresh");
    });

    test("a refresh started before the up and still running is waited for too", () => {
        const earlier = refresh("earlier", "InProgress", at("09:50:00"));
        assert.equal(pick([refresh("done", "Successful", at("09:00:00")), earlier], Date.parse(upStarted)), earlier);
        // The runner's clock may be ahead of AWS's: a refresh stamped a little before --since is the up's.
        const skewed = refresh("skewed", "Pending", new Date(Date.parse(upStarted) - clockSkewMs + 1000));
        assert.equal(pick([earlier, skewed], Date.parse(upStarted)), skewed);
        assert.equal(pick([refresh("done", "Successful", at("09:00:00"))], undefined), undefined);
    });

    test("timeout: a refresh still in progress after --timeout-minutes exits 1, naming how to follow it", async () => {
        autoScaling.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [
            refresh("slow", "InProgress", at("10:03:00"), { PercentageComplete: 50, InstancesToUpdate: 1 }),
        ] });
        const { code, err, slept } = await run(["--since", upStarted, "--timeout-minutes", "60"]);
        assert.equal(code, 1);
        assert.equal(slept.reduce((a, b) => a + b, 0), 60 * 60_000, "polled every 15 s for exactly the hour");
        assert.match(err[0], /still InProgress after 60 minutes \(InProgress, 50% complete, 1 host\(s\) still to replace\); it goes on in AWS/);
        assert.match(err[0], new RegExp(`aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${group} --region us-east-1`));
    });

    test("usage and outputs: a bad --since or a stack without the group's name exit 2; an AWS error exits 2", async () => {
        const bad = await run(["--since", "yesterday"]);
        assert.equal(bad.code, 2);
        assert.match(bad.err[0], /--since takes an ISO time/);
        const err: string[] = [];
        const noGroup = await main([], {
            readOutputs: () => ({ stack: "old", outputs: { region: "us-east-1" } }), clock: fakeClock(), out: () => undefined, err: (l) => err.push(l),
        });
        assert.equal(noGroup, 2);
        assert.match(err[0], /autoScalingGroupName/);
        autoScaling.on(DescribeInstanceRefreshesCommand).rejects(new Error("ExpiredToken"));
        const denied = await run();
        assert.equal(denied.code, 2);
        assert.match(denied.err[0], /DescribeInstanceRefreshes on .* failed: ExpiredToken/);
    });
});

describe("npm run deploy and the deploy workflow wait for the refresh before the smoke check", () => {
    const text = (file: string) => fs.readFileSync(path.join(repoRoot, file), "utf8");

    test("scripts/stack.sh up: the time before the up, the up, the wait since then, then the smoke check", () => {
        const script = text("scripts/stack.sh");
        const up = script.indexOf("pulumi up --stack");
        const started = script.search(/started=\$\(date -u \+%Y-%m-%dT%H:%M:%SZ\)/);
        const wait = script.indexOf('npx tsx scripts/waitForInstanceRefresh.ts --stack "$stack" --since "$started"');
        const smoke = script.indexOf("npx tsx scripts/smoke.ts");
        assert.ok(started >= 0 && wait >= 0, script);
        assert.ok(started < up && up < wait && wait < smoke, "date, up, wait, smoke");
        assert.equal(script.match(/waitForInstanceRefresh/g)?.length, 1, "on the up path only");
    });

    test("deploy.yml: the start time, the up, the wait on the same backend, then the smoke check", () => {
        type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
        const steps = (parse(text(".github/workflows/deploy.yml")) as { jobs: { deploy: { steps: Step[] } } }).jobs.deploy.steps;
        const started = steps.findIndex((s) => s.run === 'echo "UP_STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$GITHUB_ENV"');
        const up = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions") && s.with?.command === "up");
        const wait = steps.findIndex((s) => s.run === 'npx tsx scripts/waitForInstanceRefresh.ts --stack dev --since "$UP_STARTED_AT" --timeout-minutes 40');
        const smoke = steps.findIndex((s) => s.run === "npm run smoke -- --stack dev");
        assert.ok(started >= 0 && wait >= 0, JSON.stringify(steps, null, 1));
        assert.ok(started < up && up < wait && wait < smoke, "start time, up, wait, smoke");
        // The job's own environment names the up's backend, for this step and the smoke check alike.
        assert.equal(steps[wait].env, undefined);
    });
});
