// `pulumi up` and `pulumi preview` load infra/ (Pulumi.yaml's `main`) in a process of their own, in the
// program's folder, and call what its index exports. `npm run plan` run from that folder must plan what
// the suite's in-process run does: the program depends on neither the process nor the working directory.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { programDir } from "../infra/paths";
import { program } from "../infra/program";
import { StackPlan } from "../scripts/plan";
import { planScriptRun } from "./scripts";
import { deployed, planned, shared } from "./shared";

describe("the Pulumi CLI's path and the suite's", () => {
    test("the plan script, run from infra/ as the CLI runs the program, plans exactly what the suite's in-process run does", async () => {
        const { code, stdout, stderr } = await planScriptRun();
        assert.equal(code, 0, stderr);
        const real = JSON.parse(stdout) as StackPlan;
        assert.ok(real.resources.length > 40, `${real.resources.length} resources`);
        assert.deepEqual(real, JSON.parse(JSON.stringify(await shared("plan dev", () => planned("dev")))));
    });

    test("infra/, as the CLI loads Pulumi.yaml's main, exports the program the suite runs", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        assert.equal(require(programDir), program);
    });

    test("the program loads pulumi-aws service by service, never its index of ~250 services", async () => {
        await deployed();
        assert.equal(require.cache[require.resolve("@pulumi/aws")], undefined);
        assert.ok(require.cache[require.resolve("@pulumi/aws/ecs")]);
    });
});
