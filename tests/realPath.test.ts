// `pulumi up` and `pulumi preview` load infra/ as Pulumi.yaml's `main`, in a process of their own, from
// the program's folder. These tests hold that path and the suite's in-process runs to the same program.
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, test } from "node:test";
import { programDir } from "../infra/paths";
import { runNode } from "./scripts";
import { deployed } from "./shared";

interface RealPath { entry: string; urns: string[]; imageBuild: unknown; typescript: boolean; awsIndex: boolean }

describe("the Pulumi CLI's path and the suite's", () => {
    const realPath = () => runNode(["--import", "tsx", path.join(programDir, "..", "tests", "realPathChild.ts")], { cwd: programDir });

    test("Pulumi.yaml's main, infra/, loads in a process of its own from its folder (pulumi-aws service by service), exports the program, and it runs", async () => {
        const { code, stdout, stderr } = await realPath();
        assert.equal(code, 0, stderr);
        const real = JSON.parse(stdout) as RealPath;
        assert.equal(real.entry, "function");
        assert.deepEqual([real.typescript, real.awsIndex], [true, false]);
        assert.ok(real.urns.length > 40, `${real.urns.length} resources`);
        const suiteRun = await deployed();
        assert.deepEqual(suiteRun.resources.map((r) => r.urn).sort(), real.urns, "the suite's runs register exactly the resources the program registers there");
        // The suite runs from the repository's root: the image's inputs do not depend on the working directory.
        assert.deepEqual(suiteRun.resources.find((r) => r.type === "docker:index/image:Image")?.inputs.build, real.imageBuild);
    });
});
