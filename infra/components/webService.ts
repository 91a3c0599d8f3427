import * as path from "node:path";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { childOptionsOf } from "../aliases";
import { appImageDirectory, ServiceConfig } from "../config";
import { repoRoot } from "../paths";
import { serviceTags } from "../models/tags";
import { entryHost, entryPath } from "../models/routing";
import { albIngress } from "../resources/albIngress";
import { ecsServiceFor } from "../resources/ecsService";
import { jobSchedule, scheduleGroupName } from "../resources/jobSchedule";
import { serviceAutoscaling } from "../resources/serviceAutoscaling";
import { serviceTaskDefinition } from "../resources/taskDefinition";
import { EcsCluster } from "./ecsCluster";
import { ImageRepository } from "./imageRepository";
import { LoadBalancer } from "./loadBalancer";

export interface WebServiceArgs {
    readonly service: ServiceConfig;
    /** `project-stack`: names the task family and the log group. */
    readonly stackName: string;
    readonly region: string;
    readonly cluster: EcsCluster;
    readonly loadBalancer: LoadBalancer;
    readonly vpcId: pulumi.Input<string>;
    readonly logRetentionInDays: number;
    /** SNS topic the service's alarms notify. */
    readonly alarmTopicArn: pulumi.Input<string>;
    /** The security-group rules its tasks use, which its ECS service outlives on destroy (infra/resources/ecsService.ts). */
    readonly securityGroupRules: { readonly host: readonly pulumi.Resource[]; readonly alb: readonly pulumi.Resource[] };
}

/** What the stack's outputs say of every service, whatever its type; `npm run smoke` and `npm run status` read them. */
interface CommonOutputs {
    desiredCount: number;
    serviceName: string;
    clusterName: string;
    alarmNames: string[];
    logGroupName: string;
    repositoryUrl: string;
    imageRef: string;
    /** Built from app-image, which has no shell: `npm run exec` asks for a command instead of opening /bin/sh. */
    appImage: boolean;
}

/** A web service's outputs: the common ones, and where the ALB routes to it. */
export interface WebServiceOutputs extends CommonOutputs {
    type: "web";
    url: string;
    hostHeader?: string;
    targetGroupArn: string;
}

/** A backend's or a worker's outputs: no URL or target group; a backend's address on Service Connect. */
export interface InternalServiceOutputs extends CommonOutputs {
    type: "backend" | "worker";
    /** `http://<name>:<containerPort>`: what the services on Service Connect call a backend at. */
    serviceConnectUrl?: string;
}

/** A job's outputs: no ECS service; the schedule that runs its task definition family, and where its runs log. */
export interface JobOutputs {
    type: "job";
    /** Tasks each run starts. */
    desiredCount: number;
    scheduleName: string;
    scheduleGroupName: string;
    scheduleArn: string;
    taskDefinitionFamily: string;
    clusterName: string;
    /** The failed-run alarm, on the dead-letter queue. */
    alarmNames: string[];
    deadLetterQueueUrl: string;
    logGroupName: string;
    repositoryUrl: string;
    imageRef: string;
    appImage: boolean;
}

export type ServiceOutputs = WebServiceOutputs | InternalServiceOutputs | JobOutputs;

/**
 * One service on the shared cluster, of any type (the component keeps the name it had when every service was a
 * web service, which its resources' URNs carry): its image, a bridge-mode task, an ECS service spread over AZs
 * then hosts that rolls back on its circuit breaker, and autoscaling between its desired and maximum count. A web
 * service also has a target group and listener rule for its routes (the default route has no rule: the serving
 * listener's default action forwards to its target group), and alarms its deployments roll back on;
 * a backend is a Service Connect server, reachable by the other services only; a worker takes no traffic; a job has
 * no ECS service or autoscaling, only its task, which an EventBridge Scheduler schedule runs (infra/resources/jobSchedule.ts).
 */
export class WebService extends pulumi.ComponentResource {
    public readonly outputs: pulumi.Output<ServiceOutputs>;
    /** `targetgroup/…/…`: the CloudWatch dimension of its targets; a web service's only. */
    public readonly targetGroupArnSuffix?: pulumi.Output<string>;
    /** Its target group's ARN; a web service's only. The default route's is what the serving listener's default action forwards to. */
    public readonly targetGroupArn?: pulumi.Output<string>;
    /** The ECS service's name; a job has none. */
    public readonly serviceName?: pulumi.Output<string>;

    constructor(name: string, args: WebServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs-on-ec2:index:WebService", name, {}, opts);
        const { service, cluster, loadBalancer } = args;
        const child = childOptionsOf(this, name);
        // On each resource of the service that takes tags, besides the stack's that the provider adds; its tasks
        // inherit them from the ECS service or, for a job, the task definition.
        const tags = serviceTags(name);

        const image = new ImageRepository(name, service.image !== undefined
            ? { image: service.image, tags }
            : { directory: path.join(repoRoot, service.imageDirectory ?? appImageDirectory), tags }, { parent: this });
        const logGroup = new cloudwatch.LogGroup(`${name}-logs`, {
            name: `/ecs/${args.stackName}/${name}`,
            retentionInDays: args.logRetentionInDays,
            tags,
        }, child(`${name}-logs`));
        const taskDefinition = serviceTaskDefinition({
            service, stackName: args.stackName, region: args.region, cluster, image, logGroup, tags,
        }, child);
        if (service.type === "job" && service.schedule !== undefined) {
            // A job has no ECS service, target group or autoscaling: Scheduler starts its tasks, which exit when done.
            const job = jobSchedule(name, {
                schedule: service.schedule,
                tasksPerRun: service.desiredCount,
                cluster,
                taskDefinition,
                region: args.region,
                alarmTopicArn: args.alarmTopicArn,
                tags,
            }, child);
            this.outputs = pulumi.output({
                type: "job" as const,
                desiredCount: service.desiredCount,
                scheduleName: job.schedule.name,
                scheduleGroupName,
                scheduleArn: job.schedule.arn,
                taskDefinitionFamily: taskDefinition.family,
                clusterName: cluster.cluster.name,
                alarmNames: [job.alarm.name],
                deadLetterQueueUrl: job.deadLetterQueue.url,
                logGroupName: logGroup.name,
                repositoryUrl: image.repository.repositoryUrl,
                imageRef: image.repoDigest,
                appImage: service.appImage,
            });
            this.registerOutputs({ outputs: this.outputs });
            return;
        }
        const ingress = service.route ? albIngress({
            service, route: service.route, loadBalancer, vpcId: args.vpcId, alarmTopicArn: args.alarmTopicArn, tags,
        }, child) : undefined;
        const alarms = ingress?.alarms ?? [];

        const ecsService = ecsServiceFor({
            service, cluster, taskDefinition, ingress, loadBalancer, securityGroupRules: args.securityGroupRules, tags,
        }, child);

        serviceAutoscaling(`${name}-service`, {
            clusterName: cluster.cluster.name,
            serviceName: ecsService.name,
            minCount: service.desiredCount,
            maxCount: service.maxCount,
            requestsPerTarget: ingress && {
                resourceLabel: pulumi.interpolate`${loadBalancer.alb.arnSuffix}/${ingress.targetGroup.arnSuffix}`,
                target: service.autoscaling.requestsPerTarget,
            },
            cpuUtilization: service.autoscaling.cpuUtilization,
            tags,
        }, child);

        this.targetGroupArnSuffix = ingress?.targetGroup.arnSuffix;
        this.targetGroupArn = ingress?.targetGroup.arn;
        this.serviceName = ecsService.name;
        const common = {
            desiredCount: service.desiredCount,
            serviceName: ecsService.name,
            clusterName: cluster.cluster.name,
            alarmNames: alarms.map((alarm) => alarm.name),
            logGroupName: logGroup.name,
            repositoryUrl: image.repository.repositoryUrl,
            imageRef: image.repoDigest,
            appImage: service.appImage,
        };
        const route = service.route;
        const hostHeader = route && entryHost(route);
        this.outputs = ingress && route
            ? pulumi.output({
                type: "web" as const,
                url: pulumi.interpolate`${loadBalancer.url}${entryPath(route)}`,
                ...(hostHeader ? { hostHeader } : {}),
                ...common,
                targetGroupArn: ingress.targetGroup.arn,
            })
            : pulumi.output({
                type: service.type === "worker" ? "worker" as const : "backend" as const,
                ...common,
                ...(service.type === "backend" ? { serviceConnectUrl: `http://${name}:${service.containerPort}` } : {}),
            });
        this.registerOutputs({ outputs: this.outputs });
    }
}
