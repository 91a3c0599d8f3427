import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "./config";
import { EcsCluster } from "./components/ecsCluster";
import { dynamicHostPorts } from "./models/hostUserData";
import { Fleet } from "./models/fleet";
import { LoadBalancer } from "./components/loadBalancer";
import { AlarmTopic, Dashboard } from "./components/monitoring";
import { Network } from "./components/network";
import { WebAcl } from "./components/webAcl";
import { ServiceOutputs, WebService } from "./components/webService";
import { onServiceConnect } from "./models/serviceConnect";

/**
 * The seed's ECS quick-start as code, for any number of services: the network and its security groups,
 * a cluster of EC2 hosts in an Auto Scaling group over the configured AZs, an internet-facing ALB, and
 * per service its image, bridge-mode task, ECS service and autoscaling (a web service's target group, route and
 * alarms too), with a Service Connect namespace when services call each other.
 */
export class EcsOnEc2Stack extends pulumi.ComponentResource {
    public readonly url: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    public readonly autoScalingGroupName: pulumi.Output<string>;
    /** The hosts' security group, which every task shares in bridge mode: what a database's group admits. */
    public readonly hostSecurityGroupId: pulumi.Output<string>;
    public readonly dashboardUrl: pulumi.Output<string>;
    public readonly alarmTopicArn: pulumi.Output<string>;
    public readonly services: pulumi.Output<Record<string, ServiceOutputs>>;

    /**
     * `fleet`: the hosts and tasks the config asks for, which the program has checked fit (infra/models/fleet.ts).
     * `tags`: the stack's tags, which its AWS provider (in `opts.providers`) gives every resource that takes tags; the
     * hosts and their volumes, which the provider's default tags do not reach, get them here.
     */
    constructor(name: string, config: StackConfig, fleet: Fleet, tags: Readonly<Record<string, string>>, opts?: pulumi.ComponentResourceOptions) {
        super("ecs-on-ec2:index:EcsOnEc2Stack", name, {}, opts);
        const stackName = `${pulumi.getProject()}-${pulumi.getStack()}`;
        const serviceConnect = config.services.some(onServiceConnect);

        // 1. Network: default subnets; internet -> ALB -> hosts' dynamic ports -> AWS APIs (and hostEgress's destinations).
        const network = new Network("network", {
            availabilityZones: config.availabilityZones,
            listenerPorts: config.https ? [80, 443] : [80],
            hostPorts: dynamicHostPorts,
            hostEgress: config.hostEgress,
            serviceConnect,
        }, { parent: this });

        // 2. The cluster and the EC2 hosts every service shares.
        const cluster = new EcsCluster("cluster", {
            clusterName: stackName,
            instanceType: config.instanceType,
            subnetIds: network.subnetIds,
            hostSecurityGroupId: network.hostSecurityGroup.id,
            hostSecurityGroupRules: network.hostRules,
            minHosts: fleet.hosts.min,
            maxHosts: fleet.hosts.max,
            containerInsights: config.containerInsights,
            logRetentionInDays: config.logRetentionInDays,
            serviceConnect,
            execSessionLogging: config.services.some((service) => service.exec),
            stackTags: tags,
        }, { parent: this });

        // 3. The internet-facing ALB, with an optional web ACL in front. The default route's service, if any, is served
        // by the listener's default action: its target group comes with the service (step 4), after the listener its
        // siblings' rules hang on, so the listener takes its ARN as a deferred output.
        const defaultRoute = config.services.find((service) => service.route !== undefined && service.route.priority === undefined);
        const [defaultTargetGroupArn, resolveDefaultTargetGroupArn] = pulumi.deferredOutput<string>();
        const loadBalancer = new LoadBalancer("load-balancer", {
            region: config.region,
            subnetIds: network.subnetIds,
            securityGroupId: network.albSecurityGroup.id,
            https: config.https,
            accessLogsExpirationDays: config.albAccessLogs ? config.logRetentionInDays : undefined,
            deletionProtection: config.albDeletionProtection,
            defaultTargetGroupArn: defaultRoute && defaultTargetGroupArn,
        }, { parent: this });
        if (config.waf) {
            new WebAcl("web-acl", { loadBalancerArn: loadBalancer.alb.arn, ...config.waf }, { parent: this });
        }

        // 4. The services, each with its image, task and autoscaling; a web service with its route and alarms; a job
        // with its schedule instead of an ECS service.
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
            securityGroupRules: { host: network.hostRules, alb: network.albRules },
        }, { parent: this }));
        if (defaultRoute !== undefined) {
            const targetGroupArn = services[config.services.indexOf(defaultRoute)].targetGroupArn;
            if (targetGroupArn === undefined) {
                throw new Error(`service ${defaultRoute.name} is the default route but has no target group`);
            }
            resolveDefaultTargetGroupArn(targetGroupArn);
        }

        // 5. What an operator watches.
        const dashboard = new Dashboard("dashboard", {
            dashboardName: stackName,
            region: config.region,
            availabilityZones: config.availabilityZones,
            clusterName: cluster.cluster.name,
            autoScalingGroupName: cluster.autoScalingGroup.name,
            loadBalancerArnSuffix: loadBalancer.alb.arnSuffix,
            // The dashboard's graphs are of the ALB's targets: the web services'.
            services: services.flatMap((service, i) => service.targetGroupArnSuffix && service.serviceName ? [{
                name: config.services[i].name,
                serviceName: service.serviceName,
                targetGroupArnSuffix: service.targetGroupArnSuffix,
            }] : []),
        }, { parent: this });

        this.url = loadBalancer.url;
        this.clusterName = cluster.cluster.name;
        this.autoScalingGroupName = cluster.autoScalingGroup.name;
        this.hostSecurityGroupId = network.hostSecurityGroup.id;
        this.dashboardUrl = dashboard.url;
        this.alarmTopicArn = alarmTopic.topic.arn;
        this.services = pulumi.all(services.map((service) => service.outputs)).apply((outputs) =>
            Object.fromEntries(outputs.map((o, i) => [config.services[i].name, o])));
        this.registerOutputs({
            url: this.url,
            clusterName: this.clusterName,
            autoScalingGroupName: this.autoScalingGroupName,
            hostSecurityGroupId: this.hostSecurityGroupId,
            dashboardUrl: this.dashboardUrl,
            alarmTopicArn: this.alarmTopicArn,
            services: this.services,
        });
    }
}
