import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { planOf, planOfStack, renderPlan } from "../scripts/plan";
import { Deployment } from "./fakeAws";

const snapshotFile = path.join(__dirname, "snapshots", "dev.plan.txt");

test("the dev stack's plan matches the snapshot in the repo (update it with `npm run plan:update`)", async () => {
    const plan = await planOfStack("dev", "text");
    assert.equal(plan, fs.readFileSync(snapshotFile, "utf8"),
        "the infrastructure changed: review the diff of `npm run plan:update` and commit it with the change");
});

test("--json is the same plan as stable JSON, with secrets redacted", async () => {
    const json = await planOfStack("dev", "json");
    assert.equal(json, await planOfStack("dev", "json"), "two runs give the same bytes");
    const plan = JSON.parse(json) as { type: string; name: string; properties: Record<string, unknown> }[];
    const image = plan.find((r) => r.type === "docker:index/image:Image");
    assert.equal(image?.properties.registry, "[secret]");
    assert.doesNotMatch(json, /"token"/);
    assert.deepEqual(plan.map((r) => r.name), fs.readFileSync(snapshotFile, "utf8")
        .split("\n").filter((line) => /^\s*\S+ {2}\(/.test(line)).map((line) => line.trim().split(" ")[0]));
});

test("the plan orders parents before children, expands JSON and user data, and neutralizes source hashes", () => {
    const resource = (name: string, parent: string | undefined, inputs: Record<string, unknown>) =>
        ({ type: `test:index:${name}`, name, parent, inputs, state: {}, dependsOn: [], ignoreChanges: [] });
    const deployment: Deployment = {
        outputs: {},
        warnings: [],
        resources: [
            resource("child-b", "root", {
                policy: JSON.stringify({ Statement: [{ Action: "s3:GetObject" }] }),
                password: { [specialSigKey]: specialSecretSig, value: "hunter2" },
            }),
            resource("root", undefined, {}),
            resource("child-a", "root", {
                userData: Buffer.from("#!/bin/bash\necho hi\n").toString("base64"),
                image: `repo@sha256:${"a".repeat(64)}`,
                imageName: "repo:src-0123456789abcdef",
            }),
        ],
    };
    const plan = planOf(deployment);
    assert.deepEqual(plan.map((r) => r.name), ["root", "child-a", "child-b"]);
    assert.deepEqual(plan[1].properties, {
        image: "repo@sha256:<digest>",
        imageName: "repo:src-<content hash>",
        "userData.0": "#!/bin/bash",
        "userData.1": "echo hi",
    });
    assert.deepEqual(plan[2].properties, { password: "[secret]", "policy.Statement.0.Action": "s3:GetObject" });
    assert.equal(renderPlan(plan), [
        "root  (test:index:root)",
        "  child-a  (test:index:child-a)",
        '      image: "repo@sha256:<digest>"',
        '      imageName: "repo:src-<content hash>"',
        '      userData.0: "#!/bin/bash"',
        '      userData.1: "echo hi"',
        "  child-b  (test:index:child-b)",
        '      password: "[secret]"',
        '      policy.Statement.0.Action: "s3:GetObject"',
        "",
    ].join("\n"));
});
