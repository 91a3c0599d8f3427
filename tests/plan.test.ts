import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, test } from "node:test";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { Deployment, RegisteredResource } from "../offline/run";
import { repoRoot } from "../infra/paths";
import { planScriptRun } from "./scripts";
import { planned, shared } from "./shared";
import { main, parsePlanArgs, planOf, planOfStack, renderPlan, renderStackPlan, StackPlan } from "../scripts/plan";

const snapshot = (stack: string) => path.join(__dirname, "snapshots", `${stack}.plan.txt`);
/** Every stack file's stack (Pulumi.<stack>.yaml): each has a reviewed plan snapshot. */
const stacks = fs.readdirSync(repoRoot).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []).sort();
// Each made once, for the tests that only read them.
const plans = Object.fromEntries(stacks.map((stack) => [stack, shared(`plan ${stack}`, () => planned(stack))]));

/** main's exit status and what it wrote, run in this process. */
async function runMain(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, { out: (text) => { stdout += text; }, err: (text) => { stderr += text; } });
    return { code, stdout, stderr };
}

describe("the offline plan", () => {
    for (const [stack, plan] of Object.entries(plans)) {
        test(`the ${stack} stack's plan matches its snapshot in the repo (update with \`npm run plan:update\`)`, async () => {
            assert.equal(renderStackPlan(await plan), fs.readFileSync(snapshot(stack), "utf8"),
                "the infrastructure changed: review the diff of `npm run plan:update` and commit it with the change");
        });
    }

    const devPlanAgain = planned("dev");
    test("--json carries the same plan, the warnings, the capacity summary and the cost, as stable JSON with secrets redacted", async () => {
        const first = JSON.stringify(await plans.dev);
        assert.equal(first, JSON.stringify(await devPlanAgain), "two runs give the same bytes");
        const plan = JSON.parse(first) as StackPlan;
        assert.deepEqual([plan.stack, plan.region, plan.resourceCount, plan.warnings], ["dev", "us-east-1", plan.resources.length, []]);
        assert.deepEqual(plan.capacity?.services.map((s) => [s.name, s.tasksPerAz]), [["app", { "us-east-1a": 3, "us-east-1b": 2 }]]);
        assert.equal(plan.cost.region, "us-east-1");
        assert.ok(plan.cost.min.totalUsd > 0 && plan.cost.max.totalUsd > plan.cost.min.totalUsd);
        const image = plan.resources.find((r) => r.type === "docker:index/image:Image");
        assert.equal(image?.properties.registry, "[secret]");
        assert.doesNotMatch(first, /placeholder-token/);
    });

    test("a preview warning shows in the header and in the JSON", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
        fs.writeFileSync(path.join(dir, "Pulumi.small.yaml"), "config:\n  aws:region: us-east-1\n  ecs-on-ec2:services:\n    app:\n      desiredCount: 3\n");
        const plan = await planned("small", dir);
        assert.equal(plan.warnings.length, 1);
        assert.match(renderStackPlan(plan), /^# Warnings pulumi preview would show: \n# {3}Service app: losing us-east-1a/m);
        fs.rmSync(dir, { recursive: true });
    });

    test("options that change behaviour are in the plan: ignored changes, explicit dependencies, aliases", async () => {
        const plan = await plans.dev;
        const service = plan.resources.find((r) => r.name === "app-service");
        assert.deepEqual(service?.options.ignoreChanges, ["desiredCount"]);
        assert.deepEqual([...service?.options.dependsOn as string[]].sort(), ["alb-from-internet-80", "alb-to-hosts-egress",
            "alb-to-hosts-ingress", "cluster-capacity-providers", "hosts-to-aws-apis", "http-listener"]);
        assert.deepEqual(service?.options.aliases, ["ecs-on-ec2:index:EcsOnEc2Stack$aws:ecs/service:Service::service"]);
        assert.match(renderStackPlan(plan), /^ +\[ignoreChanges\] \["desiredCount"\]$/m);
    });

    test("invented values look like placeholders, and ARNs have AWS's shape for their service", async () => {
        const plan = await plans.dev;
        const text = JSON.stringify(plan.resources);
        for (const arn of text.match(/arn:aws:[a-z0-9-]+:[a-z0-9-]*:\d*:[^"]+/g) ?? []) {
            assert.match(arn, /^arn:aws:(iam::(123456789012|aws|\d{12}):|s3:::|[a-z0-9-]+:us-east-1:123456789012:)/, arn);
        }
        assert.match(text, /arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/app-tg-0a1b2c3\/0000[0-9a-f]{12}/);
        assert.match(text, /"sg-0000[0-9a-f]{13}"/);
        // dev's only web service is the default route, with no rule: the listener's ARN shows in two-services' orders rule.
        assert.match(JSON.stringify((await plans["two-services"]).resources),
            /arn:aws:elasticloadbalancing:us-east-1:123456789012:listener\/app\/alb-0a1b2c3\/0000[0-9a-f]{12}\/0000[0-9a-f]{12}/);
    });
});

describe("plan's command line", () => {
    test("--stack, --json and --help; anything else is refused", () => {
        assert.deepEqual(parsePlanArgs([]), { stack: "dev", json: false, help: false });
        assert.deepEqual(parsePlanArgs(["--stack", "prod", "--json"]), { stack: "prod", json: true, help: false });
        assert.throws(() => parsePlanArgs(["--stack"]), /--stack takes a stack name, got ""/);
        assert.throws(() => parsePlanArgs(["--stack", "--json"]), /--stack takes a stack name, got "--json"/);
        assert.throws(() => parsePlanArgs(["--stak", "dev"]), /unknown argument "--stak"/);
        assert.throws(() => parsePlanArgs(["prod"]), /unknown argument "prod"/);
        assert.throws(() => parsePlanArgs(["--json=yes"]), /--json takes no value/);
    });

    test("--stack=NAME reads as --stack NAME, and is held to the same stack names", () => {
        assert.deepEqual(parsePlanArgs(["--stack=prod", "--json"]), parsePlanArgs(["--stack", "prod", "--json"]));
        assert.deepEqual(parsePlanArgs(["--stack=two-services"]), { stack: "two-services", json: false, help: false });
        assert.throws(() => parsePlanArgs(["--stack="]), /--stack takes a stack name, got ""/);
        assert.throws(() => parsePlanArgs(["--stack=../prod"]), /--stack takes a stack name, got "\.\.\/prod"/);
    });

    test("a stack file that is missing, empty or holds only its encryption salt is a clear error", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
        fs.writeFileSync(path.join(dir, "Pulumi.empty.yaml"), "");
        fs.writeFileSync(path.join(dir, "Pulumi.salted.yaml"), "encryptionsalt: v1:abc:def\n");
        await assert.rejects(planOfStack("missing", dir), /Pulumi.missing.yaml does not exist/);
        await assert.rejects(planOfStack("empty", dir), /Pulumi.empty.yaml sets no config; it needs at least aws:region/);
        await assert.rejects(planOfStack("salted", dir), /Pulumi.salted.yaml sets no config/);
        fs.rmSync(dir, { recursive: true });
    });

    test("the script: --json writes nothing but JSON to stdout; a bad flag exits 2 with the usage", async () => {
        // One process, for its exit status and its stdout; the usage paths through main itself.
        const json = await planScriptRun();
        const [bad, help] = [await runMain("--jsn"), await runMain("--help")];
        assert.equal(json.code, 0, json.stderr);
        assert.equal((JSON.parse(json.stdout) as StackPlan).stack, "dev");
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /plan: unknown argument "--jsn"\nusage: npm run -s plan/);
        assert.equal(help.code, 0);
        assert.match(help.stdout, /^usage: npm run -s plan -- \[--stack NAME\] \[--json\]/);
    });
});

test("the plan orders parents before children, expands JSON and user data, and neutralizes source hashes", () => {
    const resource = (name: string, parent: string | undefined, inputs: Record<string, unknown>): RegisteredResource => ({
        type: `test:index:${name}`, name, urn: `urn:${name}`, parent, parentUrn: parent && `urn:${parent}`, inputs, state: {},
        dependsOn: [], explicitDependsOn: [], ignoreChanges: [], protect: false, deleteBeforeReplace: false, aliases: [],
    });
    const deployment: Deployment = {
        stack: "dev", region: "us-east-1", outputs: {}, warnings: [], infos: [], invokes: [],
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
    assert.deepEqual(plan.map((r) => [r.name, r.depth]), [["root", 0], ["child-a", 1], ["child-b", 1]]);
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
