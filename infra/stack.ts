import * as pulumi from "@pulumi/pulumi";
import { FormerHome } from "./aliases";
import { CapacityReport, checkCapacity } from "./models/capacity";
import { StackConfig } from "./config";
import { EcsCluster } from "./components/ecsCluster";
import { dynamicHostPorts } from "./models/hostUserData";
import { LoadBalancer } from "./components/loadBalancer";
import { AlarmTopic, Dashboard } from "./components/monitoring";
import { Network } from "./components/network";
import { WebAcl } from "./components/webAcl";
import { deployment, WebService, WebServiceOutputs } from "./components/webService";

// The single-service stack's names for the default service's resources, before each service got its own.
const formerServiceNames: Readonly<Record<string, string>> = {
    "app-repository": "repository",
    "app-repository-lifecycle": "repository-lifecycle",
    "app-task-execution-role": "task-execution-role",
    "app-task-execution-policy": "task-execution-policy",
    "app-task-role": "task-role",
    "app-task-definition": "task-definition",
    "app-tg": "target-group",
    "app-service": "service",
    "app-service-scalable-target": "service-scalable-target",
    "app-service-requests-per-target": "service-requests-per-target",
    "app-service-cpu": "service-cpu",
};

/**
 * The seed's ECS quick-start as code, for any number of services: the network and its security groups,
 * a cluster of EC2 hosts in an Auto Scaling group over the configured AZs, an internet-facing ALB, and
 * per service its image, bridge-mode task, target group, route, ECS service, alarms and autoscaling.
 */
export class EcsOnEc2Stack extends pulumi.ComponentResource {
    public readonly url: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    public readonly autoScalingGroupName: pulumi.Output<string>;
    public readonly dashboardUrl: pulumi.Output<string>;
    public readonly alarmTopicArn: pulumi.Output<string>;
    public readonly services: pulumi.Output<Record<string, WebServiceOutputs>>;
    /** What the capacity model found, for the summary `pulumi preview` prints (infra/program.ts). */
    public readonly capacity: CapacityReport;

    constructor(name: string, config: StackConfig, opts?: pulumi.ComponentResourceOptions) {
        // Before anything is registered: services that cannot be placed fail here, not after the resources exist.
        const capacity = checkStackCapacity(config);
        if (capacity.errors.length > 0) {
            throw new CapacityError(capacity.errors);
        }
        super("ecs-on-ec2:index:EcsOnEc2Stack", name, {}, opts);
        this.capacity = capacity;
        for (const warning of capacity.warnings) {
            pulumi.log.warn(warning, this);
        }
        const formerHome: FormerHome = { parent: this };
        const stackName = `${pulumi.getProject()}-${pulumi.getStack()}`;

        // 1. Network: default subnets; internet -> ALB -> hosts' dynamic ports -> AWS APIs.
        const network = new Network("network", {
            availabilityZones: config.availabilityZones,
            listenerPorts: config.https ? [80, 443] : [80],
            hostPorts: dynamicHostPorts,
            formerHome,
        }, { parent: this });

        // 2. The cluster and the EC2 hosts every service shares.
        const cluster = new EcsCluster("cluster", {
            clusterName: stackName,
            instanceType: config.instanceType,
            subnetIds: network.subnetIds,
            hostSecurityGroupId: network.hostSecurityGroup.id,
            minHosts: config.hostsPerAz * config.availabilityZones.length,
            maxHosts: config.asgMaxSize,
            containerInsights: config.containerInsights,
            logRetentionInDays: config.logRetentionInDays,
            formerHome,
        }, { parent: this });

        // 3. The internet-facing ALB, with an optional web ACL in front.
        const loadBalancer = new LoadBalancer("load-balancer", {
            region: config.region,
            subnetIds: network.subnetIds,
            securityGroupId: network.albSecurityGroup.id,
            https: config.https,
            accessLogsExpirationDays: config.albAccessLogs ? config.logRetentionInDays : undefined,
            deletionProtection: config.albDeletionProtection,
            formerHome,
        }, { parent: this });
        if (config.waf) {
            new WebAcl("web-acl", { loadBalancerArn: loadBalancer.alb.arn, ...config.waf }, { parent: this });
        }

        // 4. The services, each with its image, task, route, alarms and autoscaling.
        const alarmTopic = new AlarmTopic("alarms", { email: config.alarmEmail }, { parent: this });
        const services = config.services.map((service) => new WebService(service.name, {
            service,
            stackName,
            region: config.region,
            cluster,
            loadBalancer,
            vpcId: network.vpcId,
            logRetentionInDays: config.logRetentionInDays,
            alarmTopicArn: alarmTopic.topic.arn,
            formerHome: service.name === "app" ? { parent: this, names: formerServiceNames } : undefined,
        }, { parent: this }));

        // 5. What an operator watches.
        const dashboard = new Dashboard("dashboard", {
            dashboardName: stackName,
            region: config.region,
            availabilityZones: config.availabilityZones,
            clusterName: cluster.cluster.name,
            autoScalingGroupName: cluster.autoScalingGroup.name,
            loadBalancerArnSuffix: loadBalancer.alb.arnSuffix,
            services: services.map((service, i) => ({
                name: config.services[i].name,
                serviceName: service.outputs.serviceName,
                targetGroupArnSuffix: service.targetGroupArnSuffix,
            })),
        }, { parent: this });

        this.url = loadBalancer.url;
        this.clusterName = cluster.cluster.name;
        this.autoScalingGroupName = cluster.autoScalingGroup.name;
        this.dashboardUrl = dashboard.url;
        this.alarmTopicArn = alarmTopic.topic.arn;
        this.services = pulumi.all(services.map((service) => service.outputs)).apply((outputs) =>
            Object.fromEntries(outputs.map((o, i) => [config.services[i].name, o])));
        this.registerOutputs({
            url: this.url,
            clusterName: this.clusterName,
            autoScalingGroupName: this.autoScalingGroupName,
            dashboardUrl: this.dashboardUrl,
            alarmTopicArn: this.alarmTopicArn,
            services: this.services,
        });
    }
}

/** The capacity model's verdict on the whole cluster: every service's tasks on the shared hosts. */
export function checkStackCapacity(config: StackConfig): CapacityReport {
    return checkCapacity({
        availabilityZones: config.availabilityZones,
        instanceType: config.instanceType,
        hostsPerAz: config.hostsPerAz,
        asgMaxSize: config.asgMaxSize,
        hostPortRange: dynamicHostPorts,
        services: config.services.map((service) => ({
            name: service.name,
            desiredCount: service.desiredCount,
            maxDesiredCount: service.maxCount,
            taskMemoryMiB: service.memory,
            taskCpuUnits: service.cpu,
            deploymentMaximumPercent: deployment.maximumPercent,
            azLossFloor: service.azLossFloor,
        })),
    });
}

/** The config asks for more than the hosts can hold; thrown before any resource is registered. */
export class CapacityError extends pulumi.RunError {
    constructor(problems: string[]) {
        super(`The services do not fit their hosts:\n- ${problems.join("\n- ")}`);
        this.name = "CapacityError";
    }
}
