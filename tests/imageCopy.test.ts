// A service that runs an existing image (`image` in the services map): the stack builds infra/components/imageCopy,
// `FROM` the source pinned by digest, for the hosts' platform, with the same docker.Image build and push as a built
// image, into the service's ECR repository, and pins the pushed digest; a moving upstream tag is followed, and an up
// that finds it where it was sends identical inputs.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { copyTag, familiarReference } from "../infra/components/imageRepository";
import { ConfigError } from "../infra/config";
import { programDir } from "../infra/paths";
import { invokeRules, resourceRules } from "../offline/awsRules";
import { emptyRegistry, FakeAws } from "../offline/fakeAws";
import { deploy, Deployment } from "../offline/run";
import { all, assertRefusedBeforeRegistering, fakeAwsWithProvider, input, Json, one, services, state, T } from "./resources";
import { deployed, redeployed } from "./shared";

const lookUp = "docker:index/getRegistryImage:getRegistryImage";
const copyContext = "components/imageCopy";

const reference = "lobster1234/tomcat:8.5.20";
const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
const withTomcat = (image: string) => services({ app: {}, tomcat: { image, pathPatterns: ["/tomcat/*"] } });

const containerImage = (deployment: Deployment, service: string) =>
    (JSON.parse(String(input(deployment, T.taskDefinition, `${service}-task-definition`).containerDefinitions)) as Json[])[0].image;
const repositoryUrl = (deployment: Deployment, service: string) => String(state(deployment, T.repository, `${service}-repository`).repositoryUrl);
const lookUps = (deployment: Deployment) => deployment.invokes.filter((i) => i.token === lookUp).map((i) => i.inputs);
/** The inputs of the copy's build and push, and the image its task definition runs. */
const copyOf = (deployment: Deployment) => ({ image: input(deployment, T.image, "tomcat-image"), running: containerImage(deployment, "tomcat") });
const sourceOf = (deployment: Deployment) => String((input(deployment, T.image, "tomcat-image").build as Json & { args: Json }).args.SOURCE_IMAGE);

describe("a service copied from an existing image", () => {
    let stack: Deployment;
    let upstream: string;
    const run = deployed(withTomcat(reference));
    before(async () => {
        stack = await run;
        upstream = sourceOf(stack).split("@")[1];
    });

    test("reads the digest the upstream tag names now, from its registry", () => {
        assert.deepEqual(lookUps(stack), [{ name: reference }]);
        assert.match(upstream, /^sha256:0000[0-9a-f]{60}$/);
    });

    test("builds the committed copy context FROM that digest, for the hosts' platform, in the service's ImageRepository", () => {
        const image = one(stack, T.image, "tomcat-image");
        assert.deepEqual(image.inputs.build, {
            context: copyContext,
            dockerfile: `${copyContext}/Dockerfile`,
            platform: "linux/amd64",
            args: { SOURCE_IMAGE: `lobster1234/tomcat@${upstream}` },
        });
        assert.equal(image.parentUrn, one(stack, "ecs-on-ec2:index:ImageRepository", "tomcat").urn);
        // The context is relative to the program's folder, where the provider runs, and holds the source and a label
        // naming it (so the copy's image ID, and the digest reported after the push, are its own).
        const dockerfile = fs.readFileSync(path.join(programDir, copyContext, "Dockerfile"), "utf8");
        assert.deepEqual(dockerfile.split("\n").filter((line) => line !== "" && !line.startsWith("#")),
            ["ARG SOURCE_IMAGE", "FROM ${SOURCE_IMAGE}", "ARG SOURCE_IMAGE", "LABEL org.opencontainers.image.base.name=\"${SOURCE_IMAGE}\""]);
        assert.deepEqual(fs.readdirSync(path.join(programDir, copyContext)), ["Dockerfile"]);
    });

    test("pushes into the tomcat repository under a tag naming the digest, logged in as the built image is", () => {
        const image = input(stack, T.image, "tomcat-image");
        assert.equal(image.imageName, `${repositoryUrl(stack, "tomcat")}:lobster1234-tomcat-${upstream.replace(":", "-")}`);
        // The ECR token's credentials, kept secret; the provider diffs neither username nor password.
        const login = (service: string) => ({
            [specialSigKey]: specialSecretSig, value: { server: repositoryUrl(stack, service), username: "AWS", password: "placeholder-token" },
        });
        assert.deepEqual(image.registry, login("tomcat"));
        assert.deepEqual(input(stack, T.image, "app-image").registry, login("app"));
    });

    test("the task definition and the outputs pin the pushed image's digest in the tomcat repository", () => {
        const pushed = String(state(stack, T.image, "tomcat-image").repoDigest);
        assert.match(pushed, new RegExp(`^${repositoryUrl(stack, "tomcat")}@sha256:0000[0-9a-f]{60}$`));
        assert.notEqual(pushed.split("@")[1], upstream, "ECR's manifest is the linux/amd64 image built, not the upstream index");
        assert.equal(containerImage(stack, "tomcat"), pushed);
        assert.equal((stack.outputs.services as Record<string, Json>).tomcat.imageRef, pushed);
    });

    test("the built app is as it was: the same build and push, and the copy is one more docker.Image and nothing else Docker", async () => {
        const appOnly = await deployed();
        assert.deepEqual(input(stack, T.image, "app-image"), input(appOnly, T.image, "app-image"));
        assert.equal(containerImage(stack, "app"), containerImage(appOnly, "app"));
        assert.deepEqual(all(stack, T.image).map((r) => r.name).sort(), ["app-image", "tomcat-image"]);
        assert.deepEqual(stack.resources.filter((r) => r.type.startsWith("docker:")).map((r) => r.type), [T.image, T.image]);
    });

    test("a digest-pinned reference is built FROM as pinned, with no registry look-up", async () => {
        const pinned = await deployed(withTomcat(`lobster1234/tomcat:8.5.20@${digest}`));
        assert.deepEqual(lookUps(pinned), []);
        assert.equal(sourceOf(pinned), `lobster1234/tomcat@${digest}`);
        assert.equal(input(pinned, T.image, "tomcat-image").imageName,
            `${repositoryUrl(pinned, "tomcat")}:lobster1234-tomcat-sha256-${"0123456789abcdef".repeat(4)}`);
        assert.match(String(containerImage(pinned, "tomcat")), new RegExp(`^${repositoryUrl(pinned, "tomcat")}@sha256:0000[0-9a-f]{60}$`));
    });

    test("pinning the digest the tag names now changes nothing of the copy", async () => {
        const pinned = await deploy(withTomcat(`${reference}@${upstream}`));
        assert.deepEqual(copyOf(pinned), copyOf(stack));
    });

    test("Docker Hub's hosts are dropped before the look-up: the same look-up, build arg and tag as the familiar name", async () => {
        for (const host of ["docker.io", "index.docker.io", "registry-1.docker.io"]) {
            const hub = await deploy(withTomcat(`${host}/${reference}`));
            assert.deepEqual(lookUps(hub), [{ name: reference }], host);
            assert.deepEqual(copyOf(hub), copyOf(stack), host);
        }
        const official = await deploy(withTomcat("docker.io/library/tomcat:9"));
        assert.deepEqual(lookUps(official), [{ name: "tomcat:9" }]);
        assert.match(sourceOf(official), /^tomcat@sha256:0000[0-9a-f]{60}$/);
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

    test("an up after the upstream tag moved builds and pushes the new digest, and the task definition follows", async () => {
        const registry = emptyRegistry();
        const first = await deploy(withTomcat(reference), [], { registry });
        const moved = `sha256:0000${"f".repeat(60)}`;
        registry.upstreamDigests.set(reference, moved);
        const after = await deploy(withTomcat(reference), [], { registry });
        const [before, now] = [copyOf(first), copyOf(after)];
        assert.equal(sourceOf(after), `lobster1234/tomcat@${moved}`);
        assert.notEqual(now.image.imageName, before.image.imageName);
        assert.notEqual(now.running, before.running);
        // Both copies stay in ECR: the task definition revision a rollback returns to pins the first.
        assert.equal(registry.pushedTags.get(repositoryUrl(first, "tomcat"))?.size, 2);
    });
});

describe("the ECR tag of a copy", () => {
    test("is the pinned reference with other characters as -", () => {
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

describe("the familiar name of a reference", () => {
    test("drops Docker Hub's hosts and library/ before a one-part name, and leaves any other reference as it is", () => {
        const cases: [string, string][] = [
            ["docker.io/library/tomcat:9", "tomcat:9"],
            ["index.docker.io/tomcat", "tomcat"],
            ["registry-1.docker.io/library/tomcat@" + digest, "tomcat@" + digest],
            ["docker.io/lobster1234/tomcat:8.5.20", "lobster1234/tomcat:8.5.20"],
            ["library/tomcat:9", "tomcat:9"],
            ["docker.io/library/team/app:1", "library/team/app:1"],
            ["public.ecr.aws/docker/library/tomcat:9", "public.ecr.aws/docker/library/tomcat:9"],
            ["localhost:5000/library/app:1", "localhost:5000/library/app:1"],
            ["lobster1234/tomcat:8.5.20", "lobster1234/tomcat:8.5.20"],
        ];
        for (const [given, familiar] of cases) {
            assert.equal(familiarReference(given), familiar, given);
        }
    });
});

describe("the fake Docker provider and registries", () => {
    const registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    const copyInputs = (repository: string, source: unknown) => ({
        imageName: `${repository}:v1`,
        build: { context: copyContext, dockerfile: `${copyContext}/Dockerfile`, platform: "linux/amd64", args: { SOURCE_IMAGE: source } },
        registry: { server: repository, username: "AWS", password: "token" },
    });
    const refused = (inputs: Json) => resourceRules[T.image](inputs, { logicalName: "tomcat-image" }).map((v) => v.property);

    test("push a copy only to a repository this account's ECR has", () => {
        const { fake, provider } = fakeAwsWithProvider();
        const repository = String(fake.newResource(T.repository, "tomcat-repository", {}, provider).repositoryUrl);
        assert.throws(() => fake.newResource(T.image, "other-image", copyInputs(`${registry}/other`, `lobster1234/tomcat@${digest}`)),
            /name unknown: The repository with name 'other' does not exist in the registry with id '123456789012'/);
        assert.match(String(fake.newResource(T.image, "tomcat-image", copyInputs(repository, `lobster1234/tomcat@${digest}`)).repoDigest),
            new RegExp(`^${repository}@sha256:0000[0-9a-f]{60}$`));
    });

    test("build the copy only with a SOURCE_IMAGE FROM can use, from a context and Dockerfile that exist", () => {
        const repository = `${registry}/tomcat-0a1b2c3`;
        const valid = copyInputs(repository, `lobster1234/tomcat@${digest}`);
        assert.deepEqual(refused(valid), []);
        assert.deepEqual(refused({ ...valid, build: { ...valid.build, args: {} } }), ["build.args.SOURCE_IMAGE"]);
        assert.deepEqual(refused({ ...valid, build: { ...valid.build, args: { SOURCE: `lobster1234/tomcat@${digest}` } } }), ["build.args.SOURCE_IMAGE"]);
        assert.deepEqual(refused(copyInputs(repository, "Lobster/Tomcat")), ["build.args.SOURCE_IMAGE"]);
        assert.deepEqual(refused(copyInputs(repository, 5)), ["build.args", "build.args.SOURCE_IMAGE"]);
        assert.deepEqual(refused({ ...valid, build: { ...valid.build, context: "components/noSuchFolder" } }), ["build.context"]);
        assert.deepEqual(refused({ ...valid, build: { ...valid.build, dockerfile: "components/imageCopy/Containerfile" } }), ["build.dockerfile"]);
        assert.deepEqual(refused({ ...valid, build: { ...valid.build, platform: "linux/arm64" } }), ["build.platform"]);
    });

    test("the registry look-up answers a tag with the digest it names, and a digest with itself", () => {
        const fake = new FakeAws("us-east-1");
        assert.match(String(fake.invoke(lookUp, { name: reference }).sha256Digest), /^sha256:0000[0-9a-f]{60}$/);
        assert.equal(fake.invoke(lookUp, { name: `${reference}@${digest}` }).sha256Digest, digest);
        assert.ok(invokeRules[lookUp]({ name: "Lobster/Tomcat" }).some((v) => v.property === "name"));
    });

    test("the registry look-up refuses Docker Hub's hosts it would send the HEAD to as written", () => {
        for (const name of ["docker.io/lobster1234/tomcat:8.5.20", "index.docker.io/library/tomcat:9", "registry-1.docker.io/tomcat:9"]) {
            assert.deepEqual(invokeRules[lookUp]({ name }).map((v) => v.property), ["name"], name);
        }
        assert.deepEqual(invokeRules[lookUp]({ name: "registry-1.docker.io/library/tomcat:9" }), []);
    });
});
