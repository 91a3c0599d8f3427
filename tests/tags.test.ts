// Tags: every AWS resource goes through the stack's own provider, whose default tags put the project and the stack
// on each resource that takes tags; a service's resources add the service's; the hosts and their volumes, which the
// default tags do not reach, get them from the Auto Scaling group and the launch template; tasks inherit them.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { getAvailabilityZones } from "@pulumi/aws/getAvailabilityZones";
import * as sqs from "@pulumi/aws/sqs";
import { ConfigError } from "../infra/config";
import { repoRoot } from "../infra/paths";
import { takesDefaultTags } from "../offline/awsRules/tags";
import { AwsRejection, awsProviderType, FakeAws } from "../offline/fakeAws";
import { deploy, Deployment, RegisteredResource } from "../offline/run";
import { stackConfigFile } from "../offline/stackFiles";
import { hostOwnTagKeys } from "../infra/models/tags";
import { assertRefusedBeforeRegistering, input, Json, one, registeredProvider, services, stackProvider, T } from "./resources";
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
        // The cluster's ECS Exec session log group is the stack's, not a service's.
        assert.deepEqual(one(d, T.logGroup, "exec-session-logs").state.tagsAll, { project: "ecs-on-ec2", stack: "dev" });
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
    test("the Auto Scaling group tags itself and each host it launches with the project and the stack, beside its own two", async () => {
        const tags = input(await dev, T.asg).tags as Json[];
        for (const [key, value] of [["project", "ecs-on-ec2"], ["stack", "dev"]]) {
            assert.deepEqual(tags.find((tag) => tag.key === key), { key, value, propagateAtLaunch: true });
        }
        // What the account's tag limit counts the hosts' own (infra/config/awsProvider.ts).
        assert.deepEqual(tags.map((tag) => tag.key), [...hostOwnTagKeys, "project", "stack"]);
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
    test("aws:defaultTags' tags go on every resource beside the stack's, the hosts and their volumes included", async () => {
        const d = await withAccountTags;
        const account = { "cost-center": "4711", owner: "team a" };
        for (const { resource, tags } of taggedResources(d)) {
            assert.deepEqual({ "cost-center": tags["cost-center"], owner: tags.owner }, account, `${resource.type} ${resource.name}`);
        }
        assert.deepEqual(one(d, T.service).state.tagsAll, { ...account, project: "ecs-on-ec2", stack: "dev", service: "app" });
        const asgTags = input(d, T.asg).tags as Json[];
        for (const [key, value] of Object.entries(account)) {
            assert.deepEqual(asgTags.find((tag) => tag.key === key), { key, value, propagateAtLaunch: true });
        }
        const volumeTags = (input(d, T.launchTemplate).tagSpecifications as Json[]).find((s) => s.resourceType === "volume")?.tags;
        assert.deepEqual(volumeTags, { Name: "ecs-on-ec2-dev-ecs-host", ...account, project: "ecs-on-ec2", stack: "dev" });
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
            [/'aws:defaultTags.tags.stack': got "stack"; expected a key other than project, stack, service, AmazonECSManaged, Name in any case: the stack sets those itself/]));

    test("aws:defaultTags: keys and values AWS refuses, and a shape that is not the provider's", async () => {
        await assertRefusedBeforeRegistering(defaultTags({ "aws:owner": "me" }), ConfigError, [/'aws:defaultTags.tags.aws:owner'.*not starting with aws:/]);
        await assertRefusedBeforeRegistering(defaultTags({ owner: "a&b" }), ConfigError, [/'aws:defaultTags.tags.owner': got "a&b"; expected a tag value of 0-256/]);
        await assertRefusedBeforeRegistering(defaultTags({ ["k".repeat(129)]: "v" }), ConfigError, [/expected a tag key of 1-128/]);
        await assertRefusedBeforeRegistering({ "aws:defaultTags": JSON.stringify({ owner: "me" }) }, ConfigError,
            [/'aws:defaultTags': got .*; expected an object \{"tags": \{"<key>": "<value>", \.\.\.\}\}/]);
        await assertRefusedBeforeRegistering(defaultTags({ owner: "aws:me" }), ConfigError, [/'aws:defaultTags.tags.owner': got "aws:me"; expected a tag value .* not starting with aws:/]);
        const many = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`tag${i}`, "v"]));
        await assertRefusedBeforeRegistering(defaultTags(many(47)), ConfigError,
            [/expected at most 46 tags: a resource takes 50, and the hosts carry AmazonECSManaged, Name, project, stack besides/]);
        // 46: the Auto Scaling group then carries 50, as many as AWS allows.
        const full = await deployed(defaultTags(many(46)));
        assert.equal((input(full, T.asg).tags as Json[]).length, 50);
    });

    test("aws:defaultTags: a key of the stack's or the hosts' own in any case, or two keys that differ only in case (IAM's)", async () => {
        await assertRefusedBeforeRegistering(defaultTags({ Project: "x" }), ConfigError,
            [/'aws:defaultTags.tags.Project': got "Project"; expected a key other than project, stack, service, AmazonECSManaged, Name in any case/]);
        await assertRefusedBeforeRegistering(defaultTags({ name: "x" }), ConfigError, [/'aws:defaultTags.tags.name'/]);
        await assertRefusedBeforeRegistering(defaultTags({ Owner: "a", owner: "b" }), ConfigError,
            [/'aws:defaultTags.tags.owner': got "owner"; expected a key that differs from Owner in more than case/]);
    });
});

describe("the fake AWS gives default tags as the provider does, and refuses what AWS refuses", () => {

    test("a resource's own tags are merged over the provider's, as tagsAll", () => {
        const fake = new FakeAws("us-east-1");
        const provider = registeredProvider(fake, { project: "ecs-on-ec2", stack: "dev" });
        assert.deepEqual(fake.newResource(T.logGroup, "app-logs", { tags: { service: "app", stack: "mine" } }, provider).tagsAll,
            { project: "ecs-on-ec2", stack: "mine", service: "app" });
        // A type without tagsAll gets none.
        assert.equal(fake.newResource(T.dashboard, "dashboard", { dashboardName: "d", dashboardBody: JSON.stringify({ widgets: [] }) }, provider).tagsAll, undefined);
    });

    test("more than 50 tags on a resource, or a value with a character outside the tagging set, is refused", () => {
        const fake = new FakeAws("us-east-1");
        const provider = registeredProvider(fake, Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`tag${i}`, "v"])));
        assert.throws(() => fake.newResource(T.logGroup, "logs", { tags: { service: "app", other: "x" } }, provider),
            (error: Error) => error instanceof AwsRejection && /tagsAll = .* is refused: must have at most 50 tags \(has 51\)/.test(error.message));
        assert.throws(() => fake.newResource(T.logGroup, "logs", { tags: { service: "a&b" } }, registeredProvider(fake, {})),
            /tagsAll\.service = "a&b" is refused: must hold only letters, digits, spaces/);
        // EC2 takes any character.
        assert.doesNotThrow(() => fake.newResource(T.securityGroup, "host-security-group", { description: "hosts", tags: { service: "a&b" } }, registeredProvider(fake, {})));
    });

    test("an Auto Scaling group of 51 tags, an IAM role with keys differing only in case, an ECS value starting aws:", () => {
        const fake = new FakeAws("us-east-1");
        const provider = registeredProvider(fake, {});
        const asgTags = Array.from({ length: 51 }, (_, i) => ({ key: `tag${i}`, value: "v", propagateAtLaunch: true }));
        assert.throws(() => fake.newResource(T.asg, "host-asg", { minSize: 1, maxSize: 1, tags: asgTags }, provider),
            /host-asg: tags = .* is refused: must have at most 50 items \(has 51\)/);
        assert.throws(() => fake.newResource(T.role, "role", { assumeRolePolicy: "{}", tags: { Owner: "a", owner: "b" } }, provider),
            /tagsAll = .* is refused: must not hold two keys that differ only in case/);
        // CloudWatch Logs' keys are case-sensitive: the same two are accepted there.
        assert.deepEqual(fake.newResource(T.logGroup, "app-logs", { tags: { Owner: "a", owner: "b" } }, provider).tagsAll, { Owner: "a", owner: "b" });
        assert.throws(() => fake.newResource(T.cluster, "cluster", { name: "c", tags: { owner: "AWS:me" } }, provider),
            /tagsAll\.owner = "AWS:me" is refused: must not start with "aws:"/);
    });

    test("a provider of another region, or with default tags AWS refuses, is refused", () => {
        const fake = new FakeAws("us-east-1");
        assert.throws(() => fake.newProvider("aws", { region: "eu-west-1" }), /the fake AWS serves us-east-1 only/);
        assert.throws(() => registeredProvider(fake, { "AWS:owner": "me" }), /defaultTags\.tags\.AWS:owner = "AWS:owner" is refused: must not start with "aws:"/);
    });

    test("a resource or a look-up through the default provider, which has none of the stack's tags, fails the run", async () => {
        await assert.rejects(deploy({}, [], { run: async () => { new sqs.Queue("queue", {}); return {}; } }),
            /aws:sqs\/queue:Queue queue goes through the default AWS provider, not the stack's/);
        await assert.rejects(deploy({}, [], { run: async () => ({ zones: (await getAvailabilityZones({ state: "available" })).names }) }),
            /invoke aws:index\/getAvailabilityZones:getAvailabilityZones goes through the default AWS provider, not the stack's/);
        const run = await deploy({}, [], { run: async () => ({ zones: (await getAvailabilityZones({ state: "available" }, { provider: stackProvider() })).names }) });
        assert.ok((run.outputs.zones as string[]).includes("us-east-1a"));
    });
});
