// What replaces the hosts' Auto Scaling group or the capacity provider. A replaced capacity provider has to leave the
// cluster's list while services still run on it, which ECS refuses (the up fails after 10 minutes of retries). So no
// config may reach their ForceNew inputs or their logical names: run the program on configs that change everything a
// config can change about the hosts and compare. README "Replacing the Auto Scaling group or the capacity provider"
// is the staged procedure for a deliberate replacement.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import {
    capacityProviderResourceName,
    forceNewInputs,
    hostAsgResourceName,
    refuseForceNewInputs,
} from "../infra/components/ecsCluster";
import { repoRoot } from "../infra/paths";
import type { Deployment } from "../offline/run";
import { stackConfigFile } from "../offline/stackFiles";
import { deploy } from "../offline/run";
import { Json, one, T } from "./resources";
import { deployed, shared } from "./shared";

const at = (value: unknown, dotted: string): unknown =>
    dotted.split(".").reduce<unknown>((v, key) => (v as Json | undefined)?.[key], value);

/** Configs that change what a config can change about the hosts; each must leave the ForceNew inputs alone. */
const runs: Record<string, () => Promise<Deployment>> = {
    "the seed (dev)": () => deployed(),
    "another instance type": () => deployed({ instanceType: "t3.medium" }),
    "three AZs": () => deployed({ availabilityZones: JSON.stringify(["us-east-1a", "us-east-1b", "us-east-1c"]) }),
    "two hosts per AZ": () => deployed({ hostsPerAz: "2", asgMaxSize: "8" }),
    "a larger asgMaxSize": () => deployed({ asgMaxSize: "10" }),
    "two services": () => shared("replacements:two-services", () => deploy({}, [], { stack: "two-services", base: stackConfigFile("two-services") })),
    // `pulumi stack rename` changes the stack's name, and with it the cluster's name.
    "another stack name": () => deployed({}, { stack: "renamed" }),
    "a preview": () => deployed({}, { preview: true }),
};

/** The URN without its stack: what `pulumi stack rename` rewrites, and nothing a config can change. */
const urnOf = (deployment: Deployment, type: string) =>
    one(deployment, type).urn.replace(`urn:pulumi:${deployment.stack}::`, "urn:pulumi:STACK::");

/** Everything about one run that, changed, would replace the group or the capacity provider. */
function replacementKey(deployment: Deployment) {
    const asg = one(deployment, T.asg);
    const cp = one(deployment, T.capacityProvider);
    return {
        asg: { name: asg.name, urn: urnOf(deployment, T.asg), parent: asg.parentUrn?.replace(`urn:pulumi:${deployment.stack}::`, ""), aliases: asg.aliases.length,
            forceNew: Object.fromEntries(forceNewInputs[T.asg].map((p) => [p, at(asg.inputs, p)])) },
        capacityProvider: { name: cp.name, urn: urnOf(deployment, T.capacityProvider), aliases: cp.aliases.length,
            forceNew: Object.fromEntries(forceNewInputs[T.capacityProvider]
                .filter((p) => p !== "autoScalingGroupProvider.autoScalingGroupArn").map((p) => [p, at(cp.inputs, p)])) },
    };
}

describe("the Auto Scaling group and the capacity provider are never replaced by a config", () => {
    const made = Object.fromEntries(Object.entries(runs).map(([label, run]) => [label, run()]));

    test("their logical names are the pinned constants", async () => {
        assert.equal(hostAsgResourceName, "host-asg");
        assert.equal(capacityProviderResourceName, "capacity-provider");
        for (const [label, run] of Object.entries(made)) {
            const deployment = await run;
            assert.equal(one(deployment, T.asg).name, hostAsgResourceName, label);
            assert.equal(one(deployment, T.capacityProvider).name, capacityProviderResourceName, label);
        }
    });

    test("their URNs (but for the stack) and ForceNew inputs are the same across every config", async () => {
        const [first, ...rest] = Object.entries(made);
        const expected = replacementKey(await first[1]);
        for (const [label, run] of rest) {
            assert.deepEqual(replacementKey(await run), expected, `${label} vs ${first[0]}`);
        }
    });

    test("no ForceNew input is set but the capacity provider's ASG ARN, which is the group's own", async () => {
        for (const [label, run] of Object.entries(made)) {
            const deployment = await run;
            const asg = one(deployment, T.asg);
            const cp = one(deployment, T.capacityProvider);
            for (const p of forceNewInputs[T.asg]) assert.equal(at(asg.inputs, p), undefined, `${label}: ASG ${p}`);
            for (const p of forceNewInputs[T.capacityProvider].filter((p) => !p.endsWith("autoScalingGroupArn"))) {
                assert.equal(at(cp.inputs, p), undefined, `${label}: capacity provider ${p}`);
            }
            if (!label.includes("preview")) {
                assert.equal(at(cp.inputs, "autoScalingGroupProvider.autoScalingGroupArn"), asg.state.arn, label);
            }
            assert.ok(cp.dependsOn.includes(hostAsgResourceName), label);
        }
    });

    test("what those configs do change on the group are inputs the provider updates in place", async () => {
        const updatable = (d: Deployment) => {
            const asg = one(d, T.asg).inputs;
            return { subnets: (asg.vpcZoneIdentifiers as string[]).length, min: asg.minSize, max: asg.maxSize,
                tags: JSON.stringify(asg.tags) };
        };
        const seed = updatable(await made["the seed (dev)"]);
        assert.notDeepEqual(updatable(await made["three AZs"]), seed);
        assert.notDeepEqual(updatable(await made["two hosts per AZ"]), seed);
        assert.notDeepEqual(updatable(await made["a larger asgMaxSize"]), seed);
        assert.notDeepEqual(updatable(await made["another stack name"]), seed);
        const changed = new Set(["vpcZoneIdentifiers", "minSize", "maxSize", "tags", "launchTemplate"]);
        for (const key of changed) {
            assert.ok(!(forceNewInputs[T.asg] as readonly string[]).includes(key), key);
        }
        // The instance type is the launch template's: a new version, which the group takes in place (and refreshes).
        assert.equal(one(await made["another instance type"], T.launchTemplate).inputs.instanceType, "t3.medium");
    });

    test("the capacity provider and the cluster's list of providers point at the one group", async () => {
        const deployment = await made["the seed (dev)"];
        const cp = one(deployment, T.capacityProvider);
        const list = one(deployment, "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders");
        assert.deepEqual(list.inputs.capacityProviders, [cp.state.name]);
        assert.deepEqual((list.inputs.defaultCapacityProviderStrategies as Json[]).map((s) => s.capacityProvider), [cp.state.name]);
    });
});

describe("a ForceNew input set on either resource is refused at preview", () => {
    test("the group's name, namePrefix or initial lifecycle hooks", () => {
        for (const args of [{ name: "ecs-on-ec2-dev-hosts" }, { namePrefix: "hosts-" }, { initialLifecycleHooks: [] }]) {
            assert.throws(() => refuseForceNewInputs(T.asg, { minSize: 1, maxSize: 2, ...args }),
                /ForceNew.*README "Replacing the Auto Scaling group or the capacity provider"/s);
        }
    });

    test("the capacity provider's name, cluster or managed instances", () => {
        const asgProvider = { autoScalingGroupProvider: { autoScalingGroupArn: "arn:aws:autoscaling:us-east-1:1:x" } };
        for (const args of [{ name: "hosts" }, { cluster: "c" }, { managedInstancesProvider: {} }]) {
            assert.throws(() => refuseForceNewInputs(T.capacityProvider, { ...asgProvider, ...args }), /ForceNew/);
        }
        assert.doesNotThrow(() => refuseForceNewInputs(T.capacityProvider, asgProvider));
    });
});

describe("README: the staged procedure, and no forceNewDeployment shortcut", () => {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const section = readme.split(/^#+ /m).find((s) => s.startsWith("Replacing the Auto Scaling group or the capacity provider")) ?? "";

    test("has the section the refusal names, in stages: add, move with a forced deployment, remove", () => {
        assert.ok(section, "no section");
        const steps = ["1. **Add.**", "2. **Move.**", "3. **Remove.**"].map((step) => section.indexOf(step));
        assert.ok(steps[0] >= 0 && steps[1] > steps[0] && steps[2] > steps[1], section);
        assert.match(section.slice(steps[0], steps[1]), /second capacity provider/);
        assert.match(section.slice(steps[1], steps[2]), /forceNewDeployment: true/);
        assert.match(section.slice(steps[2]), /Delete the old group and capacity provider/);
    });

    test("the troubleshooting row no longer says forceNewDeployment alone fixes a replacement", () => {
        assert.doesNotMatch(readme, /For that one up, set `forceNewDeployment: true`/);
    });
});
