// One test per AWS Security Hub FSBP control (or scanner check) the stack meets or consciously
// excepts, named by its ID; README.md's security table lists the same IDs.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { ConfigError } from "../infra/config";
import { all, Deployment, deploy, one, RegisteredResource } from "./fakeAws";

type Json = Record<string, unknown>;
const input = (deployment: Deployment, type: string, name?: string) => one(deployment, type, name).inputs as Json;
const containerOf = (deployment: Deployment) =>
    (JSON.parse(String(input(deployment, "aws:ecs/taskDefinition:TaskDefinition").containerDefinitions)) as Json[])[0];
const policyDocuments = (deployment: Deployment) => [
    ...all(deployment, "aws:iam/rolePolicy:RolePolicy"),
    ...all(deployment, "aws:s3/bucketPolicy:BucketPolicy"),
].map((r) => ({ name: r.name, document: JSON.parse(String(r.inputs.policy)) as { Statement: Json[] } }));
const asList = (value: unknown) => (Array.isArray(value) ? value : [value]);

const domain = { domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };

describe("security controls on the dev stack", () => {
    let stack: Deployment;
    before(async () => { stack = await deploy(); });

    describe("task definition", () => {
        test("ECS.3 the task does not share the host's process namespace", () => {
            assert.equal(input(stack, "aws:ecs/taskDefinition:TaskDefinition").pidMode, undefined);
        });
        test("ECS.4 the container is not privileged", () => {
            assert.equal(containerOf(stack).privileged, false);
        });
        test("ECS.5 the container's root file system is read-only", () => {
            assert.equal(containerOf(stack).readonlyRootFilesystem, true);
        });
        test("ECS.8 no secrets in the container's environment", () => {
            const names = (containerOf(stack).environment as { name: string }[]).map((e) => e.name);
            for (const name of names) {
                assert.doesNotMatch(name, /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|ECS_ENGINE_AUTH_DATA|SECRET|PASSWORD|TOKEN|API_KEY/i);
            }
        });
        test("ECS.9 the container has a log configuration", () => {
            assert.equal((containerOf(stack).logConfiguration as Json).logDriver, "awslogs");
        });
        test("ECS.17 the task does not use host network mode", () => {
            assert.equal(input(stack, "aws:ecs/taskDefinition:TaskDefinition").networkMode, "bridge");
        });
        test("ECS.20 the container runs as a non-root user", () => {
            const user = String(containerOf(stack).user);
            assert.doesNotMatch(user, /^(root|0)(:|$)/);
            assert.match(user, /^[1-9]\d*:\d+$/);
        });
        test("ECS-memory the container has a hard memory limit", () => {
            assert.ok(Number(containerOf(stack).memory) > 0);
        });
    });

    describe("cluster", () => {
        test("ECS.12 the cluster uses Container Insights", () => {
            assert.deepEqual(input(stack, "aws:ecs/cluster:Cluster").settings, [{ name: "containerInsights", value: "enabled" }]);
        });
        test("ECS.19 exception: managed termination protection is off, managed draining is on", () => {
            const provider = input(stack, "aws:ecs/capacityProvider:CapacityProvider").autoScalingGroupProvider as Json;
            assert.equal(provider.managedTerminationProtection, "DISABLED");
            assert.equal(provider.managedDraining, "ENABLED");
        });
    });

    describe("ECR", () => {
        test("ECR.1 images are scanned on push", () => {
            assert.deepEqual(input(stack, "aws:ecr/repository:Repository").imageScanningConfiguration, { scanOnPush: true });
        });
        test("ECR.2 tags are immutable (the tag is derived from the image's content)", () => {
            assert.equal(input(stack, "aws:ecr/repository:Repository").imageTagMutability, "IMMUTABLE");
            assert.match(String(input(stack, "docker:index/image:Image").imageName), /:src-[0-9a-f]{16}$/);
        });
        test("ECR.3 the repository has a lifecycle policy", () => {
            assert.ok(JSON.parse(String(input(stack, "aws:ecr/lifecyclePolicy:LifecyclePolicy").policy)).rules.length > 0);
        });
    });

    describe("load balancer", () => {
        test("ELB.4 the ALB drops invalid HTTP headers", () => {
            assert.equal(input(stack, "aws:lb/loadBalancer:LoadBalancer").dropInvalidHeaderFields, true);
        });
        test("ELB.12 the ALB mitigates desync in defensive or strictest mode", () => {
            assert.ok(["defensive", "strictest"].includes(String(input(stack, "aws:lb/loadBalancer:LoadBalancer").desyncMitigationMode)));
        });
        test("ELB.13 the ALB spans two or more AZs", () => {
            const subnets = input(stack, "aws:lb/loadBalancer:LoadBalancer").subnets as string[];
            assert.ok(new Set(subnets).size >= 2);
        });
        test("ELB.5 the ALB logs to a private, encrypted, expiring bucket the stack owns", () => {
            const bucket = one(stack, "aws:s3/bucket:Bucket");
            assert.deepEqual(input(stack, "aws:lb/loadBalancer:LoadBalancer").accessLogs, { bucket: bucket.state.bucket, enabled: true });
            assert.ok(one(stack, "aws:lb/loadBalancer:LoadBalancer").dependsOn.includes("alb-access-logs-policy"));
            const publicAccess = input(stack, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
            for (const setting of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.equal(publicAccess[setting], true, setting);
            }
            assert.deepEqual(input(stack, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules,
                [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
            const [expiry] = input(stack, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules as Json[];
            assert.deepEqual(expiry.expiration, { days: 14 });
            const [delivery, tlsOnly] = policyDocuments(stack).find((p) => p.name === "alb-access-logs-policy")?.document.Statement ?? [];
            assert.deepEqual(delivery.Principal, { AWS: "arn:aws:iam::127311923021:root" });
            assert.equal(delivery.Resource, `${bucket.state.arn}/AWSLogs/123456789012/*`);
            assert.deepEqual(tlsOnly.Condition, { Bool: { "aws:SecureTransport": "false" } });
            assert.equal(input(stack, "aws:s3/bucket:Bucket").forceDestroy, true);
        });
        test("ELB.5 access logs can be switched off", async () => {
            const off = await deploy({ albAccessLogs: "false" });
            assert.equal(input(off, "aws:lb/loadBalancer:LoadBalancer").accessLogs, undefined);
            assert.deepEqual(all(off, "aws:s3/bucket:Bucket"), []);
        });
        test("ELB.6 exception: deletion protection is off for dev stacks, on by config", async () => {
            assert.equal(input(stack, "aws:lb/loadBalancer:LoadBalancer").enableDeletionProtection, false);
            const production = await deploy({ albDeletionProtection: "true" });
            assert.equal(input(production, "aws:lb/loadBalancer:LoadBalancer").enableDeletionProtection, true);
        });
        test("AVD-AWS-0053 exception: the ALB is internet-facing by design", () => {
            assert.equal(input(stack, "aws:lb/loadBalancer:LoadBalancer").internal, false);
        });
        test("ELB.1 needs a domain: without one the HTTP listener forwards", () => {
            const [action] = input(stack, "aws:lb/listener:Listener", "http-listener").defaultActions as Json[];
            assert.equal(action.type, "forward");
            assert.deepEqual(all(stack, "aws:lb/listener:Listener").map((l) => l.name), ["http-listener"]);
        });
    });

    describe("Auto Scaling and EC2", () => {
        test("AutoScaling.2 the ASG spans two or more AZs", () => {
            assert.ok((input(stack, "aws:autoscaling/group:Group").vpcZoneIdentifiers as string[]).length >= 2);
        });
        test("AutoScaling.9 the ASG uses a launch template", () => {
            assert.equal((input(stack, "aws:autoscaling/group:Group").launchTemplate as Json).id, "lt-host-launch-template");
        });
        test("AutoScaling.1 exception: EC2 health checks, not ELB ones", () => {
            assert.equal(input(stack, "aws:autoscaling/group:Group").healthCheckType, "EC2");
            assert.equal(input(stack, "aws:autoscaling/group:Group").targetGroupArns, undefined);
        });
        test("EC2.170 the launch template requires IMDSv2, with a hop limit of 1", () => {
            assert.deepEqual(input(stack, "aws:ec2/launchTemplate:LaunchTemplate").metadataOptions,
                { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        });
        test("EC2.181 the launch template encrypts its EBS volumes", () => {
            for (const mapping of input(stack, "aws:ec2/launchTemplate:LaunchTemplate").blockDeviceMappings as { ebs: Json }[]) {
                assert.equal(mapping.ebs.encrypted, "true");
            }
        });
        // Default subnets give hosts public IPs (their way to ECR and ECS without NAT); inbound, only the ALB.
        const assertPublicHostsClosedButToAlb = () => {
            assert.equal(input(stack, "aws:ec2/launchTemplate:LaunchTemplate").networkInterfaces, undefined);
            const hostIngress = all(stack, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                .filter((r) => r.inputs.securityGroupId === "sg-host-security-group");
            assert.deepEqual(hostIngress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4]), [["sg-alb-security-group", undefined]]);
        };
        test("EC2.25 exception: the launch template leaves public IPs to the default subnets", assertPublicHostsClosedButToAlb);
        test("EC2.9 exception: hosts have public IPv4 addresses, and no inbound path but the ALB's", assertPublicHostsClosedButToAlb);
        test("EC2-user-data the hosts' user data holds no secrets", () => {
            const userData = Buffer.from(String(input(stack, "aws:ec2/launchTemplate:LaunchTemplate").userData), "base64").toString();
            assert.doesNotMatch(userData, /SECRET|PASSWORD|TOKEN|AKIA[0-9A-Z]{16}|ECS_ENGINE_AUTH_DATA/i);
        });
    });

    describe("IAM and logs", () => {
        test("IAM.1 no policy the stack writes allows every action on every resource", () => {
            for (const { name, document } of policyDocuments(stack)) {
                for (const statement of document.Statement.filter((s) => s.Effect === "Allow")) {
                    const wildcardAction = asList(statement.Action).some((a) => a === "*" || /^[a-z0-9-]+:\*$/.test(String(a)));
                    assert.ok(!wildcardAction, `${name} allows ${JSON.stringify(statement.Action)}`);
                }
            }
        });
        test("IAM-roles instance, execution and task roles are distinct, each trusted by its one service", () => {
            const roles = all(stack, "aws:iam/role:Role");
            const trust = (role: RegisteredResource) =>
                (JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: { Principal: unknown }[] }).Statement.map((s) => s.Principal);
            assert.deepEqual(Object.fromEntries(roles.map((r) => [r.name, trust(r)])), {
                "host-instance-role": [{ Service: "ec2.amazonaws.com" }],
                "task-execution-role": [{ Service: "ecs-tasks.amazonaws.com" }],
                "task-role": [{ Service: "ecs-tasks.amazonaws.com" }],
            });
            const taskDefinition = input(stack, "aws:ecs/taskDefinition:TaskDefinition");
            assert.notEqual(taskDefinition.executionRoleArn, taskDefinition.taskRoleArn);
        });
        test("CloudWatch.16 every log group has a retention period, from config", async () => {
            for (const logGroup of all(stack, "aws:cloudwatch/logGroup:LogGroup")) {
                assert.equal(logGroup.inputs.retentionInDays, 14, logGroup.name);
            }
            const year = await deploy({ logRetentionInDays: "365" });
            assert.deepEqual(all(year, "aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.retentionInDays), [365, 365]);
        });
    });
});

describe("HTTPS when a domain is given", () => {
    let secure: Deployment;
    before(async () => { secure = await deploy(domain); });

    test("ELB.1 the HTTP listener permanently redirects to HTTPS", () => {
        assert.deepEqual(input(secure, "aws:lb/listener:Listener", "http-listener").defaultActions,
            [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
    });

    test("ELB.17 the HTTPS listener uses a recommended TLS 1.3 policy", () => {
        assert.equal(input(secure, "aws:lb/listener:Listener", "https-listener").sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
    });

    test("ELB.18 the HTTPS listener forwards to the tasks with a DNS-validated ACM certificate", () => {
        const https = input(secure, "aws:lb/listener:Listener", "https-listener");
        assert.equal(https.port, 443);
        assert.equal(https.protocol, "HTTPS");
        assert.equal(https.certificateArn, one(secure, "aws:acm/certificateValidation:CertificateValidation").state.certificateArn);
        assert.deepEqual(https.defaultActions, [{ type: "forward", targetGroupArn: one(secure, "aws:lb/targetGroup:TargetGroup").state.arn }]);
        const certificate = input(secure, "aws:acm/certificate:Certificate");
        assert.deepEqual([certificate.domainName, certificate.validationMethod], ["app.example.com", "DNS"]);
        const record = input(secure, "aws:route53/record:Record", "certificate-validation-record");
        assert.deepEqual([record.zoneId, record.type, record.name], ["Z0123456789ABCDEFGHIJ", "CNAME", "_3b2a1c.app.example.com."]);
        assert.ok(one(secure, "aws:ecs/service:Service").dependsOn.includes("https-listener"));
    });

    test("the ALB accepts 443 too, an alias record points the name at it, and the URL is https", () => {
        const ports = all(secure, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .filter((r) => r.inputs.securityGroupId === "sg-alb-security-group").map((r) => r.inputs.fromPort).sort();
        assert.deepEqual(ports, [443, 80]);
        const alias = input(secure, "aws:route53/record:Record", "alias-record");
        const alb = one(secure, "aws:lb/loadBalancer:LoadBalancer").state;
        assert.deepEqual(alias.aliases, [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }]);
        assert.equal(secure.outputs.url, "https://app.example.com");
    });

    test("an existing certificate in the region is used as it is, with no certificate requested", async () => {
        const arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
        const existing = await deploy({ domainName: "app.example.com", certificateArn: arn });
        assert.equal(input(existing, "aws:lb/listener:Listener", "https-listener").certificateArn, arn);
        assert.deepEqual(all(existing, "aws:acm/certificate:Certificate"), []);
        assert.deepEqual(all(existing, "aws:route53/record:Record"), [], "no zone given, so no alias record");
    });

    const refusals: [rule: string, config: Record<string, string>, message: RegExp][] = [
        ["a malformed domain", { ...domain, domainName: "not a domain" }, /'ecs-on-ec2:domainName': got "not a domain"; expected a fully qualified lower-case DNS name/],
        ["a domain with neither zone nor certificate", { domainName: "app.example.com" }, /'ecs-on-ec2:domainName': got "app.example.com"; expected a Route 53 zone .*ecs-on-ec2:hostedZoneId.* or an existing certificate/],
        ["a zone without a domain", { hostedZoneId: "Z0123456789ABCDEFGHIJ" }, /'ecs-on-ec2:domainName': got ""; expected a domain name, because ecs-on-ec2:hostedZoneId is set/],
        ["a malformed zone ID", { ...domain, hostedZoneId: "example.com" }, /'ecs-on-ec2:hostedZoneId': got "example.com"; expected a Route 53 hosted zone ID/],
        ["a certificate from another region",
            { domainName: "app.example.com", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555" },
            /'ecs-on-ec2:certificateArn': got "arn:aws:acm:eu-west-1:.*"; expected an ACM certificate in us-east-1, the ALB's region \(this one is in eu-west-1\)/],
        ["a certificate ARN that is not one", { domainName: "app.example.com", certificateArn: "my-cert" }, /'ecs-on-ec2:certificateArn': got "my-cert"; expected an ACM certificate ARN/],
    ];
    for (const [rule, config, message] of refusals) {
        test(`refuses ${rule} before registering anything`, async () => {
            const registered: RegisteredResource[] = [];
            await assert.rejects(deploy(config, registered), (error: Error) => error instanceof ConfigError && message.test(error.message));
            assert.deepEqual(registered, []);
        });
    }
});

test("README.md's security table and this file name the same controls", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Security"));
    const table = section.slice(0, section.indexOf("\n## ", 1));
    const tableIds = new Set([...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));
    const source = fs.readFileSync(__filename, "utf8");
    // A control's test name starts with its ID: ECS.3, AVD-AWS-0053, or a stack check such as IAM-roles.
    const testIds = new Set([...source.matchAll(/test\("([A-Z][A-Za-z0-9]*[.-][A-Za-z0-9.-]+) /g)].map((m) => m[1]));
    assert.ok(tableIds.size >= 25, `the table has ${tableIds.size} controls`);
    assert.deepEqual([...tableIds].filter((id) => !testIds.has(id)), [], "controls in the table without a test");
    assert.deepEqual([...testIds].filter((id) => !tableIds.has(id)), [], "tested controls missing from the table");
});
