// `pulumi up` and `pulumi preview` run infra/ under the Pulumi CLI with plain module resolution, while the
// offline plan and this suite run bundles (scripts/build-offline.mjs) that load pulumi-aws per service and
// defer typescript and arborist. These tests hold the two paths to the same program.
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, test } from "node:test";
import { repoRoot } from "../offline/stackFiles";
import { runNode } from "./scripts";
import { deferredInWorker, deployed } from "./shared";

interface RealPath { entry: string; urns: string[]; typescript: boolean; awsIndex: boolean }

// Started as the file loads, so it runs beside the tests before it; those tests' threads come first (nice 5),
// as this file's tests run last (scripts/build-offline.mjs).
const realPath = runNode(["--import", "tsx", path.join(repoRoot, "tests", "realPathChild.ts")], { cwd: repoRoot }, { nice: 5 });

describe("the Pulumi CLI's path and the offline one", () => {
    test("Pulumi.yaml's main, infra/, loads under plain module resolution (pulumi-aws service by service), exports the program, and it runs", async () => {
        const { code, stdout, stderr } = await realPath;
        assert.equal(code, 0, stderr);
        const real = JSON.parse(stdout) as RealPath;
        assert.equal(real.entry, "function");
        assert.deepEqual([real.typescript, real.awsIndex], [true, false]);
        assert.ok(real.urns.length > 40, `${real.urns.length} resources`);
    });

    test("the offline path registers exactly the resources the program registers under plain resolution", async () => {
        const offline = (await deployed()).resources.map((r) => r.urn).sort();
        const real = JSON.parse((await realPath).stdout) as RealPath;
        assert.deepEqual(offline, real.urns);
    });

    test("a run on the mocks from the bundles loads none of the packages it defers: typescript, arborist, the automation API...", { skip: process.env.OFFLINE_BUILD !== "tests" && "runs from the bundles only" }, async () => {
        // The runs of the program, in their worker thread, with its own modules.
        await deployed();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const lazy = require(path.join(repoRoot, "scripts", "lazy-requires.cjs")) as { deferred: string[] };
        assert.ok(["typescript", "@npmcli/arborist", "@pulumi/pulumi/automation"].every((name) => lazy.deferred.includes(name)));
        assert.deepEqual(await deferredInWorker(), lazy.deferred);
    });

    test("a deferred package is the real one on first use: the SDK's automation API works through its stand-in", async () => {
        const { automation } = await import("@pulumi/pulumi");
        assert.equal(typeof automation.LocalWorkspace.create, "function");
        assert.equal(automation.fullyQualifiedStackName("org", "project", "stack"), "org/project/stack");
        assert.ok(automation.LocalWorkspace.prototype instanceof Object && "installPlugin" in automation.LocalWorkspace.prototype);
    });
});
