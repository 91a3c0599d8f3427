import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { dynamicHostPorts, hostUserData } from "../infra/models/hostUserData";
import { rulePriority } from "../infra/models/routing";
import { contextFiles, contextTag } from "../infra/models/imageTag";
import { awsProviderType } from "../offline/fakeAws";
import type { Deployment } from "../offline/run";
import { programDir, repoRoot } from "../infra/paths";
import { all, fakeAwsWithProvider, input, Json, one, services, state, T } from "./resources";
import { deployed, redeployed } from "./shared";


const containerOf = (deployment: Deployment, name = "app-task-definition") =>
    (JSON.parse(String(input(deployment, T.taskDefinition, name).containerDefinitions)) as Json[]);
const policyOf = (value: unknown) => JSON.parse(String(value)) as { Statement: Json[] };
const groupId = (deployment: Deployment, name: string) => state(deployment, T.securityGroup, name).id;

describe("the dev stack on the fake AWS", () => {
    let stack: Deployment;
    const devRun = deployed();
    before(async () => { stack = await devRun; });

    describe("1. ECR repository and image", () => {
        test("scans on push and is force-deleted on destroy; tags may be pushed again, deployments pin digests", () => {
            const repository = input(stack, T.repository);
            assert.deepEqual(repository.imageScanningConfiguration, { scanOnPush: true });
            assert.equal(repository.imageTagMutability, "MUTABLE");
            assert.equal(repository.forceDelete, true);
            assert.match(String(containerOf(stack)[0].image), /@sha256:[0-9a-f]{64}$/);
        });

        test("the lifecycle policy keeps the 10 newest images, tagged or not, and expires nothing by age", () => {
            const lifecycle = input(stack, T.lifecyclePolicy);
            assert.equal(lifecycle.repository, state(stack, T.repository).name);
            const rules = (JSON.parse(String(lifecycle.policy)) as { rules: Json[] }).rules;
            // A rebuild of the same sources moves the tag; the digest a task definition pins is then untagged, and must stay.
            assert.deepEqual(rules.map((r) => [r.rulePriority, r.selection]), [[1, { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 }]]);
        });

        test("is built from app-image/ for linux/amd64, named relative to the program's folder, where the CLI runs the Docker provider", () => {
            const build = input(stack, T.image).build as Json;
            assert.equal(build.context, path.join("..", "app-image"));
            assert.equal(build.dockerfile, path.join("..", "app-image", "Dockerfile"));
            assert.equal(build.platform, "linux/amd64");
            assert.equal(path.resolve(programDir, String(build.context)), path.join(repoRoot, "app-image"));
        });

        test("is pushed to the service's repository with the ECR token's credentials, kept secret", () => {
            const image = input(stack, T.image);
            const repositoryUrl = String(state(stack, T.repository).repositoryUrl);
            assert.equal(image.imageName, `${repositoryUrl}:${contextTag(path.join(repoRoot, "app-image"))}`);
            assert.deepEqual(image.registry, {
                [specialSigKey]: specialSecretSig,
                value: { server: repositoryUrl, username: "AWS", password: "placeholder-token" },
            });
        });

        test("is referred to by digest in the task definition and the outputs", () => {
            const repoDigest = String(state(stack, T.image).repoDigest);
            assert.match(repoDigest, /@sha256:[0-9a-f]{64}$/);
            assert.equal(containerOf(stack)[0].image, repoDigest);
            assert.equal((stack.outputs.services as Record<string, Json>).app.imageRef, repoDigest);
        });

        test("app-image/ keeps the contract the stack relies on: Dockerfile, uid 1654, port 8080, README and tests out of the context", () => {
            const dockerfile = fs.readFileSync(path.join(repoRoot, "app-image", "Dockerfile"), "utf8");
            // The chiseled runtime-deps images' non-root `app` user is uid 1654 ($APP_UID).
            assert.match(dockerfile, /^FROM mcr\.microsoft\.com\/dotnet\/runtime-deps:[0-9.]+-noble-chiseled@sha256:[0-9a-f]{64}$/m);
            assert.match(dockerfile, /^USER \$APP_UID$/m);
            assert.equal(containerOf(stack)[0].user, "1654:1654");
            assert.match(dockerfile, /ASPNETCORE_HTTP_PORTS=8080/);
            const files = contextFiles(path.join(repoRoot, "app-image"));
            assert.ok(files.includes("Dockerfile"));
            assert.deepEqual(files.filter((f) => /(^|\/)(bin|obj|tests|bench)(\/|$)|\.md$/.test(f)), []);
        });
    });

    describe("2. the image tag follows what Docker sends, and only that", () => {
        const context = () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "context-"));
            fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\nCOPY src /src\n");
            fs.writeFileSync(path.join(dir, ".dockerignore"), "**/bin/\ntests/\n*.md\n");
            fs.mkdirSync(path.join(dir, "src"));
            fs.writeFileSync(path.join(dir, "src", "Program.cs"), "class P {}");
            return dir;
        };

        test("files .dockerignore excludes do not change it; a file Docker sends does", () => {
            const dir = context();
            const original = contextTag(dir);
            fs.mkdirSync(path.join(dir, "src", "bin"));
            fs.writeFileSync(path.join(dir, "src", "bin", "App.dll"), "build output");
            fs.mkdirSync(path.join(dir, "tests"));
            fs.writeFileSync(path.join(dir, "tests", "Test.cs"), "class T {}");
            fs.writeFileSync(path.join(dir, "README.md"), "docs");
            assert.equal(contextTag(dir), original, "ignored files are not part of the image");
            fs.writeFileSync(path.join(dir, "src", "Program.cs"), "class P { }");
            assert.notEqual(contextTag(dir), original, "a source change is a new image");
            fs.rmSync(dir, { recursive: true });
        });

        test("an exception (`!pattern`) brings a file under an excluded folder back into the context", () => {
            const dir = context();
            fs.mkdirSync(path.join(dir, "src", "bin"));
            fs.writeFileSync(path.join(dir, "src", "bin", "App.dll"), "build output");
            fs.writeFileSync(path.join(dir, "src", "bin", "keep.json"), "{}");
            assert.deepEqual(contextFiles(dir), [".dockerignore", "Dockerfile", "src/Program.cs"]);
            fs.appendFileSync(path.join(dir, ".dockerignore"), "!src/bin/keep.json\n");
            assert.deepEqual(contextFiles(dir), [".dockerignore", "Dockerfile", "src/Program.cs", "src/bin/keep.json"]);
            fs.rmSync(dir, { recursive: true });
        });

        test("the executable bit changes it (Docker copies modes), other mode bits and timestamps do not", () => {
            const dir = context();
            const original = contextTag(dir);
            fs.chmodSync(path.join(dir, "src", "Program.cs"), 0o600);
            fs.utimesSync(path.join(dir, "src", "Program.cs"), new Date(0), new Date(0));
            assert.equal(contextTag(dir), original);
            fs.chmodSync(path.join(dir, "src", "Program.cs"), 0o755);
            assert.notEqual(contextTag(dir), original);
            fs.rmSync(dir, { recursive: true });
        });

        // The second run pushes the same tag to the same repository, as every one of those cases does.
        const rebuildRuns = redeployed(2);
        test("a rebuild that pushes an existing tag again succeeds: another checkout, a revert, an up interrupted after its push", async () => {
            const { deployments: [first, again], registry } = await rebuildRuns;
            const tag = String(input(first, T.image).imageName);
            assert.equal(input(again, T.image).imageName, tag);
            assert.deepEqual([...(registry.pushedTags.values())].map((tags) => tags.size), [1]);
        });

        test("the fake ECR refuses that push to an IMMUTABLE repository, as ECR does even for an identical image", () => {
            const { fake, provider } = fakeAwsWithProvider();
            const repository = fake.newResource(T.repository, "app-repository", { imageTagMutability: "IMMUTABLE" }, provider);
            const image = { imageName: `${String(repository.repositoryUrl)}:src-0123456789abcdef`, build: { context: "../app-image", dockerfile: "../app-image/Dockerfile", platform: "linux/amd64" } };
            fake.newResource(T.image, "app-image", image);
            assert.throws(() => fake.newResource(T.image, "app-image", image), /ImageTagAlreadyExistsException: The image tag 'src-0123456789abcdef' already exists/);
        });

        test("the same checkout at two paths gives the image identical inputs", async () => {
            const copy = fs.mkdtempSync(path.join(os.tmpdir(), "checkout-"));
            // Without build output (bin/, obj/: ignored by git, so no checkout has it), which is most of app-image/ once built.
            fs.cpSync(path.join(repoRoot, "app-image"), path.join(copy, "app-image"),
                { recursive: true, filter: (source) => !/[/\\](bin|obj)$/.test(source) });
            try {
                assert.equal(contextTag(path.join(copy, "app-image")), contextTag(path.join(repoRoot, "app-image")));
                // The rest of the inputs name paths relative to the program's folder: no checkout path.
                assert.doesNotMatch(JSON.stringify(input(stack, T.image)), new RegExp(repoRoot.replace(/[/\\]/g, ".")));
            } finally {
                fs.rmSync(copy, { recursive: true });
            }
        });
    });

    describe("3. network", () => {
        test("the ASG and the ALB use exactly the default subnets of the configured AZs", () => {
            const subnets = input(stack, T.asg).vpcZoneIdentifiers as string[];
            assert.equal(subnets.length, 2);
            assert.deepEqual(input(stack, T.alb).subnets, subnets);
            assert.ok(subnets.every((id) => /^subnet-0000[0-9a-f]{13}$/.test(id)));
        });

        const threeAzsRun = deployed({ availabilityZones: JSON.stringify(["us-east-1a", "us-east-1b", "us-east-1c"]) });
        test("three AZs give three subnets and three hosts", async () => {
            const threeAzs = await threeAzsRun;
            assert.equal((input(threeAzs, T.asg).vpcZoneIdentifiers as string[]).length, 3);
            assert.equal(input(threeAzs, T.asg).minSize, 3);
        });

        const irelandRun = deployed({ "aws:region": "eu-west-1", availabilityZones: JSON.stringify(["eu-west-1a", "eu-west-1c"]) });
        test("another region's AZs work offline too", async () => {
            const ireland = await irelandRun;
            assert.equal(ireland.outputs.region, "eu-west-1");
            assert.match(String(input(ireland, T.taskDefinition).containerDefinitions), /"awslogs-region":"eu-west-1"/);
        });
    });

    describe("4. security groups", () => {
        const rules = (type: string, groupName: string) =>
            all(stack, type).filter((rule) => rule.inputs.securityGroupId === groupId(stack, groupName)).map((rule) => rule.inputs);

        test("the ALB accepts only the listener port, from anywhere", () => {
            assert.deepEqual(rules(T.ingress, "alb-security-group").map(({ ipProtocol, fromPort, toPort, cidrIpv4 }) =>
                ({ ipProtocol, fromPort, toPort, cidrIpv4 })), [{ ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" }]);
        });

        test("hosts accept only the ALB's security group, on the whole dynamic port range", () => {
            const [rule, ...others] = rules(T.ingress, "host-security-group");
            assert.deepEqual(others, []);
            assert.equal(rule.referencedSecurityGroupId, groupId(stack, "alb-security-group"));
            assert.equal(rule.cidrIpv4, undefined);
            assert.deepEqual([rule.fromPort, rule.toPort], [32768, 65535]);
        });

        test("the ALB may send only to the hosts' dynamic ports", () => {
            const [rule, ...others] = rules(T.egress, "alb-security-group");
            assert.deepEqual(others, []);
            assert.equal(rule.referencedSecurityGroupId, groupId(stack, "host-security-group"));
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
        const insightsOffRun = deployed({ containerInsights: "false" });
        test("the cluster has Container Insights on, and off by config", async () => {
            assert.deepEqual(input(stack, T.cluster).settings, [{ name: "containerInsights", value: "enabled" }]);
            assert.deepEqual(input(await insightsOffRun, T.cluster).settings, [{ name: "containerInsights", value: "disabled" }]);
        });

        test("the instance role is trusted by EC2 and has the ECS and SSM managed policies", () => {
            const role = one(stack, T.role, "host-instance-role");
            assert.deepEqual(policyOf(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "ec2.amazonaws.com" });
            assert.deepEqual(all(stack, T.attachment).map((a) => a.inputs.policyArn).sort(), [
                "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
                "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
            ]);
            assert.equal(input(stack, T.instanceProfile).role, role.state.name);
        });

        test("the launch template: ECS-optimized AL2023 AMI via SSM, IMDSv2 with hop limit 1, encrypted root, no key", () => {
            const template = input(stack, T.launchTemplate);
            assert.equal(template.imageId, "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
            assert.equal(template.instanceType, "t3.small");
            assert.deepEqual(template.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
            const [rootVolume] = template.blockDeviceMappings as { deviceName: string; ebs: Json }[];
            assert.equal(rootVolume.deviceName, "/dev/xvda");
            assert.equal(rootVolume.ebs.encrypted, "true");
            assert.equal(template.keyName, undefined);
            assert.deepEqual(template.iamInstanceProfile, { arn: state(stack, T.instanceProfile).arn });
            assert.deepEqual(template.vpcSecurityGroupIds, [groupId(stack, "host-security-group")]);
            assert.deepEqual([...one(stack, T.launchTemplate).explicitDependsOn].sort(), ["host-instance-role-ecs", "host-instance-role-ssm"]);
        });

        test("user data joins the cluster, turns on the metadata file and pins the port range the SG opens", () => {
            const userData = Buffer.from(String(input(stack, T.launchTemplate).userData), "base64").toString();
            assert.equal(userData, hostUserData(String(state(stack, T.cluster).name)));
            assert.match(userData, /^ECS_CLUSTER=ecs-on-ec2-dev$/m);
            assert.match(userData, /^ECS_ENABLE_CONTAINER_METADATA=true$/m);
            assert.match(userData, new RegExp(`^ECS_DYNAMIC_HOST_PORT_RANGE=${dynamicHostPorts.from}-${dynamicHostPorts.to}$`, "m"));
        });

        test("the ASG: one host per AZ at least, tagged for ECS, group metrics on, never stuck on destroy", () => {
            const asg = input(stack, T.asg);
            assert.deepEqual([asg.minSize, asg.maxSize], [2, 4]);
            assert.equal(asg.desiredCapacity, undefined, "managed scaling owns the desired capacity");
            assert.deepEqual(asg.launchTemplate, { id: state(stack, T.launchTemplate).id, version: "1" });
            assert.equal(asg.forceDelete, true);
            assert.equal(asg.protectFromScaleIn, false);
            assert.ok((asg.enabledMetrics as string[]).includes("GroupInServiceInstances"));
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
        test("bridge mode, EC2, with its own execution and task roles, after the execution policy", () => {
            const taskDefinition = input(stack, T.taskDefinition);
            assert.equal(taskDefinition.networkMode, "bridge");
            assert.deepEqual(taskDefinition.requiresCompatibilities, ["EC2"]);
            assert.notEqual(taskDefinition.executionRoleArn, taskDefinition.taskRoleArn);
            assert.deepEqual(one(stack, T.taskDefinition).explicitDependsOn, ["app-task-execution-policy"]);
        });

        test("one essential container: 8080 on a dynamic host port, 128 MiB hard limit, configured CPU", () => {
            const [container, ...others] = containerOf(stack);
            assert.deepEqual(others, []);
            assert.equal(container.essential, true);
            assert.deepEqual(container.portMappings, [{ containerPort: 8080, hostPort: 0, protocol: "tcp" }]);
            assert.deepEqual([container.memory, container.cpu], [128, 128]);
        });

        test("not root, read-only root file system, drains before SIGKILL", () => {
            const [container] = containerOf(stack);
            assert.equal(container.readonlyRootFilesystem, true);
            assert.match(String(container.user), /^[1-9]\d*(:\d+)?$/, "a numeric non-root uid");
            const environment = Object.fromEntries((container.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));
            assert.ok(Number(environment.SHUTDOWN_TIMEOUT_SECONDS) < Number(container.stopTimeout));
            assert.deepEqual([environment.HEALTH_CHECK_PATH, environment.ASPNETCORE_HTTP_PORTS], ["/health", "8080"]);
        });

        test("ECS checks the container itself with the app's own binary, in exec form (the image has no shell)", () => {
            const [container] = containerOf(stack);
            assert.deepEqual(container.healthCheck, {
                command: ["CMD", "/app/EcsApp", "--health-check"], interval: 10, timeout: 3, retries: 3, startPeriod: 15,
            });
        });

        test("logs to the service's log group, which keeps them for the configured days", () => {
            const [container] = containerOf(stack);
            const logGroup = one(stack, T.logGroup, "app-logs");
            assert.deepEqual(container.logConfiguration, {
                logDriver: "awslogs",
                options: { "awslogs-group": logGroup.state.name, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app" },
            });
            assert.equal(logGroup.inputs.retentionInDays, 14);
        });

        test("the container definition is in its canonical form: nothing ECS drops or rewrites, so a second up creates no revision", () => {
            const [container] = containerOf(stack);
            assert.deepEqual(Object.keys(container).sort(), [
                "cpu", "environment", "essential", "healthCheck", "image", "logConfiguration", "memory", "name",
                "portMappings", "readonlyRootFilesystem", "stopTimeout", "user",
            ]);
            const names = (container.environment as { name: string }[]).map((e) => e.name);
            assert.deepEqual(names, [...names].sort());
            assert.equal((container.logConfiguration as Json).secretOptions, undefined);
        });

        test("the execution role may only pull its own repository's images and write its own log group", () => {
            const statements = policyOf(input(stack, T.rolePolicy, "app-task-execution-policy").policy).Statement;
            assert.deepEqual(statements.map((s) => [s.Action, s.Resource]), [
                [["ecr:GetAuthorizationToken"], "*"],
                [["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], state(stack, T.repository).arn],
                [["logs:CreateLogStream", "logs:PutLogEvents"], `${one(stack, T.logGroup, "app-logs").state.arn}:*`],
            ]);
            const role = one(stack, T.role, "app-task-execution-role");
            assert.deepEqual(policyOf(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "ecs-tasks.amazonaws.com" });
        });
    });

    describe("7. load balancer", () => {
        test("an internet-facing IPv4 ALB that drops invalid header fields and allows zonal shift", () => {
            const alb = input(stack, T.alb);
            assert.equal(alb.loadBalancerType, "application");
            assert.equal(alb.internal, false);
            assert.equal(alb.ipAddressType, "ipv4");
            assert.equal(alb.dropInvalidHeaderFields, true);
            assert.equal(alb.enableZonalShift, true);
            assert.deepEqual(alb.securityGroups, [groupId(stack, "alb-security-group")]);
        });

        test("the target group marks a task unhealthy, or healthy, in about 10 s", () => {
            const targetGroup = input(stack, T.targetGroup);
            assert.equal(targetGroup.targetType, "instance");
            assert.equal(targetGroup.protocol, "HTTP");
            assert.ok(Number(targetGroup.deregistrationDelay) <= 30);
            const healthCheck = targetGroup.healthCheck as Record<string, number | string>;
            assert.equal(healthCheck.path, "/health");
            assert.equal(healthCheck.port, "traffic-port");
            assert.equal(Number(healthCheck.interval) * Number(healthCheck.healthyThreshold), 10);
            assert.equal(Number(healthCheck.interval) * Number(healthCheck.unhealthyThreshold), 10);
            assert.ok(Number(healthCheck.timeout) < Number(healthCheck.interval));
        });

        test("the HTTP:80 listener's default action forwards to the default service's target group: no rule", () => {
            const listener = input(stack, T.listener);
            assert.equal(listener.loadBalancerArn, state(stack, T.alb).arn);
            assert.deepEqual([listener.port, listener.protocol], [80, "HTTP"]);
            assert.deepEqual(listener.defaultActions, [{ type: "forward", targetGroupArn: state(stack, T.targetGroup).arn }]);
            assert.deepEqual(all(stack, T.listenerRule), []);
        });

        const healthPathRun = deployed(services({ app: { healthCheckPath: "/healthz" } }));
        test("a custom health path reaches the target group and the container", async () => {
            const custom = await healthPathRun;
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
            assert.deepEqual(service.capacityProviderStrategies, [{ capacityProvider: state(stack, T.capacityProvider).name, weight: 1, base: 0 }]);
        });

        test("spreads over AZs first, then over hosts, and rebalances AZs after one recovers", () => {
            const service = input(stack, T.service);
            assert.deepEqual(service.orderedPlacementStrategies, [
                { type: "spread", field: "attribute:ecs.availability-zone" },
                { type: "spread", field: "instanceId" },
            ]);
            assert.equal(service.availabilityZoneRebalancing, "ENABLED");
        });

        test("registers the container's port in its target group, after the listener that forwards to it, the capacity providers and the security-group rules", () => {
            const [registration] = input(stack, T.service).loadBalancers as Json[];
            assert.deepEqual(registration, { targetGroupArn: state(stack, T.targetGroup).arn, containerName: "app", containerPort: 8080 });
            assert.deepEqual([...one(stack, T.service).explicitDependsOn].sort(), ["alb-from-internet-80", "alb-to-hosts-egress",
                "alb-to-hosts-ingress", "cluster-capacity-providers", "hosts-to-aws-apis", "http-listener"]);
        });

        test("deploys without dropping capacity, rolls back on failed health checks or on its alarms, and waits for steady state", () => {
            const service = input(stack, T.service);
            assert.equal(service.deploymentMinimumHealthyPercent, 100);
            assert.equal(service.deploymentMaximumPercent, 200);
            assert.deepEqual(service.deploymentCircuitBreaker, { enable: true, rollback: true });
            const alarms = service.alarms as { alarmNames: string[] };
            assert.deepEqual({ ...alarms, alarmNames: [...alarms.alarmNames].sort() },
                { alarmNames: all(stack, T.alarm).map((a) => String(a.state.name)).sort(), enable: true, rollback: true });
            assert.equal(service.waitForSteadyState, true);
            assert.ok(Number(service.healthCheckGracePeriodSeconds) > 0);
        });

        const threeTasksRun = deployed(services({ app: { desiredCount: 3, azLossFloor: 1 } }));
        test("the desired count follows config at creation, and autoscaling owns it afterwards", async () => {
            const three = await threeTasksRun;
            assert.equal(input(three, T.service).desiredCount, 3);
            assert.equal(input(three, T.scalableTarget).minCapacity, 3);
            assert.deepEqual(one(three, T.service).ignoreChanges, ["desiredCount"]);
        });
    });

    describe("9. deployment alarms", () => {
        test("the 5xx rate is a share of the target group's requests, so it means the same at any traffic", () => {
            const alarm = input(stack, T.alarm, "app-5xx-rate");
            const queries = alarm.metricQueries as Json[];
            const dimensions = { TargetGroup: state(stack, T.targetGroup).arnSuffix, LoadBalancer: state(stack, T.alb).arnSuffix };
            assert.deepEqual(queries.filter((q) => q.metric).map((q) => [q.id, (q.metric as Json).metricName, (q.metric as Json).dimensions]), [
                ["errors", "HTTPCode_Target_5XX_Count", dimensions],
                ["requests", "RequestCount", dimensions],
            ]);
            const [rate] = queries.filter((q) => q.returnData);
            assert.equal(rate.expression, "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)");
            assert.deepEqual([alarm.comparisonOperator, alarm.threshold, alarm.evaluationPeriods, alarm.treatMissingData],
                ["GreaterThanThreshold", 5, 3, "notBreaching"]);
        });

        test("the unhealthy-target count watches the service's own target group", () => {
            const alarm = input(stack, T.alarm, "app-unhealthy-targets");
            assert.equal(alarm.metricName, "UnHealthyHostCount");
            assert.deepEqual(alarm.dimensions, { TargetGroup: state(stack, T.targetGroup).arnSuffix, LoadBalancer: state(stack, T.alb).arnSuffix });
            assert.deepEqual([alarm.comparisonOperator, alarm.threshold], ["GreaterThanOrEqualToThreshold", 1]);
        });

        test("the target connection errors see the ALB's own 502/503/504 for this service's targets, per target group", () => {
            const alarm = input(stack, T.alarm, "app-target-connection-errors");
            assert.deepEqual({ ...alarm, alarmActions: undefined, okActions: undefined }, {
                alarmDescription: "The ALB failed to connect to the service's targets (it answers those requests 502/503/504 itself)",
                namespace: "AWS/ApplicationELB",
                metricName: "TargetConnectionErrorCount",
                dimensions: { TargetGroup: state(stack, T.targetGroup).arnSuffix, LoadBalancer: state(stack, T.alb).arnSuffix },
                statistic: "Sum",
                period: 60,
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                treatMissingData: "notBreaching",
                alarmActions: undefined,
                okActions: undefined,
                tags: { service: "app" },
            });
            // The ECS service rolls back on it, like on the other two.
            const service = input(stack, T.service);
            assert.ok((service.alarms as { alarmNames: string[] }).alarmNames.includes(String(state(stack, T.alarm, "app-target-connection-errors").name)));
            assert.deepEqual(service.alarms, {
                alarmNames: ["app-5xx-rate", "app-unhealthy-targets", "app-target-connection-errors"].map((name) => state(stack, T.alarm, name).name),
                enable: true, rollback: true,
            });
        });

        const mailedRun = deployed({ alarmEmail: "ops@example.com" });
        test("all three notify the alarm topic; an email subscription only when an address is configured", async () => {
            const topicArn = state(stack, T.topic).arn;
            for (const alarm of all(stack, T.alarm)) {
                assert.deepEqual([alarm.inputs.alarmActions, alarm.inputs.okActions], [[topicArn], [topicArn]]);
            }
            assert.deepEqual(all(stack, T.subscription), []);
            const mailed = await mailedRun;
            assert.deepEqual([input(mailed, T.subscription).protocol, input(mailed, T.subscription).endpoint], ["email", "ops@example.com"]);
        });

        const customAlarmsRun = deployed(services({ app: { alarms: { serverErrorPercent: 2, unhealthyTargets: 2, evaluationPeriods: 5 } } }));
        test("thresholds and evaluation periods follow config", async () => {
            const custom = await customAlarmsRun;
            assert.deepEqual([input(custom, T.alarm, "app-5xx-rate").threshold, input(custom, T.alarm, "app-5xx-rate").datapointsToAlarm], [2, 5]);
            assert.equal(input(custom, T.alarm, "app-unhealthy-targets").threshold, 2);
            assert.deepEqual([input(custom, T.alarm, "app-target-connection-errors").evaluationPeriods,
                input(custom, T.alarm, "app-target-connection-errors").datapointsToAlarm], [5, 5]);
        });
    });

    describe("10. service autoscaling", () => {
        test("scales the service's desired count between desiredCount and the configured maximum", () => {
            const target = input(stack, T.scalableTarget);
            assert.equal(target.serviceNamespace, "ecs");
            assert.equal(target.scalableDimension, "ecs:service:DesiredCount");
            assert.equal(target.resourceId, `service/ecs-on-ec2-dev/${state(stack, T.service).name}`);
            assert.deepEqual([target.minCapacity, target.maxCapacity], [5, 10]);
        });

        test("tracks ALB requests per target and CPU, scaling in more slowly than out", () => {
            const tracking = (name: string) => input(stack, T.scalingPolicy, name).targetTrackingScalingPolicyConfiguration as Json;
            const requests = tracking("app-service-requests-per-target");
            const cpu = tracking("app-service-cpu");
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

        const customScalingRun = deployed(services({ app: { maxCount: 20, autoscaling: { requestsPerTarget: 500, cpuUtilization: 75 } } }));
        test("the maximum and the targets follow config", async () => {
            const custom = await customScalingRun;
            const targetValue = (name: string) => (input(custom, T.scalingPolicy, name).targetTrackingScalingPolicyConfiguration as Json).targetValue;
            assert.equal(input(custom, T.scalableTarget).maxCapacity, 20);
            assert.deepEqual([targetValue("app-service-requests-per-target"), targetValue("app-service-cpu")], [500, 75]);
        });
    });

    describe("11. dashboard and outputs", () => {
        test("the dashboard graphs this stack's ALB, target groups, services, cluster and hosts", () => {
            const body = JSON.stringify(input(stack, T.dashboard).dashboardBody);
            for (const reference of [state(stack, T.alb).arnSuffix, state(stack, T.targetGroup).arnSuffix, state(stack, T.service).name,
                "ecs-on-ec2-dev", state(stack, T.asg).name]) {
                assert.ok(body.includes(String(reference)), `the dashboard refers to ${String(reference)}`);
            }
            const titles = (JSON.parse(String(input(stack, T.dashboard).dashboardBody)) as { widgets: { properties: { title: string } }[] })
                .widgets.map((w) => w.properties.title);
            assert.deepEqual(titles, ["Requests", "Target 5xx answers", "Target response time p50 and p99 (s)", "Healthy targets per AZ",
                "Running tasks per service", "Cluster CPU and memory: reserved and used (%)", "Hosts in service"]);
        });

        test("URL, region, AZs, cluster, ASG, hosts' security group, dashboard, alarm topic, and per service what smoke and status read", () => {
            const alb = state(stack, T.alb);
            assert.deepEqual(stack.outputs, {
                url: `http://${alb.dnsName}`,
                region: "us-east-1",
                availabilityZones: ["us-east-1a", "us-east-1b"],
                clusterName: "ecs-on-ec2-dev",
                autoScalingGroupName: state(stack, T.asg).name,
                hostSecurityGroupId: state(stack, T.securityGroup, "host-security-group").id,
                dashboardUrl: "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/ecs-on-ec2-dev",
                alarmTopicArn: state(stack, T.topic).arn,
                services: {
                    app: {
                        type: "web",
                        url: `http://${alb.dnsName}/`,
                        desiredCount: 5,
                        serviceName: state(stack, T.service).name,
                        clusterName: "ecs-on-ec2-dev",
                        targetGroupArn: state(stack, T.targetGroup).arn,
                        alarmNames: ["app-5xx-rate", "app-unhealthy-targets", "app-target-connection-errors"].map((name) => state(stack, T.alarm, name).name),
                        logGroupName: "/ecs/ecs-on-ec2-dev/app",
                        repositoryUrl: state(stack, T.repository).repositoryUrl,
                        imageRef: state(stack, T.image).repoDigest,
                        appImage: true,
                    },
                },
            });
        });
    });

    test("every resource belongs to the stack component, through one component per AWS concept", () => {
        const topLevel = stack.resources.filter((r) => r.parent === undefined);
        // The stack's AWS provider sits beside it, as its children's and the AZ checks' provider.
        assert.deepEqual(topLevel.map((r) => `${r.type} ${r.name}`), [`${awsProviderType} aws`, "ecs-on-ec2:index:EcsOnEc2Stack ecs-on-ec2"]);
        const root = topLevel[1];
        const components = stack.resources.filter((r) => r.type.startsWith("ecs-on-ec2:") && r !== root).map((r) => `${r.type.split(":")[2]} ${r.name}`);
        assert.deepEqual(components.sort(), ["AlarmTopic alarms", "Dashboard dashboard", "EcsCluster cluster", "ImageRepository app",
            "LoadBalancer load-balancer", "Network network", "WebService app"]);
    });

    const httpsRun = deployed({ domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" });
    test("a stack deployed before the components existed keeps every resource: each old URN is a new URN or an alias", async () => {
        const https = await httpsRun;
        const known = new Set([...stack.resources, ...https.resources].flatMap((r) => [r.urn, ...r.aliases]));
        const before = fs.readFileSync(path.join(__dirname, "fixtures", "urns-before-components.txt"), "utf8").trim().split("\n");
        assert.equal(before.length, 43);
        assert.deepEqual(before.filter((urn) => !known.has(urn)), []);
    });
});

describe("several services on one cluster and one ALB", () => {
    let two: Deployment;
    const twoServicesRun = deployed(services({ app: {}, orders: { pathPatterns: ["/orders/*"], desiredCount: 2, azLossFloor: 1, environment: { MODE: "orders" } } }));
    before(async () => { two = await twoServicesRun; });

    test("each service has its own repository, image, task definition, target group, service, alarms and scaling", () => {
        // Rules: orders only, app being the default route (below).
        for (const type of [T.repository, T.image, T.taskDefinition, T.targetGroup, T.service, T.scalableTarget, T.logGroup]) {
            const names = all(two, type).map((r) => r.name).filter((n) => n !== "container-insights-logs").sort();
            assert.equal(names.length, 2, type);
            assert.ok(names[0].startsWith("app-") && names[1].startsWith("orders-"), `${type}: ${names.join(", ")}`);
        }
        assert.equal(all(two, T.alarm).length, 6);
        assert.equal(all(two, T.scalingPolicy).length, 4);
    });

    test("they share one cluster, one ASG, one ALB and its listener, and the hosts' group opens only the dynamic ports to the ALB", () => {
        for (const type of [T.cluster, T.asg, T.alb, T.listener, T.capacityProvider]) {
            assert.equal(all(two, type).length, 1, type);
        }
        const hostRules = all(two, T.ingress).filter((r) => r.inputs.securityGroupId === groupId(two, "host-security-group"));
        assert.deepEqual(hostRules.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId]),
            [[32768, 65535, groupId(two, "alb-security-group")]]);
    });

    test("routes: the orders rule matches its paths at a priority from its name; the listener's default action serves the default service", () => {
        const rule = input(two, T.listenerRule, "orders-route");
        assert.deepEqual(rule.conditions, [{ pathPattern: { values: ["/orders/*"] } }]);
        assert.equal(rule.priority, rulePriority("orders"));
        assert.deepEqual(all(two, T.listenerRule).map((r) => r.name), ["orders-route"]);
        assert.equal(rule.listenerArn, state(two, T.listener).arn);
        assert.deepEqual(input(two, T.listener).defaultActions, [{ type: "forward", targetGroupArn: state(two, T.targetGroup, "app-tg").arn }]);
        const outputs = two.outputs.services as Record<string, Json>;
        assert.match(String(outputs.orders.url), /^http:\/\/.*\/orders\/$/);
        assert.equal(outputs.orders.desiredCount, 2);
    });

    test("each task has its own family, container, environment and log group; each execution role only its own repository", () => {
        const [orders] = containerOf(two, "orders-task-definition");
        assert.equal(orders.name, "orders");
        assert.ok((orders.environment as Json[]).some((e) => e.name === "MODE" && e.value === "orders"));
        assert.equal(input(two, T.taskDefinition, "orders-task-definition").family, "ecs-on-ec2-dev-orders");
        const statements = policyOf(input(two, T.rolePolicy, "orders-task-execution-policy").policy).Statement;
        assert.equal(statements[1].Resource, state(two, T.repository, "orders-repository").arn);
        assert.equal(statements[2].Resource, `${state(two, T.logGroup, "orders-logs").arn}:*`);
    });

    const twoServicesHttpsRun = deployed({
        domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ",
        ...services({ app: {}, orders: { pathPatterns: ["/orders/*"], desiredCount: 2, azLossFloor: 1 } }),
    });
    test("with HTTPS the rules and the default route sit on the HTTPS listener, and HTTP only redirects", async () => {
        const https = await twoServicesHttpsRun;
        const listeners = all(https, T.listener);
        const httpsListener = listeners.find((l) => l.inputs.port === 443);
        assert.ok(httpsListener);
        assert.deepEqual(all(https, T.listenerRule).map((r) => r.name), ["orders-route"]);
        for (const rule of all(https, T.listenerRule)) {
            assert.equal(rule.inputs.listenerArn, httpsListener.state.arn, rule.name);
        }
        assert.deepEqual(httpsListener.inputs.defaultActions, [{ type: "forward", targetGroupArn: state(https, T.targetGroup, "app-tg").arn }]);
        const http = listeners.find((l) => l.inputs.port === 80);
        assert.deepEqual((http?.inputs.defaultActions as Json[])[0].type, "redirect");
        // The default service's ECS service waits for both listeners; orders' for its rule too.
        assert.deepEqual(one(https, T.service, "app-service").explicitDependsOn.filter((n) => /listener|route/.test(n)).sort(),
            ["http-listener", "https-listener"]);
        assert.deepEqual(one(https, T.service, "orders-service").explicitDependsOn.filter((n) => /listener|route/.test(n)).sort(),
            ["http-listener", "https-listener", "orders-route"]);
    });
});

describe("changing the default route moves no rule's priority", () => {
    // Two successive configs: app the default route, then api the default route and app under /app/*.
    // Three services, each small enough that all fit the hosts.
    const small = { desiredCount: 1, maxCount: 2, azLossFloor: 0 };
    const appDefaultRun = deployed(services({ app: small, api: { ...small, pathPatterns: ["/api/*"] }, orders: { ...small, pathPatterns: ["/orders/*"] } }));
    const apiDefaultRun = deployed(services({ app: { ...small, pathPatterns: ["/app/*"] }, api: small, orders: { ...small, pathPatterns: ["/orders/*"] } }));
    const noDefaultRun = deployed(services({ app: { pathPatterns: ["/app/*"] }, orders: { pathPatterns: ["/orders/*"] } }));
    const prioritiesOf = (run: Deployment) => new Map(all(run, T.listenerRule).map((r) => [r.name, Number(r.inputs.priority)]));

    test("every rule's priority is its own service name's, whoever is the default route", async () => {
        for (const run of [await appDefaultRun, await apiDefaultRun, await noDefaultRun]) {
            for (const [name, priority] of prioritiesOf(run)) {
                assert.equal(priority, rulePriority(name.replace(/-route$/, "")), name);
            }
        }
        assert.deepEqual([...prioritiesOf(await appDefaultRun).keys()].sort(), ["api-route", "orders-route"]);
        assert.deepEqual([...prioritiesOf(await apiDefaultRun).keys()].sort(), ["app-route", "orders-route"]);
    });

    test("from one run to the next, no rule changes its priority, and none takes a priority another rule held", async () => {
        const before = prioritiesOf(await appDefaultRun);
        const after = prioritiesOf(await apiDefaultRun);
        for (const [name, priority] of after) {
            // A rule that stays keeps its priority (no SetRulePriorities); a new one takes none that another rule
            // held, which the up deletes only at its end (no PriorityInUse on CreateRule).
            if (before.has(name)) {
                assert.equal(priority, before.get(name), name);
            }
            const holders = [...before].filter(([other, held]) => other !== name && held === priority).map(([other]) => other);
            assert.deepEqual(holders, [], `${name} takes ${priority}, which ${holders.join(", ")} held`);
        }
    });

    test("the serving listener's default action forwards to the default route's target group", async () => {
        const appDefault = await appDefaultRun;
        const apiDefault = await apiDefaultRun;
        assert.deepEqual(input(appDefault, T.listener).defaultActions, [{ type: "forward", targetGroupArn: state(appDefault, T.targetGroup, "app-tg").arn }]);
        assert.deepEqual(input(apiDefault, T.listener).defaultActions, [{ type: "forward", targetGroupArn: state(apiDefault, T.targetGroup, "api-tg").arn }]);
        // The default route's service waits for the listener; a routed one for its rule and the listener.
        assert.deepEqual(one(apiDefault, T.service, "api-service").explicitDependsOn.filter((n) => /listener|route/.test(n)), ["http-listener"]);
        assert.deepEqual(one(apiDefault, T.service, "app-service").explicitDependsOn.filter((n) => /listener|route/.test(n)).sort(),
            ["app-route", "http-listener"]);
    });

    test("with no default route the listener answers 404", async () => {
        const none = await noDefaultRun;
        const [action] = input(none, T.listener).defaultActions as Json[];
        assert.equal(action.type, "fixed-response");
        assert.equal((action.fixedResponse as Json).statusCode, "404");
        assert.deepEqual([...prioritiesOf(none).keys()].sort(), ["app-route", "orders-route"]);
    });
});

test("the security groups' descriptions are pinned: EC2 cannot change one in place, so an edit replaces the group under running hosts", async () => {
    const run = await deployed();
    const descriptions = Object.fromEntries(all(run, T.securityGroup).map((group) => [group.name, group.inputs.description]));
    assert.deepEqual(descriptions, {
        "alb-security-group": "ALB: listener ports from the internet, out to the ECS hosts dynamic ports only",
        "host-security-group": "ECS hosts: dynamic host ports from the ALB only, HTTPS out to AWS APIs",
    });
});
