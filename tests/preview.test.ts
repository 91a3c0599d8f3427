// What `pulumi preview` catches before anything exists: configs the hosts cannot hold (refused, nothing
// registered), an AZ loss below the floor (a warning), and a lookup AWS cannot answer (a failed run).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, test } from "node:test";
import { CapacityError } from "../infra/stack";
import { deploy, RegisteredResource } from "./fakeAws";

describe("capacity check before anything is registered", () => {
    test("the dev stack fits, and keeps the AZ-loss floor without a warning", async () => {
        const dev = await deploy();
        assert.deepEqual(dev.warnings, []);
    });

    test("tasks that do not fit on the minimum hosts are refused, with the numbers", async () => {
        const registered: RegisteredResource[] = [];
        await assert.rejects(deploy({ instanceType: "t3.micro", containerMemory: "512" }, registered), (error: Error) => {
            assert.ok(error instanceof CapacityError, error.message);
            assert.match(error.message, /desired count does not fit on the Auto Scaling group's minimum hosts: 5 tasks of 512 MiB and 128 CPU units each need more than 2 x t3.micro/);
            assert.match(error.message, /At most 2 tasks fit \(1 per host, bound by registered memory\)/);
            return true;
        });
        assert.deepEqual(registered, []);
    });

    test("a deploy surge of the autoscaling maximum that the ASG's maximum cannot hold is refused", async () => {
        const registered: RegisteredResource[] = [];
        // 10 tasks at 200 % is 20 of 512 MiB: the minimum 2 hosts hold 5, the maximum 2 hosts only 6.
        await assert.rejects(deploy({ containerMemory: "512", asgMaxSize: "2" }, registered),
            (error: Error) => error instanceof CapacityError && /A rolling deploy at the autoscaling maximum cannot be placed: .* run up to 20 at once/.test(error.message));
        assert.deepEqual(registered, []);
    });

    test("losing the busiest AZ below the floor is a warning at preview, not an error", async () => {
        const three = await deploy({ desiredCount: "3" });
        assert.equal(three.warnings.length, 1);
        assert.match(three.warnings[0], /Losing us-east-1a, the AZ with the most of the service's tasks \(2 of 3\), would leave 1 task running in us-east-1b, below the AZ-loss floor of 2/);
        assert.ok(three.resources.length > 0);
    });
});

test("a lookup the fake AWS cannot answer fails the run instead of hanging", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "fixtures", "deployWithUnknownAz.ts")],
        { encoding: "utf8", timeout: 30_000 });
    assert.notEqual(run.status, 0, run.stderr);
    assert.match(run.stderr, /getSubnet: no matching subnet found .*us-east-1g/);
    assert.doesNotMatch(run.stdout, /deployed/);
});
