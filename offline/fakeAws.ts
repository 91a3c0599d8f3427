// The fake AWS the tests and `npm run plan` run the program on: it refuses every input AWS would refuse
// (awsRules), answers the invokes the stack makes the way AWS answers them in the stack's region, gives
// each resource the attributes AWS computes, and fails on any resource type or invoke it has no rules for.
import { createHash } from "node:crypto";
import { invokeRules, physicalName, randomSuffix, resourceRules, Violation } from "./awsRules";
import { mergedTags, tagViolations, takesDefaultTags } from "./awsRules/tags";

/** The account every fake ARN names: AWS's own documentation example, so no one mistakes it for a real one. */
export const accountId = "123456789012";
export const defaultVpcId = "vpc-0000000000000d1f0";

/** Refused by the fake AWS as AWS would refuse it: names the resource, the property, the value and the rule. */
export class AwsRejection extends Error {
    constructor(what: string, violations: Violation[]) {
        super(violations.map((v) => `${what}: ${v.property} = ${JSON.stringify(v.value)} is refused: ${v.rule}`).join("\n"));
        this.name = "AwsRejection";
    }
}

// AZs per region, as DescribeAvailabilityZones lists them for a new account (us-east-1 has six).
const availabilityZones: Readonly<Record<string, string>> = {
    "us-east-1": "abcdef", "us-east-2": "abc", "us-west-1": "ac", "us-west-2": "abcd",
    "eu-west-1": "abc", "eu-west-2": "abc", "eu-central-1": "abc", "ap-southeast-1": "abc", "ap-northeast-1": "acd",
    "eu-central-2": "abc",
};

// AZs that offer no T3 instances, by name as this fake account maps them: us-east-1's use1-az3 lacks t3
// (https://repost.aws/knowledge-center/ec2-instance-type-not-supported-az), and AZ names map to AZ IDs per account.
const azsWithoutT3: Readonly<Record<string, readonly string[]>> = { "us-east-1": ["us-east-1e"] };

// The ELB accounts that write access logs, per region
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
const elbAccounts: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
    "eu-west-1": "156460612806", "eu-west-2": "652711504416", "eu-central-1": "054676820928",
    "ap-southeast-1": "114774131450", "ap-northeast-1": "582318560864",
};

// How Pulumi's mocks hand over a secret input: its value, under the SDK's secret signature.
const secretSignature = "4dabf18193072939515e22adb298388d";

/** `value` with its secrets revealed: AWS (and Docker) get the plain values the program marked secret. */
export function revealed(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(revealed);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const record = value as Record<string, unknown>;
    return secretSignature in record
        ? revealed(record.value)
        : Object.fromEntries(Object.entries(record).map(([key, v]) => [key, revealed(v)]));
}

/** A placeholder hex string: zeros first, so a reader sees at once it was invented here. */
function placeholderHex(seed: string, length: number): string {
    return `0000${createHash("sha256").update(seed).digest("hex")}`.slice(0, length);
}

/**
 * What the registries hold: ECR's repositories (each one's tag mutability, and the tags pushed to it, by repository
 * URL), and the digest an upstream tag names, by reference, where a test moved it (any other: a placeholder).
 */
export interface FakeRegistry {
    readonly mutability: Map<string, string>;
    readonly pushedTags: Map<string, Set<string>>;
    readonly upstreamDigests: Map<string, string>;
}

/** ECR before anything is pushed, and upstream tags where they were. */
export const emptyRegistry = (): FakeRegistry => ({ mutability: new Map(), pushedTags: new Map(), upstreamDigests: new Map() });

/** The type token of an explicit AWS provider's registration. */
export const awsProviderType = "pulumi:providers:aws";

export class FakeAws {
    /** The default tags of each explicit AWS provider registered, by the ID the fake gave it. */
    private readonly providerTags = new Map<string, Record<string, string>>();

    /** `registry` outlives one run when a test passes the same one to several, as ECR outlives one `pulumi up`. */
    constructor(readonly region: string, readonly registry: FakeRegistry = emptyRegistry()) {}

    /**
     * An explicit AWS provider: its region must be the one this fake serves, and its default tags ones AWS accepts.
     * Returns its state, with the ID that the references of the resources and invokes made through it end with.
     */
    newProvider(logicalName: string, inputs: Record<string, unknown>): Record<string, unknown> {
        const what = `${awsProviderType} ${logicalName}`;
        if (inputs.region !== this.region) {
            throw new Error(`${what}: region ${JSON.stringify(inputs.region)}: the fake AWS serves ${this.region} only, the stack's aws:region`);
        }
        // The SDK sends an object-typed provider input as a JSON string.
        if (inputs.defaultTags !== undefined && typeof inputs.defaultTags !== "string") {
            throw new Error(`${what}: defaultTags ${JSON.stringify(inputs.defaultTags)} is not the JSON string the SDK sends`);
        }
        const tags = (inputs.defaultTags === undefined ? {} : (JSON.parse(inputs.defaultTags) as { tags?: Record<string, string> }).tags) ?? {};
        const violations = tagViolations(tags, "defaultTags.tags");
        if (violations.length > 0) {
            throw new AwsRejection(what, violations);
        }
        const id = `${logicalName}-provider-${placeholderHex(logicalName, 8)}`;
        this.providerTags.set(id, tags);
        return { ...inputs, id };
    }

    /**
     * The default tags of the provider `reference` (`urn::id`) names. Every AWS call goes through an explicit provider:
     * the default one, which the engine makes from config, carries none of the stack's tags.
     */
    private defaultTagsOf(what: string, reference: string | undefined): Record<string, string> {
        const tags = this.providerTags.get(reference?.split("::").pop() ?? "");
        if (tags === undefined) {
            throw new Error(`${what} goes through ${reference ? `the provider ${reference}` : "the default AWS provider"}, not the stack's: `
                + "give it the stack's provider (its parent's `providers`, or `provider`)");
        }
        return tags;
    }

    private arn(service: string, resource: string): string {
        // IAM and S3 are global: their ARNs name no region.
        const region = ["iam", "s3"].includes(service) ? "" : this.region;
        return `arn:aws:${service}:${region}:${accountId}:${resource}`;
    }

    /**
     * Checks a registration and returns the state AWS would report: inputs echoed, computed attributes added, and, for
     * a type that takes the provider's default tags, `tagsAll`. `provider` is the reference of the provider it goes through.
     */
    newResource(type: string, logicalName: string, inputs: Record<string, unknown>, provider?: string): Record<string, unknown> {
        const rules = resourceRules[type];
        if (rules === undefined) {
            throw new Error(`resource type ${type} (${logicalName}) is not known to the fake AWS: add its rules to offline/awsRules`);
        }
        const what = `${type} ${logicalName}`;
        const defaultTags = type.startsWith("aws:") ? this.defaultTagsOf(what, provider) : undefined;
        const tagsAll = defaultTags && takesDefaultTags(type) ? mergedTags(defaultTags, inputs) : undefined;
        const name = physicalName(type, logicalName, inputs);
        const violations = [
            ...rules(revealed(inputs) as Record<string, unknown>, { logicalName, physicalName: name }),
            ...(tagsAll ? tagViolations(tagsAll, "tagsAll", type) : []),
        ];
        if (violations.length > 0) {
            throw new AwsRejection(what, violations);
        }
        return { ...inputs, ...(tagsAll ? { tagsAll } : {}), ...this.computed(type, logicalName, inputs, name) };
    }

    /** Answers an invoke as AWS answers it in this region, after checking its inputs; `provider` as for newResource. */
    invoke(token: string, inputs: Record<string, unknown>, provider?: string): Record<string, unknown> {
        const rules = invokeRules[token];
        if (rules === undefined) {
            throw new Error(`invoke ${token} is not known to the fake AWS`);
        }
        if (token.startsWith("aws:")) {
            this.defaultTagsOf(`invoke ${token}`, provider);
        }
        const violations = rules(inputs);
        if (violations.length > 0) {
            throw new AwsRejection(`invoke ${token}`, violations);
        }
        return this.answer(token, inputs);
    }

    /** DescribeInstanceTypeOfferings by AZ: every type in every AZ, but T3 where this account's AZ lacks it. */
    private instanceTypeOfferings(azs: readonly string[], inputs: Record<string, unknown>): Record<string, unknown> {
        if (inputs.locationType !== "availability-zone") {
            throw new Error(`getInstanceTypeOfferings: the fake AWS answers by availability-zone only, asked for ${JSON.stringify(inputs)}`);
        }
        const filter = (name: string) => (inputs.filters as { name: string; values: string[] }[] | undefined)?.find((f) => f.name === name)?.values;
        const types = filter("instance-type");
        if (types === undefined) {
            throw new Error("getInstanceTypeOfferings: the fake AWS answers for named instance types only");
        }
        const offers = azs.filter((az) => filter("location")?.includes(az) ?? true).flatMap((az) => types
            .filter((type) => !(azsWithoutT3[this.region]?.includes(az) && /^t3a?\./.test(type)))
            .map((type) => ({ type, az })));
        return {
            id: this.region, locationType: "availability-zone", filters: inputs.filters,
            instanceTypes: offers.map((o) => o.type), locations: offers.map((o) => o.az), locationTypes: offers.map(() => "availability-zone"),
        };
    }

    private answer(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
        const azs = [...(availabilityZones[this.region] ?? "")].map((letter) => `${this.region}${letter}`);
        switch (token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                if (azs.length === 0) {
                    throw new Error(`getAvailabilityZones: the fake AWS knows no AZs of ${this.region}`);
                }
                return { id: this.region, names: azs, zoneIds: azs.map((az) => az.replace(this.region, "use1-az")), state: "available" };
            case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings":
                return this.instanceTypeOfferings(azs, inputs);
            case "aws:ec2/getVpc:getVpc":
                if (inputs.default !== true) {
                    throw new Error(`getVpc: only the default VPC exists here, asked for ${JSON.stringify(inputs)}`);
                }
                return { id: defaultVpcId, default: true, cidrBlock: "172.31.0.0/16", state: "available" };
            case "aws:ec2/getSubnet:getSubnet": {
                const az = String(inputs.availabilityZone);
                if (inputs.vpcId !== defaultVpcId || inputs.defaultForAz !== true || !azs.includes(az)) {
                    throw new Error(`getSubnet: no matching subnet found for ${JSON.stringify(inputs)}`);
                }
                return { id: `subnet-${placeholderHex(az, 17)}`, availabilityZone: az, defaultForAz: true, vpcId: defaultVpcId };
            }
            case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
                return {
                    id: this.region, authorizationToken: "QVdTOnBsYWNlaG9sZGVy", proxyEndpoint: `https://${this.registryHost()}`,
                    userName: "AWS", password: "placeholder-token", expiresAt: "2026-11-26T00:00:00Z",
                };
            case "docker:index/getRegistryImage:getRegistryImage": {
                // The Docker-Content-Digest of the manifest the name's tag (or digest) names in its registry.
                const name = String(inputs.name);
                const digest = name.includes("@") ? name.split("@")[1]
                    : this.registry.upstreamDigests.get(name) ?? `sha256:${placeholderHex(`upstream/${name}`, 64)}`;
                return { id: digest, name, sha256Digest: digest, insecureSkipVerify: false };
            }
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { id: accountId, accountId, arn: `arn:aws:iam::${accountId}:user/placeholder-deployer`, userId: "AIDA0000000000PLACEHOLDER" };
            case "aws:elb/getServiceAccount:getServiceAccount": {
                const elbAccount = elbAccounts[this.region];
                if (elbAccount === undefined) {
                    throw new Error(`getServiceAccount: the fake AWS knows no ELB log account for ${this.region}`);
                }
                return { id: elbAccount, arn: `arn:aws:iam::${elbAccount}:root` };
            }
            default:
                throw new Error(`invoke ${token} is not known to the fake AWS`);
        }
    }

    private registryHost(): string {
        return `${accountId}.dkr.ecr.${this.region}.amazonaws.com`;
    }

    /**
     * A push of `imageName` (`repositoryUrl:tag`). ECR refuses a push to a repository this account's registry does not
     * have, and a tag that exists in an IMMUTABLE repository, even for the very same image
     * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html).
     */
    private push(imageName: string): void {
        const [repositoryUrl, tag] = imageName.split(/:(?=[^:/]+$)/);
        if (!this.registry.mutability.has(repositoryUrl)) {
            throw new Error(`docker push ${imageName}: name unknown: The repository with name '${repositoryUrl.split("/").slice(1).join("/")}' `
                + `does not exist in the registry with id '${accountId}'`);
        }
        const tags = this.registry.pushedTags.get(repositoryUrl) ?? new Set<string>();
        if (this.registry.mutability.get(repositoryUrl) === "IMMUTABLE" && tags.has(tag)) {
            throw new Error(`docker push ${imageName}: ImageTagAlreadyExistsException: The image tag '${tag}' already exists in the `
                + `'${repositoryUrl.split("/").pop()}' repository and cannot be overwritten because the repository is immutable.`);
        }
        this.registry.pushedTags.set(repositoryUrl, tags.add(tag));
    }

    /** Attributes AWS computes on create, by resource type; the rest of the state echoes the inputs. */
    private computed(type: string, name: string, inputs: Record<string, unknown>, named: string | undefined): Record<string, unknown> {
        // A type with neither a name input nor an auto-name still gets a name-shaped placeholder for its ARN.
        const physicalName = named ?? `${name}-${randomSuffix}`;
        const hex = (length: number) => placeholderHex(`${type}/${name}`, length);
        switch (type) {
            case "aws:ecr/repository:Repository": {
                const repositoryUrl = `${this.registryHost()}/${physicalName}`;
                this.registry.mutability.set(repositoryUrl, String(inputs.imageTagMutability ?? "MUTABLE"));
                return { name: physicalName, registryId: accountId, arn: this.arn("ecr", `repository/${physicalName}`), repositoryUrl };
            }
            case "docker:index/image:Image": {
                this.push(String(inputs.imageName));
                const repository = String(inputs.imageName).split(":")[0];
                return { repoDigest: `${repository}@sha256:${placeholderHex(String(inputs.imageName), 64)}` };
            }
            case "aws:ec2/securityGroup:SecurityGroup":
                return { id: `sg-${hex(17)}`, name: physicalName, arn: this.arn("ec2", `security-group/sg-${hex(17)}`) };
            case "aws:ec2/launchTemplate:LaunchTemplate":
                return { id: `lt-${hex(17)}`, name: physicalName, latestVersion: 1, arn: this.arn("ec2", `launch-template/lt-${hex(17)}`) };
            case "aws:cloudwatch/logGroup:LogGroup":
                return { name: physicalName, arn: this.arn("logs", `log-group:${physicalName}`) };
            case "aws:ecs/cluster:Cluster":
                return { id: this.arn("ecs", `cluster/${physicalName}`), name: physicalName, arn: this.arn("ecs", `cluster/${physicalName}`) };
            case "aws:ecs/capacityProvider:CapacityProvider":
                return { name: physicalName, arn: this.arn("ecs", `capacity-provider/${physicalName}`) };
            case "aws:ecs/taskDefinition:TaskDefinition":
                return { revision: 1, arn: this.arn("ecs", `task-definition/${String(inputs.family)}:1`) };
            case "aws:ecs/service:Service":
                return { name: physicalName, id: this.arn("ecs", `service/${String(inputs.cluster).split("/").pop()}/${physicalName}`) };
            case "aws:autoscaling/group:Group":
                return { name: physicalName, arn: this.arn("autoscaling", `autoScalingGroup:${uuid(hex(32))}:autoScalingGroupName/${physicalName}`) };
            case "aws:iam/role:Role":
                return { name: physicalName, arn: this.arn("iam", `role/${physicalName}`) };
            case "aws:iam/instanceProfile:InstanceProfile":
                return { name: physicalName, arn: this.arn("iam", `instance-profile/${physicalName}`) };
            case "aws:lb/loadBalancer:LoadBalancer":
                return {
                    name: physicalName, dnsName: `${physicalName}-${hex(10)}.${this.region}.elb.amazonaws.com`,
                    arn: this.arn("elasticloadbalancing", `loadbalancer/app/${physicalName}/${hex(16)}`),
                    arnSuffix: `app/${physicalName}/${hex(16)}`, zoneId: "Z00000000000000000000",
                };
            case "aws:lb/targetGroup:TargetGroup":
                return {
                    name: physicalName, arnSuffix: `targetgroup/${physicalName}/${hex(16)}`,
                    arn: this.arn("elasticloadbalancing", `targetgroup/${physicalName}/${hex(16)}`),
                };
            case "aws:servicediscovery/httpNamespace:HttpNamespace":
                return { id: `ns-${hex(16)}`, arn: this.arn("servicediscovery", `namespace/ns-${hex(16)}`), httpName: physicalName };
            case "aws:lb/listener:Listener":
                return { arn: `${String(inputs.loadBalancerArn).replace(":loadbalancer/", ":listener/")}/${hex(16)}` };
            case "aws:lb/listenerRule:ListenerRule":
                return { arn: `${String(inputs.listenerArn).replace(":listener/", ":listener-rule/")}/${hex(16)}` };
            case "aws:s3/bucket:Bucket":
                return { bucket: physicalName, id: physicalName, arn: `arn:aws:s3:::${physicalName}` };
            case "aws:acm/certificate:Certificate":
                return {
                    arn: this.arn("acm", `certificate/${uuid(hex(32))}`),
                    domainValidationOptions: [{
                        domainName: inputs.domainName,
                        resourceRecordName: `_${hex(32)}.${String(inputs.domainName)}.`,
                        resourceRecordType: "CNAME",
                        resourceRecordValue: `_${placeholderHex(`v/${name}`, 32)}.placeholder.acm-validations.aws.`,
                    }],
                };
            case "aws:route53/record:Record":
                return { fqdn: String(inputs.name).replace(/\.$/, "") };
            case "aws:cloudwatch/metricAlarm:MetricAlarm":
                return { name: physicalName, arn: this.arn("cloudwatch", `alarm:${physicalName}`) };
            case "aws:cloudwatch/dashboard:Dashboard":
                return { dashboardArn: `arn:aws:cloudwatch::${accountId}:dashboard/${String(inputs.dashboardName)}` };
            case "aws:sns/topic:Topic":
                return { name: physicalName, arn: this.arn("sns", physicalName) };
            // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html (ScheduleArn: schedule/<group>/<name>)
            case "aws:scheduler/schedule:Schedule":
                return { name: physicalName, groupName: inputs.groupName ?? "default",
                    arn: this.arn("scheduler", `schedule/${String(inputs.groupName ?? "default")}/${physicalName}`) };
            // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html (queue URL)
            case "aws:sqs/queue:Queue":
                return { name: physicalName, arn: this.arn("sqs", physicalName), url: `https://sqs.${this.region}.amazonaws.com/${accountId}/${physicalName}` };
            case "aws:wafv2/webAcl:WebAcl":
                return { name: physicalName, arn: this.arn("wafv2", `regional/webacl/${physicalName}/${uuid(hex(32))}`) };
            default:
                return named === undefined ? {} : { name: physicalName };
        }
    }
}

function uuid(hex: string): string {
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
