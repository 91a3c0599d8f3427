import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { dynamicHostPorts, hostUserData } from "../infra/hostUserData";
import { appImageDir } from "../infra/stack";
import { contextTag } from "../infra/imageTag";
import { all, Deployment, deploy, one } from "./fakeAws";

const T = {
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
    service: "aws:ecs/service:Service",
    scalableTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
} as const;

type Json = Record<string, unknown>;
const input = (deployment: Deployment, type: string, name?: string) => one(deployment, type, name).inputs as Json;
const state = (deployment: Deployment, type: string, name?: string) => one(deployment, type, name).state as Json;
const containerOf = (deployment: Deployment) =>
    (JSON.parse(String(input(deployment, T.taskDefinition).containerDefinitions)) as Json[]);
const policyOf = (value: unknown) => JSON.parse(String(value)) as { Statement: Json[] };

describe("the dev stack on the fake AWS", () => {
    let stack: Deployment;
    before(async () => { stack = await deploy(); });

    describe("1. ECR repository", () => {
        test("scans on push, keeps tags immutable and is force-deleted on destroy", () => {
            const repository = input(stack, T.repository);
            assert.deepEqual(repository.imageScanningConfiguration, { scanOnPush: true });
            assert.equal(repository.imageTagMutability, "IMMUTABLE");
            assert.equal(repository.forceDelete, true);
        });

        test("has a lifecycle policy that bounds the images it keeps", () => {
            const lifecycle = input(stack, T.lifecyclePolicy);
            assert.equal(lifecycle.repository, state(stack, T.repository).name);
            const [rule] = (JSON.parse(String(lifecycle.policy)) as { rules: Json[] }).rules;
            assert.deepEqual(rule.selection, { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 });
            assert.deepEqual(rule.action, { type: "expire" });
        });
    });

    describe("2. the image", () => {
        test("is built from app-image/ for linux/amd64, whatever the working directory", () => {
            const build = input(stack, T.image).build as Json;
            assert.equal(build.context, path.resolve(__dirname, "..", "app-image"));
            assert.equal(build.dockerfile, path.join(appImageDir, "Dockerfile"));
            assert.equal(build.platform, "linux/amd64");
        });

        test("is pushed to the stack's repository with the ECR token's credentials, kept secret", () => {
            const image = input(stack, T.image);
            const repositoryUrl = String(state(stack, T.repository).repositoryUrl);
            assert.equal(image.imageName, `${repositoryUrl}:${contextTag(appImageDir)}`);
            assert.deepEqual(image.registry, {
                [specialSigKey]: specialSecretSig,
                value: { server: repositoryUrl, username: "AWS", password: "token" },
            });
        });

        test("is referred to by digest in the task definition and the outputs", () => {
            const repoDigest = String(state(stack, T.image).repoDigest);
            assert.match(repoDigest, /@sha256:[0-9a-f]{64}$/);
            assert.equal(containerOf(stack)[0].image, repoDigest);
            assert.equal(stack.outputs.imageRef, repoDigest);
        });

        test("app-image/ keeps the contract the stack relies on: Dockerfile, ignored build output, uid 1654, port 8080", () => {
            const dockerfile = fs.readFileSync(path.join(appImageDir, "Dockerfile"), "utf8");
            // The chiseled runtime-deps images' non-root `app` user is uid 1654 ($APP_UID).
            assert.match(dockerfile, /^FROM mcr\.microsoft\.com\/dotnet\/runtime-deps:10\.0-noble-chiseled$/m);
            assert.match(dockerfile, /^USER \$APP_UID$/m);
            assert.equal(containerOf(stack)[0].user, "1654:1654");
            assert.match(dockerfile, /ASPNETCORE_HTTP_PORTS=8080/);
            // The content tag skips bin/ and obj/ only because Docker never sees them.
            const ignored = fs.readFileSync(path.join(appImageDir, ".dockerignore"), "utf8").split("\n");
            assert.ok(ignored.includes("**/bin/") && ignored.includes("**/obj/"));
        });

        test("gets a tag that changes with the build context and ignores build output", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "context-"));
            fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\n");
            const original = contextTag(dir);
            fs.mkdirSync(path.join(dir, "src", "bin"), { recursive: true });
            fs.writeFileSync(path.join(dir, "src", "bin", "App.dll"), "build output");
            assert.equal(contextTag(dir), original, "bin/ is not part of the image");
            fs.writeFileSync(path.join(dir, "src", "Program.cs"), "class P {}");
            const changed = contextTag(dir);
            assert.notEqual(changed, original);
            assert.match(changed, /^src-[0-9a-f]{16}$/);
            fs.rmSync(dir, { recursive: true });
        });
    });

    describe("3. network", () => {
        test("the ASG and the ALB use exactly the default subnets of the configured AZs", () => {
            const expected = ["subnet-default-us-east-1a", "subnet-default-us-east-1b"];
            assert.deepEqual(input(stack, T.asg).vpcZoneIdentifiers, expected);
            assert.deepEqual(input(stack, T.alb).subnets, expected);
        });

        test("three AZs give three subnets", async () => {
            const threeAzs = await deploy({ availabilityZones: JSON.stringify(["us-east-1a", "us-east-1b", "us-east-1c"]) });
            assert.deepEqual(input(threeAzs, T.asg).vpcZoneIdentifiers,
                ["subnet-default-us-east-1a", "subnet-default-us-east-1b", "subnet-default-us-east-1c"]);
            assert.equal(input(threeAzs, T.asg).minSize, 3);
        });
    });

    describe("4. security groups", () => {
        const rules = (type: string, groupName: string) =>
            all(stack, type).filter((rule) => rule.inputs.securityGroupId === `sg-${groupName}`).map((rule) => rule.inputs);

        test("the ALB accepts only the listener port, from anywhere", () => {
            assert.deepEqual(rules(T.ingress, "alb-security-group").map(({ ipProtocol, fromPort, toPort, cidrIpv4 }) =>
                ({ ipProtocol, fromPort, toPort, cidrIpv4 })), [{ ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" }]);
        });

        test("hosts accept only the ALB's security group, on the whole dynamic port range", () => {
            const [rule, ...others] = rules(T.ingress, "host-security-group");
            assert.deepEqual(others, []);
            assert.equal(rule.referencedSecurityGroupId, "sg-alb-security-group");
            assert.equal(rule.cidrIpv4, undefined);
            assert.deepEqual([rule.fromPort, rule.toPort], [32768, 65535]);
        });

        test("the ALB may send only to the hosts' dynamic ports", () => {
            const [rule, ...others] = rules(T.egress, "alb-security-group");
            assert.deepEqual(others, []);
            assert.equal(rule.referencedSecurityGroupId, "sg-host-security-group");
            assert.deepEqual([rule.fromPort, rule.toPort], [dynamicHostPorts.from, dynamicHostPorts.to]);
        });

        test("hosts may reach AWS APIs over HTTPS and nothing else", () => {
            assert.deepEqual(rules(T.egress, "host-security-group").map(({ ipProtocol, fromPort, toPort, cidrIpv4 }) =>
                ({ ipProtocol, fromPort, toPort, cidrIpv4 })), [{ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }]);
        });

        test("no rule opens SSH and no group carries inline rules", () => {
            for (const rule of [...all(stack, T.ingress), ...all(stack, T.egress)]) {
                const { fromPort, toPort } = rule.inputs as { fromPort: number; toPort: number };
                assert.ok(!(fromPort <= 22 && 22 <= toPort), `${rule.name} opens port 22`);
            }
            for (const group of all(stack, T.securityGroup)) {
                assert.equal(group.inputs.ingress, undefined);
                assert.equal(group.inputs.egress, undefined);
            }
        });
    });

    describe("5. hosts", () => {
        test("the cluster has Container Insights on, and off by config", async () => {
            assert.deepEqual(input(stack, T.cluster).settings, [{ name: "containerInsights", value: "enabled" }]);
            const off = await deploy({ containerInsights: "false" });
            assert.deepEqual(input(off, T.cluster).settings, [{ name: "containerInsights", value: "disabled" }]);
        });

        test("the instance role is trusted by EC2 and has the ECS and SSM managed policies", () => {
            const role = all(stack, T.role).find((r) => r.name === "host-instance-role");
            assert.ok(role);
            assert.deepEqual(policyOf(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "ec2.amazonaws.com" });
            assert.deepEqual(all(stack, T.attachment).map((a) => a.inputs.policyArn).sort(), [
                "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
                "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
            ]);
            assert.equal(input(stack, T.instanceProfile).role, role.state.name);
        });

        test("the launch template: ECS-optimized AL2023 AMI via SSM, IMDSv2 with hop limit 1, encrypted root, no key", () => {
            const template = input(stack, T.launchTemplate);
            assert.equal(template.imageId,
                "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
            assert.equal(template.instanceType, "t3.small");
            assert.deepEqual(template.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
            const [rootVolume] = template.blockDeviceMappings as { deviceName: string; ebs: Json }[];
            assert.equal(rootVolume.deviceName, "/dev/xvda");
            assert.equal(rootVolume.ebs.encrypted, "true");
            assert.equal(template.keyName, undefined);
            assert.deepEqual(template.iamInstanceProfile, { arn: state(stack, T.instanceProfile).arn });
            assert.deepEqual(template.vpcSecurityGroupIds, ["sg-host-security-group"]);
            assert.ok(one(stack, T.launchTemplate).dependsOn.includes("host-instance-role-ecs"));
        });

        test("user data joins the cluster, turns on the metadata file and pins the port range the SG opens", () => {
            const userData = Buffer.from(String(input(stack, T.launchTemplate).userData), "base64").toString();
            assert.equal(userData, hostUserData(String(state(stack, T.cluster).name)));
            assert.match(userData, /^ECS_CLUSTER=ecs-on-ec2-dev$/m);
            assert.match(userData, /^ECS_ENABLE_CONTAINER_METADATA=true$/m);
            const hostRule = all(stack, T.ingress).find((r) => r.inputs.securityGroupId === "sg-host-security-group");
            assert.ok(hostRule);
            assert.match(userData, new RegExp(`^ECS_DYNAMIC_HOST_PORT_RANGE=${hostRule.inputs.fromPort}-${hostRule.inputs.toPort}$`, "m"));
        });

        test("the ASG: one host per AZ at least, tagged for ECS, never stuck on destroy", () => {
            const asg = input(stack, T.asg);
            assert.equal(asg.minSize, 2);
            assert.equal(asg.maxSize, 4);
            assert.equal(asg.desiredCapacity, undefined, "managed scaling owns the desired capacity");
            assert.deepEqual(asg.launchTemplate, { id: "lt-host-launch-template", version: "1" });
            assert.equal(asg.forceDelete, true);
            assert.equal(asg.protectFromScaleIn, false);
            assert.ok((asg.tags as Json[]).some((t) => t.key === "AmazonECSManaged" && t.value === "true" && t.propagateAtLaunch === true));
        });

        test("the capacity provider scales and drains the ASG, without termination protection, as the cluster default", () => {
            const provider = input(stack, T.capacityProvider).autoScalingGroupProvider as Json;
            assert.equal(provider.autoScalingGroupArn, state(stack, T.asg).arn);
            assert.equal((provider.managedScaling as Json).status, "ENABLED");
            assert.equal(provider.managedDraining, "ENABLED");
            assert.equal(provider.managedTerminationProtection, "DISABLED");
            const cluster = input(stack, T.clusterCapacityProviders);
            const name = state(stack, T.capacityProvider).name;
            assert.equal(cluster.clusterName, state(stack, T.cluster).name);
            assert.deepEqual(cluster.capacityProviders, [name]);
            assert.deepEqual(cluster.defaultCapacityProviderStrategies, [{ capacityProvider: name, weight: 1, base: 0 }]);
        });
    });

    describe("6. task definition", () => {
        test("bridge mode, EC2, with its own execution and task roles", () => {
            const taskDefinition = input(stack, T.taskDefinition);
            assert.equal(taskDefinition.networkMode, "bridge");
            assert.deepEqual(taskDefinition.requiresCompatibilities, ["EC2"]);
            assert.notEqual(taskDefinition.executionRoleArn, taskDefinition.taskRoleArn);
            assert.ok(one(stack, T.taskDefinition).dependsOn.includes("task-execution-policy"));
        });

        test("one essential container: 8080 on a dynamic host port, 128 MiB hard limit, configured CPU", () => {
            const containers = containerOf(stack);
            assert.equal(containers.length, 1);
            const [container] = containers;
            assert.equal(container.essential, true);
            assert.deepEqual(container.portMappings, [{ containerPort: 8080, hostPort: 0, protocol: "tcp" }]);
            assert.equal(container.memory, 128);
            assert.equal(container.cpu, 128);
        });

        test("not privileged, not root, read-only root file system, drains before SIGKILL", () => {
            const [container] = containerOf(stack);
            assert.equal(container.privileged, false);
            assert.equal(container.readonlyRootFilesystem, true);
            assert.match(String(container.user), /^[1-9]\d*(:\d+)?$/, "a numeric non-root uid");
            const environment = Object.fromEntries((container.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));
            assert.ok(Number(environment.SHUTDOWN_TIMEOUT_SECONDS) < Number(container.stopTimeout));
            assert.equal(environment.HEALTH_CHECK_PATH, "/health");
            assert.equal(environment.ASPNETCORE_HTTP_PORTS, "8080");
        });

        test("logs to the stack's log group, which keeps them for the configured days", () => {
            const [container] = containerOf(stack);
            const logGroup = one(stack, T.logGroup, "app-logs");
            assert.deepEqual(container.logConfiguration, {
                logDriver: "awslogs",
                options: { "awslogs-group": logGroup.state.name, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app" },
                secretOptions: [],
            });
            assert.equal(logGroup.inputs.retentionInDays, 14);
        });

        test("the container definition is written as AWS returns it, so a second preview shows no diff", () => {
            const [container] = containerOf(stack);
            assert.deepEqual(Object.keys(container), [
                "name", "image", "cpu", "memory", "portMappings", "essential", "environment", "environmentFiles",
                "mountPoints", "volumesFrom", "stopTimeout", "user", "privileged", "readonlyRootFilesystem", "ulimits",
                "logConfiguration", "systemControls",
            ]);
            const names = (container.environment as { name: string }[]).map((e) => e.name);
            assert.deepEqual(names, [...names].sort());
        });

        test("the execution role may only pull this repository's images and write this log group", () => {
            const statements = policyOf(input(stack, T.rolePolicy, "task-execution-policy").policy).Statement;
            assert.deepEqual(statements.map((s) => [s.Action, s.Resource]), [
                [["ecr:GetAuthorizationToken"], "*"],
                [["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], state(stack, T.repository).arn],
                [["logs:CreateLogStream", "logs:PutLogEvents"], `${one(stack, T.logGroup, "app-logs").state.arn}:*`],
            ]);
            const role = one(stack, T.role, "task-execution-role");
            assert.deepEqual(policyOf(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "ecs-tasks.amazonaws.com" });
        });
    });

    describe("7. load balancer", () => {
        test("an internet-facing IPv4 ALB that drops invalid header fields", () => {
            const alb = input(stack, T.alb);
            assert.equal(alb.loadBalancerType, "application");
            assert.equal(alb.internal, false);
            assert.equal(alb.ipAddressType, "ipv4");
            assert.equal(alb.dropInvalidHeaderFields, true);
            assert.deepEqual(alb.securityGroups, ["sg-alb-security-group"]);
        });

        test("the target group checks the app's health path and turns a task healthy in about 20 s", () => {
            const targetGroup = input(stack, T.targetGroup);
            assert.equal(targetGroup.targetType, "instance");
            assert.equal(targetGroup.protocol, "HTTP");
            assert.ok(Number(targetGroup.deregistrationDelay) <= 30);
            const healthCheck = targetGroup.healthCheck as { path: string; interval: number; healthyThreshold: number; port: string };
            assert.equal(healthCheck.path, "/health");
            assert.equal(healthCheck.port, "traffic-port");
            const secondsToHealthy = healthCheck.interval * healthCheck.healthyThreshold;
            assert.ok(secondsToHealthy >= 15 && secondsToHealthy <= 30, `${secondsToHealthy} s to healthy`);
        });

        test("the HTTP:80 listener forwards to the target group", () => {
            const listener = input(stack, T.listener);
            assert.equal(listener.loadBalancerArn, state(stack, T.alb).arn);
            assert.equal(listener.port, 80);
            assert.equal(listener.protocol, "HTTP");
            assert.deepEqual(listener.defaultActions, [{ type: "forward", targetGroupArn: state(stack, T.targetGroup).arn }]);
        });

        test("a custom health path reaches both the target group and the container", async () => {
            const custom = await deploy({ healthCheckPath: "/healthz" });
            assert.equal((input(custom, T.targetGroup).healthCheck as Json).path, "/healthz");
            assert.ok((containerOf(custom)[0].environment as Json[]).some((e) => e.name === "HEALTH_CHECK_PATH" && e.value === "/healthz"));
        });
    });

    describe("8. service", () => {
        test("runs 5 tasks of this task definition on the capacity provider", () => {
            const service = input(stack, T.service);
            assert.equal(service.desiredCount, 5);
            assert.equal(service.cluster, state(stack, T.cluster).arn);
            assert.equal(service.taskDefinition, state(stack, T.taskDefinition).arn);
            assert.deepEqual(service.capacityProviderStrategies,
                [{ capacityProvider: state(stack, T.capacityProvider).name, weight: 1, base: 0 }]);
        });

        test("spreads over AZs first, then over hosts", () => {
            assert.deepEqual(input(stack, T.service).orderedPlacementStrategies, [
                { type: "spread", field: "attribute:ecs.availability-zone" },
                { type: "spread", field: "instanceId" },
            ]);
        });

        test("registers the container's port in the listener's target group, after the listener exists", () => {
            const [registration] = input(stack, T.service).loadBalancers as Json[];
            const [forward] = input(stack, T.listener).defaultActions as Json[];
            assert.deepEqual(registration, { targetGroupArn: forward.targetGroupArn, containerName: containerOf(stack)[0].name, containerPort: 8080 });
            assert.ok(one(stack, T.service).dependsOn.includes("http-listener"));
            assert.ok(one(stack, T.service).dependsOn.includes("cluster-capacity-providers"));
        });

        test("deploys without dropping capacity, rolls back a failed deploy, and waits for steady state", () => {
            const service = input(stack, T.service);
            assert.equal(service.deploymentMinimumHealthyPercent, 100);
            assert.equal(service.deploymentMaximumPercent, 200);
            assert.deepEqual(service.deploymentCircuitBreaker, { enable: true, rollback: true });
            assert.equal(service.waitForSteadyState, true);
            assert.ok(Number(service.healthCheckGracePeriodSeconds) > 0);
        });

        test("the desired count follows config at creation, and autoscaling owns it afterwards", async () => {
            const three = await deploy({ desiredCount: "3" });
            assert.equal(input(three, T.service).desiredCount, 3);
            assert.equal(input(three, T.scalableTarget).minCapacity, 3);
            assert.deepEqual(one(three, T.service).ignoreChanges, ["desiredCount"]);
        });
    });

    describe("service autoscaling", () => {
        test("scales the service's desired count between desiredCount and the configured maximum", () => {
            const target = input(stack, T.scalableTarget);
            assert.equal(target.serviceNamespace, "ecs");
            assert.equal(target.scalableDimension, "ecs:service:DesiredCount");
            assert.equal(target.resourceId, `service/ecs-on-ec2-dev/${state(stack, T.service).name}`);
            assert.deepEqual([target.minCapacity, target.maxCapacity], [5, 10]);
        });

        test("tracks ALB requests per target and CPU, scaling in more slowly than out", () => {
            const tracking = (name: string) => input(stack, T.scalingPolicy, name).targetTrackingScalingPolicyConfiguration as Json;
            const requests = tracking("service-requests-per-target");
            const cpu = tracking("service-cpu");
            assert.deepEqual(requests.predefinedMetricSpecification, {
                predefinedMetricType: "ALBRequestCountPerTarget",
                resourceLabel: `${state(stack, T.alb).arnSuffix}/${state(stack, T.targetGroup).arnSuffix}`,
            });
            assert.deepEqual(cpu.predefinedMetricSpecification, { predefinedMetricType: "ECSServiceAverageCPUUtilization" });
            assert.deepEqual([requests.targetValue, cpu.targetValue], [1000, 60]);
            for (const policy of all(stack, T.scalingPolicy)) {
                const { scaleInCooldown, scaleOutCooldown } = policy.inputs.targetTrackingScalingPolicyConfiguration as Record<string, number>;
                assert.equal(policy.inputs.resourceId, input(stack, T.scalableTarget).resourceId);
                assert.ok(scaleInCooldown > scaleOutCooldown, policy.name);
            }
        });

        test("the maximum and the targets follow config", async () => {
            const custom = await deploy({ autoscalingMaxCapacity: "20", autoscalingRequestsPerTarget: "500", autoscalingCpuUtilization: "75" });
            const targetValue = (name: string) => (input(custom, T.scalingPolicy, name).targetTrackingScalingPolicyConfiguration as Json).targetValue;
            assert.equal(input(custom, T.scalableTarget).maxCapacity, 20);
            assert.deepEqual([targetValue("service-requests-per-target"), targetValue("service-cpu")], [500, 75]);
        });
    });

    describe("9. outputs", () => {
        test("URL, repository, image digest, cluster, service, ASG and log group", () => {
            assert.deepEqual(stack.outputs, {
                url: `http://${state(stack, T.alb).dnsName}`,
                repositoryUrl: state(stack, T.repository).repositoryUrl,
                imageRef: state(stack, T.image).repoDigest,
                clusterName: "ecs-on-ec2-dev",
                serviceName: state(stack, T.service).name,
                autoScalingGroupName: state(stack, T.asg).name,
                logGroupName: "/ecs/ecs-on-ec2-dev/app",
            });
        });
    });

    test("every resource belongs to the stack component", () => {
        const children = stack.resources.filter((r) => r.type !== "ecs-on-ec2:index:EcsOnEc2Stack");
        assert.deepEqual(children.filter((r) => r.parent !== "ecs-on-ec2").map((r) => r.name), []);
    });
});
