// A rollback always has an ACTIVE revision to return to (every task definition has skipDestroy, and `npm run
// destroy` cleans the revisions up after the stack is gone), and `pulumi destroy` deletes the security-group rules
// only after the hosts and the ECS services that use them (they depend on the rules; Pulumi deletes dependents first).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { repoRoot } from "../infra/paths";
import { Deployment, RegisteredResource } from "../offline/run";
import { stackConfigFile } from "../offline/stackFiles";
import { all, one, T } from "./resources";
import { deployed } from "./shared";

const runs = (): [string, Promise<Deployment>][] => [
    ["dev", deployed()],
    ["microservices", deployed(stackConfigFile("microservices"), { stack: "microservices" })],
    ["two-services", deployed(stackConfigFile("two-services"), { stack: "two-services" })],
    ["host egress", deployed({ hostEgress: JSON.stringify([
        { port: 5432, securityGroupId: "sg-0123456789abcdef0", description: "Postgres orders-db" },
    ]) })],
];

/** The rules on the security group named `group` (each rule's securityGroupId is that group's id). */
function rulesOn(stack: Deployment, group: string): RegisteredResource[] {
    const id = one(stack, T.securityGroup, group).state.id;
    return [...all(stack, T.ingress), ...all(stack, T.egress)].filter((rule) => rule.inputs.securityGroupId === id);
}

/**
 * The order `pulumi destroy` deletes in, as the engine orders it: a resource goes only after everything that
 * depends on it. Fails on a cycle.
 */
function deletionOrder(resources: readonly RegisteredResource[]): string[] {
    const key = (r: RegisteredResource) => `${r.type}::${r.name}`;
    const byName = new Map<string, RegisteredResource[]>();
    resources.forEach((r) => byName.set(r.name, [...(byName.get(r.name) ?? []), r]));
    const dependents = new Map<string, number>(resources.map((r) => [key(r), 0]));
    for (const r of resources) {
        for (const dependency of new Set(r.dependsOn)) {
            for (const d of byName.get(dependency) ?? []) dependents.set(key(d), (dependents.get(key(d)) ?? 0) + 1);
        }
    }
    const order: string[] = [];
    const ready = resources.filter((r) => dependents.get(key(r)) === 0);
    while (ready.length > 0) {
        const next = ready.shift() as RegisteredResource;
        order.push(key(next));
        for (const dependency of new Set(next.dependsOn)) {
            for (const d of byName.get(dependency) ?? []) {
                const left = (dependents.get(key(d)) ?? 0) - 1;
                dependents.set(key(d), left);
                if (left === 0) ready.push(d);
            }
        }
    }
    assert.equal(order.length, resources.length, "the dependencies have a cycle");
    return order;
}

describe("a rollback always has an ACTIVE revision to return to", () => {
    for (const [name, run] of runs()) {
        test(`${name}: every task definition keeps its revision registered when replaced or destroyed (skipDestroy)`, async () => {
            const definitions = all(await run, T.taskDefinition);
            assert.ok(definitions.length > 0);
            for (const definition of definitions) {
                assert.equal(definition.inputs.skipDestroy, true, definition.name);
            }
        });
    }

    test("npm run destroy, then the Destroy workflow, clean the revisions up only after pulumi destroy succeeded", () => {
        const script = fs.readFileSync(path.join(repoRoot, "scripts/stack.sh"), "utf8");
        const destroy = script.indexOf('pulumi destroy --stack "$stack"');
        const cleanup = script.indexOf('npx tsx scripts/cleanupTaskDefinitions.ts "$stack"');
        assert.ok(destroy > 0 && cleanup > destroy, "stack.sh: cleanup after the destroy");
        assert.match(script, /^set -euo pipefail$/m, "a failed destroy stops the script before the cleanup");
        type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
        const workflow = parse(fs.readFileSync(path.join(repoRoot, ".github/workflows/destroy.yml"), "utf8")) as
            { jobs: { destroy: { steps: Step[] } } };
        const steps = workflow.jobs.destroy.steps;
        const pulumiDestroy = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions") && s.with?.command === "destroy");
        const workflowCleanup = steps.findIndex((s) => s.run === "npx tsx scripts/cleanupTaskDefinitions.ts dev");
        assert.ok(pulumiDestroy >= 0 && workflowCleanup === steps.length - 1 && workflowCleanup > pulumiDestroy);
    });
});

describe("pulumi destroy deletes the security-group rules after the hosts and the services that use them", () => {
    for (const [name, run] of runs()) {
        test(`${name}: the ASG depends on every rule of the hosts' group; each ECS service on those, a web service on the ALB's too`, async () => {
            const stack = await run;
            const hostRules = rulesOn(stack, "host-security-group").map((r) => r.name).sort();
            const albRules = rulesOn(stack, "alb-security-group").map((r) => r.name).sort();
            assert.ok(hostRules.includes("hosts-to-aws-apis") && hostRules.includes("alb-to-hosts-ingress"), hostRules.join(", "));
            assert.ok(albRules.includes("alb-to-hosts-egress") && albRules.includes("alb-from-internet-80"), albRules.join(", "));
            const asg = one(stack, T.asg);
            assert.deepEqual(hostRules.filter((rule) => !asg.explicitDependsOn.includes(rule)), []);
            assert.deepEqual(albRules.filter((rule) => asg.explicitDependsOn.includes(rule)), [], "the hosts need none of the ALB's");
            const services = all(stack, T.service);
            assert.ok(services.length > 0);
            for (const service of services) {
                const web = (service.inputs.loadBalancers as unknown[] | undefined ?? []).length > 0;
                const needed = web ? [...hostRules, ...albRules] : hostRules;
                assert.deepEqual(needed.filter((rule) => !service.explicitDependsOn.includes(rule)), [], service.name);
                if (!web) {
                    assert.deepEqual(albRules.filter((rule) => service.explicitDependsOn.includes(rule)), [], service.name);
                }
            }
            // In the order the engine deletes, the hosts' rules go after the ASG and every ECS service, the ALB's
            // after every web service.
            const order = deletionOrder(stack.resources);
            const at = (r: RegisteredResource) => order.indexOf(`${r.type}::${r.name}`);
            const webServices = services.filter((service) => (service.inputs.loadBalancers as unknown[] | undefined ?? []).length > 0);
            for (const [group, users] of [["host-security-group", [asg, ...services]], ["alb-security-group", webServices]] as const) {
                const lastUser = Math.max(...users.map(at));
                for (const rule of rulesOn(stack, group)) {
                    assert.ok(at(rule) > lastUser, `${rule.name} is deleted before a host or service that uses it`);
                }
            }
        });
    }
});
