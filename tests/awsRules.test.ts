// The fake AWS's input rules (offline/awsRules): every type and invoke the stack uses is covered, a valid
// input of each passes, and each rule bites on the input AWS would refuse. Pure function calls, no Pulumi runtime.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { autoName, invokeRules, resourceRules, Violation } from "../offline/awsRules";

type Doc = Record<string, unknown>;

/** A copy of `base` with `path` (dotted, into arrays too) set to `value`, or removed when `value` is undefined. */
function patched(base: Doc, path: string, value: unknown): Doc {
    const copy = structuredClone(base);
    const keys = path.split(".");
    let node = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
        node[key] ??= {};
        node = node[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (value === undefined) {
        Reflect.deleteProperty(node, last);
    } else {
        node[last] = value;
    }
    return copy;
}

/** Inputs as the program sends them: JSON documents as strings. */
function sent(inputs: Doc, jsonProperties: readonly string[]): Doc {
    return Object.fromEntries(Object.entries(inputs).map(([key, value]) =>
        [key, jsonProperties.includes(key) && typeof value !== "string" ? JSON.stringify(value) : value]));
}

interface Case {
    /** What AWS refuses. */
    readonly refusal: string;
    /** Dotted paths to set (undefined removes), applied to the valid input. */
    readonly patch: Readonly<Record<string, unknown>>;
    /** The property the violation must name. */
    readonly property: string;
    /** The physical name AWS would get, when the case is about names. */
    readonly physicalName?: string;
}

interface TypeRules {
    readonly valid: Doc;
    readonly physicalName?: string;
    readonly json?: readonly string[];
    readonly cases: readonly Case[];
}

function run(type: string, inputs: Doc, physicalName: string | undefined): Violation[] {
    return resourceRules[type](inputs, { logicalName: "x", physicalName });
}

function describeType(type: string, spec: TypeRules): void {
    describe(type, () => {
        test("a valid input passes", () => {
            assert.deepEqual(run(type, sent(spec.valid, spec.json ?? []), spec.physicalName), []);
        });
        for (const c of spec.cases) {
            test(`refuses ${c.refusal}`, () => {
                const inputs = Object.entries(c.patch).reduce((doc, [path, value]) => patched(doc, path, value), spec.valid);
                const found = run(type, sent(inputs, spec.json ?? []), c.physicalName ?? spec.physicalName);
                assert.ok(found.some((v) => v.property === c.property),
                    `expected a violation at ${c.property}, got ${JSON.stringify(found)}`);
            });
        }
    });
}

const arn = {
    role: "arn:aws:iam::123456789012:role/r-0a1b2c3",
    tg: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-0a1b2c3/73e2d6bc24d8a067",
    lb: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb-0a1b2c3/50dc6c495c0c9188",
    listener: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb-0a1b2c3/50dc6c495c0c9188/f2f7dc8efc522ab2",
    topic: "arn:aws:sns:us-east-1:123456789012:alarms-0a1b2c3",
    cert: "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
    webAcl: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/web-acl-0a1b2c3/a1b2",
    asg: "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1a2b:autoScalingGroupName/host-asg-0a1b2c3",
};
const registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

describe("coverage", () => {
    const resourceTypes = [
        "aws:ecr/repository:Repository", "aws:ecr/lifecyclePolicy:LifecyclePolicy", "docker:index/image:Image",
        "aws:servicediscovery/httpNamespace:HttpNamespace",
        "aws:ec2/securityGroup:SecurityGroup", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:cloudwatch/logGroup:LogGroup", "aws:ecs/cluster:Cluster",
        "aws:ecs/capacityProvider:CapacityProvider", "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
        "aws:ecs/taskDefinition:TaskDefinition", "aws:ecs/service:Service", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/instanceProfile:InstanceProfile",
        "aws:ec2/launchTemplate:LaunchTemplate", "aws:autoscaling/group:Group", "aws:lb/loadBalancer:LoadBalancer",
        "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener", "aws:lb/listenerRule:ListenerRule", "aws:s3/bucket:Bucket",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketPolicy:BucketPolicy",
        "aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation", "aws:route53/record:Record",
        "aws:appautoscaling/target:Target", "aws:appautoscaling/policy:Policy", "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:cloudwatch/dashboard:Dashboard", "aws:sns/topic:Topic", "aws:sns/topicSubscription:TopicSubscription",
        "aws:wafv2/webAcl:WebAcl", "aws:wafv2/webAclAssociation:WebAclAssociation",
        "aws:scheduler/schedule:Schedule", "aws:sqs/queue:Queue",
    ];
    const invokes = [
        "aws:ec2/getVpc:getVpc", "aws:ec2/getSubnet:getSubnet", "aws:ecr/getAuthorizationToken:getAuthorizationToken",
        "aws:index/getCallerIdentity:getCallerIdentity", "aws:elb/getServiceAccount:getServiceAccount",
        "aws:index/getAvailabilityZones:getAvailabilityZones", "docker:index/getRegistryImage:getRegistryImage",
        "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings",
    ];
    test("every resource type of the stack has rules, and no others", () => {
        assert.deepEqual(Object.keys(resourceRules).sort(), [...resourceTypes].sort());
    });
    test("every invoke of the stack has rules, and no others", () => {
        assert.deepEqual(Object.keys(invokeRules).sort(), [...invokes].sort());
    });
});

describe("autoName follows pulumi-aws's autonaming", () => {
    test("name-dash-7 random characters", () => {
        assert.equal(autoName("aws:ecs/cluster:Cluster", "cluster"), "cluster-0a1b2c3");
    });
    test("S3 bucket names are lower-cased", () => {
        assert.equal(autoName("aws:s3/bucket:Bucket", "Alb-Logs"), "alb-logs-0a1b2c3");
    });
    test("types without an auto-named name property get none", () => {
        for (const type of ["aws:ecs/taskDefinition:TaskDefinition", "aws:route53/record:Record", "aws:cloudwatch/dashboard:Dashboard",
            "docker:index/image:Image", "aws:lb/listener:Listener"]) {
            assert.equal(autoName(type, "x"), undefined, type);
        }
    });
    const refusals: [type: string, logical: string, max: number][] = [
        ["aws:iam/role:Role", "r".repeat(57), 64],
        ["aws:lb/targetGroup:TargetGroup", "t".repeat(25), 32],
        ["aws:s3/bucket:Bucket", "b".repeat(56), 63],
        ["aws:sns/topic:Topic", "s".repeat(73), 80],
    ];
    for (const [type, logical, max] of refusals) {
        test(`${type}: a name past ${max} is refused, not truncated`, () => {
            const name = autoName(type, logical);
            assert.equal(name?.length, logical.length + 8);
            const found = resourceRules[type]({}, { logicalName: logical, physicalName: name });
            assert.ok(found.some((v) => v.rule.includes(`maximum length ${max}`)), JSON.stringify(found));
        });
        test(`${type}: a name of exactly ${max} is accepted by Pulumi`, () => {
            const found = resourceRules[type]({}, { logicalName: "x", physicalName: autoName(type, logical.slice(1)) });
            assert.ok(!found.some((v) => v.rule.includes("maximum length")), JSON.stringify(found));
        });
    }
    test("an ALB auto-name is not capped by Pulumi, so ELB's 32 refuses it", () => {
        const name = autoName("aws:lb/loadBalancer:LoadBalancer", "a-very-long-load-balancer-name");
        const found = resourceRules["aws:lb/loadBalancer:LoadBalancer"]({ subnets: ["subnet-1", "subnet-2"] }, { logicalName: "x", physicalName: name });
        assert.ok(found.some((v) => v.property === "name" && /1-32/.test(v.rule)), JSON.stringify(found));
    });
});

const container = {
    name: "app", image: `${registry}/app-0a1b2c3@sha256:${"a".repeat(64)}`, cpu: 128, memory: 128,
    portMappings: [{ containerPort: 8080, hostPort: 0, protocol: "tcp" }], essential: true,
    environment: [{ name: "ASPNETCORE_HTTP_PORTS", value: "8080" }],
    // Each form ECS reads a secret from: a Secrets Manager ARN with a JSON key, an SSM parameter ARN, a parameter name.
    secrets: [
        { name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password::" },
        { name: "API_TOKEN", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-token" },
        { name: "LEGACY_TOKEN", valueFrom: "/prod/legacy-token" },
    ],
    healthCheck: { command: ["CMD", "/app/EcsApp", "--health-check"], interval: 10, timeout: 3, retries: 3, startPeriod: 15 },
    stopTimeout: 30, user: "1654:1654", readonlyRootFilesystem: true,
    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/app", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app" } },
};
const trustPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] };
const keyArn = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
const permissions = { Version: "2012-10-17", Statement: [
    { Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: "*" },
    { Effect: "Allow", Action: ["kms:Decrypt"], Resource: [keyArn], Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.us-east-1.amazonaws.com", "ssm.us-east-1.amazonaws.com"] } } },
] };

const types: Readonly<Record<string, TypeRules>> = {
    "aws:ecr/repository:Repository": {
        valid: { imageTagMutability: "IMMUTABLE", encryptionConfigurations: [{ encryptionType: "AES256" }] },
        physicalName: "app-repository-0a1b2c3",
        cases: [
            { refusal: "upper-case repository names", patch: {}, physicalName: "App-0a1b2c3", property: "name" },
            { refusal: "an unknown tag mutability", patch: { imageTagMutability: "LOCKED" }, property: "imageTagMutability" },
            { refusal: "an unknown encryption type", patch: { "encryptionConfigurations.0.encryptionType": "RSA" }, property: "encryptionConfigurations.0.encryptionType" },
        ],
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": {
        valid: {
            repository: "app-0a1b2c3",
            policy: { rules: [
                { rulePriority: 1, description: "untagged", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 }, action: { type: "expire" } },
                { rulePriority: 2, description: "Keep the 10 most recent images", selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 }, action: { type: "expire" } },
            ] },
        },
        json: ["policy"],
        cases: [
            { refusal: "a malformed repository name", patch: { repository: "App" }, property: "repository" },
            { refusal: "a countUnit with imageCountMoreThan", patch: { "policy.rules.1.selection.countUnit": "days" }, property: "policy.rules.1.selection.countUnit" },
            { refusal: "a tag list on an untagged rule", patch: { "policy.rules.0.selection.tagPrefixList": ["v"] }, property: "policy.rules.0.selection" },
            { refusal: "an unknown action", patch: { "policy.rules.0.action.type": "delete" }, property: "policy.rules.0.action.type" },
            { refusal: "a policy without rules", patch: { policy: { rules: [], padding: "p".repeat(100) } }, property: "policy.rules" },
            { refusal: "a policy that is not JSON", patch: { policy: "{rules:" + "x".repeat(100) }, property: "policy" },
            { refusal: "duplicate rule priorities", patch: { "policy.rules.1.rulePriority": 1 }, property: "policy.rules.1.rulePriority" },
            { refusal: "a tagStatus any rule that is not last", patch: { "policy.rules.1.rulePriority": 0.5 }, property: "policy.rules.1.rulePriority" },
            { refusal: "an unknown tag status", patch: { "policy.rules.0.selection.tagStatus": "some" }, property: "policy.rules.0.selection.tagStatus" },
            { refusal: "an age rule without countUnit", patch: { "policy.rules.0.selection.countUnit": undefined }, property: "policy.rules.0.selection.countUnit" },
            { refusal: "countNumber 0", patch: { "policy.rules.1.selection.countNumber": 0 }, property: "policy.rules.1.selection.countNumber" },
            { refusal: "a tagged rule without a tag list", patch: { "policy.rules.0.selection.tagStatus": "tagged" }, property: "policy.rules.0.selection" },
            { refusal: "a policy shorter than 100 characters", patch: { policy: '{"rules":[]}' }, property: "policy" },
        ],
    },
    "docker:index/image:Image": {
        // Paths as the program sends them, relative to the program's folder (infra/), where the provider runs.
        valid: {
            imageName: `${registry}/app-0a1b2c3:src-0123456789abcdef`,
            build: { context: "../app-image", dockerfile: "../app-image/Dockerfile", platform: "linux/amd64" },
            registry: { server: `${registry}/app-0a1b2c3`, username: "AWS", password: "token" },
        },
        cases: [
            { refusal: "a registry server with a space", patch: { "registry.server": "my registry" }, property: "registry.server" },
            { refusal: "an upper-case repository in the image name", patch: { imageName: `${registry}/App:v1` }, property: "imageName" },
            { refusal: "a tag with a slash", patch: { imageName: `${registry}/app:feature/x` }, property: "imageName" },
            { refusal: "an image in another registry than the one logged in to", patch: { imageName: "docker.io/library/app:v1" }, property: "imageName" },
            { refusal: "a malformed platform", patch: { "build.platform": "amd64" }, property: "build.platform" },
            { refusal: "a platform other than the hosts'", patch: { "build.platform": "linux/arm64" }, property: "build.platform" },
            { refusal: "a username without a password", patch: { "registry.password": undefined }, property: "registry" },
            { refusal: "a context folder that does not exist", patch: { "build.context": "../no-such-folder" }, property: "build.context" },
            { refusal: "a Dockerfile the provider cannot open", patch: { "build.dockerfile": "../app-image/Containerfile" }, property: "build.dockerfile" },
            { refusal: "no Dockerfile where the provider looks when none is given", patch: { "build.context": ".", "build.dockerfile": undefined },
                property: "build.dockerfile" },
            { refusal: "a build arg that is not a string", patch: { "build.args": { VERSION: 1 } }, property: "build.args" },
            { refusal: "the copy's FROM without its SOURCE_IMAGE", patch: { "build.context": "components/imageCopy",
                "build.dockerfile": "components/imageCopy/Dockerfile" }, property: "build.args.SOURCE_IMAGE" },
            { refusal: "the copy's FROM with a SOURCE_IMAGE that is no reference", patch: { "build.context": "components/imageCopy",
                "build.dockerfile": "components/imageCopy/Dockerfile", "build.args": { SOURCE_IMAGE: "Tomcat:8" } }, property: "build.args.SOURCE_IMAGE" },
        ],
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        valid: { vpcId: "vpc-0defa017", description: "ALB: listener ports from the internet, out to the ECS hosts dynamic ports only" },
        physicalName: "alb-security-group-0a1b2c3",
        cases: [
            { refusal: "an apostrophe in the description", patch: { description: "the hosts' ports" }, property: "description" },
            { refusal: "a > in the description", patch: { description: "internet -> ALB" }, property: "description" },
            { refusal: "a description over 255 characters", patch: { description: "d".repeat(256) }, property: "description" },
            { refusal: "a name starting with sg-", patch: {}, physicalName: "sg-hosts", property: "name" },
            { refusal: "a malformed VPC ID", patch: { vpcId: "default" }, property: "vpcId" },
        ],
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        valid: { securityGroupId: "sg-0123456789abcdef0", description: "Listener on port 80, open to the internet", ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" },
        cases: [
            { refusal: "a malformed security group ID", patch: { securityGroupId: "alb" }, property: "securityGroupId" },
            { refusal: "a missing security group", patch: { securityGroupId: undefined }, property: "securityGroupId" },
            { refusal: "an apostrophe in the description", patch: { description: "ALB to tasks' ports" }, property: "description" },
            { refusal: "a port above 65535", patch: { toPort: 65536 }, property: "toPort" },
            { refusal: "fromPort above toPort", patch: { fromPort: 443, toPort: 80 }, property: "toPort" },
            { refusal: "a TCP rule without ports", patch: { fromPort: undefined }, property: "fromPort" },
            { refusal: "two sources", patch: { referencedSecurityGroupId: "sg-0fedcba9876543210" }, property: "cidrIpv4" },
            { refusal: "no source", patch: { cidrIpv4: undefined }, property: "cidrIpv4" },
            { refusal: "a malformed CIDR", patch: { cidrIpv4: "0.0.0.0/33" }, property: "cidrIpv4" },
            { refusal: "an unknown protocol", patch: { ipProtocol: "http" }, property: "ipProtocol" },
        ],
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        valid: { securityGroupId: "sg-0123456789abcdef0", description: "HTTPS to the public endpoints of ECR, S3 (image layers)", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
        cases: [
            { refusal: "a description over 255 characters", patch: { description: "d".repeat(256) }, property: "description" },
            { refusal: "a negative port", patch: { fromPort: -5 }, property: "fromPort" },
            { refusal: "a CIDR block that is not its network address", patch: { cidrIpv4: "10.0.1.0/16" }, property: "cidrIpv4" },
            { refusal: "a CIDR block with a zero-padded octet", patch: { cidrIpv4: "10.0.0.010/32" }, property: "cidrIpv4" },
            { refusal: "an IPv6 block as cidrIpv4", patch: { cidrIpv4: "::/0" }, property: "cidrIpv4" },
            { refusal: "a security group ID of 9 hex digits", patch: { cidrIpv4: undefined, referencedSecurityGroupId: "sg-0123456789" }, property: "referencedSecurityGroupId" },
            { refusal: "a prefix list ID with upper-case hex", patch: { cidrIpv4: undefined, prefixListId: "pl-63A5400A" }, property: "prefixListId" },
            { refusal: "a prefix list name instead of its ID", patch: { cidrIpv4: undefined, prefixListId: "com.amazonaws.us-east-1.s3" }, property: "prefixListId" },
            { refusal: "a prefix list and a CIDR block", patch: { prefixListId: "pl-63a5400a" }, property: "cidrIpv4" },
            { refusal: "an & in the description of a rule to a security group (UserIdGroupPair)",
                patch: { cidrIpv4: undefined, referencedSecurityGroupId: "sg-0fedcba9876543210", description: "Postgres & Redis" }, property: "description" },
            { refusal: "an & in the description of a rule to a prefix list (PrefixListId)",
                patch: { cidrIpv4: undefined, prefixListId: "pl-63a5400a", description: "S3 & DynamoDB" }, property: "description" },
            { refusal: "an apostrophe in the description", patch: { description: "the db's port" }, property: "description" },
            { refusal: "a UDP rule without ports", patch: { ipProtocol: "udp", toPort: undefined }, property: "toPort" },
        ],
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        valid: { name: "/ecs/ecs-on-ec2-dev/app", retentionInDays: 14 },
        cases: [
            { refusal: "a retention CloudWatch does not offer", patch: { retentionInDays: 10 }, property: "retentionInDays" },
            { refusal: "a space in the name", patch: { name: "/ecs/my app" }, property: "name" },
            { refusal: "a name over 512 characters", patch: { name: "/".repeat(513) }, property: "name" },
            { refusal: "the reserved aws/ prefix", patch: { name: "aws/ecs/app" }, property: "name" },
        ],
    },
    "aws:ecs/cluster:Cluster": {
        valid: { name: "ecs-on-ec2-dev", settings: [{ name: "containerInsights", value: "enabled" }] },
        cases: [
            { refusal: "an unknown cluster setting", patch: { "settings.0.name": "insights" }, property: "settings.0.name" },
            { refusal: "a dot in the cluster name", patch: { name: "ecs.dev" }, property: "name" },
            { refusal: "a name over 255 characters", patch: { name: "c".repeat(256) }, property: "name" },
            { refusal: "an unknown Container Insights value", patch: { "settings.0.value": "on" }, property: "settings.0.value" },
        ],
    },
    "aws:ecs/capacityProvider:CapacityProvider": {
        valid: {
            autoScalingGroupProvider: {
                autoScalingGroupArn: arn.asg, managedScaling: { status: "ENABLED", targetCapacity: 100 },
                managedDraining: "ENABLED", managedTerminationProtection: "DISABLED",
            },
        },
        physicalName: "capacity-provider-0a1b2c3",
        cases: [
            { refusal: "a missing Auto Scaling group", patch: { "autoScalingGroupProvider.autoScalingGroupArn": undefined }, property: "autoScalingGroupProvider.autoScalingGroupArn" },
            { refusal: "an Auto Scaling group ARN of another service", patch: { "autoScalingGroupProvider.autoScalingGroupArn": arn.role }, property: "autoScalingGroupProvider.autoScalingGroupArn" },
            { refusal: "an unknown managedDraining", patch: { "autoScalingGroupProvider.managedDraining": "ON" }, property: "autoScalingGroupProvider.managedDraining" },
            { refusal: "a name starting with ecs", patch: {}, physicalName: "ecs-hosts-0a1b2c3", property: "name" },
            { refusal: "a name starting with FARGATE", patch: {}, physicalName: "FARGATE-x", property: "name" },
            { refusal: "targetCapacity 0", patch: { "autoScalingGroupProvider.managedScaling.targetCapacity": 0 }, property: "autoScalingGroupProvider.managedScaling.targetCapacity" },
            { refusal: "targetCapacity 101", patch: { "autoScalingGroupProvider.managedScaling.targetCapacity": 101 }, property: "autoScalingGroupProvider.managedScaling.targetCapacity" },
            { refusal: "termination protection without managed scaling", patch: { "autoScalingGroupProvider.managedTerminationProtection": "ENABLED", "autoScalingGroupProvider.managedScaling.status": "DISABLED" }, property: "autoScalingGroupProvider.managedTerminationProtection" },
        ],
    },
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {
        valid: { clusterName: "ecs-on-ec2-dev", capacityProviders: ["cp-0a1b2c3"], defaultCapacityProviderStrategies: [{ capacityProvider: "cp-0a1b2c3", weight: 1, base: 0 }] },
        cases: [
            { refusal: "a base over 100000", patch: { "defaultCapacityProviderStrategies.0.base": 100001 }, property: "defaultCapacityProviderStrategies.0.base" },
            { refusal: "a missing cluster name", patch: { clusterName: undefined }, property: "clusterName" },
            { refusal: "a weight over 1000", patch: { "defaultCapacityProviderStrategies.0.weight": 1001 }, property: "defaultCapacityProviderStrategies.0.weight" },
            { refusal: "a strategy naming a provider the cluster lacks", patch: { "defaultCapacityProviderStrategies.0.capacityProvider": "other" }, property: "defaultCapacityProviderStrategies.0.capacityProvider" },
            { refusal: "two providers with a base", patch: { capacityProviders: ["a", "b"], defaultCapacityProviderStrategies: [{ capacityProvider: "a", base: 1 }, { capacityProvider: "b", base: 1 }] }, property: "defaultCapacityProviderStrategies" },
        ],
    },
    "aws:ecs/taskDefinition:TaskDefinition": {
        valid: {
            family: "ecs-on-ec2-dev-app", networkMode: "bridge", requiresCompatibilities: ["EC2"],
            executionRoleArn: arn.role, taskRoleArn: arn.role, containerDefinitions: [container],
        },
        json: ["containerDefinitions"],
        cases: [
            { refusal: "an unknown compatibility", patch: { requiresCompatibilities: ["EC2", "LAMBDA"] }, property: "requiresCompatibilities" },
            { refusal: "an execution role that is not a role ARN", patch: { executionRoleArn: "task-execution-role" }, property: "executionRoleArn" },
            { refusal: "11 containers", patch: { containerDefinitions: Array.from({ length: 11 }, (_, i) => ({ ...container, name: `c${i}` })) }, property: "containerDefinitions" },
            { refusal: "two containers of one name", patch: { "containerDefinitions.1": container }, property: "containerDefinitions" },
            { refusal: "essential as a string", patch: { "containerDefinitions.0.essential": "true" }, property: "containerDefinitions.0.essential" },
            { refusal: "negative cpu", patch: { "containerDefinitions.0.cpu": -1 }, property: "containerDefinitions.0.cpu" },
            { refusal: "an empty health check command", patch: { "containerDefinitions.0.healthCheck.command": [] }, property: "containerDefinitions.0.healthCheck.command" },
            { refusal: "an unknown port protocol", patch: { "containerDefinitions.0.portMappings.0.protocol": "http" }, property: "containerDefinitions.0.portMappings.0.protocol" },
            { refusal: "a log configuration without a driver", patch: { "containerDefinitions.0.logConfiguration.logDriver": undefined }, property: "containerDefinitions.0.logConfiguration.logDriver" },
            { refusal: "a log option that is not a string", patch: { "containerDefinitions.0.logConfiguration.options.mode": 1 }, property: "containerDefinitions.0.logConfiguration.options.mode" },
            { refusal: "a container without an image", patch: { "containerDefinitions.0.image": undefined }, property: "containerDefinitions.0.image" },
            { refusal: "a dot in the family", patch: { family: "app.v1" }, property: "family" },
            { refusal: "an unknown network mode", patch: { networkMode: "nat" }, property: "networkMode" },
            { refusal: "container definitions that are not JSON", patch: { containerDefinitions: "[{" }, property: "containerDefinitions" },
            { refusal: "an empty container list", patch: { containerDefinitions: [] }, property: "containerDefinitions" },
            { refusal: "a dot in a container name", patch: { "containerDefinitions.0.name": "app.web" }, property: "containerDefinitions.0.name" },
            { refusal: "a container without memory on EC2", patch: { "containerDefinitions.0.memory": undefined }, property: "containerDefinitions.0.memory" },
            { refusal: "memory as a JSON string", patch: { "containerDefinitions.0.memory": "128" }, property: "containerDefinitions.0.memory" },
            { refusal: "a container port of 0", patch: { "containerDefinitions.0.portMappings.0.containerPort": 0 }, property: "containerDefinitions.0.portMappings.0.containerPort" },
            { refusal: "a host port above 65535", patch: { "containerDefinitions.0.portMappings.0.hostPort": 70000 }, property: "containerDefinitions.0.portMappings.0.hostPort" },
            { refusal: "a host port other than the container port in awsvpc mode", patch: { networkMode: "awsvpc" }, property: "containerDefinitions.0.portMappings.0.hostPort" },
            { refusal: "a health check interval of 4 s", patch: { "containerDefinitions.0.healthCheck.interval": 4 }, property: "containerDefinitions.0.healthCheck.interval" },
            { refusal: "a health check timeout of 121 s", patch: { "containerDefinitions.0.healthCheck.timeout": 121 }, property: "containerDefinitions.0.healthCheck.timeout" },
            { refusal: "11 health check retries", patch: { "containerDefinitions.0.healthCheck.retries": 11 }, property: "containerDefinitions.0.healthCheck.retries" },
            { refusal: "a start period of 301 s", patch: { "containerDefinitions.0.healthCheck.startPeriod": 301 }, property: "containerDefinitions.0.healthCheck.startPeriod" },
            { refusal: "a stop timeout of 121 s", patch: { "containerDefinitions.0.stopTimeout": 121 }, property: "containerDefinitions.0.stopTimeout" },
            { refusal: "a number as an environment value", patch: { "containerDefinitions.0.environment.0.value": 8080 }, property: "containerDefinitions.0.environment.0.value" },
            { refusal: "an environment name with =", patch: { "containerDefinitions.0.environment.0.name": "A=B" }, property: "containerDefinitions.0.environment.0.name" },
            { refusal: "no essential container", patch: { "containerDefinitions.0.essential": false }, property: "containerDefinitions" },
            { refusal: "awslogs without a region", patch: { "containerDefinitions.0.logConfiguration.options.awslogs-region": undefined }, property: "containerDefinitions.0.logConfiguration.options.awslogs-region" },
            { refusal: "an unknown log driver", patch: { "containerDefinitions.0.logConfiguration.logDriver": "cloudwatch" }, property: "containerDefinitions.0.logConfiguration.logDriver" },
            { refusal: "an upper-case image repository", patch: { "containerDefinitions.0.image": "Registry/App:1" }, property: "containerDefinitions.0.image" },
            { refusal: "a malformed user", patch: { "containerDefinitions.0.user": "1654:1654:1" }, property: "containerDefinitions.0.user" },
            { refusal: "a health check command not starting with CMD or CMD-SHELL", patch: { "containerDefinitions.0.healthCheck.command": ["curl", "-f", "http://localhost/"] }, property: "containerDefinitions.0.healthCheck.command" },
            { refusal: "a secret without valueFrom", patch: { "containerDefinitions.0.secrets.0.valueFrom": undefined }, property: "containerDefinitions.0.secrets.0.valueFrom" },
            { refusal: "a secret name with =", patch: { "containerDefinitions.0.secrets.0.name": "A=B" }, property: "containerDefinitions.0.secrets.0.name" },
            { refusal: "an S3 ARN as a secret's source", patch: { "containerDefinitions.0.secrets.0.valueFrom": "arn:aws:s3:::orders-bucket/db" }, property: "containerDefinitions.0.secrets.0.valueFrom" },
            { refusal: "a secret ARN with a JSON key but not its version fields", patch: { "containerDefinitions.0.secrets.0.valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password" }, property: "containerDefinitions.0.secrets.0.valueFrom" },
            { refusal: "a parameter ARN without a name", patch: { "containerDefinitions.0.secrets.1.valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/" }, property: "containerDefinitions.0.secrets.1.valueFrom" },
            { refusal: "a parameter name with a space", patch: { "containerDefinitions.0.secrets.2.valueFrom": "/prod/legacy token" }, property: "containerDefinitions.0.secrets.2.valueFrom" },
            { refusal: "a parameter name over 2048 characters", patch: { "containerDefinitions.0.secrets.2.valueFrom": "p".repeat(2049) }, property: "containerDefinitions.0.secrets.2.valueFrom" },
            { refusal: "secrets without an execution role to read them", patch: { executionRoleArn: undefined }, property: "executionRoleArn" },
        ],
    },
    "aws:ecs/service:Service": {
        valid: {
            cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/ecs-on-ec2-dev",
            taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/ecs-on-ec2-dev-app:1", desiredCount: 5,
            capacityProviderStrategies: [{ capacityProvider: "cp-0a1b2c3", weight: 1, base: 0 }],
            orderedPlacementStrategies: [{ type: "spread", field: "attribute:ecs.availability-zone" }, { type: "spread", field: "instanceId" }],
            loadBalancers: [{ targetGroupArn: arn.tg, containerName: "app", containerPort: 8080 }],
            healthCheckGracePeriodSeconds: 60, deploymentMinimumHealthyPercent: 100, deploymentMaximumPercent: 200,
            deploymentCircuitBreaker: { enable: true, rollback: true }, propagateTags: "SERVICE", enableEcsManagedTags: true,
            alarms: { alarmNames: ["app-5xx-rate-0a1b2c3"], enable: true, rollback: true }, availabilityZoneRebalancing: "ENABLED",
        },
        physicalName: "app-service-0a1b2c3",
        cases: [
            { refusal: "a negative desired count", patch: { desiredCount: -1 }, property: "desiredCount" },
            { refusal: "an unknown AZ rebalancing value", patch: { availabilityZoneRebalancing: "ON" }, property: "availabilityZoneRebalancing" },
            { refusal: "a malformed task definition", patch: { taskDefinition: "app v1" }, property: "taskDefinition" },
            { refusal: "a load balancer without containerName", patch: { "loadBalancers.0.containerName": undefined }, property: "loadBalancers.0.containerName" },
            { refusal: "a load balancer port over 65535", patch: { "loadBalancers.0.containerPort": 70000 }, property: "loadBalancers.0.containerPort" },
            { refusal: "a circuit breaker flag that is not boolean", patch: { "deploymentCircuitBreaker.enable": "yes" }, property: "deploymentCircuitBreaker.enable" },
            { refusal: "a dot in the service name", patch: {}, physicalName: "app.service", property: "name" },
            { refusal: "a grace period past 2147483647", patch: { healthCheckGracePeriodSeconds: 2147483648 }, property: "healthCheckGracePeriodSeconds" },
            { refusal: "a minimum healthy percent over 100", patch: { deploymentMinimumHealthyPercent: 150 }, property: "deploymentMinimumHealthyPercent" },
            { refusal: "a spread on cpu", patch: { "orderedPlacementStrategies.0.field": "cpu" }, property: "orderedPlacementStrategies.0.field" },
            { refusal: "a binpack on instanceId", patch: { "orderedPlacementStrategies.0.type": "binpack", "orderedPlacementStrategies.0.field": "instanceId" }, property: "orderedPlacementStrategies.0.field" },
            { refusal: "an unknown strategy type", patch: { "orderedPlacementStrategies.0.type": "balance" }, property: "orderedPlacementStrategies.0.type" },
            { refusal: "more than 5 placement strategies", patch: { orderedPlacementStrategies: Array(6).fill({ type: "random" }) }, property: "orderedPlacementStrategies" },
            { refusal: "an unknown propagateTags", patch: { propagateTags: "ALL" }, property: "propagateTags" },
            { refusal: "an empty alarm list", patch: { "alarms.alarmNames": [] }, property: "alarms.alarmNames" },
        ],
    },
    "aws:iam/role:Role": {
        valid: { description: "The service's own identity; it needs no AWS permissions", assumeRolePolicy: trustPolicy },
        physicalName: "task-role-0a1b2c3",
        json: ["assumeRolePolicy"],
        cases: [
            { refusal: "a trust policy over 2048 characters", patch: { "assumeRolePolicy.Statement.0.Principal.Service": Array(120).fill("ecs-tasks.amazonaws.com") }, property: "assumeRolePolicy" },
            { refusal: "an empty principal", patch: { "assumeRolePolicy.Statement.0.Principal": {} }, property: "assumeRolePolicy.Statement.0.Principal" },
            { refusal: "a role name over 64 characters", patch: {}, physicalName: "r".repeat(65), property: "name" },
            { refusal: "a space in the role name", patch: {}, physicalName: "task role", property: "name" },
            { refusal: "a description over 1000 characters", patch: { description: "d".repeat(1001) }, property: "description" },
            { refusal: "a description with a character outside IAM's set", patch: { description: "tasks → AWS" }, property: "description" },
            { refusal: "a trust policy that is not JSON", patch: { assumeRolePolicy: "{" }, property: "assumeRolePolicy" },
            { refusal: "a trust policy without Statement", patch: { "assumeRolePolicy.Statement": undefined }, property: "assumeRolePolicy.Statement" },
            { refusal: "an unknown policy version", patch: { "assumeRolePolicy.Version": "2024-01-01" }, property: "assumeRolePolicy.Version" },
            { refusal: "a trust statement without Principal", patch: { "assumeRolePolicy.Statement.0.Principal": undefined }, property: "assumeRolePolicy.Statement.0.Principal" },
            { refusal: "a Resource in a trust policy", patch: { "assumeRolePolicy.Statement.0.Resource": "*" }, property: "assumeRolePolicy.Statement.0.Resource" },
            { refusal: "a non-sts action in a trust policy", patch: { "assumeRolePolicy.Statement.0.Action": "s3:GetObject" }, property: "assumeRolePolicy.Statement.0.Action" },
            { refusal: "an Effect other than Allow or Deny", patch: { "assumeRolePolicy.Statement.0.Effect": "allow" }, property: "assumeRolePolicy.Statement.0.Effect" },
        ],
    },
    "aws:iam/rolePolicy:RolePolicy": {
        valid: { role: "task-execution-role-0a1b2c3", policy: permissions },
        physicalName: "task-execution-policy-0a1b2c3",
        json: ["policy"],
        cases: [
            { refusal: "a role name with a space", patch: { role: "task role" }, property: "role" },
            { refusal: "a statement that is not an object", patch: { "policy.Statement": ["Allow"] }, property: "policy.Statement.0" },
            { refusal: "a policy name over 128 characters", patch: {}, physicalName: "p".repeat(129), property: "name" },
            { refusal: "a Principal in an identity policy", patch: { "policy.Statement.0.Principal": "*" }, property: "policy.Statement.0.Principal" },
            { refusal: "a statement without Resource", patch: { "policy.Statement.0.Resource": undefined }, property: "policy.Statement.0.Resource" },
            { refusal: "a statement with Action and NotAction", patch: { "policy.Statement.0.NotAction": "s3:*" }, property: "policy.Statement.0.Action" },
            { refusal: "a malformed action", patch: { "policy.Statement.0.Action": ["PutLogEvents"] }, property: "policy.Statement.0.Action" },
            { refusal: "a Sid with a hyphen", patch: { "policy.Statement.0.Sid": "write-logs" }, property: "policy.Statement.0.Sid" },
            { refusal: "a policy over 10,240 characters", patch: { "policy.Statement.0.Action": Array(700).fill("logs:PutLogEvents") }, property: "policy" },
            { refusal: "a malformed NotAction", patch: { "policy.Statement.0.Action": undefined, "policy.Statement.0.NotAction": "Decrypt" }, property: "policy.Statement.0.NotAction" },
            { refusal: "a resource that is not an ARN", patch: { "policy.Statement.1.Resource": ["key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"] }, property: "policy.Statement.1.Resource" },
            { refusal: "a resource of an unknown partition", patch: { "policy.Statement.1.Resource": [keyArn.replace("arn:aws:", "arn:amazon:")] }, property: "policy.Statement.1.Resource" },
            { refusal: "a resource whose service is a wildcard", patch: { "policy.Statement.1.Resource": [keyArn.replace(":kms:", ":*:")] }, property: "policy.Statement.1.Resource" },
            { refusal: "an unknown condition operator", patch: { "policy.Statement.1.Condition": { StringEqualz: { "kms:ViaService": "ssm.us-east-1.amazonaws.com" } } }, property: "policy.Statement.1.Condition" },
            { refusal: "a condition key without its service prefix", patch: { "policy.Statement.1.Condition": { StringEquals: { ViaService: "ssm.us-east-1.amazonaws.com" } } }, property: "policy.Statement.1.Condition" },
            { refusal: "a condition key with no values", patch: { "policy.Statement.1.Condition.StringEquals.kms:ViaService": [] }, property: "policy.Statement.1.Condition" },
            { refusal: "a condition value that is an object", patch: { "policy.Statement.1.Condition.StringEquals.kms:ViaService": { ssm: true } }, property: "policy.Statement.1.Condition" },
        ],
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        valid: { role: "host-instance-role-0a1b2c3", policyArn: "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role" },
        cases: [
            { refusal: "a policy name instead of an ARN", patch: { policyArn: "AmazonSSMManagedInstanceCore" }, property: "policyArn" },
            { refusal: "a role ARN instead of a role name", patch: { role: arn.role }, property: "role" },
        ],
    },
    "aws:iam/instanceProfile:InstanceProfile": {
        valid: { role: "host-instance-role-0a1b2c3" },
        physicalName: "host-instance-profile-0a1b2c3",
        cases: [
            { refusal: "a role name over 64 characters", patch: { role: "r".repeat(65) }, property: "role" },
            { refusal: "a profile name over 128 characters", patch: {}, physicalName: "p".repeat(129), property: "name" },
        ],
    },
    "aws:ec2/launchTemplate:LaunchTemplate": {
        valid: {
            description: "ECS-optimized Amazon Linux 2023 hosts of the cluster",
            imageId: "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id", instanceType: "t3.small",
            iamInstanceProfile: { arn: "arn:aws:iam::123456789012:instance-profile/host-instance-profile-0a1b2c3" },
            vpcSecurityGroupIds: ["sg-0123456789abcdef0"],
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
            userData: Buffer.from("#!/bin/bash\necho hi\n").toString("base64"),
            tagSpecifications: [{ resourceType: "instance", tags: { Name: "ecs-on-ec2-dev-ecs-host" } }],
        },
        physicalName: "host-launch-template-0a1b2c3",
        cases: [
            { refusal: "an image that is neither an AMI nor an SSM parameter", patch: { imageId: "al2023" }, property: "imageId" },
            { refusal: "a malformed instance type", patch: { instanceType: "t3-small" }, property: "instanceType" },
            { refusal: "a security group name instead of an ID", patch: { vpcSecurityGroupIds: ["hosts"] }, property: "vpcSecurityGroupIds" },
            { refusal: "an instance profile ARN of a role", patch: { "iamInstanceProfile.arn": arn.role }, property: "iamInstanceProfile.arn" },
            { refusal: "an unknown httpEndpoint", patch: { "metadataOptions.httpEndpoint": "on" }, property: "metadataOptions.httpEndpoint" },
            { refusal: "a malformed device name", patch: { "blockDeviceMappings.0.deviceName": "sda" }, property: "blockDeviceMappings.0.deviceName" },
            { refusal: "encrypted that is not a boolean", patch: { "blockDeviceMappings.0.ebs.encrypted": "yes" }, property: "blockDeviceMappings.0.ebs.encrypted" },
            { refusal: "a space in the template name", patch: {}, physicalName: "host template", property: "name" },
            { refusal: "a description over 255 characters", patch: { description: "d".repeat(256) }, property: "description" },
            { refusal: "a hop limit of 0", patch: { "metadataOptions.httpPutResponseHopLimit": 0 }, property: "metadataOptions.httpPutResponseHopLimit" },
            { refusal: "an unknown httpTokens", patch: { "metadataOptions.httpTokens": "always" }, property: "metadataOptions.httpTokens" },
            { refusal: "an unknown volume type", patch: { "blockDeviceMappings.0.ebs.volumeType": "gp4" }, property: "blockDeviceMappings.0.ebs.volumeType" },
            { refusal: "an st1 volume under 125 GiB", patch: { "blockDeviceMappings.0.ebs.volumeType": "st1" }, property: "blockDeviceMappings.0.ebs.volumeSize" },
            { refusal: "user data that is not base64", patch: { userData: "#!/bin/bash" }, property: "userData" },
            { refusal: "user data over 16 KB", patch: { userData: Buffer.alloc(16385).toString("base64") }, property: "userData" },
            { refusal: "an aws: tag key", patch: { "tagSpecifications.0.tags": { "aws:owner": "me" } }, property: "tagSpecifications.0.tags.aws:owner" },
            { refusal: "an unknown tag resource type", patch: { "tagSpecifications.0.resourceType": "image" }, property: "tagSpecifications.0.resourceType" },
        ],
    },
    "aws:autoscaling/group:Group": {
        valid: {
            vpcZoneIdentifiers: ["subnet-0a", "subnet-0b"], minSize: 2, maxSize: 4,
            launchTemplate: { id: "lt-0abc", version: "1" },
            instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 } },
            healthCheckType: "EC2", protectFromScaleIn: false, forceDelete: true,
            enabledMetrics: ["GroupDesiredCapacity", "GroupInServiceInstances"], metricsGranularity: "1Minute",
            tags: [{ key: "AmazonECSManaged", value: "true", propagateAtLaunch: true }],
        },
        physicalName: "host-asg-0a1b2c3",
        cases: [
            { refusal: "a negative minSize", patch: { minSize: -1 }, property: "minSize" },
            { refusal: "an unknown group metric", patch: { enabledMetrics: ["GroupInServiceHosts"] }, property: "enabledMetrics" },
            { refusal: "a metrics granularity other than 1Minute", patch: { metricsGranularity: "5Minute" }, property: "metricsGranularity" },
            { refusal: "a malformed launch template ID", patch: { "launchTemplate.id": "host-template" }, property: "launchTemplate.id" },
            { refusal: "a subnet name instead of an ID", patch: { vpcZoneIdentifiers: ["default-a"] }, property: "vpcZoneIdentifiers" },
            { refusal: "a tag without propagateAtLaunch", patch: { "tags.0.propagateAtLaunch": undefined }, property: "tags.0.propagateAtLaunch" },
            { refusal: "a group name with a control character", patch: {}, physicalName: "host\u0000asg", property: "name" },
            { refusal: "minSize above maxSize", patch: { minSize: 5 }, property: "minSize" },
            { refusal: "an unknown health check type", patch: { healthCheckType: "HTTP" }, property: "healthCheckType" },
            { refusal: "a launch template by id and name", patch: { "launchTemplate.name": "lt" }, property: "launchTemplate" },
            { refusal: "a malformed template version", patch: { "launchTemplate.version": "latest" }, property: "launchTemplate.version" },
            { refusal: "maxHealthyPercentage over 200", patch: { "instanceRefresh.preferences.maxHealthyPercentage": 250 }, property: "instanceRefresh.preferences.maxHealthyPercentage" },
            { refusal: "a healthy-percentage window over 100", patch: { "instanceRefresh.preferences.minHealthyPercentage": 50 }, property: "instanceRefresh.preferences.maxHealthyPercentage" },
            { refusal: "an unknown refresh strategy", patch: { "instanceRefresh.strategy": "Replace" }, property: "instanceRefresh.strategy" },
            { refusal: "an aws: tag key", patch: { "tags.0.key": "aws:ecs" }, property: "tags.0.key" },
        ],
    },
    "aws:lb/loadBalancer:LoadBalancer": {
        valid: {
            loadBalancerType: "application", internal: false, ipAddressType: "ipv4", subnets: ["subnet-0a", "subnet-0b"],
            securityGroups: ["sg-0123456789abcdef0"], dropInvalidHeaderFields: true, desyncMitigationMode: "defensive",
            enableDeletionProtection: false, enableZonalShift: true, accessLogs: { bucket: "alb-access-logs-0a1b2c3", enabled: true },
        },
        physicalName: "alb-0a1b2c3",
        cases: [
            { refusal: "an unknown type", patch: { loadBalancerType: "classic" }, property: "loadBalancerType" },
            { refusal: "zonal shift not a boolean", patch: { enableZonalShift: "yes" }, property: "enableZonalShift" },
            { refusal: "an unknown IP address type", patch: { ipAddressType: "ipv6" }, property: "ipAddressType" },
            { refusal: "a security group name instead of an ID", patch: { securityGroups: ["alb"] }, property: "securityGroups" },
            { refusal: "access logs enabled without a bucket", patch: { "accessLogs.bucket": undefined }, property: "accessLogs.bucket" },
            { refusal: "a name over 32 characters", patch: {}, physicalName: "a".repeat(33), property: "name" },
            { refusal: "a name starting with internal-", patch: {}, physicalName: "internal-alb", property: "name" },
            { refusal: "a name ending with a hyphen", patch: {}, physicalName: "alb-", property: "name" },
            { refusal: "one subnet for an ALB", patch: { subnets: ["subnet-0a"] }, property: "subnets" },
            { refusal: "an unknown desync mode", patch: { desyncMitigationMode: "strict" }, property: "desyncMitigationMode" },
            { refusal: "an ALB-only attribute on an NLB", patch: { loadBalancerType: "network" }, property: "desyncMitigationMode" },
            { refusal: "an access log bucket name S3 forbids", patch: { "accessLogs.bucket": "ALB_Logs" }, property: "accessLogs.bucket" },
        ],
    },
    "aws:lb/targetGroup:TargetGroup": {
        valid: {
            vpcId: "vpc-0defa017", targetType: "instance", protocol: "HTTP", port: 8080, deregistrationDelay: 15,
            healthCheck: { path: "/health", protocol: "HTTP", port: "traffic-port", matcher: "200-299", interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
        },
        physicalName: "app-tg-0a1b2c3",
        cases: [
            { refusal: "an unknown protocol", patch: { protocol: "HTTP2" }, property: "protocol" },
            { refusal: "an unknown target type", patch: { targetType: "container" }, property: "targetType" },
            { refusal: "a missing VPC for instance targets", patch: { vpcId: undefined }, property: "vpcId" },
            { refusal: "a health check port of 0", patch: { "healthCheck.port": "0" }, property: "healthCheck.port" },
            { refusal: "a name over 32 characters", patch: {}, physicalName: "t".repeat(33), property: "name" },
            { refusal: "an underscore in the name", patch: {}, physicalName: "app_tg", property: "name" },
            { refusal: "an interval of 4 s", patch: { "healthCheck.interval": 4 }, property: "healthCheck.interval" },
            { refusal: "a timeout of 121 s", patch: { "healthCheck.timeout": 121 }, property: "healthCheck.timeout" },
            { refusal: "a timeout not below the interval", patch: { "healthCheck.timeout": 10 }, property: "healthCheck.timeout" },
            { refusal: "a healthy threshold of 1", patch: { "healthCheck.healthyThreshold": 1 }, property: "healthCheck.healthyThreshold" },
            { refusal: "an unhealthy threshold of 11", patch: { "healthCheck.unhealthyThreshold": 11 }, property: "healthCheck.unhealthyThreshold" },
            { refusal: "a matcher code of 500", patch: { "healthCheck.matcher": "200,500" }, property: "healthCheck.matcher" },
            { refusal: "a matcher code below 200", patch: { "healthCheck.matcher": "100-299" }, property: "healthCheck.matcher" },
            { refusal: "a health check path without /", patch: { "healthCheck.path": "health" }, property: "healthCheck.path" },
            { refusal: "a deregistration delay over 3600 s", patch: { deregistrationDelay: 3601 }, property: "deregistrationDelay" },
            { refusal: "a port of 0", patch: { port: 0 }, property: "port" },
            { refusal: "a TCP health check on an HTTP group", patch: { "healthCheck.protocol": "TCP" }, property: "healthCheck.protocol" },
        ],
    },
    "aws:lb/listener:Listener": {
        valid: {
            loadBalancerArn: arn.lb, port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: arn.cert,
            defaultActions: [{ type: "fixed-response", fixedResponse: { statusCode: "404", contentType: "text/plain", messageBody: "Not found" } }],
        },
        cases: [
            { refusal: "a load balancer ARN of a target group", patch: { loadBalancerArn: arn.tg }, property: "loadBalancerArn" },
            { refusal: "an unknown action type", patch: { defaultActions: [{ type: "drop" }] }, property: "defaultActions.0.type" },
            { refusal: "a redirect without a status code", patch: { defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] }, property: "defaultActions.0.redirect.statusCode" },
            { refusal: "an unknown fixed-response content type", patch: { "defaultActions.0.fixedResponse.contentType": "text/xml" }, property: "defaultActions.0.fixedResponse.contentType" },
            { refusal: "port 0", patch: { port: 0 }, property: "port" },
            { refusal: "port 65536", patch: { port: 65536 }, property: "port" },
            { refusal: "an unknown protocol", patch: { protocol: "HTTP2" }, property: "protocol" },
            { refusal: "an unknown SSL policy", patch: { sslPolicy: "ELBSecurityPolicy-TLS13" }, property: "sslPolicy" },
            { refusal: "HTTPS without a certificate", patch: { certificateArn: undefined }, property: "certificateArn" },
            { refusal: "an SSL policy on HTTP", patch: { protocol: "HTTP", certificateArn: undefined }, property: "sslPolicy" },
            { refusal: "a redirect with status 307", patch: { defaultActions: [{ type: "redirect", redirect: { statusCode: "HTTP_307", protocol: "HTTPS", port: "443" } }] }, property: "defaultActions.0.redirect.statusCode" },
            { refusal: "a redirect to port 0", patch: { defaultActions: [{ type: "redirect", redirect: { statusCode: "HTTP_301", port: "0" } }] }, property: "defaultActions.0.redirect.port" },
            { refusal: "a fixed response of 302", patch: { "defaultActions.0.fixedResponse.statusCode": "302" }, property: "defaultActions.0.fixedResponse.statusCode" },
            { refusal: "a message body over 1024 characters", patch: { "defaultActions.0.fixedResponse.messageBody": "m".repeat(1025) }, property: "defaultActions.0.fixedResponse.messageBody" },
            { refusal: "a forward without a target group", patch: { defaultActions: [{ type: "forward" }] }, property: "defaultActions.0.targetGroupArn" },
            { refusal: "two final actions", patch: { defaultActions: [{ type: "forward", targetGroupArn: arn.tg }, { type: "forward", targetGroupArn: arn.tg }] }, property: "defaultActions" },
        ],
    },
    "aws:lb/listenerRule:ListenerRule": {
        valid: {
            listenerArn: arn.listener, priority: 10,
            actions: [{ type: "forward", targetGroupArn: arn.tg }],
            conditions: [{ pathPattern: { values: ["/orders/*", "/orders"] } }, { hostHeader: { values: ["api.example.com"] } }],
        },
        cases: [
            { refusal: "a listener ARN of a load balancer", patch: { listenerArn: arn.lb }, property: "listenerArn" },
            { refusal: "priority 0", patch: { priority: 0 }, property: "priority" },
            { refusal: "priority 50001", patch: { priority: 50001 }, property: "priority" },
            { refusal: "no conditions", patch: { conditions: [] }, property: "conditions" },
            { refusal: "a path pattern over 128 characters", patch: { "conditions.0.pathPattern.values": [`/${"p".repeat(128)}`] }, property: "conditions.0.pathPattern.values" },
            { refusal: "a path pattern with a space", patch: { "conditions.0.pathPattern.values": ["/my orders"] }, property: "conditions.0.pathPattern.values" },
            { refusal: "4 values in one condition", patch: { "conditions.0.pathPattern.values": ["/a", "/b", "/c", "/d"] }, property: "conditions.0" },
            { refusal: "6 values across the rule", patch: { "conditions.0.pathPattern.values": ["/a", "/b", "/c"], "conditions.1.hostHeader.values": ["a.example.com", "b.example.com", "c.example.com"] }, property: "conditions" },
            { refusal: "two path-pattern conditions", patch: { "conditions.1": { pathPattern: { values: ["/x"] } } }, property: "conditions" },
            { refusal: "a condition with two types", patch: { "conditions.0.hostHeader": { values: ["a.example.com"] } }, property: "conditions.0" },
            { refusal: "a host header with an underscore", patch: { "conditions.1.hostHeader.values": ["api_v1.example.com"] }, property: "conditions.1.hostHeader.values" },
        ],
    },
    "aws:s3/bucket:Bucket": {
        valid: { forceDestroy: true },
        physicalName: "alb-access-logs-0a1b2c3",
        cases: [
            { refusal: "upper-case bucket names", patch: { bucket: "Alb-Logs" }, property: "bucket" },
            { refusal: "a bucket name over 63 characters", patch: {}, physicalName: "b".repeat(64), property: "bucket" },
            { refusal: "a bucket name of 2 characters", patch: { bucket: "ab" }, property: "bucket" },
            { refusal: "adjacent periods", patch: { bucket: "a..b" }, property: "bucket" },
            { refusal: "an IP-address name", patch: { bucket: "192.168.5.4" }, property: "bucket" },
            { refusal: "the xn-- prefix", patch: { bucket: "xn--logs" }, property: "bucket" },
            { refusal: "the -s3alias suffix", patch: { bucket: "logs-s3alias" }, property: "bucket" },
        ],
    },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
        valid: { bucket: "alb-access-logs-0a1b2c3", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        cases: [
            { refusal: "a missing bucket", patch: { bucket: undefined }, property: "bucket" },
            { refusal: "a non-boolean setting", patch: { blockPublicAcls: "yes" }, property: "blockPublicAcls" },
        ],
    },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
        valid: { bucket: "alb-access-logs-0a1b2c3", rule: { objectOwnership: "BucketOwnerEnforced" } },
        cases: [
            { refusal: "an unknown object ownership", patch: { "rule.objectOwnership": "BucketOwner" }, property: "rule.objectOwnership" },
        ],
    },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
        valid: { bucket: "alb-access-logs-0a1b2c3", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        cases: [
            { refusal: "an unknown algorithm", patch: { "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm": "AES128" }, property: "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm" },
            { refusal: "no rules", patch: { rules: [] }, property: "rules" },
        ],
    },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
        valid: { bucket: "alb-access-logs-0a1b2c3", rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: 14 } }] },
        cases: [
            { refusal: "more than 1,000 rules", patch: { rules: Array.from({ length: 1001 }, (_, i) => ({ id: `r${i}`, status: "Enabled" })) }, property: "rules" },
            { refusal: "aborting multipart uploads after 0 days", patch: { "rules.0.abortIncompleteMultipartUpload": { daysAfterInitiation: 0 } }, property: "rules.0.abortIncompleteMultipartUpload.daysAfterInitiation" },
            { refusal: "a rule without status", patch: { "rules.0.status": undefined }, property: "rules.0.status" },
            { refusal: "expiration after 0 days", patch: { "rules.0.expiration.days": 0 }, property: "rules.0.expiration.days" },
            { refusal: "an unknown status", patch: { "rules.0.status": "enabled" }, property: "rules.0.status" },
            { refusal: "an ID over 255 characters", patch: { "rules.0.id": "i".repeat(256) }, property: "rules.0.id" },
            { refusal: "duplicate rule IDs", patch: { "rules.1": { id: "expire-access-logs", status: "Enabled" } }, property: "rules" },
        ],
    },
    "aws:s3/bucketPolicy:BucketPolicy": {
        valid: {
            bucket: "alb-access-logs-0a1b2c3",
            policy: { Version: "2012-10-17", Statement: [
                { Sid: "ElbLogDelivery", Effect: "Allow", Principal: { AWS: "arn:aws:iam::127311923021:root" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::alb-access-logs-0a1b2c3/AWSLogs/123456789012/*" },
                { Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::alb-access-logs-0a1b2c3", "arn:aws:s3:::alb-access-logs-0a1b2c3/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } },
            ] },
        },
        json: ["policy"],
        cases: [
            { refusal: "a policy over 20 KB", patch: { "policy.Statement.1.Sid": "S".repeat(21000) }, property: "policy" },
            { refusal: "a statement without Resource", patch: { "policy.Statement.0.Resource": undefined }, property: "policy.Statement.0.Resource" },
            { refusal: "a statement without Principal", patch: { "policy.Statement.0.Principal": undefined }, property: "policy.Statement.0.Principal" },
            { refusal: "a resource of another bucket", patch: { "policy.Statement.0.Resource": "arn:aws:s3:::other-bucket/*" }, property: "policy.Statement.0.Resource" },
            { refusal: "duplicate Sids", patch: { "policy.Statement.1.Sid": "ElbLogDelivery" }, property: "policy.Statement" },
            { refusal: "an unknown principal type", patch: { "policy.Statement.0.Principal": { Account: "127311923021" } }, property: "policy.Statement.0.Principal" },
            { refusal: "a condition that is not an object of operators", patch: { "policy.Statement.1.Condition": { Bool: "false" } }, property: "policy.Statement.1.Condition" },
        ],
    },
    "aws:acm/certificate:Certificate": {
        valid: { domainName: "app.example.com", validationMethod: "DNS" },
        cases: [
            { refusal: "a domain with an underscore", patch: { domainName: "my_app.example.com" }, property: "domainName" },
            { refusal: "a domain name over 64 characters", patch: { domainName: `${"a".repeat(53)}.example.com` }, property: "domainName" },
            { refusal: "a single-label domain", patch: { domainName: "localhost" }, property: "domainName" },
            { refusal: "an unknown validation method", patch: { validationMethod: "dns" }, property: "validationMethod" },
        ],
    },
    "aws:acm/certificateValidation:CertificateValidation": {
        valid: { certificateArn: arn.cert, validationRecordFqdns: ["_3b2a1c.app.example.com"] },
        cases: [
            { refusal: "a certificate ARN of another service", patch: { certificateArn: arn.role }, property: "certificateArn" },
            { refusal: "a record name with a space", patch: { validationRecordFqdns: ["a b.example.com"] }, property: "validationRecordFqdns" },
        ],
    },
    "aws:route53/record:Record": {
        valid: { zoneId: "Z0123456789ABCDEFGHIJ", name: "_3b2a1c.app.example.com.", type: "CNAME", records: ["_7d6e5f.acm-validations.aws."], ttl: 300, allowOverwrite: true },
        cases: [
            { refusal: "a malformed zone ID", patch: { zoneId: "example.com" }, property: "zoneId" },
            { refusal: "two alias targets", patch: { type: "A", records: undefined, ttl: undefined, aliases: [{ name: "a.elb.amazonaws.com", zoneId: "Z1", evaluateTargetHealth: true }, { name: "b.elb.amazonaws.com", zoneId: "Z1", evaluateTargetHealth: true }] }, property: "aliases" },
            { refusal: "an alias on an SOA record", patch: { type: "SOA", records: undefined, ttl: undefined, aliases: [{ name: "a.elb.amazonaws.com", zoneId: "Z1", evaluateTargetHealth: true }] }, property: "type" },
            { refusal: "an AAAA record that is not IPv6", patch: { type: "AAAA", records: ["10.0.0.1"] }, property: "records.0" },
            { refusal: "an unknown record type", patch: { type: "ALIAS" }, property: "type" },
            { refusal: "a negative TTL", patch: { ttl: -1 }, property: "ttl" },
            { refusal: "a record without TTL", patch: { ttl: undefined }, property: "ttl" },
            { refusal: "two CNAME values", patch: { records: ["a.example.com", "b.example.com"] }, property: "records" },
            { refusal: "a label over 63 characters", patch: { name: `${"l".repeat(64)}.example.com` }, property: "name" },
            { refusal: "an A record that is not an IPv4 address", patch: { type: "A", records: ["example.com"] }, property: "records.0" },
            { refusal: "TTL on an alias record", patch: { type: "A", records: undefined, aliases: [{ name: "alb-1.us-east-1.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true }] }, property: "ttl" },
            { refusal: "an alias without evaluateTargetHealth", patch: { type: "A", records: undefined, ttl: undefined, aliases: [{ name: "alb-1.us-east-1.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K" }] }, property: "aliases.0.evaluateTargetHealth" },
        ],
    },
    "aws:appautoscaling/target:Target": {
        valid: { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: "service/ecs-on-ec2-dev/app-service-0a1b2c3", minCapacity: 5, maxCapacity: 10 },
        cases: [
            { refusal: "minCapacity above maxCapacity", patch: { minCapacity: 11 }, property: "minCapacity" },
            { refusal: "a negative capacity", patch: { minCapacity: -1 }, property: "minCapacity" },
            { refusal: "an ECS dimension other than DesiredCount", patch: { scalableDimension: "ecs:service:Count" }, property: "scalableDimension" },
            { refusal: "a malformed ECS resource ID", patch: { resourceId: "ecs-on-ec2-dev/app" }, property: "resourceId" },
            { refusal: "an unknown namespace", patch: { serviceNamespace: "ecs-service" }, property: "serviceNamespace" },
            { refusal: "no maxCapacity", patch: { maxCapacity: undefined }, property: "maxCapacity" },
        ],
    },
    "aws:appautoscaling/policy:Policy": {
        valid: {
            policyType: "TargetTrackingScaling", serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount",
            resourceId: "service/ecs-on-ec2-dev/app-service-0a1b2c3",
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: "app/alb-0a1b2c3/50dc6c495c0c9188/targetgroup/app-tg-0a1b2c3/73e2d6bc24d8a067" },
                targetValue: 1000, scaleOutCooldown: 60, scaleInCooldown: 300,
            },
        },
        physicalName: "app-service-requests-per-target-0a1b2c3",
        cases: [
            { refusal: "both predefined and customized metrics", patch: { "targetTrackingScalingPolicyConfiguration.customizedMetricSpecification": { metricName: "X" } }, property: "targetTrackingScalingPolicyConfiguration" },
            { refusal: "a resource label over 1023 characters", patch: { "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel": `app/${"a".repeat(1020)}/1/targetgroup/t/1` }, property: "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel" },
            { refusal: "an unknown policy type", patch: { policyType: "TargetTracking" }, property: "policyType" },
            { refusal: "a target value of 0", patch: { "targetTrackingScalingPolicyConfiguration.targetValue": 0 }, property: "targetTrackingScalingPolicyConfiguration.targetValue" },
            { refusal: "a negative cooldown", patch: { "targetTrackingScalingPolicyConfiguration.scaleInCooldown": -1 }, property: "targetTrackingScalingPolicyConfiguration.scaleInCooldown" },
            { refusal: "ALBRequestCountPerTarget without a resource label", patch: { "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel": undefined }, property: "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel" },
            { refusal: "a resource label on a CPU metric", patch: { "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType": "ECSServiceAverageCPUUtilization" }, property: "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel" },
            { refusal: "a malformed resource label", patch: { "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel": "alb-0a1b2c3/app-tg-0a1b2c3" }, property: "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel" },
            { refusal: "a non-ECS metric on an ECS service", patch: { "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType": "ASGAverageCPUUtilization" }, property: "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType" },
            { refusal: "target tracking without its configuration", patch: { targetTrackingScalingPolicyConfiguration: undefined }, property: "targetTrackingScalingPolicyConfiguration" },
            { refusal: "a policy name over 256 characters", patch: {}, physicalName: "p".repeat(257), property: "name" },
        ],
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        valid: {
            alarmDescription: "Over 5 percent of the service's requests answered 5xx", comparisonOperator: "GreaterThanThreshold",
            evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 5, treatMissingData: "notBreaching", alarmActions: [arn.topic], okActions: [arn.topic],
            metricQueries: [
                { id: "errors", metric: { metricName: "HTTPCode_Target_5XX_Count", namespace: "AWS/ApplicationELB", period: 60, stat: "Sum", dimensions: { TargetGroup: "targetgroup/tg/1" } }, returnData: false },
                { id: "requests", metric: { metricName: "RequestCount", namespace: "AWS/ApplicationELB", period: 60, stat: "Sum" }, returnData: false },
                { id: "rate", expression: "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)", label: "5xx percent", returnData: true },
            ],
        },
        physicalName: "app-5xx-rate-0a1b2c3",
        cases: [
            { refusal: "over 30 dimensions", patch: { "metricQueries.0.metric.dimensions": Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`D${i}`, "v"])) }, property: "metricQueries.0.metric.dimensions" },
            { refusal: "a dimension value over 1024 characters", patch: { "metricQueries.0.metric.dimensions.TargetGroup": "t".repeat(1025) }, property: "metricQueries.0.metric.dimensions.TargetGroup" },
            { refusal: "a query metric without stat", patch: { "metricQueries.0.metric.stat": undefined }, property: "metricQueries.0.metric.stat" },
            { refusal: "a namespace beginning with :", patch: { "metricQueries.0.metric.namespace": ":AWS" }, property: "metricQueries.0.metric.namespace" },
            { refusal: "an alarm name over 255 characters", patch: {}, physicalName: "a".repeat(256), property: "name" },
            { refusal: "an unknown comparison operator", patch: { comparisonOperator: "GreaterThan" }, property: "comparisonOperator" },
            { refusal: "evaluationPeriods 0", patch: { evaluationPeriods: 0, datapointsToAlarm: undefined }, property: "evaluationPeriods" },
            { refusal: "datapointsToAlarm above evaluationPeriods", patch: { datapointsToAlarm: 4 }, property: "datapointsToAlarm" },
            { refusal: "a query id starting upper-case", patch: { "metricQueries.0.id": "Errors" }, property: "metricQueries.0.id" },
            { refusal: "duplicate query ids", patch: { "metricQueries.1.id": "errors" }, property: "metricQueries" },
            { refusal: "two queries returning data", patch: { "metricQueries.0.returnData": true }, property: "metricQueries" },
            { refusal: "no query returning data", patch: { "metricQueries.2.returnData": false }, property: "metricQueries" },
            { refusal: "a query period of 45 s", patch: { "metricQueries.0.metric.period": 45 }, property: "metricQueries.0.metric.period" },
            { refusal: "a query with metric and expression", patch: { "metricQueries.2.metric": { metricName: "X", period: 60, stat: "Sum" } }, property: "metricQueries.2" },
            { refusal: "metricName beside metricQueries", patch: { metricName: "RequestCount", namespace: "AWS/ApplicationELB", period: 60, statistic: "Sum" }, property: "metricQueries" },
            { refusal: "a missing threshold", patch: { threshold: undefined }, property: "threshold" },
            { refusal: "more than 5 alarm actions", patch: { alarmActions: Array(6).fill(arn.topic) }, property: "alarmActions" },
            { refusal: "an unknown treatMissingData", patch: { treatMissingData: "zero" }, property: "treatMissingData" },
            { refusal: "a description over 1024 characters", patch: { alarmDescription: "d".repeat(1025) }, property: "alarmDescription" },
        ],
    },
    "aws:cloudwatch/dashboard:Dashboard": {
        valid: {
            dashboardName: "ecs-on-ec2-dev",
            dashboardBody: { widgets: [
                { type: "metric", x: 0, y: 0, width: 12, height: 6, properties: { title: "Requests", region: "us-east-1", view: "timeSeries", stat: "Sum", period: 60, metrics: [["AWS/ApplicationELB", "RequestCount", "TargetGroup", "targetgroup/tg/1", { stat: "Sum", label: "app" }]] } },
                { type: "text", width: 24, height: 2, properties: { markdown: "# ecs-on-ec2" } },
            ] },
        },
        json: ["dashboardBody"],
        cases: [
            { refusal: "a widget 1001 high", patch: { "dashboardBody.widgets.0.height": 1001 }, property: "dashboardBody.widgets.0.height" },
            { refusal: "an unknown view", patch: { "dashboardBody.widgets.0.properties.view": "line" }, property: "dashboardBody.widgets.0.properties.view" },
            { refusal: "a widget period of 45 s", patch: { "dashboardBody.widgets.0.properties.period": 45 }, property: "dashboardBody.widgets.0.properties.period" },
            { refusal: "an alarm widget without alarms", patch: { "dashboardBody.widgets.1": { type: "alarm", properties: {} } }, property: "dashboardBody.widgets.1.properties.alarms" },
            { refusal: "a log widget without a query", patch: { "dashboardBody.widgets.1": { type: "log", properties: {} } }, property: "dashboardBody.widgets.1.properties.query" },
            { refusal: "a dot in the dashboard name", patch: { dashboardName: "ecs.dev" }, property: "dashboardName" },
            { refusal: "a body that is not JSON", patch: { dashboardBody: "{widgets" }, property: "dashboardBody" },
            { refusal: "a body without widgets", patch: { dashboardBody: {} }, property: "dashboardBody.widgets" },
            { refusal: "a widget 25 wide", patch: { "dashboardBody.widgets.0.width": 25 }, property: "dashboardBody.widgets.0.width" },
            { refusal: "an unknown widget type", patch: { "dashboardBody.widgets.0.type": "graph" }, property: "dashboardBody.widgets.0.type" },
            { refusal: "a metric widget without region", patch: { "dashboardBody.widgets.0.properties.region": undefined }, property: "dashboardBody.widgets.0.properties.region" },
            { refusal: "metrics that are not arrays", patch: { "dashboardBody.widgets.0.properties.metrics": ["AWS/ApplicationELB"] }, property: "dashboardBody.widgets.0.properties.metrics" },
            { refusal: "a text widget without markdown", patch: { "dashboardBody.widgets.1.properties": {} }, property: "dashboardBody.widgets.1.properties.markdown" },
        ],
    },
    "aws:sns/topic:Topic": {
        valid: { displayName: "ecs-on-ec2 alarms" },
        physicalName: "alarms-0a1b2c3",
        cases: [
            { refusal: "a dot in the topic name", patch: {}, physicalName: "alarms.dev", property: "name" },
            { refusal: "a topic name over 256 characters", patch: { name: "t".repeat(257) }, property: "name" },
        ],
    },
    "aws:scheduler/schedule:Schedule": {
        valid: {
            scheduleExpression: "cron(0 3 * * ? *)", scheduleExpressionTimezone: "Europe/Paris", flexibleTimeWindow: { mode: "OFF" },
            target: {
                arn: "arn:aws:ecs:us-east-1:123456789012:cluster/ecs-on-ec2-dev", roleArn: arn.role,
                ecsParameters: {
                    taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/ecs-on-ec2-dev-report:1", taskCount: 1,
                    capacityProviderStrategies: [{ capacityProvider: "capacity-provider-0a1b2c3", weight: 1, base: 0 }],
                    enableEcsManagedTags: true, propagateTags: "TASK_DEFINITION",
                },
                retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
                deadLetterConfig: { arn: "arn:aws:sqs:us-east-1:123456789012:report-dlq-0a1b2c3" },
            },
        },
        physicalName: "report-schedule-0a1b2c3",
        cases: [
            { refusal: "a schedule name over 64 characters", patch: {}, physicalName: "s".repeat(65), property: "name" },
            { refusal: "a five-field cron", patch: { scheduleExpression: "cron(0 3 * * ?)" }, property: "scheduleExpression" },
            { refusal: "a cron with neither day field ?", patch: { scheduleExpression: "cron(0 3 * * * *)" }, property: "scheduleExpression" },
            { refusal: "rate(0 minutes)", patch: { scheduleExpression: "rate(0 minutes)" }, property: "scheduleExpression" },
            { refusal: "a time zone over 50 characters", patch: { scheduleExpressionTimezone: "z".repeat(51) }, property: "scheduleExpressionTimezone" },
            { refusal: "no flexible time window", patch: { flexibleTimeWindow: undefined }, property: "flexibleTimeWindow.mode" },
            { refusal: "a FLEXIBLE window without its length", patch: { "flexibleTimeWindow.mode": "FLEXIBLE" },
                property: "flexibleTimeWindow.maximumWindowInMinutes" },
            { refusal: "an ECS target that is not a cluster", patch: { "target.arn": arn.topic }, property: "target.arn" },
            { refusal: "no role", patch: { "target.roleArn": undefined }, property: "target.roleArn" },
            { refusal: "11 tasks a run", patch: { "target.ecsParameters.taskCount": 11 }, property: "target.ecsParameters.taskCount" },
            { refusal: "a launch type beside a capacity provider strategy", patch: { "target.ecsParameters.launchType": "EC2" },
                property: "target.ecsParameters.launchType" },
            { refusal: "tags propagated from the service", patch: { "target.ecsParameters.propagateTags": "SERVICE" },
                property: "target.ecsParameters.propagateTags" },
            { refusal: "186 retries", patch: { "target.retryPolicy.maximumRetryAttempts": 186 }, property: "target.retryPolicy.maximumRetryAttempts" },
            { refusal: "an event age under a minute", patch: { "target.retryPolicy.maximumEventAgeInSeconds": 59 },
                property: "target.retryPolicy.maximumEventAgeInSeconds" },
            { refusal: "a dead-letter target that is not a queue", patch: { "target.deadLetterConfig.arn": arn.topic },
                property: "target.deadLetterConfig.arn" },
        ],
    },
    "aws:sqs/queue:Queue": {
        valid: { messageRetentionSeconds: 1209600, sqsManagedSseEnabled: true },
        physicalName: "report-dlq-0a1b2c3",
        cases: [
            { refusal: "a queue name over 80 characters", patch: {}, physicalName: "q".repeat(81), property: "name" },
            { refusal: "a dot in a standard queue's name", patch: {}, physicalName: "report.dlq", property: "name" },
            { refusal: "a retention over 14 days", patch: { messageRetentionSeconds: 1209601 }, property: "messageRetentionSeconds" },
        ],
    },
    "aws:sns/topicSubscription:TopicSubscription": {
        valid: { topic: arn.topic, protocol: "email", endpoint: "ops@example.com" },
        cases: [
            { refusal: "a topic that is not a topic ARN", patch: { topic: "alarms" }, property: "topic" },
            { refusal: "an unknown protocol", patch: { protocol: "mail" }, property: "protocol" },
            { refusal: "an email endpoint that is not an address", patch: { endpoint: "ops.example.com" }, property: "endpoint" },
            { refusal: "an https endpoint over http", patch: { protocol: "https", endpoint: "http://hooks.example.com" }, property: "endpoint" },
            { refusal: "an sqs endpoint that is not a queue ARN", patch: { protocol: "sqs", endpoint: "alarms" }, property: "endpoint" },
            { refusal: "a missing endpoint", patch: { endpoint: undefined }, property: "endpoint" },
        ],
    },
    "aws:wafv2/webAcl:WebAcl": {
        valid: {
            scope: "REGIONAL", defaultAction: { allow: {} }, description: "Managed common and known-bad-input rules, and a per-IP rate limit",
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "web-acl", sampledRequestsEnabled: true },
            rules: [
                { name: "AWSManagedRulesCommonRuleSet", priority: 1, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS" } }, visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "common", sampledRequestsEnabled: true } },
                { name: "rate-limit-per-ip", priority: 2, action: { block: {} }, statement: { rateBasedStatement: { aggregateKeyType: "IP", evaluationWindowSec: 300, limit: 2000 } }, visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "rate-limit-per-ip", sampledRequestsEnabled: true } },
            ],
        },
        physicalName: "web-acl-0a1b2c3",
        cases: [
            { refusal: "a managed rule group without vendorName", patch: { "rules.0.statement.managedRuleGroupStatement.vendorName": undefined }, property: "rules.0.statement.managedRuleGroupStatement.vendorName" },
            { refusal: "a rule with two statements", patch: { "rules.1.statement.managedRuleGroupStatement": { name: "X", vendorName: "AWS" } }, property: "rules.1.statement" },
            { refusal: "an action of block and count", patch: { "rules.1.action.count": {} }, property: "rules.1.action" },
            { refusal: "an unknown aggregate key type", patch: { "rules.1.statement.rateBasedStatement.aggregateKeyType": "SESSION" }, property: "rules.1.statement.rateBasedStatement.aggregateKeyType" },
            { refusal: "FORWARDED_IP without its config", patch: { "rules.1.statement.rateBasedStatement.aggregateKeyType": "FORWARDED_IP" }, property: "rules.1.statement.rateBasedStatement.forwardedIpConfig" },
            { refusal: "CUSTOM_KEYS without keys", patch: { "rules.1.statement.rateBasedStatement.aggregateKeyType": "CUSTOM_KEYS" }, property: "rules.1.statement.rateBasedStatement.customKeys" },
            { refusal: "a visibility config without cloudwatchMetricsEnabled", patch: { "visibilityConfig.cloudwatchMetricsEnabled": undefined }, property: "visibilityConfig.cloudwatchMetricsEnabled" },
            { refusal: "a rule name with a space", patch: { "rules.1.name": "rate limit" }, property: "rules.1.name" },
            { refusal: "a negative priority", patch: { "rules.1.priority": -1 }, property: "rules.1.priority" },
            { refusal: "a dot in the ACL name", patch: {}, physicalName: "web.acl", property: "name" },
            { refusal: "an ACL name over 128 characters", patch: {}, physicalName: "w".repeat(129), property: "name" },
            { refusal: "duplicate rule priorities", patch: { "rules.1.priority": 1 }, property: "rules" },
            { refusal: "duplicate rule names", patch: { "rules.1.name": "AWSManagedRulesCommonRuleSet" }, property: "rules" },
            { refusal: "a rate limit of 9", patch: { "rules.1.statement.rateBasedStatement.limit": 9 }, property: "rules.1.statement.rateBasedStatement.limit" },
            { refusal: "a rate limit over 2,000,000,000", patch: { "rules.1.statement.rateBasedStatement.limit": 2000000001 }, property: "rules.1.statement.rateBasedStatement.limit" },
            { refusal: "an evaluation window of 240 s", patch: { "rules.1.statement.rateBasedStatement.evaluationWindowSec": 240 }, property: "rules.1.statement.rateBasedStatement.evaluationWindowSec" },
            { refusal: "a metric name with a space", patch: { "visibilityConfig.metricName": "web acl" }, property: "visibilityConfig.metricName" },
            { refusal: "the reserved metric name All", patch: { "rules.1.visibilityConfig.metricName": "All" }, property: "rules.1.visibilityConfig.metricName" },
            { refusal: "a managed group with action instead of overrideAction", patch: { "rules.0.overrideAction": undefined, "rules.0.action": { block: {} } }, property: "rules.0" },
            { refusal: "a rate rule with overrideAction", patch: { "rules.1.action": undefined, "rules.1.overrideAction": { none: {} } }, property: "rules.1" },
            { refusal: "a default action both allow and block", patch: { "defaultAction.block": {} }, property: "defaultAction" },
            { refusal: "an unknown scope", patch: { scope: "GLOBAL" }, property: "scope" },
            { refusal: "a missing visibility config", patch: { visibilityConfig: undefined }, property: "visibilityConfig" },
            { refusal: "a description ending in a space", patch: { description: "rules " }, property: "description" },
        ],
    },
    "aws:wafv2/webAclAssociation:WebAclAssociation": {
        valid: { resourceArn: arn.lb, webAclArn: arn.webAcl },
        cases: [
            { refusal: "a network load balancer", patch: { resourceArn: arn.lb.replace("/app/", "/net/") }, property: "resourceArn" },
            { refusal: "a web ACL ARN of another service", patch: { webAclArn: arn.topic }, property: "webAclArn" },
        ],
    },
};

for (const [type, spec] of Object.entries(types)) {
    describeType(type, spec);
}

test("IAM takes each condition operator with ...IfExists and a ForAllValues: or ForAnyValue: qualifier, and Null without", () => {
    const conditions = [
        { StringLikeIfExists: { "aws:PrincipalTag/team": "orders-*" } }, { "ForAnyValue:StringEquals": { "aws:TagKeys": ["team", "app"] } },
        { "ForAllValues:ArnLike": { "aws:SourceArn": [`${keyArn}*`] } }, { NumericLessThan: { "s3:max-keys": 10 } },
        { Bool: { "aws:SecureTransport": true } }, { Null: { "aws:TokenIssueTime": "false" } },
    ];
    for (const Condition of conditions) {
        const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::orders-bucket/*", Condition }] };
        assert.deepEqual(run("aws:iam/rolePolicy:RolePolicy", { role: "task-role-0a1b2c3", policy: JSON.stringify(policy) }, "p-0a1b2c3"), [],
            JSON.stringify(Condition));
    }
    const nullIfExists = { Version: "2012-10-17", Statement: [{ ...permissions.Statement[0], Condition: { NullIfExists: { "aws:TokenIssueTime": "true" } } }] };
    assert.equal(run("aws:iam/rolePolicy:RolePolicy", { role: "task-role-0a1b2c3", policy: JSON.stringify(nullIfExists) }, "p-0a1b2c3")[0]?.property,
        "policy.Statement.0.Condition");
});

describe("invokes", () => {
    const cases: [token: string, valid: Doc, invalid: Doc, property: string][] = [
        ["aws:ec2/getVpc:getVpc", { default: true }, { default: "yes" }, "default"],
        ["aws:ec2/getSubnet:getSubnet", { vpcId: "vpc-0defa017", availabilityZone: "us-east-1a", defaultForAz: true }, { vpcId: "vpc-0defa017", availabilityZone: "us-east-1" }, "availabilityZone"],
        ["aws:ecr/getAuthorizationToken:getAuthorizationToken", { registryId: "123456789012" }, { registryId: "1234" }, "registryId"],
        ["aws:index/getAvailabilityZones:getAvailabilityZones", { state: "available" }, { state: "up" }, "state"],
        ["aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings", { locationType: "availability-zone", filters: [{ name: "instance-type", values: ["t3.small"] }] },
            { locationType: "zone", filters: [{ name: "instance-type", values: ["t3.small"] }] }, "locationType"],
        ["aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings", { locationType: "availability-zone", filters: [{ name: "location", values: ["us-east-1a"] }] },
            { locationType: "availability-zone", filters: [{ name: "instance-types", values: ["t3.small"] }] }, "filters.0.name"],
        ["aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings", { locationType: "availability-zone", filters: [{ name: "location", values: ["us-east-1a"] }] },
            { locationType: "availability-zone", filters: [{ name: "location", values: [] }] }, "filters.0.values"],
        ["docker:index/getRegistryImage:getRegistryImage", { name: "lobster1234/tomcat:8.5.20" }, { name: "lobster1234/tomcat:8.5/20" }, "name"],
    ];
    for (const [token, valid, invalid, property] of cases) {
        test(`${token}: a valid call passes, a bad ${property} is refused`, () => {
            assert.deepEqual(invokeRules[token](valid), []);
            assert.ok(invokeRules[token](invalid).some((v) => v.property === property));
        });
    }
});

describe("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule: what EC2 takes of each destination", () => {
    const egress = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
    const base = { securityGroupId: "sg-0123456789abcdef0", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 };
    const accepted: [what: string, inputs: Doc][] = [
        ["a rule to a security group of 17 hex digits", { ...base, referencedSecurityGroupId: "sg-0fedcba9876543210", description: "Postgres orders-db" }],
        ["a rule to a security group of 8 hex digits", { ...base, referencedSecurityGroupId: "sg-0a1b2c3d", description: "Postgres orders-db" }],
        ["a rule to an AWS-managed prefix list", { ...base, prefixListId: "pl-63a5400a", description: "S3 gateway endpoint" }],
        ["a rule to a customer-managed prefix list", { ...base, prefixListId: "pl-0123456789abcdef0", description: "Partner ranges" }],
        ["an & in the description of a rule to a CIDR block (IpRange)", { ...base, cidrIpv4: "10.0.0.0/16", description: "SMTP & relay" }],
        ["a single address", { ...base, cidrIpv4: "203.0.113.25/32", description: "Mail relay" }],
        ["a UDP port range", { ...base, ipProtocol: "udp", fromPort: 8125, toPort: 8126, cidrIpv4: "10.0.0.0/8", description: "StatsD" }],
        ["every character EC2 lists", { ...base, referencedSecurityGroupId: "sg-0a1b2c3d", description: "aZ09 ._-:/()#,@[]+=;{}!$*" }],
    ];
    for (const [what, inputs] of accepted) {
        test(`takes ${what}`, () => {
            assert.deepEqual(resourceRules[egress](inputs, { logicalName: "x" }), []);
        });
    }
});
