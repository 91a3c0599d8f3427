// A service that runs an existing image (`image` in the services map): the stack pulls it by digest for the
// hosts' platform, tags it into the service's ECR repository, pushes it, and pins the pushed digest; a moving
// upstream tag is followed, and an up that finds it where it was changes nothing.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { copyTag } from "../infra/components/imageRepository";
import { ConfigError } from "../infra/config";
import { invokeRules, resourceRules } from "../offline/awsRules";
import { emptyRegistry, FakeAws } from "../offline/fakeAws";
import { deploy, Deployment } from "../offline/run";
import { all, assertRefusedBeforeRegistering, input, Json, one, services, state, T } from "./resources";
import { deployed, redeployed } from "./shared";

const D = {
    pull: "docker:index/remoteImage:RemoteImage",
    tag: "docker:index/tag:Tag",
    push: "docker:index/registryImage:RegistryImage",
    lookUp: "docker:index/getRegistryImage:getRegistryImage",
} as const;

const reference = "lobster1234/tomcat:8.5.20";
const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
const withTomcat = (image: string) => services({ app: {}, tomcat: { image, pathPatterns: ["/tomcat/*"] } });

const containerImage = (deployment: Deployment, service: string) =>
    (JSON.parse(String(input(deployment, T.taskDefinition, `${service}-task-definition`).containerDefinitions)) as Json[])[0].image;
const repositoryUrl = (deployment: Deployment, service: string) => String(state(deployment, T.repository, `${service}-repository`).repositoryUrl);
const lookUps = (deployment: Deployment) => deployment.invokes.filter((i) => i.token === D.lookUp).map((i) => i.inputs);
/** The inputs of the copy's pull, tag and push, and the image its task definition runs. */
const copyOf = (deployment: Deployment) => ({
    pull: input(deployment, D.pull, "tomcat-pull"),
    tag: input(deployment, D.tag, "tomcat-tag"),
    push: input(deployment, D.push, "tomcat-push"),
    image: containerImage(deployment, "tomcat"),
});

describe("a service copied from an existing image", () => {
    let stack: Deployment;
    let upstream: string;
    const run = deployed(withTomcat(reference));
    before(async () => {
        stack = await run;
        upstream = String(input(stack, D.pull, "tomcat-pull").name).split("@")[1];
    });

    test("reads the digest the upstream tag names now, from its registry", () => {
        assert.deepEqual(lookUps(stack), [{ name: reference }]);
        assert.match(upstream, /^sha256:0000[0-9a-f]{60}$/);
    });

    test("pulls that digest for the hosts' platform, in the service's ImageRepository", () => {
        const pull = one(stack, D.pull, "tomcat-pull");
        assert.deepEqual(pull.inputs, { name: `lobster1234/tomcat@${upstream}`, platform: "linux/amd64" });
        assert.equal(pull.parentUrn, one(stack, "ecs-on-ec2:index:ImageRepository", "tomcat").urn);
    });

    test("tags the pulled image into the tomcat repository under a tag naming the digest", () => {
        assert.deepEqual(input(stack, D.tag, "tomcat-tag"), {
            sourceImage: state(stack, D.pull, "tomcat-pull").imageId,
            targetImage: `${repositoryUrl(stack, "tomcat")}:lobster1234-tomcat-${upstream.replace(":", "-")}`,
        });
    });

    test("pushes that tag with the ECR token's credentials, kept secret in inputs and state, and keeps it in ECR on replace", () => {
        const push = one(stack, D.push, "tomcat-push");
        const authConfig = {
            [specialSigKey]: specialSecretSig,
            value: { address: `https://${repositoryUrl(stack, "tomcat").split("/")[0]}`, username: "AWS", password: "placeholder-token" },
        };
        assert.deepEqual(push.inputs, { name: input(stack, D.tag, "tomcat-tag").targetImage, keepRemotely: true, authConfig });
        assert.deepEqual(push.state.authConfig, authConfig);
    });

    test("the task definition and the outputs pin the pushed manifest's digest in the tomcat repository", () => {
        const pushed = String(state(stack, D.push, "tomcat-push").sha256Digest);
        assert.match(pushed, /^sha256:0000[0-9a-f]{60}$/);
        assert.notEqual(pushed, upstream, "ECR's manifest is the linux/amd64 one, not the upstream index");
        assert.equal(containerImage(stack, "tomcat"), `${repositoryUrl(stack, "tomcat")}@${pushed}`);
        assert.equal((stack.outputs.services as Record<string, Json>).tomcat.imageRef, containerImage(stack, "tomcat"));
    });

    test("the built app is as it was: the same build and push, no copy", async () => {
        const appOnly = await deployed();
        assert.deepEqual(input(stack, T.image, "app-image"), input(appOnly, T.image, "app-image"));
        assert.equal(containerImage(stack, "app"), containerImage(appOnly, "app"));
        assert.deepEqual(all(stack, T.image).map((r) => r.name), ["app-image"]);
        assert.deepEqual([D.pull, D.tag, D.push].flatMap((type) => all(stack, type).map((r) => r.name)), ["tomcat-pull", "tomcat-tag", "tomcat-push"]);
        assert.deepEqual([D.pull, D.tag, D.push].flatMap((type) => all(appOnly, type)), []);
    });

    test("a digest-pinned reference is pulled as pinned, with no registry look-up", async () => {
        const pinned = await deployed(withTomcat(`lobster1234/tomcat:8.5.20@${digest}`));
        assert.deepEqual(lookUps(pinned), []);
        assert.equal(input(pinned, D.pull, "tomcat-pull").name, `lobster1234/tomcat@${digest}`);
        assert.equal(input(pinned, D.tag, "tomcat-tag").targetImage, `${repositoryUrl(pinned, "tomcat")}:lobster1234-tomcat-sha256-${"0123456789abcdef".repeat(4)}`);
        assert.match(String(containerImage(pinned, "tomcat")), new RegExp(`^${repositoryUrl(pinned, "tomcat")}@sha256:0000[0-9a-f]{60}$`));
    });

    test("pinning the digest the tag names now changes nothing of the copy", async () => {
        const pinned = await deploy(withTomcat(`${reference}@${upstream}`));
        assert.deepEqual(copyOf(pinned), copyOf(stack));
    });

    test("both image and imageDirectory are refused before anything is registered", () =>
        assertRefusedBeforeRegistering(services({ app: {}, tomcat: { image: reference, imageDirectory: "app-image", pathPatterns: ["/tomcat/*"] } }),
            ConfigError, [/services\.tomcat\.image/, /exactly one of image and imageDirectory/]));

    test("a reference that is not one is refused, naming the key and the value", () =>
        assertRefusedBeforeRegistering(withTomcat("Lobster/Tomcat:8.5"), ConfigError, [/services\.tomcat\.image/, /"Lobster\/Tomcat:8\.5"/]));
});

describe("the copy over successive ups", () => {
    const twice = redeployed(2, withTomcat(reference));
    test("a second up that finds the upstream tag where it was sends the copy the same inputs: no changes", async () => {
        const { deployments: [first, again], registry } = await twice;
        assert.deepEqual(copyOf(again), copyOf(first));
        assert.deepEqual(lookUps(again), lookUps(first));
        assert.equal(registry.pushedTags.get(repositoryUrl(first, "tomcat"))?.size, 1);
    });

    test("an up after the upstream tag moved pulls, tags and pushes the new digest, and the task definition follows", async () => {
        const registry = emptyRegistry();
        const first = await deploy(withTomcat(reference), [], { registry });
        const moved = `sha256:0000${"f".repeat(60)}`;
        registry.upstreamDigests.set(reference, moved);
        const after = await deploy(withTomcat(reference), [], { registry });
        const [before, now] = [copyOf(first), copyOf(after)];
        assert.equal(now.pull.name, `lobster1234/tomcat@${moved}`);
        assert.notEqual(now.tag.targetImage, before.tag.targetImage);
        assert.notEqual(now.image, before.image);
        // Both copies stay in ECR: the task definition revision a rollback returns to pins the first.
        assert.equal(registry.pushedTags.get(repositoryUrl(first, "tomcat"))?.size, 2);
    });
});

describe("the ECR tag of a copy", () => {
    test("is the pulled reference with other characters as -", () => {
        assert.equal(copyTag(`lobster1234/tomcat@${digest}`), `lobster1234-tomcat-sha256-${"0123456789abcdef".repeat(4)}`);
        assert.equal(copyTag(`localhost:5000/team/app@${digest}`), `localhost-5000-team-app-sha256-${"0123456789abcdef".repeat(4)}`);
    });

    test("past 128 characters is cut and ends with a hash of the whole, distinct and a valid tag", () => {
        const long = (name: string) => `registry.example.com/${name}/${"a".repeat(60)}@${digest}`;
        const [one1, one2] = [copyTag(long("team-one")), copyTag(long("team-two"))];
        for (const tag of [one1, one2]) {
            assert.equal(tag.length, 128);
            assert.match(tag, /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
        }
        assert.notEqual(one1, one2);
    });
});

describe("the fake Docker host and registries", () => {
    const registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    const pushInputs = (name: string) => ({ name, keepRemotely: true, authConfig: { address: `https://${registry}`, username: "AWS", password: "token" } });

    test("push a tag only to a repository this account's ECR has, and only a tag the Docker host has", () => {
        const fake = new FakeAws("us-east-1");
        const repository = String(fake.newResource(T.repository, "tomcat-repository", {}).repositoryUrl);
        assert.throws(() => fake.newResource(D.push, "tomcat-push", pushInputs(`${repository}:v1`)), /An image does not exist locally with the tag/);
        fake.newResource(D.tag, "tomcat-tag", { sourceImage: digest, targetImage: `${repository}:v1` });
        fake.newResource(D.tag, "other-tag", { sourceImage: digest, targetImage: `${registry}/other:v1` });
        assert.throws(() => fake.newResource(D.push, "other-push", pushInputs(`${registry}/other:v1`)),
            /name unknown: The repository with name 'other' does not exist in the registry with id '123456789012'/);
        assert.match(String(fake.newResource(D.push, "tomcat-push", pushInputs(`${repository}:v1`)).sha256Digest), /^sha256:0000[0-9a-f]{60}$/);
    });

    test("the registry look-up answers a tag with the digest it names, and a digest with itself", () => {
        const fake = new FakeAws("us-east-1");
        assert.match(String(fake.invoke(D.lookUp, { name: reference }).sha256Digest), /^sha256:0000[0-9a-f]{60}$/);
        assert.equal(fake.invoke(D.lookUp, { name: `${reference}@${digest}` }).sha256Digest, digest);
        assert.ok(invokeRules[D.lookUp]({ name: "Lobster/Tomcat" }).some((v) => v.property === "name"));
    });

    test("a pull for another platform than the hosts' is refused", () => {
        const found = resourceRules[D.pull]({ name: `lobster1234/tomcat@${digest}`, platform: "linux/arm64" }, { logicalName: "tomcat-pull" });
        assert.deepEqual(found.map((v) => v.property), ["platform"]);
    });
});
