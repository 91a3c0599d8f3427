import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";

export interface MonitoredService {
    readonly name: string;
    readonly serviceName: pulumi.Input<string>;
    readonly targetGroupArnSuffix: pulumi.Input<string>;
}

export interface MonitoringArgs {
    /** The dashboard's name: one per stack. */
    readonly dashboardName: string;
    readonly region: string;
    readonly availabilityZones: readonly string[];
    readonly clusterName: pulumi.Input<string>;
    readonly autoScalingGroupName: pulumi.Input<string>;
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    readonly services: readonly MonitoredService[];
}

// Widgets are 12 of the dashboard's 24 columns wide, two to a row.
const widgetSize = { width: 12, height: 6 };

/** The stack's CloudWatch dashboard: the ALB, each service, the cluster's reservation and its hosts. */
export class Dashboard extends pulumi.ComponentResource {
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs-on-ec2:index:Dashboard", name, {}, opts);
        const dashboard = new cloudwatch.Dashboard(name, {
            dashboardName: args.dashboardName,
            dashboardBody: pulumi.jsonStringify({ widgets: widgets(args) }),
        }, { parent: this });
        this.url = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards/dashboard/${dashboard.dashboardName}`;
        this.registerOutputs({ url: this.url });
    }
}

type Metric = pulumi.Input<string | Record<string, string>>[];

function widgets(args: MonitoringArgs): unknown[] {
    const lb = ["LoadBalancer", args.loadBalancerArnSuffix];
    const perService = (metricName: string, stat: string): Metric[] => args.services.map((s) =>
        ["AWS/ApplicationELB", metricName, "TargetGroup", s.targetGroupArnSuffix, ...lb, { stat, label: s.name }]);
    const cluster = ["ClusterName", args.clusterName];
    const graph = (title: string, metrics: Metric[], stat = "Sum") => ({
        type: "metric", ...widgetSize,
        properties: { title, region: args.region, view: "timeSeries", stat, period: 60, metrics },
    });
    return [
        graph("Requests", perService("RequestCount", "Sum")),
        graph("Target 5xx answers", perService("HTTPCode_Target_5XX_Count", "Sum")),
        graph("Target response time p50 and p99 (s)", args.services.flatMap((s) => ["p50", "p99"].map((stat) =>
            ["AWS/ApplicationELB", "TargetResponseTime", "TargetGroup", s.targetGroupArnSuffix, ...lb, { stat, label: `${s.name} ${stat}` }]))),
        graph("Healthy targets per AZ", args.services.flatMap((s) => args.availabilityZones.map((az) =>
            ["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", s.targetGroupArnSuffix, ...lb, "AvailabilityZone", az,
                { stat: "Minimum", label: `${s.name} ${az}` }])), "Minimum"),
        graph("Running tasks per service", args.services.map((s) =>
            ["ECS/ContainerInsights", "RunningTaskCount", ...cluster, "ServiceName", s.serviceName, { stat: "Average", label: s.name }]), "Average"),
        graph("Cluster CPU and memory: reserved and used (%)", ["CPUReservation", "MemoryReservation", "CPUUtilization", "MemoryUtilization"]
            .map((metricName) => ["AWS/ECS", metricName, ...cluster, { stat: "Average", label: metricName }]), "Average"),
        graph("Hosts in service", [["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", args.autoScalingGroupName,
            { stat: "Average", label: "in service" }]], "Average"),
    ];
}

/** The SNS topic the alarms notify, with an email subscription when an address is configured. */
export class AlarmTopic extends pulumi.ComponentResource {
    public readonly topic: sns.Topic;

    constructor(name: string, args: { readonly email?: string }, opts?: pulumi.ComponentResourceOptions) {
        super("ecs-on-ec2:index:AlarmTopic", name, {}, opts);
        this.topic = new sns.Topic(name, {}, { parent: this });
        if (args.email !== undefined) {
            // AWS mails a confirmation link first; nothing is delivered until it is followed.
            new sns.TopicSubscription(`${name}-email`, { topic: this.topic.arn, protocol: "email", endpoint: args.email }, { parent: this });
        }
        this.registerOutputs({ topicArn: this.topic.arn });
    }
}
