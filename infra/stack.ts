import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { albAccessLogsBucket } from "./albAccessLogs";
import { checkCapacity } from "./capacity";
import { listenerCertificateArn } from "./certificate";
import { StackConfig } from "./config";
import { appContainerDefinitions } from "./containerDefinition";
import { assumeRolePolicy } from "./iam";
import { contextTag } from "./imageTag";
import { dynamicHostPorts, hostUserData } from "./hostUserData";
import { allowTcp } from "./securityGroupRules";

/** The Docker build context; resolved from this file because the CLI runs the program from infra/. */
export const appImageDir = path.resolve(__dirname, "..", "app-image");

// Platform the image is built for; the hosts are the x86_64 ECS-optimized AMI (config refuses arm64 types).
const imagePlatform = "linux/amd64";
const ecsOptimizedAmi = "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";
const containerName = "app";
// uid:gid of the non-root user the image's runtime stage runs as (the .NET chiseled images' `app`).
const containerUser = "1654:1654";
// ECS waits this long after SIGTERM before SIGKILL; the app drains within 5 s less.
const stopTimeoutSeconds = 30;
// A deploy starts all new tasks before stopping old ones, and never drops below the desired count.
const deployment = { minimumHealthyPercent: 100, maximumPercent: 200 } as const;
// TLS 1.3 and 1.2 only, an ELB.17-recommended policy.
const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The seed's ECS quick-start as code: ECR and the app image, EC2 hosts in an Auto Scaling group over
 * the configured AZs, a bridge-mode task, and a service of AZ-balanced tasks behind an internet-facing ALB.
 */
export class EcsOnEc2Stack extends pulumi.ComponentResource {
    public readonly url: pulumi.Output<string>;
    public readonly repositoryUrl: pulumi.Output<string>;
    public readonly imageRef: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    public readonly autoScalingGroupName: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, config: StackConfig, opts?: pulumi.ComponentResourceOptions) {
        // Before anything is registered: a service that cannot be placed fails here, not after the resources exist.
        const capacity = checkCapacity({
            availabilityZones: config.availabilityZones,
            instanceType: config.instanceType,
            hostsPerAz: config.hostsPerAz,
            asgMaxSize: config.asgMaxSize,
            desiredCount: config.desiredCount,
            maxDesiredCount: config.autoscalingMaxCapacity,
            taskMemoryMiB: config.containerMemory,
            taskCpuUnits: config.containerCpu,
            deploymentMaximumPercent: deployment.maximumPercent,
            hostPortRange: dynamicHostPorts,
            azLossFloor: config.azLossFloor,
        });
        if (capacity.errors.length > 0) {
            throw new CapacityError(capacity.errors);
        }
        super("ecs-on-ec2:index:EcsOnEc2Stack", name, {}, opts);
        for (const warning of capacity.warnings) {
            pulumi.log.warn(warning, this);
        }
        const parent = { parent: this };
        const stackName = `${pulumi.getProject()}-${pulumi.getStack()}`;

        // 1. ECR repository, and the app image built from app-image/ and pushed to it.
        const repository = new aws.ecr.Repository("repository", {
            imageScanningConfiguration: { scanOnPush: true },
            imageTagMutability: "IMMUTABLE",
            encryptionConfigurations: [{ encryptionType: "AES256" }],
            // Images pushed by this stack must not keep `pulumi destroy` from deleting the repository.
            forceDelete: true,
        }, parent);
        new aws.ecr.LifecyclePolicy("repository-lifecycle", {
            repository: repository.name,
            policy: JSON.stringify({
                rules: [{
                    rulePriority: 1,
                    description: "Keep the 10 most recent images",
                    selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 },
                    action: { type: "expire" },
                }],
            }),
        }, parent);
        const registryToken = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, parent);
        const image = new docker.Image("app-image", {
            build: {
                context: appImageDir,
                dockerfile: path.join(appImageDir, "Dockerfile"),
                platform: imagePlatform,
            },
            imageName: pulumi.interpolate`${repository.repositoryUrl}:${contextTag(appImageDir)}`,
            registry: {
                server: repository.repositoryUrl,
                username: registryToken.userName,
                password: pulumi.secret(registryToken.password),
            },
        }, parent);

        // 2. Network: the default VPC and its default subnet in each configured AZ.
        const vpc = aws.ec2.getVpcOutput({ default: true }, parent);
        const subnetIds = config.availabilityZones.map((availabilityZone) =>
            aws.ec2.getSubnetOutput({ vpcId: vpc.id, availabilityZone, defaultForAz: true }, parent).id);

        // 3. Security groups: internet -> ALB on the listener ports -> hosts on the dynamic ports -> AWS APIs.
        const listenerPorts = config.https ? [80, 443] : [80];
        const albSecurityGroup = new aws.ec2.SecurityGroup("alb-security-group", {
            vpcId: vpc.id,
            description: "ALB: its listener ports from the internet, out to the ECS hosts' dynamic ports only",
        }, parent);
        const hostSecurityGroup = new aws.ec2.SecurityGroup("host-security-group", {
            vpcId: vpc.id,
            description: "ECS hosts: dynamic host ports from the ALB only, HTTPS out to AWS APIs",
        }, parent);
        for (const port of listenerPorts) {
            new aws.vpc.SecurityGroupIngressRule(`alb-from-internet-${port}`, {
                securityGroupId: albSecurityGroup.id,
                description: `Listener on port ${port}, open to the internet`,
                ipProtocol: "tcp", fromPort: port, toPort: port,
                cidrIpv4: "0.0.0.0/0",
            }, parent);
        }
        allowTcp("alb-to-hosts", albSecurityGroup, hostSecurityGroup, dynamicHostPorts,
            "ALB to tasks' dynamic host ports (traffic and health checks)", this);
        new aws.vpc.SecurityGroupEgressRule("hosts-to-aws-apis", {
            securityGroupId: hostSecurityGroup.id,
            description: "HTTPS to the public endpoints of ECR, S3 (image layers), ECS, CloudWatch Logs and SSM",
            ipProtocol: "tcp", fromPort: 443, toPort: 443,
            cidrIpv4: "0.0.0.0/0",
        }, parent);

        // 4. Hosts: the cluster, its instance role, and the Auto Scaling group of ECS-optimized hosts.
        const logGroup = new aws.cloudwatch.LogGroup("app-logs", {
            name: `/ecs/${stackName}/${containerName}`,
            retentionInDays: config.logRetentionInDays,
        }, parent);
        // Container Insights writes here; owning the group gives it a retention and lets destroy remove it.
        const insightsLogGroup = new aws.cloudwatch.LogGroup("container-insights-logs", {
            name: `/aws/ecs/containerinsights/${stackName}/performance`,
            retentionInDays: config.logRetentionInDays,
        }, parent);
        const cluster = new aws.ecs.Cluster("cluster", {
            name: stackName,
            settings: [{ name: "containerInsights", value: config.containerInsights ? "enabled" : "disabled" }],
        }, { parent: this, dependsOn: [insightsLogGroup] });

        const instanceRole = new aws.iam.Role("host-instance-role", {
            description: "ECS hosts: register with the cluster, pull images, and accept SSM sessions",
            assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"),
        }, parent);
        const instanceRolePolicies = [
            ["ecs", aws.iam.ManagedPolicy.AmazonEC2ContainerServiceforEC2Role],
            ["ssm", aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore],
        ].map(([suffix, policyArn]) =>
            new aws.iam.RolePolicyAttachment(`host-instance-role-${suffix}`, { role: instanceRole.name, policyArn }, parent));
        const instanceProfile = new aws.iam.InstanceProfile("host-instance-profile", { role: instanceRole.name }, parent);

        const launchTemplate = new aws.ec2.LaunchTemplate("host-launch-template", {
            description: "ECS-optimized Amazon Linux 2023 hosts of the cluster",
            // Resolved by EC2 at launch: a new AMI release reaches new hosts without replacing running ones.
            imageId: ecsOptimizedAmi,
            instanceType: config.instanceType,
            iamInstanceProfile: { arn: instanceProfile.arn },
            vpcSecurityGroupIds: [hostSecurityGroup.id],
            // Hop limit 1: bridge-mode containers sit one hop behind the host and cannot reach the instance role.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{
                deviceName: "/dev/xvda",
                ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            }],
            userData: cluster.name.apply((clusterName) => Buffer.from(hostUserData(clusterName)).toString("base64")),
            tagSpecifications: [{ resourceType: "instance", tags: { Name: `${stackName}-ecs-host` } }],
            updateDefaultVersion: true,
        // A host that boots before its role has the ECS policy cannot join the cluster.
        }, { parent: this, dependsOn: instanceRolePolicies });

        const autoScalingGroup = new aws.autoscaling.Group("host-asg", {
            vpcZoneIdentifiers: subnetIds,
            minSize: config.hostsPerAz * config.availabilityZones.length,
            maxSize: config.asgMaxSize,
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            // A changed launch template rolls the hosts, launching each replacement before its predecessor goes.
            instanceRefresh: {
                strategy: "Rolling",
                preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
            },
            healthCheckType: "EC2",
            protectFromScaleIn: false,
            // Delete without waiting on lifecycle hooks, so `pulumi destroy` cannot hang on draining hosts.
            forceDelete: true,
            tags: [
                // ECS tags the group it manages; declaring the tag keeps `pulumi preview` free of a diff.
                { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
                { key: "Name", value: `${stackName}-ecs-host`, propagateAtLaunch: true },
            ],
        }, parent);

        const capacityProvider = new aws.ecs.CapacityProvider("capacity-provider", {
            autoScalingGroupProvider: {
                autoScalingGroupArn: autoScalingGroup.arn,
                // Target 100%: hosts grow and shrink with what the tasks reserve, no idle host kept warm.
                managedScaling: { status: "ENABLED", targetCapacity: 100 },
                managedDraining: "ENABLED",
                // On, it keeps hosts with tasks from ever scaling in, which stalls `pulumi destroy`.
                managedTerminationProtection: "DISABLED",
            },
        }, parent);
        const capacityProviderStrategies = [{ capacityProvider: capacityProvider.name, weight: 1, base: 0 }];
        const clusterCapacityProviders = new aws.ecs.ClusterCapacityProviders("cluster-capacity-providers", {
            clusterName: cluster.name,
            capacityProviders: [capacityProvider.name],
            defaultCapacityProviderStrategies: capacityProviderStrategies,
        }, parent);

        // 5. Task definition: one bridge-mode container, 8080 mapped to a dynamic host port.
        const executionRole = new aws.iam.Role("task-execution-role", {
            description: "ECS agent on behalf of the task: pull the app image and write its logs",
            assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com"),
        }, parent);
        const executionPolicy = new aws.iam.RolePolicy("task-execution-policy", {
            role: executionRole.name,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    // GetAuthorizationToken has no resource-level permissions: AWS only accepts "*" for it.
                    { Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                    {
                        Effect: "Allow",
                        Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                        Resource: repository.arn,
                    },
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: pulumi.interpolate`${logGroup.arn}:*`,
                    },
                ],
            }),
        }, parent);
        // The app calls no AWS API; its own empty role keeps it from ever borrowing another's.
        const taskRole = new aws.iam.Role("task-role", {
            description: "The app's own identity; it needs no AWS permissions",
            assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com"),
        }, parent);

        const taskDefinition = new aws.ecs.TaskDefinition("task-definition", {
            family: `${stackName}-${containerName}`,
            networkMode: "bridge",
            requiresCompatibilities: ["EC2"],
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            containerDefinitions: appContainerDefinitions({
                name: containerName,
                image: image.repoDigest,
                cpu: config.containerCpu,
                memory: config.containerMemory,
                containerPort: config.containerPort,
                stopTimeout: stopTimeoutSeconds,
                user: containerUser,
                environment: {
                    ASPNETCORE_HTTP_PORTS: String(config.containerPort),
                    HEALTH_CHECK_PATH: config.healthCheckPath,
                    SHUTDOWN_TIMEOUT_SECONDS: String(stopTimeoutSeconds - 5),
                },
                logGroupName: logGroup.name,
                region: config.region,
            }),
        // A task started before its execution role may pull fails with CannotPullContainerError.
        }, { parent: this, dependsOn: [executionPolicy] });

        // 6. Load balancer: internet-facing ALB forwarding to the tasks' target group, over HTTPS when
        // a domain is configured (HTTP then only redirects), else over HTTP.
        const accessLogs = config.albAccessLogs ? albAccessLogsBucket(config.logRetentionInDays, this) : undefined;
        const alb = new aws.lb.LoadBalancer("alb", {
            loadBalancerType: "application",
            internal: false,
            ipAddressType: "ipv4",
            subnets: subnetIds,
            securityGroups: [albSecurityGroup.id],
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "defensive",
            enableDeletionProtection: config.albDeletionProtection,
            accessLogs: accessLogs && { bucket: accessLogs.bucket.bucket, enabled: true },
        // Creating the ALB checks that it may write to the bucket, so the policy must exist first.
        }, { parent: this, dependsOn: accessLogs ? [accessLogs.policy] : [] });
        const targetGroup = new aws.lb.TargetGroup("target-group", {
            vpcId: vpc.id,
            targetType: "instance",
            protocol: "HTTP",
            // ECS registers each task with its own dynamic host port; this is only the group's default.
            port: config.containerPort,
            // Requests to the app last 10 s at most (its /delay bound); in-flight ones finish within this.
            deregistrationDelay: 15,
            healthCheck: {
                path: config.healthCheckPath,
                protocol: "HTTP",
                port: "traffic-port",
                matcher: "200",
                // Two passes 10 s apart: a new task takes traffic after about 20 s, not AWS's default 150 s.
                interval: 10,
                timeout: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 2,
            },
        }, parent);
        const forwardToTasks = { type: "forward", targetGroupArn: targetGroup.arn };
        const listeners = [new aws.lb.Listener("http-listener", {
            loadBalancerArn: alb.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [config.https
                ? { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }
                : forwardToTasks],
        }, parent)];
        if (config.https) {
            listeners.push(new aws.lb.Listener("https-listener", {
                loadBalancerArn: alb.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: tlsPolicy,
                certificateArn: listenerCertificateArn(config.https, this),
                defaultActions: [forwardToTasks],
            }, parent));
            if (config.https.hostedZoneId !== undefined) {
                new aws.route53.Record("alias-record", {
                    zoneId: config.https.hostedZoneId,
                    name: config.https.domainName,
                    type: "A",
                    aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
                }, parent);
            }
        }

        // 7. Service: the tasks, spread over AZs then hosts, registered in the listener's target group.
        const service = new aws.ecs.Service("service", {
            cluster: cluster.arn,
            taskDefinition: taskDefinition.arn,
            desiredCount: config.desiredCount,
            capacityProviderStrategies,
            // The console's "AZ balanced spread".
            orderedPlacementStrategies: [
                { type: "spread", field: "attribute:ecs.availability-zone" },
                { type: "spread", field: "instanceId" },
            ],
            loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName, containerPort: config.containerPort }],
            healthCheckGracePeriodSeconds: 60,
            deploymentMinimumHealthyPercent: deployment.minimumHealthyPercent,
            deploymentMaximumPercent: deployment.maximumPercent,
            // A deploy whose new tasks never turn healthy rolls back to the previous revision.
            deploymentCircuitBreaker: { enable: true, rollback: true },
            waitForSteadyState: true,
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
        // Autoscaling owns the running count once the service exists; config moves its floor instead.
        }, { parent: this, dependsOn: [...listeners, clusterCapacityProviders], ignoreChanges: ["desiredCount"] });

        // 8. Service autoscaling: between desiredCount and the maximum, on load per task and on CPU;
        // the capacity provider then grows or shrinks the hosts to fit the tasks.
        const scalableTarget = new aws.appautoscaling.Target("service-scalable-target", {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
            minCapacity: config.desiredCount,
            maxCapacity: config.autoscalingMaxCapacity,
        }, parent);
        type PredefinedMetric = aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification;
        const targetTracking = (name: string, predefinedMetricSpecification: PredefinedMetric, targetValue: number) =>
            new aws.appautoscaling.Policy(name, {
                policyType: "TargetTrackingScaling",
                serviceNamespace: scalableTarget.serviceNamespace,
                scalableDimension: scalableTarget.scalableDimension,
                resourceId: scalableTarget.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification,
                    targetValue,
                    // Out fast, in slowly: a brief lull must not shed tasks a returning burst needs.
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            }, parent);
        targetTracking("service-requests-per-target", {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: pulumi.interpolate`${alb.arnSuffix}/${targetGroup.arnSuffix}`,
        }, config.autoscalingRequestsPerTarget);
        targetTracking("service-cpu", { predefinedMetricType: "ECSServiceAverageCPUUtilization" }, config.autoscalingCpuUtilization);

        this.url = config.https ? pulumi.output(`https://${config.https.domainName}`) : pulumi.interpolate`http://${alb.dnsName}`;
        this.repositoryUrl = repository.repositoryUrl;
        this.imageRef = image.repoDigest;
        this.clusterName = cluster.name;
        this.serviceName = service.name;
        this.autoScalingGroupName = autoScalingGroup.name;
        this.logGroupName = logGroup.name;
        this.registerOutputs({
            url: this.url,
            repositoryUrl: this.repositoryUrl,
            imageRef: this.imageRef,
            clusterName: this.clusterName,
            serviceName: this.serviceName,
            autoScalingGroupName: this.autoScalingGroupName,
            logGroupName: this.logGroupName,
        });
    }
}

/** The config asks for more than the hosts can hold; thrown before any resource is registered. */
export class CapacityError extends pulumi.RunError {
    constructor(problems: string[]) {
        super(`The service does not fit its hosts:\n- ${problems.join("\n- ")}`);
        this.name = "CapacityError";
    }
}
