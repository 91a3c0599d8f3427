// Tags: every AWS resource goes through the stack's own provider, whose default tags put the project and the stack
// on each resource that takes tags; a service's resources add the service's; the hosts and their volumes, which the
// default tags do not reach, get them from the Auto Scaling group and the launch template; tasks inherit them.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { getAvailabilityZones } from "@pulumi/aws/getAvailabilityZones";
import { Provider } from "@pulumi/aws/provider";
import * as sqs from "@pulumi/aws/sqs";
import { ConfigError } from "../infra/config";
import { repoRoot } from "../infra/paths";
import { takesDefaultTags } from "../offline/awsRules/tags";
import { AwsRejection, awsProviderType, FakeAws } from "../offline/fakeAws";
import { deploy, Deployment, RegisteredResource } from "../offline/run";
import { stackConfigFile } from "../offline/stackFiles";
import { assertRefusedBeforeRegistering, input, Json, one, services, T } from "./resources";
import { deployed } from "./shared";

const stacks = fs.readdirSync(repoRoot).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []).sort();

/** The service a resource belongs to: the name of the WebService component above it, if any. */
function serviceOf(run: Deployment, resource: RegisteredResource): string | undefined {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    for (let parent = byUrn.get(resource.parentUrn ?? ""); parent !== undefined; parent = byUrn.get(parent.parentUrn ?? "")) {
        if (parent.type === "ecs-on-ec2:index:WebService") {
            return parent.name;
        }
    }
    return undefined;
}

/** The tags AWS holds for each AWS resource that takes the provider's default tags. */
function taggedResources(run: Deployment): { resource: RegisteredResource; tags: Json }[] {
    return run.resources.filter((r) => r.type.startsWith("aws:") && takesDefaultTags(r.type))
        .map((resource) => ({ resource, tags: resource.state.tagsAll as Json }));
}

describe("every resource that takes tags carries the project's, the stack's and its service's", () => {
    for (const stack of stacks) {
        const run = deployed(stackConfigFile(stack), { stack });
        test(`stack ${stack}: project and stack on all, the service on exactly the service's own`, async () => {
            const d = await run;
            const tagged = taggedResources(d);
            assert.ok(tagged.length > 20, `${tagged.length} tagged resources`);
            for (const { resource, tags } of tagged) {
                const service = serviceOf(d, resource);
                assert.deepEqual({ project: tags.project, stack: tags.stack, service: tags.service },
                    { project: "ecs-on-ec2", stack, service }, `${resource.type} ${resource.name}`);
            }
            // Each service's own: its repository, log group, roles, task definition and alarms; a web service's
            // ECS service, target group and scaling target too.
            const services = new Set(tagged.flatMap(({ tags }) => tags.service === undefined ? [] : [String(tags.service)]));
            assert.deepEqual([...services].sort(), d.resources.filter((r) => r.type === "ecs-on-ec2:index:WebService").map((r) => r.name).sort());
        });
    }

    const optionsRun = deployed({
        wafEnabled: "true", domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", alarmEmail: "ops@example.com",
        ...services({ app: {}, api: { pathPatterns: ["/api/*"], exec: true } }),
    });
    test("with every optional part on (web ACL, certificate, routed second service, ECS Exec log group), no taggable resource is missed", async () => {
        const d = await optionsRun;
        const types = new Set(taggedResources(d).map(({ resource }) => resource.type));
        for (const type of [T.webAcl, T.certificate, T.listenerRule, T.bucket, T.topic, T.ingress, T.egress, T.securityGroup]) {
            assert.ok(types.has(type), type);
        }
        for (const { resource, tags } of taggedResources(d)) {
            assert.deepEqual([tags.project, tags.stack, tags.service], ["ecs-on-ec2", "dev", serviceOf(d, resource)], `${resource.type} ${resource.name}`);
        }
    });

    test("what takes tags is what @pulumi/aws gives default tags (tagsAll), not a list kept here", () => {
        assert.equal(takesDefaultTags(T.service), true);
        assert.equal(takesDefaultTags(T.taskDefinition), true);
        // The Auto Scaling group takes a list of tags instead; a policy or a dashboard none at all.
        assert.equal(takesDefaultTags(T.asg), false);
        assert.equal(takesDefaultTags(T.rolePolicy), false);
        assert.equal(takesDefaultTags(T.dashboard), false);
    });
});

describe("the hosts, their volumes and the tasks inherit them", () => {
    const dev = deployed();
    test("the Auto Scaling group tags itself and each host it launches with the project and the stack", async () => {
        const tags = input(await dev, T.asg).tags as Json[];
        for (const [key, value] of [["project", "ecs-on-ec2"], ["stack", "dev"]]) {
            assert.deepEqual(tags.find((tag) => tag.key === key), { key, value, propagateAtLaunch: true });
        }
    });

    test("the launch template tags each host's root volume, which the group does not", async () => {
        const specifications = input(await dev, T.launchTemplate).tagSpecifications as Json[];
        assert.deepEqual(specifications.find((s) => s.resourceType === "volume")?.tags,
            { Name: "ecs-on-ec2-dev-ecs-host", project: "ecs-on-ec2", stack: "dev" });
    });

    const microservices = deployed(stackConfigFile("microservices"), { stack: "microservices" });
    test("a service's tasks carry its tags (and ECS's own); a job's runs its task definition's", async () => {
        const d = await microservices;
        for (const service of d.resources.filter((r) => r.type === T.service)) {
            assert.deepEqual([service.inputs.propagateTags, service.inputs.enableEcsManagedTags], ["SERVICE", true], service.name);
        }
        const ecsParameters = (input(d, "aws:scheduler/schedule:Schedule", "report-schedule").target as Json).ecsParameters as Json;
        assert.deepEqual([ecsParameters.propagateTags, ecsParameters.enableEcsManagedTags], ["TASK_DEFINITION", true]);
        assert.deepEqual(one(d, T.taskDefinition, "report-task-definition").state.tagsAll,
            { project: "ecs-on-ec2", stack: "microservices", service: "report" });
    });
});

describe("the stack's own AWS provider: its settings from the aws: config, nothing dropped", () => {
    const dev = deployed();
    test("one explicit provider, in the stack's region, with the stack's default tags; every AWS look-up goes through it", async () => {
        const d = await dev;
        const provider = one(d, awsProviderType, "aws");
        assert.equal(provider.inputs.region, "us-east-1");
        assert.deepEqual(JSON.parse(String(provider.inputs.defaultTags)), { tags: { project: "ecs-on-ec2", stack: "dev" } });
        const awsInvokes = d.invokes.filter((i) => i.token.startsWith("aws:"));
        assert.ok(awsInvokes.length >= 4);
        for (const invoke of awsInvokes) {
            assert.match(String(invoke.provider), new RegExp(`::${awsProviderType}::aws::${String(provider.state.id)}$`), invoke.token);
        }
    });

    const withAccountTags = deployed({ "aws:defaultTags": JSON.stringify({ tags: { "cost-center": "4711", owner: "team a" } }) });
    test("aws:defaultTags' tags go on every resource beside the stack's", async () => {
        const d = await withAccountTags;
        assert.deepEqual(one(d, T.service).state.tagsAll, { "cost-center": "4711", owner: "team a", project: "ecs-on-ec2", stack: "dev", service: "app" });
        const asgTags = (input(d, T.asg).tags as Json[]).map((tag) => tag.key);
        assert.ok(asgTags.includes("cost-center") && asgTags.includes("owner"), asgTags.join(", "));
    });

    const defaultTags = (tags: unknown) => ({ "aws:defaultTags": JSON.stringify({ tags }) });
    test("an aws: key the provider is not given is refused, naming the keys it is and where credentials go", async () => {
        await assertRefusedBeforeRegistering({ "aws:assumeRoles": JSON.stringify([{ roleArn: "arn:aws:iam::123456789012:role/deployer" }]) }, ConfigError,
            [/'aws:assumeRoles': got .*; expected one of the aws: keys the stack's own AWS provider is given \(aws:region, aws:defaultTags\)/]);
        await assertRefusedBeforeRegistering({ "aws:profile": "platform-dev" }, ConfigError,
            [/'aws:profile': got "platform-dev"; expected .* in the environment \(AWS_PROFILE, AWS_ROLE_ARN and the other AWS_\* variables\), where the scripts read them too/]);
    });

    test("aws:defaultTags may not set the stack's own keys", () =>
        assertRefusedBeforeRegistering(defaultTags({ stack: "prod" }), ConfigError,
            [/'aws:defaultTags.tags.stack': got "stack"; expected a key other than project, stack, service: the stack sets those itself/]));

    test("aws:defaultTags: keys and values AWS refuses, and a shape that is not the provider's", async () => {
        await assertRefusedBeforeRegistering(defaultTags({ "aws:owner": "me" }), ConfigError, [/'aws:defaultTags.tags.aws:owner'.*not starting with aws:/]);
        await assertRefusedBeforeRegistering(defaultTags({ owner: "a&b" }), ConfigError, [/'aws:defaultTags.tags.owner': got "a&b"; expected a tag value of 0-256/]);
        await assertRefusedBeforeRegistering(defaultTags({ ["k".repeat(129)]: "v" }), ConfigError, [/expected a tag key of 1-128/]);
        await assertRefusedBeforeRegistering({ "aws:defaultTags": JSON.stringify({ owner: "me" }) }, ConfigError,
            [/'aws:defaultTags': got .*; expected an object \{"tags": \{"<key>": "<value>", \.\.\.\}\}/]);
        const many = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`tag${i}`, "v"]));
        await assertRefusedBeforeRegistering(defaultTags(many), ConfigError, [/expected at most 47 tags: a resource takes 50/]);
    });
});

describe("the fake AWS gives default tags as the provider does, and refuses what AWS refuses", () => {
    const providerOf = (fake: FakeAws, tags: Json) =>
        `urn:pulumi:dev::ecs-on-ec2::${awsProviderType}::aws::${String(fake.newProvider("aws", { region: "us-east-1", defaultTags: JSON.stringify({ tags }) }).id)}`;

    test("a resource's own tags are merged over the provider's, as tagsAll", () => {
        const fake = new FakeAws("us-east-1");
        const provider = providerOf(fake, { project: "ecs-on-ec2", stack: "dev" });
        assert.deepEqual(fake.newResource(T.logGroup, "app-logs", { tags: { service: "app", stack: "mine" } }, provider).tagsAll,
            { project: "ecs-on-ec2", stack: "mine", service: "app" });
        // A type without tagsAll gets none.
        assert.equal(fake.newResource(T.dashboard, "dashboard", { dashboardName: "d", dashboardBody: JSON.stringify({ widgets: [] }) }, provider).tagsAll, undefined);
    });

    test("more than 50 tags on a resource, or a value with a character outside the tagging set, is refused", () => {
        const fake = new FakeAws("us-east-1");
        const provider = providerOf(fake, Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`tag${i}`, "v"])));
        assert.throws(() => fake.newResource(T.logGroup, "logs", { tags: { service: "app", other: "x" } }, provider),
            (error: Error) => error instanceof AwsRejection && /tagsAll = .* is refused: must have at most 50 tags \(has 51\)/.test(error.message));
        assert.throws(() => fake.newResource(T.logGroup, "logs", { tags: { service: "a&b" } }, providerOf(fake, {})),
            /tagsAll\.service = "a&b" is refused: must hold only letters, digits, spaces/);
        // EC2 takes any character.
        assert.doesNotThrow(() => fake.newResource(T.securityGroup, "host-security-group", { description: "hosts", tags: { service: "a&b" } }, providerOf(fake, {})));
    });

    test("a provider of another region, or with default tags AWS refuses, is refused", () => {
        const fake = new FakeAws("us-east-1");
        assert.throws(() => fake.newProvider("aws", { region: "eu-west-1" }), /the fake AWS serves us-east-1 only/);
        assert.throws(() => providerOf(fake, { "AWS:owner": "me" }), /defaultTags\.tags\.AWS:owner = "AWS:owner" is refused: must not start with "aws:"/);
    });

    test("a resource or a look-up through the default provider, which has none of the stack's tags, fails the run", async () => {
        await assert.rejects(deploy({}, [], { run: async () => { new sqs.Queue("queue", {}); return {}; } }),
            /aws:sqs\/queue:Queue queue goes through the default AWS provider, not the stack's/);
        await assert.rejects(deploy({}, [], { run: async () => ({ zones: (await getAvailabilityZones({ state: "available" })).names }) }),
            /invoke aws:index\/getAvailabilityZones:getAvailabilityZones goes through the default AWS provider, not the stack's/);
        const stackProvider = () => new Provider("aws", { region: "us-east-1" });
        const run = await deploy({}, [], { run: async () => ({ zones: (await getAvailabilityZones({ state: "available" }, { provider: stackProvider() })).names }) });
        assert.ok((run.outputs.zones as string[]).includes("us-east-1a"));
    });
});
