// What the test files share about runs of the program on the fake AWS: looking up what a run registered,
// by Pulumi type token and name; the `services` config; a run refused before it registers anything; and a
// provider as the program makes it, for a test's own program or for the fake AWS called directly.
import assert from "node:assert/strict";
import { Provider } from "@pulumi/aws/provider";
import { stackTags } from "../infra/models/tags";
import { deploy, Deployment, RegisteredResource } from "../offline/run";
import { awsProviderType, FakeAws } from "../offline/fakeAws";

/** The type tokens of the resources the stack registers. */
export const T = {
    repository: "aws:ecr/repository:Repository",
    lifecyclePolicy: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    image: "docker:index/image:Image",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    cluster: "aws:ecs/cluster:Cluster",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    capacityProvider: "aws:ecs/capacityProvider:CapacityProvider",
    clusterCapacityProviders: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    service: "aws:ecs/service:Service",
    scalableTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    webAclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    certificate: "aws:acm/certificate:Certificate",
    certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
} as const;

export type Json = Record<string, unknown>;

/** Every resource of `type`. */
export function all(deployment: Deployment, type: string): RegisteredResource[] {
    return deployment.resources.filter((r) => r.type === type);
}

/** The one resource of `type` (named `name`); fails when there is none or more than one. */
export function one(deployment: Deployment, type: string, name?: string): RegisteredResource {
    const found = all(deployment, type).filter((r) => name === undefined || r.name === name);
    assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
    return found[0];
}

export const input = (deployment: Deployment, type: string, name?: string) => one(deployment, type, name).inputs as Json;
export const state = (deployment: Deployment, type: string, name?: string) => one(deployment, type, name).state as Json;

/** The `services` config key's value, as `pulumi config set` stores a map: JSON. */
export const services = (value: unknown) => ({ services: JSON.stringify(value) });

type ErrorClass = new (...args: never[]) => Error;

/** What a run with `overrides` registered before it failed with an `errorClass` whose message matches every pattern. */
async function registeredBeforeRefusal(overrides: Record<string, string>, errorClass: ErrorClass, patterns: RegExp[],
    options: Parameters<typeof deploy>[2]): Promise<string[]> {
    const registered: RegisteredResource[] = [];
    await assert.rejects(deploy(overrides, registered, options), (error: Error) => {
        assert.ok(error instanceof errorClass, `${error.name}: ${error.message}`);
        patterns.forEach((pattern) => assert.match(error.message, pattern));
        return true;
    });
    return registered.map((r) => `${r.type} ${r.name}`);
}

/** Asserts that a run with `overrides` fails as `registeredBeforeRefusal` says, before the program registers anything. */
export async function assertRefusedBeforeRegistering(overrides: Record<string, string>, errorClass: ErrorClass,
    patterns: RegExp[], options: Parameters<typeof deploy>[2] = {}): Promise<void> {
    assert.deepEqual(await registeredBeforeRefusal(overrides, errorClass, patterns, options), []);
}

/**
 * The same for a refusal of the AZ checks, which read AWS through the stack's provider: it alone is registered (a
 * provider, which creates nothing in AWS), after everything checked without AWS has passed.
 */
export async function assertRefusedBeforeAwsResources(overrides: Record<string, string>, errorClass: ErrorClass,
    patterns: RegExp[]): Promise<void> {
    assert.deepEqual(await registeredBeforeRefusal(overrides, errorClass, patterns, {}), [`${awsProviderType} aws`]);
}

/** A provider as the program makes it for the dev stack, for a test's own program. */
export const stackProvider = () => new Provider("aws", { region: "us-east-1", defaultTags: { tags: stackTags("ecs-on-ec2", "dev", {}) } });

/** Registers a provider with `defaultTags` on `fake` (in us-east-1), and returns the reference resources go through it by. */
export function registeredProvider(fake: FakeAws, defaultTags: Record<string, string> = {}): string {
    const { id } = fake.newProvider("aws", { region: "us-east-1", defaultTags: JSON.stringify({ tags: defaultTags }) });
    return `urn:pulumi:dev::ecs-on-ec2::${awsProviderType}::aws::${String(id)}`;
}

/** A fake AWS in us-east-1 with a provider registered, and the reference its resources go through. */
export function fakeAwsWithProvider(): { fake: FakeAws; provider: string } {
    const fake = new FakeAws("us-east-1");
    return { fake, provider: registeredProvider(fake) };
}
