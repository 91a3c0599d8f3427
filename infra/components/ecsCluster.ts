import * as autoscaling from "@pulumi/aws/autoscaling";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import * as servicediscovery from "@pulumi/aws/servicediscovery";
import { ChildOptions, childOptionsOf } from "../aliases";
import { isBurstable } from "../models/capacity";
import { hostUserData } from "../models/hostUserData";
import { assumeRolePolicy } from "../models/iam";

// Resolved by EC2 at launch: a new AMI release reaches new hosts without replacing running ones.
const ecsOptimizedAmi = "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";
/** Size of each host's encrypted gp3 root volume. */
export const rootVolumeGiB = 30;

/**
 * The logical names of the hosts' Auto Scaling group and of the capacity provider. A changed name is a new URN, so
 * Pulumi replaces the resource, and a replaced capacity provider cannot leave the cluster while services still use it
 * (README "Replacing the Auto Scaling group or the capacity provider"): constants, never derived from config.
 */
export const hostAsgResourceName = "host-asg";
export const capacityProviderResourceName = "capacity-provider";

/**
 * The inputs of these two resources that the AWS provider marks ForceNew (terraform-provider-aws,
 * internal/service/autoscaling/group.go and internal/service/ecs/capacity_provider.go): changing one replaces the
 * resource. The stack sets none of them but the capacity provider's ASG ARN, which is this group's own: both
 * names are auto-named once at create and kept in state, so no config (instance type, AZs, sizes, services, the
 * stack's name) can reach them. Everything else the stack sets updates in place.
 */
export const forceNewInputs = {
    "aws:autoscaling/group:Group": ["name", "namePrefix", "initialLifecycleHooks"],
    "aws:ecs/capacityProvider:CapacityProvider": ["name", "cluster", "managedInstancesProvider", "autoScalingGroupProvider.autoScalingGroupArn"],
} as const;

/**
 * Refuses, at preview, args for the Auto Scaling group or the capacity provider that set a ForceNew input the stack
 * keeps unset (a name, say, that a config or the stack's name would then change): such an `up` would replace the
 * resource and fail half-way. The capacity provider's ASG ARN is checked by the caller passing the group's own.
 */
export function refuseForceNewInputs(type: keyof typeof forceNewInputs, args: object): void {
    const set = forceNewInputs[type].filter((path) => path !== "autoScalingGroupProvider.autoScalingGroupArn"
        && path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], args) !== undefined);
    if (set.length > 0) {
        throw new pulumi.RunError(`The ${type} sets ${set.join(", ")}, which the AWS provider replaces the resource on (ForceNew). `
            + "A replaced Auto Scaling group or capacity provider fails the up: leave these unset (auto-named once, kept in state), "
            + "and replace the hosts' group deliberately with the staged procedure in README \"Replacing the Auto Scaling group or the capacity provider\".");
    }
}

export interface EcsClusterArgs {
    /** The cluster's name; also names its hosts and its Container Insights log group. */
    readonly clusterName: string;
    readonly instanceType: string;
    /** Subnets the Auto Scaling group launches hosts in, one per AZ. */
    readonly subnetIds: pulumi.Input<string>[];
    readonly hostSecurityGroupId: pulumi.Input<string>;
    /**
     * The rules of the hosts' group. The ASG depends on them: the hosts boot with their egress in place, and
     * `pulumi destroy` deletes the rules only after the hosts are gone, not while their tasks still drain.
     */
    readonly hostSecurityGroupRules: readonly pulumi.Resource[];
    /** The Auto Scaling group's minimum and maximum number of hosts. */
    readonly minHosts: number;
    readonly maxHosts: number;
    /** CloudWatch Container Insights for the cluster. */
    readonly containerInsights: boolean;
    /** Days the Container Insights log group keeps its events. */
    readonly logRetentionInDays: number;
    /** Some service is on Service Connect: the cluster then gets a namespace of its own for it. */
    readonly serviceConnect: boolean;
    /** Some service has ECS Exec on: the cluster then logs its sessions to a log group of its own. */
    readonly execSessionLogging: boolean;
    /**
     * The stack's tags, for what the provider's default tags do not reach: the Auto Scaling group (which takes its tags
     * as a list) and the hosts and root volumes it launches.
     */
    readonly stackTags: Readonly<Record<string, string>>;
}

/**
 * An ECS cluster and the EC2 hosts its services share: ECS-optimized Amazon Linux 2023 in an Auto Scaling
 * group over the given subnets, joined to the cluster by a capacity provider with managed scaling.
 */
export class EcsCluster extends pulumi.ComponentResource {
    public readonly cluster: ecs.Cluster;
    public readonly autoScalingGroup: autoscaling.Group;
    /** The strategy services use to run on the cluster's hosts. */
    public readonly capacityProviderStrategies: pulumi.Output<{ capacityProvider: string; weight: number; base: number }[]>;
    /** Services wait for this: a service created before its capacity provider is attached fails to place. */
    public readonly clusterCapacityProviders: ecs.ClusterCapacityProviders;
    /** The Cloud Map namespace Service Connect names the services in; absent when no service is on Service Connect. */
    public readonly serviceConnectNamespace?: servicediscovery.HttpNamespace;
    /** Where ECS Exec sessions are logged; absent when no service has exec. */
    public readonly execLogGroup?: cloudwatch.LogGroup;

    constructor(name: string, args: EcsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs-on-ec2:index:EcsCluster", name, {}, opts);
        const child = childOptionsOf(this, name);

        // Container Insights writes here; owning the group gives it a retention and lets destroy remove it.
        const insightsLogGroup = new cloudwatch.LogGroup("container-insights-logs", {
            name: `/aws/ecs/containerinsights/${args.clusterName}/performance`,
            retentionInDays: args.logRetentionInDays,
        }, child("container-insights-logs"));
        // Service Connect uses HTTP (API-discovered) namespaces only, and the stack owns its own, named as the cluster
        // (Cloud Map allows ^(?!arn:)[!-~]{1,1024}$), so that destroy removes it and no other stack shares its names.
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterServiceConnectDefaultsRequest.html
        // https://docs.aws.amazon.com/cloud-map/latest/api/API_CreateHttpNamespace.html
        this.serviceConnectNamespace = args.serviceConnect ? new servicediscovery.HttpNamespace("service-connect-namespace", {
            name: args.clusterName,
            description: "Service Connect names of the cluster's services",
        // A new resource, so no alias to a home it never had.
        }, { parent: this }) : undefined;
        // ECS Exec sessions (each command and its output) go to a group the stack owns, with a retention, rather than
        // to the services' own groups (logging DEFAULT): an audit trail apart from the apps' logs. A service's group is
        // /ecs/<cluster>/<service>, so this one is a level deeper, where no service's can be.
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html (Logging and Auditing using ECS Exec)
        this.execLogGroup = args.execSessionLogging ? new cloudwatch.LogGroup("exec-session-logs", {
            name: `/ecs/${args.clusterName}/exec/sessions`,
            retentionInDays: args.logRetentionInDays,
        // A new resource, so no alias to a home it never had.
        }, { parent: this }) : undefined;
        this.cluster = new ecs.Cluster("cluster", {
            name: args.clusterName,
            settings: [{ name: "containerInsights", value: args.containerInsights ? "enabled" : "disabled" }],
            ...(this.serviceConnectNamespace ? { serviceConnectDefaults: { namespace: this.serviceConnectNamespace.arn } } : {}),
            // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExecuteCommandConfiguration.html
            ...(this.execLogGroup ? { configuration: { executeCommandConfiguration: {
                logging: "OVERRIDE",
                logConfiguration: { cloudWatchLogGroupName: this.execLogGroup.name },
            } } } : {}),
        }, child("cluster", { dependsOn: [insightsLogGroup] }));

        const launchTemplate = this.launchTemplate(args, child);
        // No name, namePrefix or initialLifecycleHooks: they are ForceNew (forceNewInputs above).
        const asgArgs: autoscaling.GroupArgs = {
            vpcZoneIdentifiers: args.subnetIds,
            minSize: args.minHosts,
            maxSize: args.maxHosts,
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            // A changed launch template starts a refresh (the provider does not wait for it; scripts/waitForInstanceRefresh.ts
            // does). The 100-200 % window is the whole desired capacity: one batch launches every host's replacement
            // before any old host drains and goes. README "Instance refresh" says why.
            // https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-maintenance-policy-overview-and-considerations.html
            instanceRefresh: {
                strategy: "Rolling",
                preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
            },
            healthCheckType: "EC2",
            // Group metrics for the dashboard's hosts-in-service graph; at 1-minute granularity they cost nothing.
            enabledMetrics: ["GroupDesiredCapacity", "GroupInServiceInstances"],
            metricsGranularity: "1Minute",
            protectFromScaleIn: false,
            // Delete without waiting on lifecycle hooks, so `pulumi destroy` cannot hang on draining hosts.
            forceDelete: true,
            tags: [
                // ECS tags the group it manages; declaring the tag keeps `pulumi preview` free of a diff.
                { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
                { key: "Name", value: `${args.clusterName}-ecs-host`, propagateAtLaunch: true },
                ...Object.entries(args.stackTags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
            ],
        };
        refuseForceNewInputs("aws:autoscaling/group:Group", asgArgs);
        this.autoScalingGroup = new autoscaling.Group(hostAsgResourceName, asgArgs,
            child(hostAsgResourceName, { dependsOn: [...args.hostSecurityGroupRules] }));

        // No name: auto-named once, so a config or a stack rename never replaces it. Its only ForceNew input set is the
        // group's ARN, which changes only when the group is replaced.
        const capacityProviderArgs: ecs.CapacityProviderArgs = {
            autoScalingGroupProvider: {
                autoScalingGroupArn: this.autoScalingGroup.arn,
                // Target 100%: hosts grow and shrink with what the tasks reserve, no idle host kept warm.
                managedScaling: { status: "ENABLED", targetCapacity: 100 },
                managedDraining: "ENABLED",
                // On, it keeps hosts with tasks from ever scaling in, which stalls `pulumi destroy`.
                managedTerminationProtection: "DISABLED",
            },
        };
        refuseForceNewInputs("aws:ecs/capacityProvider:CapacityProvider", capacityProviderArgs);
        const capacityProvider = new ecs.CapacityProvider(capacityProviderResourceName, capacityProviderArgs, child(capacityProviderResourceName));
        const strategies = [{ capacityProvider: capacityProvider.name, weight: 1, base: 0 }];
        this.capacityProviderStrategies = pulumi.output(strategies);
        this.clusterCapacityProviders = new ecs.ClusterCapacityProviders("cluster-capacity-providers", {
            clusterName: this.cluster.name,
            capacityProviders: [capacityProvider.name],
            defaultCapacityProviderStrategies: strategies,
        }, child("cluster-capacity-providers"));
        this.registerOutputs({ clusterName: this.cluster.name, autoScalingGroupName: this.autoScalingGroup.name });
    }

    /** The hosts' launch template, with the instance role that lets them join the cluster. */
    private launchTemplate(args: EcsClusterArgs, child: ChildOptions) {
        const instanceRole = new iam.Role("host-instance-role", {
            description: "ECS hosts: register with the cluster, pull images, and accept SSM sessions",
            assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"),
        }, child("host-instance-role"));
        const instanceRolePolicies = [
            ["ecs", iam.ManagedPolicy.AmazonEC2ContainerServiceforEC2Role],
            ["ssm", iam.ManagedPolicy.AmazonSSMManagedInstanceCore],
        ].map(([suffix, policyArn]) => new iam.RolePolicyAttachment(`host-instance-role-${suffix}`,
            { role: instanceRole.name, policyArn }, child(`host-instance-role-${suffix}`)));
        const instanceProfile = new iam.InstanceProfile("host-instance-profile", { role: instanceRole.name }, child("host-instance-profile"));

        return new ec2.LaunchTemplate("host-launch-template", {
            description: "ECS-optimized Amazon Linux 2023 hosts of the cluster",
            imageId: ecsOptimizedAmi,
            instanceType: args.instanceType,
            iamInstanceProfile: { arn: instanceProfile.arn },
            vpcSecurityGroupIds: [args.hostSecurityGroupId],
            // Hop limit 1: bridge-mode containers sit one hop behind the host and cannot reach the instance role.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{
                deviceName: "/dev/xvda",
                ebs: { volumeSize: rootVolumeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            }],
            userData: this.cluster.name.apply((clusterName) => Buffer.from(hostUserData(clusterName)).toString("base64")),
            // The group tags the hosts it launches (propagateAtLaunch), not their volumes: the template does.
            tagSpecifications: [
                { resourceType: "instance", tags: { Name: `${args.clusterName}-ecs-host` } },
                { resourceType: "volume", tags: { Name: `${args.clusterName}-ecs-host`, ...args.stackTags } },
            ],
            // T3 and T3a launch in unlimited mode unless told otherwise, which bills CPU credits spent beyond the
            // baseline; standard mode caps a host at its baseline instead, so the estimate is the bill. EC2 takes a
            // credit specification for burstable types only.
            // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/burstable-performance-instances-unlimited-mode.html
            ...(isBurstable(args.instanceType) ? { creditSpecification: { cpuCredits: "standard" } } : {}),
            updateDefaultVersion: true,
        // A host that boots before its role has the ECS policy cannot join the cluster.
        }, child("host-launch-template", { dependsOn: instanceRolePolicies }));
    }
}
