import * as path from "node:path";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ecs from "@pulumi/aws/ecs";
import * as iam from "@pulumi/aws/iam";
import * as lb from "@pulumi/aws/lb";
import type * as types from "@pulumi/aws/types";
import * as pulumi from "@pulumi/pulumi";
import { ChildOptions, childOptionsOf } from "../aliases";
import { appImageDirectory, ServiceConfig } from "../config";
import { secretsManagerArn, ssmParameterArn } from "../config/services";
import { repoRoot } from "../paths";
import { containerDefinitions, execAgentVolumes } from "../models/containerDefinition";
import { rollingDeployment } from "../models/fleet";
import { onServiceConnect } from "../models/serviceConnect";
import { serviceTags } from "../models/tags";
import { deploymentAlarms } from "../resources/deploymentAlarms";
import { EcsCluster } from "./ecsCluster";
import { assumeRolePolicy } from "../models/iam";
import { ImageRepository } from "./imageRepository";
import { LoadBalancer } from "./loadBalancer";
import { entryHost, entryPath, ServiceRoute } from "../models/routing";
import { serviceAutoscaling } from "../resources/serviceAutoscaling";
import { jobSchedule, scheduleGroupName } from "../resources/jobSchedule";

// ECS waits this long after SIGTERM before SIGKILL; the app drains within 5 s less.
const stopTimeoutSeconds = 30;

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
    /**
     * The security-group rules its tasks use: the hosts' group's, and for a web service the ALB's too. Its ECS service
     * depends on them, so that `pulumi destroy` deletes them only after the service has drained and is gone.
     */
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

/** What a web service has on the ALB. */
interface AlbIngress {
    readonly targetGroup: lb.TargetGroup;
    /** Its listener rule; none for the default route, which the serving listener's default action forwards. */
    readonly rule?: lb.ListenerRule;
    readonly alarms: cloudwatch.MetricAlarm[];
}

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
        const taskDefinition = this.taskDefinition(args, image, logGroup, tags, child);
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
        const ingress = service.route ? this.albIngress(args, service.route, tags, child) : undefined;
        const alarms = ingress?.alarms ?? [];

        const ecsService = new ecs.Service(`${name}-service`, {
            cluster: cluster.cluster.arn,
            taskDefinition: taskDefinition.arn,
            desiredCount: service.desiredCount,
            capacityProviderStrategies: cluster.capacityProviderStrategies,
            // The console's "AZ balanced spread".
            orderedPlacementStrategies: [
                { type: "spread", field: "attribute:ecs.availability-zone" },
                { type: "spread", field: "instanceId" },
            ],
            // After an AZ recovers, ECS moves tasks back so the spread is even again.
            availabilityZoneRebalancing: "ENABLED",
            // ECS takes a health check grace period only from a service behind a load balancer.
            ...(ingress ? {
                loadBalancers: [{ targetGroupArn: ingress.targetGroup.arn, containerName: name, containerPort: service.containerPort }],
                healthCheckGracePeriodSeconds: 30,
            } : {}),
            ...serviceConnectConfiguration(service, cluster),
            deploymentMinimumHealthyPercent: rollingDeployment.minimumHealthyPercent,
            deploymentMaximumPercent: rollingDeployment.maximumPercent,
            // A deploy whose new tasks never turn healthy, or that trips an alarm, rolls back to the previous revision.
            // A backend or worker has no ALB alarms, only the circuit breaker: a CPU alarm would roll back a deploy
            // for the load that its CPU autoscaling is there to answer.
            deploymentCircuitBreaker: { enable: true, rollback: true },
            ...(alarms.length > 0 ? { alarms: { alarmNames: alarms.map((alarm) => alarm.name), enable: true, rollback: true } } : {}),
            waitForSteadyState: true,
            // Off unless the service has `exec`: ECS then starts the SSM agent in each new task (not in running ones).
            ...(service.exec ? { enableExecuteCommand: true } : {}),
            // Its tasks carry its tags (the stack's and the service's) and ECS's own (cluster and service names).
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            tags,
        // Autoscaling owns the running count once the service exists; config moves its floor instead.
        // ECS refuses a target group that no listener or rule of a load balancer forwards to: the service comes after
        // its rule, or, for the default route, after the listeners (whose default action forwards to it).
        }, child(`${name}-service`, {
            dependsOn: [...(ingress ? [...(ingress.rule ? [ingress.rule] : []), ...loadBalancer.listeners] : []), cluster.clusterCapacityProviders,
                ...args.securityGroupRules.host, ...(ingress ? args.securityGroupRules.alb : [])],
            ignoreChanges: ["desiredCount"],
        }));

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

    /**
     * A web service's way in from the ALB: its target group, its listener rule (none for the default route: the serving
     * listener's default action forwards to it, so that its becoming or ceasing to be the default route moves no rule's
     * priority), and the alarms its deployments watch.
     */
    private albIngress(args: WebServiceArgs, route: ServiceRoute, tags: Readonly<Record<string, string>>, child: ChildOptions): AlbIngress {
        const { service, loadBalancer } = args;
        const name = service.name;
        const targetGroup = new lb.TargetGroup(`${name}-tg`, {
            vpcId: args.vpcId,
            targetType: "instance",
            protocol: "HTTP",
            // ECS registers each task with its own dynamic host port; this is only the group's default.
            port: service.containerPort,
            // Requests to the app last 10 s at most (its /delay bound); in-flight ones finish within this.
            deregistrationDelay: 15,
            healthCheck: {
                path: service.healthCheckPath,
                protocol: "HTTP",
                port: "traffic-port",
                matcher: "200",
                // AWS's fastest: two checks 5 s apart mark a target unhealthy, or healthy, in about 10 s.
                interval: 5,
                timeout: 2,
                healthyThreshold: 2,
                unhealthyThreshold: 2,
            },
            tags,
        }, child(`${name}-tg`));
        const rule = route.priority === undefined ? undefined : new lb.ListenerRule(`${name}-route`, {
            listenerArn: loadBalancer.servingListener.arn,
            priority: route.priority,
            actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
            conditions: routeConditions(route),
            tags,
        }, child(`${name}-route`));
        const alarms = deploymentAlarms(name, {
            targetGroupArnSuffix: targetGroup.arnSuffix,
            loadBalancerArnSuffix: loadBalancer.alb.arnSuffix,
            thresholds: service.alarms,
            topicArn: args.alarmTopicArn,
            tags,
        }, child);
        return { targetGroup, rule, alarms };
    }

    /** The task: one bridge-mode container, its port mapped to a dynamic host port, with its roles. */
    private taskDefinition(args: WebServiceArgs, image: ImageRepository, logGroup: cloudwatch.LogGroup,
        tags: Readonly<Record<string, string>>, child: ChildOptions): ecs.TaskDefinition {
        const { service } = args;
        const name = service.name;
        const executionRole = new iam.Role(`${name}-task-execution-role`, {
            description: "ECS agent on behalf of the task: pull the image and write its logs",
            assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com"),
            tags,
        }, child(`${name}-task-execution-role`));
        const executionPolicy = new iam.RolePolicy(`${name}-task-execution-policy`, {
            role: executionRole.name,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    // GetAuthorizationToken has no resource-level permissions: AWS only accepts "*" for it.
                    { Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                    {
                        Effect: "Allow",
                        Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                        Resource: image.repository.arn,
                    },
                    { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:*` },
                    ...secretReadStatements(service, args.region),
                ],
            }),
        }, child(`${name}-task-execution-policy`));
        // The service's own role, so that it never borrows another's: with exactly its taskPolicyStatements, or empty.
        const permissions = service.taskPolicyStatements;
        const taskRole = new iam.Role(`${name}-task-role`, {
            description: service.exec
                ? "The service's own identity: its taskPolicyStatements, and ECS Exec's Session Manager channels and session log"
                : permissions.length > 0
                    ? "The service's own identity: the AWS permissions of its code, its taskPolicyStatements"
                    : "The service's own identity; it needs no AWS permissions",
            assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com"),
            tags,
        }, child(`${name}-task-role`));
        const taskPolicy = permissions.length > 0 ? [new iam.RolePolicy(`${name}-task-policy`, {
            role: taskRole.name,
            policy: JSON.stringify({ Version: "2012-10-17", Statement: permissions }),
        }, child(`${name}-task-policy`))] : [];
        const execPolicy = service.exec ? [this.execPolicy(name, taskRole, args.cluster, child)] : [];

        return new ecs.TaskDefinition(`${name}-task-definition`, {
            family: `${args.stackName}-${name}`,
            // A replaced or destroyed revision stays ACTIVE (the provider skips DeregisterTaskDefinition): after a
            // rollback the service runs the revision Pulumi replaced, and the next up must not deregister it, nor
            // the one a later rollback returns to. `npm run destroy` deregisters and deletes the family's revisions
            // once the stack is gone (scripts/cleanupTaskDefinitions.ts).
            skipDestroy: true,
            networkMode: "bridge",
            requiresCompatibilities: ["EC2"],
            // No task-level cpu or memory, even on Service Connect, where AWS suggests adding the proxy's to them:
            // on EC2 Linux the agent enforces task-level values as hard limits (a CFS quota: amazon-ecs-agent,
            // agent/api/task/task_linux.go), which would cap the app and its proxy at a fraction of a vCPU. The
            // capacity check and the estimate count the proxy's share all the same (infra/models/serviceConnect.ts).
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            containerDefinitions: containerDefinitions({
                name,
                image: image.repoDigest,
                cpu: service.cpu,
                memory: service.memory,
                // A worker or a job takes no traffic: no port. A backend's port is named for Service Connect.
                containerPort: service.type === "worker" || service.type === "job" ? undefined : service.containerPort,
                portName: service.type === "backend" ? name : undefined,
                stopTimeout: stopTimeoutSeconds,
                user: service.user,
                command: service.command,
                readonlyRootFilesystem: service.readonlyRootFilesystem,
                environment: service.appImage ? {
                    ...service.environment,
                    // app-image's contract: its port, health path and drain bound come from the stack.
                    ASPNETCORE_HTTP_PORTS: String(service.containerPort),
                    HEALTH_CHECK_PATH: service.healthCheckPath,
                    SHUTDOWN_TIMEOUT_SECONDS: String(stopTimeoutSeconds - 5),
                } : service.environment,
                secrets: service.secrets,
                healthCheckCommand: service.healthCheckCommand,
                logGroupName: logGroup.name,
                region: args.region,
                exec: service.exec,
            }),
            // Host-less bind mounts: Docker makes each volume with the task and removes it with the task.
            ...(service.exec ? { volumes: execAgentVolumes.map((volume) => ({ name: volume.name })) } : {}),
            tags,
        // A task started before its execution role may pull fails with CannotPullContainerError (or, before it may read
        // its secrets, with ResourceInitializationError); one started before its task role's policy lacks its permissions.
        }, child(`${name}-task-definition`, { dependsOn: [executionPolicy, ...taskPolicy, ...execPolicy] }));
    }

    /**
     * What ECS Exec needs of the task role, as AWS documents it: the SSM agent's Session Manager channels, which have no
     * resource-level permissions (only "*"), and writing the session log to the cluster's exec log group, which the
     * agent first looks up with DescribeLogGroups (also "*" only). A separate inline policy, so that the service's own
     * taskPolicyStatements stay exactly theirs. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
     * (IAM permissions required for ECS Exec; for Amazon CloudWatch Logs logging)
     */
    private execPolicy(name: string, taskRole: iam.Role, cluster: EcsCluster, child: ChildOptions): iam.RolePolicy {
        const sessionLog = cluster.execLogGroup;
        if (sessionLog === undefined) {
            throw new Error(`service ${name} has exec, but the cluster has no exec log group: pass execSessionLogging to the cluster`);
        }
        return new iam.RolePolicy(`${name}-task-exec-policy`, {
            role: taskRole.name,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                            "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
                        Resource: "*",
                    },
                    { Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                        Resource: pulumi.interpolate`${sessionLog.arn}:*`,
                    },
                ],
            }),
        }, child(`${name}-task-exec-policy`));
    }
}

/**
 * What the execution role needs to read the service's secrets when a task starts, and nothing when it has none:
 * GetSecretValue on each Secrets Manager secret and GetParameters on each SSM parameter, by exact ARN, and Decrypt
 * on its customer managed key only through those services here (an AWS managed key needs no grant of ours).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
function secretReadStatements(service: ServiceConfig, region: string): object[] {
    const sources = Object.values(service.secrets);
    // GetSecretValue names the secret, not the JSON key, stage or version ECS reads of it (the ARN's
    // :json-key:version-stage:version-id); a full ARN, with its 6-character suffix, needs no -?????? wildcard.
    const secretArns = sorted(sources.flatMap((arn) => {
        const [, arnRegion, account, secret] = secretsManagerArn.exec(arn) ?? [];
        return secret === undefined ? [] : [`arn:aws:secretsmanager:${arnRegion}:${account}:secret:${secret}`];
    }));
    const parameterArns = sorted(sources.filter((arn) => ssmParameterArn.test(arn)));
    const readers = [
        ...(secretArns.length > 0 ? [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secretArns }] : []),
        ...(parameterArns.length > 0 ? [{ Effect: "Allow", Action: ["ssm:GetParameters"], Resource: parameterArns }] : []),
    ];
    const viaServices = [...(secretArns.length > 0 ? [`secretsmanager.${region}.amazonaws.com`] : []),
        ...(parameterArns.length > 0 ? [`ssm.${region}.amazonaws.com`] : [])];
    return service.secretsKmsKeyArn === undefined ? readers : [...readers, {
        Effect: "Allow", Action: ["kms:Decrypt"], Resource: service.secretsKmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": viaServices } },
    }];
}

/** Distinct values in order, so that the policy does not change with the order of the config's map. */
function sorted(values: readonly string[]): string[] {
    return [...new Set(values)].sort();
}

/** The listener rule's conditions: the service's path patterns and host headers (the default route has no rule). */
function routeConditions(route: ServiceRoute): types.input.lb.ListenerRuleCondition[] {
    const { pathPatterns, hostHeaders } = route;
    return [
        ...(pathPatterns.length > 0 ? [{ pathPattern: { values: [...pathPatterns] } }] : []),
        ...(hostHeaders.length > 0 ? [{ hostHeader: { values: [...hostHeaders] } }] : []),
    ];
}


/**
 * The service's place on Service Connect, in the cluster's namespace: a backend is a server, its port (named after
 * it) discovered as, and called at, `http://<name>:<containerPort>`; a web service with `connect` only a client;
 * any other service none. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectConfiguration.html
 */
function serviceConnectConfiguration(service: ServiceConfig, cluster: EcsCluster): Pick<ecs.ServiceArgs, "serviceConnectConfiguration"> {
    const namespace = cluster.serviceConnectNamespace?.arn;
    if (!onServiceConnect(service) || namespace === undefined) {
        return {};
    }
    return {
        serviceConnectConfiguration: {
            enabled: true,
            namespace,
            ...(service.type === "backend" ? {
                services: [{
                    portName: service.name,
                    discoveryName: service.name,
                    clientAlias: [{ port: service.containerPort, dnsName: service.name }],
                }],
            } : {}),
        },
    };
}
