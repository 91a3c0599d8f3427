import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { lintWorkflow, workflowFiles } from "../scripts/lint-workflows";

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { if?: string; uses?: string; needs?: string; permissions?: Record<string, string>; steps?: Step[] };
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; concurrency?: { group: string; "cancel-in-progress": boolean }; jobs: Record<string, Job> };

const root = path.resolve(__dirname, "..");
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
    assert.equal(stepUsing(workflow("test").jobs.test, "actions/setup-dotnet")?.with?.["dotnet-version"], "10.0.x");
    assert.match(text(".ci/run"), /^npm cit /m);
});

test("pull requests: tests for all, the cloud preview with a PR comment only for this repository's branches", () => {
    const pr = workflow("pull-request");
    assert.equal(pr.jobs.test.uses, "./.github/workflows/test.yml");
    const preview = pr.jobs.preview;
    assert.equal(preview.needs, "test");
    assert.equal(preview.if, "github.event.pull_request.head.repo.full_name == github.repository");
    assert.deepEqual(preview.permissions, { contents: "read", "id-token": "write", "pull-requests": "write" });
    assert.deepEqual(stepUsing(preview, "pulumi/actions")?.with, {
        command: "preview", "stack-name": "dev", "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}", "comment-on-pr": true, diff: true,
    });
});

test("main deploys the dev stack one run at a time, then smoke-checks it", () => {
    const deploy = workflow("deploy");
    assert.deepEqual(deploy.on, { push: { branches: ["main"] } });
    assert.deepEqual(deploy.concurrency, { group: "deploy-dev", "cancel-in-progress": false });
    const job = deploy.jobs.deploy;
    assert.equal(job.needs, "test");
    assert.equal(stepUsing(job, "pulumi/actions")?.with?.command, "up");
    assert.ok(stepUsing(job, "docker/setup-buildx-action"));
    const steps = job.steps ?? [];
    assert.ok(steps.findIndex((s) => s.run?.startsWith("npm run smoke")) > steps.findIndex((s) => s.uses?.startsWith("pulumi/actions")));
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
                assert.deepEqual(credentials.with, { "role-to-assume": "${{ vars.AWS_ROLE_ARN }}", "aws-region": "us-east-1" });
            }
        }
    }
});
