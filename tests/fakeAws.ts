import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { EcsOnEc2Stack } from "../infra/stack";
import { loadStackConfig } from "../infra/config";

/** A resource the program registered, with the inputs it sent and the state the fake AWS gave back. */
export interface RegisteredResource {
    readonly type: string;
    readonly name: string;
    /** Name of the parent resource, if any. */
    readonly parent?: string;
    /** Names of the resources it waits for: its inputs' sources and its explicit `dependsOn`. */
    readonly dependsOn: string[];
    /** Properties whose changes Pulumi leaves alone. */
    readonly ignoreChanges: string[];
    readonly inputs: Record<string, unknown>;
    readonly state: Record<string, unknown>;
}

/** What one run of the program on the fake AWS produced. */
export interface Deployment {
    readonly resources: RegisteredResource[];
    readonly outputs: Record<string, unknown>;
    /** What the program logged as warnings (`pulumi.log.warn`), which the CLI shows at preview. */
    readonly warnings: string[];
}

export const project = "ecs-on-ec2";
export const accountId = "123456789012";
const region = "us-east-1";
const registry = `${accountId}.dkr.ecr.${region}.amazonaws.com`;
const defaultVpcId = "vpc-0defa017";

/** The stack's outputs, in the order the program exports them. */
export const outputNames = [
    "url", "repositoryUrl", "imageRef", "clusterName", "serviceName", "autoScalingGroupName", "logGroupName",
] as const;

function arn(service: string, resource: string): string {
    // IAM is global: its ARNs name no region.
    return `arn:aws:${service}:${service === "iam" ? "" : region}:${accountId}:${resource}`;
}

/** Attributes AWS computes on create, by resource type; everything else echoes the inputs. */
function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const physicalName = (inputs.name as string | undefined) ?? `${name}-0a1b2c3`;
    switch (type) {
        case "aws:ecr/repository:Repository":
            return {
                name: physicalName, registryId: accountId,
                arn: arn("ecr", `repository/${physicalName}`), repositoryUrl: `${registry}/${physicalName}`,
            };
        case "docker:index/image:Image": {
            const repository = String(inputs.imageName).split(":")[0];
            const digest = createHash("sha256").update(String(inputs.imageName)).digest("hex");
            return { repoDigest: `${repository}@sha256:${digest}` };
        }
        case "aws:ec2/securityGroup:SecurityGroup":
            return { id: `sg-${name}`, arn: arn("ec2", `security-group/sg-${name}`) };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { id: `lt-${name}`, latestVersion: 1 };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { name: physicalName, arn: arn("logs", `log-group:${physicalName}`) };
        case "aws:ecs/taskDefinition:TaskDefinition":
            return { revision: 1, arn: arn("ecs", `task-definition/${String(inputs.family)}:1`) };
        case "aws:lb/loadBalancer:LoadBalancer":
            return {
                name: physicalName, dnsName: `${physicalName}-1234567890.${region}.elb.amazonaws.com`,
                arn: arn("elasticloadbalancing", `loadbalancer/app/${physicalName}/50dc6c495c0c9188`),
                arnSuffix: `app/${physicalName}/50dc6c495c0c9188`, zoneId: "Z35SXDOTRQ7X7K",
            };
        case "aws:lb/targetGroup:TargetGroup":
            return {
                name: physicalName, arnSuffix: `targetgroup/${physicalName}/73e2d6bc24d8a067`,
                arn: arn("elasticloadbalancing", `targetgroup/${physicalName}/73e2d6bc24d8a067`),
            };
        case "aws:s3/bucket:Bucket":
            return { bucket: physicalName, id: physicalName, arn: `arn:aws:s3:::${physicalName}` };
        case "aws:acm/certificate:Certificate":
            return {
                arn: arn("acm", "certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"),
                domainValidationOptions: [{
                    domainName: inputs.domainName,
                    resourceRecordName: `_3b2a1c.${String(inputs.domainName)}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: "_7d6e5f.acm-validations.aws.",
                }],
            };
        case "aws:route53/record:Record":
            return { fqdn: String(inputs.name).replace(/\.$/, "") };
        default:
            return { name: physicalName, arn: arn(type.split(/[:/]/)[1], `${name}/${physicalName}`) };
    }
}

/** Invokes answered the way AWS answers them in us-east-1's default VPC. */
function invoke(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (token) {
        case "aws:ec2/getVpc:getVpc":
            if (inputs.default !== true) {
                throw new Error(`getVpc: only the default VPC exists here, asked for ${JSON.stringify(inputs)}`);
            }
            return { id: defaultVpcId, default: true, cidrBlock: "172.31.0.0/16", state: "available" };
        case "aws:ec2/getSubnet:getSubnet": {
            const az = String(inputs.availabilityZone);
            if (inputs.vpcId !== defaultVpcId || inputs.defaultForAz !== true || !/^us-east-1[a-f]$/.test(az)) {
                throw new Error(`getSubnet: no matching subnet found for ${JSON.stringify(inputs)}`);
            }
            return { id: `subnet-default-${az}`, availabilityZone: az, defaultForAz: true, vpcId: defaultVpcId };
        }
        case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
            return {
                id: region, authorizationToken: "QVdTOnRva2Vu", proxyEndpoint: `https://${registry}`,
                userName: "AWS", password: "token", expiresAt: "2026-11-26T00:00:00Z",
            };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { id: accountId, accountId, arn: `arn:aws:iam::${accountId}:user/deployer`, userId: "AIDAEXAMPLE" };
        case "aws:elb/getServiceAccount:getServiceAccount":
            // The ELB account that writes access logs in us-east-1.
            return { id: "127311923021", arn: "arn:aws:iam::127311923021:root" };
        default:
            throw new Error(`invoke ${token} is not known to the fake AWS`);
    }
}

/**
 * Runs the program as index.ts does, on Pulumi's in-process mocks, with `config` as the project's
 * config (keys without the project prefix) and aws:region us-east-1. Rejects when the program throws
 * or calls an invoke the fake AWS cannot answer (whose dependents then fail as unhandled rejections,
 * which node's test runner reports as failures too). `resources` receives every registration, even
 * when the run fails.
 */
export async function deploy(
    config: Record<string, string> = {},
    resources: RegisteredResource[] = [],
): Promise<Deployment> {
    const links = new Map<string, Links>();
    let rejectInvoke: (error: Error) => void = () => undefined;
    const unknownInvoke = new Promise<never>((_, reject) => { rejectInvoke = reject; });
    unknownInvoke.catch(() => undefined);
    await pulumi.runtime.setMocks({
        newResource: ({ type, name, inputs }) => {
            const state = { ...inputs, ...computedState(type, name, inputs) };
            resources.push({ type, name, inputs, state, dependsOn: [], ignoreChanges: [], ...links.get(`${type}::${name}`) });
            return { id: String(state.id ?? `${name}-id`), state };
        },
        call: ({ token, inputs }) => {
            try {
                return invoke(token, inputs);
            } catch (error) {
                // The program would wait forever on the failed invoke's outputs: fail the run instead.
                rejectInvoke(error as Error);
                throw error;
            }
        },
    }, project, "dev", false);
    recordLinks(links);
    pulumi.runtime.setAllConfig({
        "aws:region": region,
        ...Object.fromEntries(Object.entries(config).map(([key, value]) => [key.includes(":") ? key : `${project}:${key}`, value])),
    });

    // With no engine to send them to, pulumi.log.warn writes warnings to the console: collect them.
    const warnings: string[] = [];
    const consoleWarn = console.warn;
    console.warn = (message: unknown) => { warnings.push(String(message).replace(/^warning: \[runtime\] /, "")); };
    let values: unknown[];
    try {
        const stack = new EcsOnEc2Stack(project, loadStackConfig());
        values = await Promise.race([Promise.all(outputNames.map((name) => valueOf(stack[name]))), unknownInvoke]);
        // Registrations that no output depends on may still be in flight.
        await pulumi.runtime.disconnect();
    } finally {
        console.warn = consoleWarn;
    }
    return { resources, warnings, outputs: Object.fromEntries(outputNames.map((name, i) => [name, values[i]])) };
}

/** A registration request, as far as the mock monitor reads it. */
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getDependenciesList(): string[];
    getIgnorechangesList(): string[];
}

type Links = Pick<RegisteredResource, "parent" | "dependsOn" | "ignoreChanges">;

type Monitor = { registerResource(req: RegisterResourceRequest, callback: unknown): void };

// The mocks' newResource sees no parent or dependencies, so read them off the requests the monitor gets.
function recordLinks(links: Map<string, Links>): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
    const register = monitor.registerResource.bind(monitor);
    const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
    monitor.registerResource = (req, callback) => {
        links.set(`${req.getType()}::${req.getName()}`, {
            parent: req.getParent() ? nameOf(req.getParent()) : undefined,
            dependsOn: req.getDependenciesList().map(nameOf),
            ignoreChanges: req.getIgnorechangesList(),
        });
        register(req, callback);
    };
}

/** A stack's config file (Pulumi.<stack>.yaml) as the CLI hands it to the program: strings, lists as JSON. */
export function stackConfigFile(stack: string): Record<string, string> {
    const file = path.resolve(__dirname, "..", `Pulumi.${stack}.yaml`);
    const { config } = parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(config).map(([key, value]) =>
        [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

/** The value of an output, once resolved. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** The one resource of `type` named `name`; fails when there is none or more than one. */
export function one(deployment: Deployment, type: string, name?: string): RegisteredResource {
    const matches = deployment.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    if (matches.length !== 1) {
        throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${matches.length}`);
    }
    return matches[0];
}

/** Every resource of `type`. */
export function all(deployment: Deployment, type: string): RegisteredResource[] {
    return deployment.resources.filter((r) => r.type === type);
}
