// One test per AWS Security Hub FSBP control (or scanner check) the stack meets or consciously
// excepts, named by its ID; README.md's security table lists the same IDs.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { ConfigError } from "../infra/config";
import { repoRoot } from "../infra/paths";
import { Deployment, RegisteredResource } from "../offline/run";
import { all, assertRefusedBeforeRegistering, input, Json, one, services, state, T } from "./resources";
import { deployed } from "./shared";


type Statement = { Effect: string; Action: unknown; Resource: unknown; Principal?: unknown; Condition?: unknown };

const containerOf = (deployment: Deployment, service = "app") =>
    (JSON.parse(String(input(deployment, T.taskDefinition, `${service}-task-definition`).containerDefinitions)) as Json[])[0];
const policyDocuments = (deployment: Deployment) => [...all(deployment, T.rolePolicy), ...all(deployment, T.bucketPolicy)]
    .map((r) => ({ name: r.name, document: JSON.parse(String(r.inputs.policy)) as { Statement: Statement[] } }));
const asList = (value: unknown) => (Array.isArray(value) ? value : [value]);
const escapeRegExp = (text: unknown) => String(text).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// The ECS agent's host port range, as the hosts' user data sets it.
const agentPortRange = (deployment: Deployment) => {
    const userData = Buffer.from(String(input(deployment, T.launchTemplate).userData), "base64").toString();
    const [, from, to] = /^ECS_DYNAMIC_HOST_PORT_RANGE=(\d+)-(\d+)$/m.exec(userData) ?? [];
    assert.ok(from && to, "the user data pins ECS_DYNAMIC_HOST_PORT_RANGE");
    return [Number(from), Number(to)];
};

const domain = { domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };
const twoServices = { services: JSON.stringify({ app: {}, api: { pathPatterns: ["/api/*"] } }) };

// Default subnets give hosts public IPs (their way to ECR and ECS without NAT); inbound, only the ALB, on the
// agent's dynamic host ports, and the ALB may send nowhere else.
function assertHostsClosedButToAlb(deployment: Deployment): void {
    assert.equal(input(deployment, T.launchTemplate).networkInterfaces, undefined);
    const hostGroup = state(deployment, T.securityGroup, "host-security-group").id;
    const albGroup = state(deployment, T.securityGroup, "alb-security-group").id;
    assert.deepEqual(input(deployment, T.launchTemplate).vpcSecurityGroupIds, [hostGroup]);
    const [from, to] = agentPortRange(deployment);
    const rule = (r: RegisteredResource) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4];
    assert.deepEqual(all(deployment, T.ingress).filter((r) => r.inputs.securityGroupId === hostGroup).map(rule),
        [["tcp", from, to, albGroup, undefined]], "the hosts accept only the ALB, on the dynamic port range");
    assert.deepEqual(all(deployment, T.egress).filter((r) => r.inputs.securityGroupId === albGroup).map(rule),
        [["tcp", from, to, hostGroup, undefined]], "the ALB sends only to the hosts, on the dynamic port range");
    assert.deepEqual(all(deployment, T.egress).filter((r) => r.inputs.securityGroupId === hostGroup).map(rule),
        [["tcp", 443, 443, undefined, "0.0.0.0/0"]], "the hosts send only HTTPS, to the AWS APIs");
}

describe("security controls on the dev stack", () => {
    let stack: Deployment;
    const devRun = deployed();
    before(async () => { stack = await devRun; });

    describe("task definition", () => {
        test("ECS.3 the task does not share the host's process namespace", () => {
            assert.equal(input(stack, T.taskDefinition, "app-task-definition").pidMode, undefined);
        });
        test("ECS.4 the container is not privileged", () => {
            // ECS leaves `privileged: false` out of DescribeTaskDefinition, so the stack does too.
            assert.notEqual(containerOf(stack).privileged, true);
            assert.equal(containerOf(stack).linuxParameters, undefined, "no added kernel capabilities or devices");
        });
        test("ECS.5 the container's root file system is read-only", () => {
            assert.equal(containerOf(stack).readonlyRootFilesystem, true);
        });
        test("ECS.8 no secrets in the container's environment", () => {
            const names = (containerOf(stack).environment as { name: string }[]).map((e) => e.name);
            assert.deepEqual(names, ["ASPNETCORE_HTTP_PORTS", "HEALTH_CHECK_PATH", "SHUTDOWN_TIMEOUT_SECONDS"]);
            for (const name of names) {
                assert.doesNotMatch(name, /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|ECS_ENGINE_AUTH_DATA|SECRET|PASSWORD|TOKEN|API_KEY/i);
            }
        });
        test("ECS.8 a service's environment cannot carry a secret-looking variable", () =>
            assertRefusedBeforeRegistering(services({ app: { environment: { DB_PASSWORD: "hunter2" } } }), ConfigError, [/DB_PASSWORD/]));
        test("ECS.9 the container logs to its service's own log group", () => {
            const logging = containerOf(stack).logConfiguration as { logDriver: string; options: Json };
            assert.equal(logging.logDriver, "awslogs");
            assert.equal(logging.options["awslogs-group"], state(stack, T.logGroup, "app-logs").name);
        });
        test("ECS.17 the task does not use host network mode", () => {
            assert.equal(input(stack, T.taskDefinition, "app-task-definition").networkMode, "bridge");
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
            assert.deepEqual(input(stack, T.cluster).settings, [{ name: "containerInsights", value: "enabled" }]);
        });
        test("ECS.19 exception: managed termination protection is off, managed draining is on", () => {
            const provider = input(stack, T.capacityProvider).autoScalingGroupProvider as Json;
            assert.equal(provider.managedTerminationProtection, "DISABLED");
            assert.equal(provider.managedDraining, "ENABLED");
        });
    });

    describe("ECR", () => {
        test("ECR.1 images are scanned on push", () => {
            assert.deepEqual(input(stack, T.repository, "app-repository").imageScanningConfiguration, { scanOnPush: true });
        });
        test("ECR.2 exception: tags are mutable, but tasks run the image digest they were deployed with", () => {
            const repository = one(stack, T.repository, "app-repository");
            assert.equal(repository.inputs.imageTagMutability, "MUTABLE");
            const repositoryUrl = escapeRegExp(repository.state.repositoryUrl);
            // The tag only names the sources: a rebuild of the same sources may push it again.
            const image = one(stack, T.image, "app-image");
            assert.match(String(image.inputs.imageName), new RegExp(`^${repositoryUrl}:src-[0-9a-f]{16}$`));
            // What runs is pinned by digest, so moving the tag never changes a running or rolled-back task.
            assert.equal(containerOf(stack).image, image.state.repoDigest);
            assert.match(String(containerOf(stack).image), new RegExp(`^${repositoryUrl}@sha256:[0-9a-f]{64}$`));
        });
        test("ECR.2 exception: an image a moved tag leaves untagged is kept like any other, within a bounded history", () => {
            const lifecycle = input(stack, T.lifecyclePolicy, "app-repository-lifecycle");
            assert.equal(lifecycle.repository, state(stack, T.repository, "app-repository").name);
            const rules = (JSON.parse(String(lifecycle.policy)) as { rules: { selection: Json; action: Json }[] }).rules;
            // No age-based rule: the digest a running task definition pins may be untagged, and must not expire by age.
            assert.deepEqual(rules.map((r) => [r.selection.tagStatus, r.selection.countType, r.action.type]), [["any", "imageCountMoreThan", "expire"]]);
        });
        test("ECR.3 the repository has a lifecycle policy that keeps the 10 newest images", () => {
            const { rules } = JSON.parse(String(input(stack, T.lifecyclePolicy, "app-repository-lifecycle").policy)) as { rules: { selection: Json }[] };
            assert.ok(rules.length > 0);
            assert.ok(rules.some((r) => r.selection.tagStatus === "any" && r.selection.countType === "imageCountMoreThan" && r.selection.countNumber === 10));
        });
    });

    describe("load balancer", () => {
        test("ELB.4 the ALB drops invalid HTTP headers", () => {
            assert.equal(input(stack, T.alb).dropInvalidHeaderFields, true);
        });
        test("ELB.12 the ALB mitigates desync in defensive or strictest mode", () => {
            assert.ok(["defensive", "strictest"].includes(String(input(stack, T.alb).desyncMitigationMode)));
        });
        test("ELB.13 the ALB spans two or more AZs, and traffic can be shifted away from an impaired one", () => {
            const subnets = input(stack, T.alb).subnets as string[];
            assert.ok(new Set(subnets).size >= 2);
            assert.equal(input(stack, T.alb).enableZonalShift, true);
        });
        test("ELB.5 the ALB logs to a private, encrypted, expiring bucket the stack owns", () => {
            const bucket = one(stack, T.bucket);
            assert.deepEqual(input(stack, T.alb).accessLogs, { bucket: bucket.state.bucket, enabled: true });
            // Creating the ALB checks it may write to the bucket: the policy must exist first.
            assert.ok(one(stack, T.alb).explicitDependsOn.includes("alb-access-logs-policy"));
            const publicAccess = input(stack, T.publicAccessBlock);
            assert.equal(publicAccess.bucket, bucket.state.id);
            for (const setting of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.equal(publicAccess[setting], true, setting);
            }
            assert.deepEqual(input(stack, T.encryption).rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
            const [expiry] = input(stack, T.bucketLifecycle).rules as Json[];
            assert.deepEqual([expiry.status, expiry.expiration], ["Enabled", { days: 14 }]);
            const [delivery, tlsOnly] = policyDocuments(stack).find((p) => p.name === "alb-access-logs-policy")?.document.Statement ?? [];
            assert.deepEqual(delivery.Principal, { AWS: "arn:aws:iam::127311923021:root" });
            assert.equal(delivery.Action, "s3:PutObject");
            assert.equal(delivery.Resource, `${String(bucket.state.arn)}/AWSLogs/123456789012/*`);
            assert.deepEqual([tlsOnly.Effect, tlsOnly.Principal, tlsOnly.Action], ["Deny", "*", "s3:*"]);
            assert.deepEqual(tlsOnly.Resource, [bucket.state.arn, `${String(bucket.state.arn)}/*`]);
            assert.deepEqual(tlsOnly.Condition, { Bool: { "aws:SecureTransport": "false" } });
            assert.equal(input(stack, T.bucket).forceDestroy, true);
        });
        test("ELB.5 the bucket is configured one step at a time: S3 answers 409 OperationAborted to concurrent configuration", () => {
            const chain = ["alb-access-logs", "alb-access-logs-public-access", "alb-access-logs-ownership", "alb-access-logs-encryption",
                "alb-access-logs-expiry", "alb-access-logs-policy"];
            const byName = new Map(stack.resources.map((r) => [r.name, r]));
            chain.slice(1).forEach((name, i) => assert.ok(byName.get(name)?.dependsOn.includes(chain[i]), `${name} waits for ${chain[i]}`));
        });
        const zurichRun = deployed({ "aws:region": "eu-central-2", availabilityZones: JSON.stringify(["eu-central-2a", "eu-central-2b"]) });
        test("ELB.5 in a region opened after August 2022 the log delivery service principal writes the logs", async () => {
            const [delivery] = policyDocuments(await zurichRun).find((p) => p.name === "alb-access-logs-policy")?.document.Statement ?? [];
            assert.deepEqual(delivery.Principal, { Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
        });
        const accessLogsOffRun = deployed({ albAccessLogs: "false" });
        test("ELB.5 access logs can be switched off", async () => {
            const off = await accessLogsOffRun;
            assert.equal(input(off, T.alb).accessLogs, undefined);
            assert.deepEqual(all(off, T.bucket), []);
        });
        const deletionProtectedRun = deployed({ albDeletionProtection: "true" });
        test("ELB.6 exception: deletion protection is off for dev stacks, on by config", async () => {
            assert.equal(input(stack, T.alb).enableDeletionProtection, false);
            assert.equal(input(await deletionProtectedRun, T.alb).enableDeletionProtection, true);
        });
        test("AVD-AWS-0053 exception: the ALB is internet-facing by design", () => {
            assert.equal(input(stack, T.alb).internal, false);
        });
        test("ELB.1 needs a domain: without one the HTTP listener serves the services' routes", () => {
            assert.deepEqual(all(stack, T.listener).map((l) => l.name), ["http-listener"]);
            const http = one(stack, T.listener, "http-listener");
            // app is the default route: the listener's default action forwards to it.
            assert.deepEqual(http.inputs.defaultActions, [{ type: "forward", targetGroupArn: state(stack, T.targetGroup, "app-tg").arn }]);
        });
        test("S3.13 the access-log bucket has a lifecycle: logs expire, and incomplete multipart uploads are aborted after a day", () => {
            const lifecycle = input(stack, T.bucketLifecycle);
            assert.equal(lifecycle.bucket, state(stack, T.bucket).id);
            const rules = lifecycle.rules as Json[];
            assert.deepEqual(rules.map((r) => [r.status, r.filter, r.expiration, r.abortIncompleteMultipartUpload]),
                [["Enabled", {}, { days: 14 }, { daysAfterInitiation: 1 }]]);
        });
    });

    describe("web ACL", () => {
        test("ELB.16 exception: no web ACL by default", () => {
            assert.deepEqual(all(stack, T.webAcl), []);
            assert.deepEqual(all(stack, T.webAclAssociation), []);
        });
    });

    describe("Auto Scaling and EC2", () => {
        test("AutoScaling.2 the ASG spans two or more AZs, and ECS keeps each service's tasks spread over them", () => {
            assert.ok(new Set(input(stack, T.asg).vpcZoneIdentifiers as string[]).size >= 2);
            const service = input(stack, T.service, "app-service");
            assert.deepEqual((service.orderedPlacementStrategies as Json[])[0], { type: "spread", field: "attribute:ecs.availability-zone" });
            assert.equal(service.availabilityZoneRebalancing, "ENABLED");
        });
        test("AutoScaling.9 the ASG uses a launch template", () => {
            assert.equal((input(stack, T.asg).launchTemplate as Json).id, state(stack, T.launchTemplate).id);
        });
        test("AutoScaling.1 exception: EC2 health checks for the hosts, not ELB ones", () => {
            assert.equal(input(stack, T.asg).healthCheckType, "EC2");
            assert.equal(input(stack, T.asg).targetGroupArns, undefined);
            assert.deepEqual(all(stack, "aws:autoscaling/attachment:Attachment"), []);
        });
        test("AutoScaling.1 exception: the ALB checks each task on its own port, failing it within about 10 s", () => {
            const targetGroup = input(stack, T.targetGroup, "app-tg");
            assert.equal(targetGroup.targetType, "instance");
            assert.deepEqual(targetGroup.healthCheck, {
                path: "/health", protocol: "HTTP", port: "traffic-port", matcher: "200",
                interval: 5, timeout: 2, healthyThreshold: 2, unhealthyThreshold: 2,
            });
        });
        test("AutoScaling.1 exception: ECS checks each container itself, with an exec-form command and no shell", () => {
            const healthCheck = containerOf(stack).healthCheck as { command: string[]; interval: number; timeout: number; retries: number };
            assert.deepEqual(healthCheck.command, ["CMD", "/app/EcsApp", "--health-check"]);
            assert.ok(!healthCheck.command.some((arg) => /^CMD-SHELL$|(^|\/)(ba)?sh$/.test(arg)), "no shell in the command");
            assert.ok(healthCheck.timeout < healthCheck.interval && healthCheck.retries >= 1);
        });
        test("AutoScaling.1 exception: a deployment that fails its health checks or trips its alarms rolls back", () => {
            const service = input(stack, T.service, "app-service");
            assert.deepEqual(service.deploymentCircuitBreaker, { enable: true, rollback: true });
            const alarms = ["app-5xx-rate", "app-unhealthy-targets", "app-target-connection-errors"].map((name) => one(stack, T.alarm, name));
            assert.deepEqual(service.alarms, { alarmNames: alarms.map((a) => a.state.name), enable: true, rollback: true });
            // All three watch this service's own targets.
            const targetGroupSuffix = state(stack, T.targetGroup, "app-tg").arnSuffix;
            assert.equal((alarms[1].inputs.dimensions as Json).TargetGroup, targetGroupSuffix);
            assert.equal((alarms[2].inputs.dimensions as Json).TargetGroup, targetGroupSuffix);
            for (const query of (alarms[0].inputs.metricQueries as { metric?: { dimensions: Json } }[]).filter((q) => q.metric)) {
                assert.equal(query.metric?.dimensions.TargetGroup, targetGroupSuffix);
            }
        });
        test("EC2.170 the launch template requires IMDSv2, with a hop limit of 1", () => {
            assert.deepEqual(input(stack, T.launchTemplate).metadataOptions,
                { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        });
        test("EC2.181 the launch template encrypts its EBS volumes", () => {
            const mappings = input(stack, T.launchTemplate).blockDeviceMappings as { ebs: Json }[];
            assert.ok(mappings.length > 0);
            for (const mapping of mappings) {
                assert.equal(mapping.ebs.encrypted, "true");
            }
        });
        test("EC2.25 exception: the launch template leaves public IPs to the default subnets", () => assertHostsClosedButToAlb(stack));
        test("EC2.9 exception: hosts have public IPv4 addresses, and no inbound path but the ALB's, on the dynamic host ports", () =>
            assertHostsClosedButToAlb(stack));
        test("EC2-user-data the hosts' user data holds no secrets", () => {
            const userData = Buffer.from(String(input(stack, T.launchTemplate).userData), "base64").toString();
            assert.doesNotMatch(userData, /SECRET|PASSWORD|TOKEN|AKIA[0-9A-Z]{16}|ECS_ENGINE_AUTH_DATA/i);
        });
    });

    describe("IAM and logs", () => {
        test("IAM.1 no policy the stack writes allows every action on every resource", () => {
            const documents = policyDocuments(stack);
            assert.ok(documents.length >= 2);
            for (const { name, document } of documents) {
                for (const statement of document.Statement.filter((s) => s.Effect === "Allow")) {
                    const wildcardAction = asList(statement.Action).some((a) => a === "*" || /^[a-z0-9-]+:\*$/.test(String(a)));
                    assert.ok(!wildcardAction, `${name} allows ${JSON.stringify(statement.Action)}`);
                    // The one "*" resource: GetAuthorizationToken has no resource-level permissions.
                    if (asList(statement.Resource).includes("*")) {
                        assert.deepEqual(asList(statement.Action), ["ecr:GetAuthorizationToken"], name);
                    }
                }
            }
        });
        test("IAM-roles instance, execution and task roles are distinct, each trusted by its one service", () => {
            const trust = (role: RegisteredResource) =>
                (JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: { Principal: unknown }[] }).Statement.map((s) => s.Principal);
            assert.deepEqual(Object.fromEntries(all(stack, T.role).map((r) => [r.name, trust(r)])), {
                "host-instance-role": [{ Service: "ec2.amazonaws.com" }],
                "app-task-execution-role": [{ Service: "ecs-tasks.amazonaws.com" }],
                "app-task-role": [{ Service: "ecs-tasks.amazonaws.com" }],
            });
            const taskDefinition = input(stack, T.taskDefinition, "app-task-definition");
            assert.equal(taskDefinition.executionRoleArn, state(stack, T.role, "app-task-execution-role").arn);
            assert.equal(taskDefinition.taskRoleArn, state(stack, T.role, "app-task-role").arn);
        });
        const yearOfLogsRun = deployed({ logRetentionInDays: "365" });
        test("CloudWatch.16 every log group has a retention period, from config", async () => {
            const logGroups = all(stack, T.logGroup);
            assert.deepEqual(logGroups.map((g) => g.name).sort(), ["app-logs", "container-insights-logs"]);
            for (const logGroup of logGroups) {
                assert.equal(logGroup.inputs.retentionInDays, 14, logGroup.name);
            }
            assert.deepEqual(all(await yearOfLogsRun, T.logGroup).map((g) => g.inputs.retentionInDays), [365, 365]);
        });
    });
});

describe("the web ACL, when wafEnabled", () => {
    let waf: Deployment;
    const wafRun = deployed({ wafEnabled: "true", wafRequestsPerIpPer5Minutes: "500" });
    before(async () => { waf = await wafRun; });
    const rules = () => input(waf, T.webAcl).rules as { name: string; priority: number; action?: Json; overrideAction?: Json; statement: Json; visibilityConfig: Json }[];

    test("ELB.16 the web ACL is associated with the ALB", () => {
        const webAcl = one(waf, T.webAcl);
        assert.equal(webAcl.inputs.scope, "REGIONAL");
        assert.deepEqual(webAcl.inputs.defaultAction, { allow: {} });
        assert.deepEqual(all(waf, T.webAclAssociation).map((a) => [a.inputs.resourceArn, a.inputs.webAclArn]),
            [[state(waf, T.alb).arn, webAcl.state.arn]]);
    });

    test("WAF.10 the web ACL blocks with the AWS managed common and known-bad-input rule groups, then a per-IP rate limit from config", () => {
        assert.deepEqual(rules().map((r) => [r.priority, r.name]),
            [[1, "AWSManagedRulesCommonRuleSet"], [2, "AWSManagedRulesKnownBadInputsRuleSet"], [3, "rate-limit-per-ip"]]);
        const [common, badInputs, rateLimit] = rules();
        for (const group of [common, badInputs]) {
            assert.deepEqual(group.statement, { managedRuleGroupStatement: { vendorName: "AWS", name: group.name } });
            // `none` keeps the group's own block actions; `count` would only watch.
            assert.deepEqual(group.overrideAction, { none: {} }, group.name);
            assert.equal(group.action, undefined);
        }
        assert.deepEqual(rateLimit.action, { block: {} });
        assert.deepEqual(rateLimit.statement, { rateBasedStatement: { limit: 500, aggregateKeyType: "IP", evaluationWindowSec: 300 } });
    });

    test("WAF.12 every rule of the web ACL, and the web ACL itself, publishes CloudWatch metrics", () => {
        const configs = [...rules().map((r) => r.visibilityConfig), input(waf, T.webAcl).visibilityConfig as Json];
        for (const config of configs) {
            assert.equal(config.cloudwatchMetricsEnabled, true, String(config.metricName));
        }
        const metricNames = configs.map((c) => c.metricName);
        assert.equal(new Set(metricNames).size, metricNames.length, "one metric per rule");
    });

    test("WAF.11 exception: no web ACL logging; each rule keeps sampled requests instead", () => {
        assert.deepEqual(all(waf, T.webAclLogging), []);
        for (const config of [...rules().map((r) => r.visibilityConfig), input(waf, T.webAcl).visibilityConfig as Json]) {
            assert.equal(config.sampledRequestsEnabled, true, String(config.metricName));
        }
    });
});

describe("two services on the stack keep least privilege", () => {
    let stack: Deployment;
    const twoServicesRun = deployed(twoServices);
    before(async () => { stack = await twoServicesRun; });
    const services = ["app", "api"];

    test("IAM-roles each service's execution role pulls only its own repository and writes only its own log group", () => {
        for (const service of services) {
            const policy = input(stack, T.rolePolicy, `${service}-task-execution-policy`);
            assert.equal(policy.role, state(stack, T.role, `${service}-task-execution-role`).name);
            const grants = (JSON.parse(String(policy.policy)) as { Statement: Statement[] }).Statement
                .map((s) => [s.Effect, asList(s.Action), s.Resource]);
            assert.deepEqual(grants, [
                ["Allow", ["ecr:GetAuthorizationToken"], "*"],
                ["Allow", ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                    state(stack, T.repository, `${service}-repository`).arn],
                ["Allow", ["logs:CreateLogStream", "logs:PutLogEvents"], `${String(state(stack, T.logGroup, `${service}-logs`).arn)}:*`],
            ], service);
        }
        assert.deepEqual(all(stack, T.rolePolicy).map((p) => p.name).sort(), ["api-task-execution-policy", "app-task-execution-policy"]);
    });

    test("IAM-roles each task runs with its own roles; task roles without taskPolicyStatements have no permissions", () => {
        const roleArns = new Set<unknown>();
        for (const service of services) {
            const taskDefinition = input(stack, T.taskDefinition, `${service}-task-definition`);
            assert.equal(taskDefinition.executionRoleArn, state(stack, T.role, `${service}-task-execution-role`).arn, service);
            assert.equal(taskDefinition.taskRoleArn, state(stack, T.role, `${service}-task-role`).arn, service);
            roleArns.add(taskDefinition.executionRoleArn).add(taskDefinition.taskRoleArn);
        }
        assert.equal(roleArns.size, 2 * services.length, "no role is shared");
        const roleNamesWithPermissions = [...all(stack, T.rolePolicy), ...all(stack, T.attachment)].map((p) => p.inputs.role);
        for (const service of services) {
            assert.ok(!roleNamesWithPermissions.includes(state(stack, T.role, `${service}-task-role`).name), `${service}-task-role has a policy`);
        }
    });

    test("ECR.2 exception: each service runs a digest from its own repository", () => {
        for (const service of services) {
            const repositoryUrl = escapeRegExp(state(stack, T.repository, `${service}-repository`).repositoryUrl);
            assert.match(String(containerOf(stack, service).image), new RegExp(`^${repositoryUrl}@sha256:[0-9a-f]{64}$`), service);
            assert.equal((containerOf(stack, service).logConfiguration as { options: Json }).options["awslogs-group"],
                state(stack, T.logGroup, `${service}-logs`).name, service);
        }
    });

    test("EC2.9 exception: more services open no more ports on the hosts", () => assertHostsClosedButToAlb(stack));
});

describe("a service with secrets and taskPolicyStatements keeps least privilege", () => {
    let stack: Deployment;
    const secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password::";
    const keyArn = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    const readsOrders = { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::orders-bucket/*" };
    const run = deployed(services({
        app: {},
        api: { pathPatterns: ["/api/*"], secrets: { DB_PASSWORD: secretArn }, secretsKmsKeyArn: keyArn, taskPolicyStatements: [readsOrders] },
    }));
    before(async () => { stack = await run; });

    test("IAM.1 no policy allows \"*\" or a whole service's actions: config refuses them in taskPolicyStatements", async () => {
        for (const { name, document } of policyDocuments(stack)) {
            for (const statement of document.Statement.filter((s) => s.Effect === "Allow")) {
                const wildcardAction = asList(statement.Action).some((a) => a === "*" || /^[a-z0-9-]+:\*$/.test(String(a)));
                assert.ok(!wildcardAction, `${name} allows ${JSON.stringify(statement.Action)}`);
            }
        }
        for (const Action of ["*", "s3:*"]) {
            await assertRefusedBeforeRegistering(services({ app: { taskPolicyStatements: [{ ...readsOrders, Action }] } }), ConfigError,
                [/'ecs-on-ec2:services.app.taskPolicyStatements.0.Action.0'/]);
        }
    });

    test("IAM-roles the statements go to the service's own task role only, the secret grants to its own execution role only", () => {
        const grants = all(stack, T.rolePolicy).map((p) => [p.name, p.inputs.role]);
        assert.deepEqual(grants.sort(), [
            ["api-task-execution-policy", state(stack, T.role, "api-task-execution-role").name],
            ["api-task-policy", state(stack, T.role, "api-task-role").name],
            ["app-task-execution-policy", state(stack, T.role, "app-task-execution-role").name],
        ]);
        assert.deepEqual((JSON.parse(String(input(stack, T.rolePolicy, "api-task-policy").policy)) as { Statement: Statement[] }).Statement,
            [{ ...readsOrders, Resource: [readsOrders.Resource] }]);
        const actionsOf = (policy: string) => (JSON.parse(String(input(stack, T.rolePolicy, policy).policy)) as { Statement: Statement[] })
            .Statement.flatMap((s) => asList(s.Action));
        assert.ok(actionsOf("api-task-execution-policy").includes("secretsmanager:GetSecretValue"));
        assert.ok(!actionsOf("app-task-execution-policy").some((a) => /^(secretsmanager|ssm|kms):/.test(String(a))), "app reads no secret");
        assert.deepEqual([...new Set(all(stack, T.attachment).map((a) => a.inputs.role))], [state(stack, T.role, "host-instance-role").name],
            "managed policies go to the hosts' role alone");
    });

    test("ECS.8 a secret reaches the container through `secrets` by ARN, never as an environment value", () => {
        const container = containerOf(stack, "api");
        assert.deepEqual(container.secrets, [{ name: "DB_PASSWORD", valueFrom: secretArn }]);
        assert.ok(!(container.environment as { name: string }[]).some((e) => e.name === "DB_PASSWORD"));
    });
});

describe("HTTPS when a domain is given", () => {
    let secure: Deployment;
    const secureRun = deployed(domain);
    before(async () => { secure = await secureRun; });

    test("ELB.1 the HTTP listener permanently redirects to HTTPS", () => {
        assert.deepEqual(input(secure, T.listener, "http-listener").defaultActions,
            [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
        const httpArn = state(secure, T.listener, "http-listener").arn;
        assert.deepEqual(all(secure, T.listenerRule).filter((r) => r.inputs.listenerArn === httpArn), [], "no route is served over HTTP");
    });

    test("ELB.17 the HTTPS listener uses a recommended TLS 1.3 policy", () => {
        assert.equal(input(secure, T.listener, "https-listener").sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
    });

    test("ELB.18 the HTTPS listener serves the tasks with a DNS-validated ACM certificate", () => {
        const https = one(secure, T.listener, "https-listener");
        assert.equal(https.inputs.port, 443);
        assert.equal(https.inputs.protocol, "HTTPS");
        assert.equal(https.inputs.certificateArn, state(secure, T.certificateValidation).certificateArn);
        assert.deepEqual(https.inputs.defaultActions, [{ type: "forward", targetGroupArn: state(secure, T.targetGroup, "app-tg").arn }]);
        const certificate = input(secure, T.certificate);
        assert.deepEqual([certificate.domainName, certificate.validationMethod], ["app.example.com", "DNS"]);
        const validation = (state(secure, T.certificate).domainValidationOptions as Json[])[0];
        const record = input(secure, T.record, "certificate-validation-record");
        assert.deepEqual([record.zoneId, record.type, record.name], ["Z0123456789ABCDEFGHIJ", "CNAME", validation.resourceRecordName]);
        assert.ok(one(secure, T.service, "app-service").explicitDependsOn.includes("https-listener"));
    });

    test("the ALB accepts 443 too, an alias record points the name at it, and the URL is https", () => {
        const albGroup = state(secure, T.securityGroup, "alb-security-group").id;
        const ports = all(secure, T.ingress).filter((r) => r.inputs.securityGroupId === albGroup).map((r) => r.inputs.fromPort).sort();
        assert.deepEqual(ports, [443, 80]);
        const alias = input(secure, T.record, "alias-record");
        const alb = state(secure, T.alb);
        assert.deepEqual(alias.aliases, [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }]);
        assert.equal(secure.outputs.url, "https://app.example.com");
    });

    const existingCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
    const existingCertificateRun = deployed({ domainName: "app.example.com", certificateArn: existingCertificateArn });
    test("an existing certificate in the region is used as it is, with no certificate requested", async () => {
        const existing = await existingCertificateRun;
        assert.equal(input(existing, T.listener, "https-listener").certificateArn, existingCertificateArn);
        assert.deepEqual(all(existing, T.certificate), []);
        assert.deepEqual(all(existing, T.record), [], "no zone given, so no alias record");
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
        test(`refuses ${rule} before registering anything`, () => assertRefusedBeforeRegistering(config, ConfigError, [message]));
    }
});

describe("security controls on a service of another image (the seed's Tomcat)", () => {
    const tomcat = { image: "lobster1234/tomcat:8.5.20", hostHeaders: ["tomcat.example.com"], healthCheckPath: "/" };
    const tomcatContainer = async (settings: Json = {}) => {
        const run = await deployed(services({ app: {}, tomcat: { ...tomcat, ...settings } }));
        return (JSON.parse(String(input(run, T.taskDefinition, "tomcat-task-definition").containerDefinitions)) as Json[])[0];
    };
    test("ECS.5 per service: another image's root is writable unless the service hardens it, app-image's stays read-only", async () => {
        assert.equal((await tomcatContainer()).readonlyRootFilesystem, false);
        assert.equal((await tomcatContainer({ readonlyRootFilesystem: true })).readonlyRootFilesystem, true);
    });
    test("ECS.20 per service: another image runs as its own USER unless the service names a non-root one", async () => {
        assert.equal((await tomcatContainer()).user, undefined);
        assert.equal((await tomcatContainer({ user: "1000:1000" })).user, "1000:1000");
    });
});

describe("ECS Exec, when a service sets exec", () => {
    let stack: Deployment;
    const execRun = deployed(services({ app: { exec: true }, api: { pathPatterns: ["/api/*"] } }));
    before(async () => { stack = await execRun; });

    test("ECS-exec off by default: no service of the dev stack accepts exec sessions", async () => {
        const dev = await deployed();
        assert.ok(all(dev, T.service).every((s) => s.inputs.enableExecuteCommand === undefined));
        assert.equal(input(dev, T.cluster).configuration, undefined);
    });
    test("ECS-exec only the service that sets it accepts sessions, each logged to a group the stack owns, with a retention", () => {
        assert.deepEqual(all(stack, T.service).filter((s) => s.inputs.enableExecuteCommand === true).map((s) => s.name), ["app-service"]);
        const sessionLog = one(stack, T.logGroup, "exec-session-logs");
        assert.equal(sessionLog.inputs.retentionInDays, 14);
        assert.deepEqual((input(stack, T.cluster).configuration as Json).executeCommandConfiguration,
            { logging: "OVERRIDE", logConfiguration: { cloudWatchLogGroupName: sessionLog.state.name } });
    });
    test("ECS-exec least privilege: the agent's grants go to that service's task role alone; \"*\" only where IAM has no resource", () => {
        const grants = policyDocuments(stack).find((p) => p.name === "app-task-exec-policy")?.document.Statement ?? [];
        const noResourceLevel = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel",
            "ssmmessages:OpenDataChannel", "logs:DescribeLogGroups"];
        for (const grant of grants.filter((g) => asList(g.Resource).includes("*"))) {
            assert.ok(asList(grant.Action).every((a) => noResourceLevel.includes(String(a))), JSON.stringify(grant.Action));
        }
        const sessionLogArn = String(state(stack, T.logGroup, "exec-session-logs").arn);
        assert.deepEqual(grants.filter((g) => !asList(g.Resource).includes("*")).map((g) => g.Resource), [`${sessionLogArn}:*`]);
        assert.deepEqual(all(stack, T.rolePolicy).filter((p) => /exec-policy$/.test(p.name)).map((p) => p.inputs.role),
            [state(stack, T.role, "app-task-role").name]);
    });
    test("ECS.5 with exec: the root stays read-only; the SSM agent writes to a task volume of its own", () => {
        const container = containerOf(stack);
        assert.equal(container.readonlyRootFilesystem, true);
        assert.deepEqual(container.mountPoints, [{ sourceVolume: "ssm-agent-state", containerPath: "/var/lib/amazon/ssm", readOnly: false }]);
    });
});

describe("a job keeps least privilege", () => {
    let stack: Deployment;
    const jobRun = deployed({ services: JSON.stringify({
        app: {}, report: { type: "job", imageDirectory: "tests/fixtures/other-image", schedule: { expression: "rate(1 day)" } },
    }) });
    before(async () => { stack = await jobRun; });

    test("SQS.1 the job's dead-letter queue is encrypted at rest", () => {
        assert.equal(input(stack, "aws:sqs/queue:Queue", "report-dlq").sqsManagedSseEnabled, true);
    });
    test("IAM-schedule the schedule's role, trusted by Scheduler for this account, runs only the job's family and passes only its roles", () => {
        const trust = JSON.parse(String(input(stack, T.role, "report-schedule-role").assumeRolePolicy)) as { Statement: Statement[] };
        assert.deepEqual(trust.Statement.map((s) => [s.Principal, (s.Condition as Json).StringEquals]),
            [[{ Service: "scheduler.amazonaws.com" }, { "aws:SourceAccount": "123456789012" }]]);
        const statements = policyDocuments(stack).find((p) => p.name === "report-schedule-policy")?.document.Statement ?? [];
        assert.ok(statements.every((s) => !asList(s.Resource).includes("*")), "no * resource");
        const definition = input(stack, T.taskDefinition, "report-task-definition");
        assert.deepEqual(statements.map((s) => [s.Action, s.Resource]), [
            ["ecs:RunTask", `arn:aws:ecs:us-east-1:123456789012:task-definition/${String(definition.family)}:*`],
            ["ecs:TagResource", "arn:aws:ecs:us-east-1:123456789012:task/ecs-on-ec2-dev/*"],
            ["iam:PassRole", [definition.executionRoleArn, definition.taskRoleArn]],
            ["sqs:SendMessage", state(stack, "aws:sqs/queue:Queue", "report-dlq").arn],
        ]);
    });
});

test("README.md's security table and this file name the same controls", () => {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
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
