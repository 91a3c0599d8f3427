// Reads one service's state from ECS, the ALB's target group and CloudWatch, into a plain model that the
// report renders and --json prints. Every call is bounded, so a hung endpoint ends in a StatusError.
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
    DescribeContainerInstancesCommand, DescribeServiceDeploymentsCommand, DescribeServiceRevisionsCommand,
    DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListServiceDeploymentsCommand, ListTasksCommand,
    Service, ServiceDeployment, Task,
} from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ServiceOutputs, StatusError } from "./outputs";

/** A deployment as DescribeServices reports it now: what the verdict is made of. */
export interface CurrentDeployment {
    id: string;
    status: string;
    taskDefinition: string;
    rolloutState: string;
    rolloutStateReason?: string;
    desired: number;
    running: number;
    pending: number;
    failed: number;
}

/** A service deployment from the service's history: the only place a finished rollback stays visible. */
export interface PastDeployment {
    status: string;
    statusReason?: string;
    taskDefinition: string;
    from: string[];
    requested: number;
    running: number;
    pending: number;
    startedAt?: Date;
    finishedAt?: Date;
    rolledBackTo?: string;
    rollbackReason?: string;
    circuitBreakerFailures?: string;
    triggeredAlarms: string[];
}

export interface TaskPlacement {
    taskId: string;
    taskDefinition: string;
    lastStatus: string;
    availabilityZone: string;
    host: string;
    hostPorts: number[];
}

export interface TargetState {
    id: string;
    port?: number;
    availabilityZone?: string;
    taskId?: string;
    state: string;
    reason?: string;
    description?: string;
}

export interface AlarmState {
    name: string;
    state: string;
    reason?: string;
}

export interface ServiceEventLine {
    at?: Date;
    message: string;
}

export interface ServiceStatus {
    key: string;
    serviceName: string;
    clusterName: string;
    desired: number;
    running: number;
    pending: number;
    deployments: CurrentDeployment[];
    history: PastDeployment[];
    tasks: TaskPlacement[];
    targets: TargetState[];
    alarms: AlarmState[];
    events: ServiceEventLine[];
}

export interface AwsClients {
    ecs: ECSClient;
    elb: ElasticLoadBalancingV2Client;
    cloudwatch: CloudWatchClient;
    timeoutMs: number;
}

/** How many past deployments to show: enough to see the last success behind a failure or two. */
const historyLength = 5;

/**
 * Clients on the default credential chain in the stack's region. Each attempt is cut at half the call's
 * budget so one retry still fits; `call` aborts whatever is left when the budget runs out.
 */
export function awsClients(region: string, timeoutMs: number): AwsClients {
    const config = {
        region,
        maxAttempts: 2,
        requestHandler: {
            connectionTimeout: Math.min(3000, timeoutMs / 2),
            requestTimeout: timeoutMs / 2,
            throwOnRequestTimeout: true,
        },
    };
    return {
        ecs: new ECSClient(config),
        elb: new ElasticLoadBalancingV2Client(config),
        cloudwatch: new CloudWatchClient(config),
        timeoutMs,
    };
}

const credentialHelp = [
    "no usable AWS credentials. Provide them in one of the ways the AWS SDK's default chain reads:",
    "  AWS_PROFILE=<profile> npm run status      a profile in ~/.aws/config or ~/.aws/credentials",
    "  aws sso login --profile <profile>         then AWS_PROFILE=<profile>, when the profile uses IAM Identity Center",
    "  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment",
].join("\n");

/** Errors AWS gives for credentials it has but does not accept, which the same advice fixes. */
const rejectedCredentials = new Set(["ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "UnrecognizedClientException"]);

/** Sends one call with the client's time budget, turning every failure into a StatusError that names the call. */
async function call<T>(aws: AwsClients, label: string, send: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    try {
        return await send({ abortSignal: AbortSignal.timeout(aws.timeoutMs) });
    } catch (error) {
        const { name, message } = error as Error;
        if (name === "CredentialsProviderError" || rejectedCredentials.has(name)) {
            throw new StatusError(`${credentialHelp}\n(${label}: ${message})`);
        }
        if (name === "AbortError" || name === "TimeoutError") {
            throw new StatusError(`${label} got no answer within ${aws.timeoutMs / 1000} s`);
        }
        throw new StatusError(`${label} failed: ${name}: ${message}`);
    }
}

/** `family:revision` out of a task definition ARN, which is what operators compare. */
function taskDefinitionName(arn: string | undefined): string {
    return arn?.split("task-definition/")[1] ?? arn ?? "unknown";
}

function lastSegment(arn: string | undefined): string {
    return arn?.split("/").at(-1) ?? "unknown";
}

function chunks<T>(items: T[], size: number): T[][] {
    return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

async function describeService(aws: AwsClients, outputs: ServiceOutputs): Promise<Service> {
    const answer = await call(aws, "ECS DescribeServices", (o) => aws.ecs.send(
        new DescribeServicesCommand({ cluster: outputs.clusterName, services: [outputs.serviceName] }), o));
    const service = answer.services?.[0];
    if (service === undefined || service.status !== "ACTIVE") {
        const why = answer.failures?.[0]?.reason ?? service?.status ?? "not found";
        throw new StatusError(`service ${outputs.serviceName} in cluster ${outputs.clusterName}: ${why}; the stack outputs point at a service that is not running`);
    }
    return service;
}

function currentDeployments(service: Service): CurrentDeployment[] {
    return (service.deployments ?? []).map((d) => ({
        id: d.id ?? "unknown",
        status: d.status ?? "unknown",
        taskDefinition: taskDefinitionName(d.taskDefinition),
        rolloutState: d.rolloutState ?? "unknown",
        rolloutStateReason: d.rolloutStateReason,
        desired: d.desiredCount ?? 0,
        running: d.runningCount ?? 0,
        pending: d.pendingCount ?? 0,
        failed: d.failedTasks ?? 0,
    }));
}

async function pastDeployments(aws: AwsClients, outputs: ServiceOutputs): Promise<PastDeployment[]> {
    const list = await call(aws, "ECS ListServiceDeployments", (o) => aws.ecs.send(new ListServiceDeploymentsCommand(
        { cluster: outputs.clusterName, service: outputs.serviceName, maxResults: historyLength }), o));
    const arns = (list.serviceDeployments ?? []).flatMap((d) => d.serviceDeploymentArn ?? []);
    if (arns.length === 0) {
        return [];
    }
    const described = await call(aws, "ECS DescribeServiceDeployments", (o) => aws.ecs.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }), o));
    const deployments = (described.serviceDeployments ?? [])
        .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    const taskDefinitions = await revisionTaskDefinitions(aws, deployments);
    const named = (arn: string | undefined) => taskDefinitions.get(arn ?? "") ?? lastSegment(arn);
    return deployments.map((d) => ({
        status: d.status ?? "unknown",
        statusReason: d.statusReason,
        taskDefinition: named(d.targetServiceRevision?.arn),
        from: (d.sourceServiceRevisions ?? []).map((source) => named(source.arn)),
        requested: d.targetServiceRevision?.requestedTaskCount ?? 0,
        running: d.targetServiceRevision?.runningTaskCount ?? 0,
        pending: d.targetServiceRevision?.pendingTaskCount ?? 0,
        startedAt: d.startedAt,
        finishedAt: d.finishedAt ?? d.stoppedAt,
        rolledBackTo: d.rollback ? named(d.rollback.serviceRevisionArn) : undefined,
        rollbackReason: d.rollback?.reason,
        circuitBreakerFailures: d.deploymentCircuitBreaker?.failureCount
            ? `${d.deploymentCircuitBreaker.failureCount}/${d.deploymentCircuitBreaker.threshold ?? "?"}` : undefined,
        triggeredAlarms: d.alarms?.triggeredAlarmNames ?? [],
    }));
}

/** Service revision ARN → task definition, since a service deployment names only revisions. */
async function revisionTaskDefinitions(aws: AwsClients, deployments: ServiceDeployment[]): Promise<Map<string, string>> {
    const arns = [...new Set(deployments.flatMap((d) => [
        d.targetServiceRevision?.arn, ...(d.sourceServiceRevisions ?? []).map((s) => s.arn), d.rollback?.serviceRevisionArn,
    ]).filter((arn): arn is string => arn !== undefined))];
    const names = new Map<string, string>();
    for (const batch of chunks(arns, 20)) {
        const answer = await call(aws, "ECS DescribeServiceRevisions", (o) => aws.ecs.send(
            new DescribeServiceRevisionsCommand({ serviceRevisionArns: batch }), o));
        for (const revision of answer.serviceRevisions ?? []) {
            names.set(revision.serviceRevisionArn ?? "", taskDefinitionName(revision.taskDefinition));
        }
    }
    return names;
}

async function serviceTasks(aws: AwsClients, outputs: ServiceOutputs): Promise<TaskPlacement[]> {
    const taskArns: string[] = [];
    let nextToken: string | undefined;
    do {
        const page = await call(aws, "ECS ListTasks", (o) => aws.ecs.send(new ListTasksCommand(
            { cluster: outputs.clusterName, serviceName: outputs.serviceName, nextToken }), o));
        taskArns.push(...(page.taskArns ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    const tasks: Task[] = [];
    for (const batch of chunks(taskArns, 100)) {
        const answer = await call(aws, "ECS DescribeTasks", (o) => aws.ecs.send(
            new DescribeTasksCommand({ cluster: outputs.clusterName, tasks: batch }), o));
        tasks.push(...(answer.tasks ?? []));
    }
    const hosts = await instanceIds(aws, outputs.clusterName, tasks);
    return tasks.map((task) => ({
        taskId: lastSegment(task.taskArn),
        taskDefinition: taskDefinitionName(task.taskDefinitionArn),
        lastStatus: task.lastStatus ?? "unknown",
        availabilityZone: task.availabilityZone ?? "unknown AZ",
        host: hosts.get(task.containerInstanceArn ?? "") ?? "unknown host",
        hostPorts: (task.containers ?? []).flatMap((c) => (c.networkBindings ?? []).flatMap((b) => b.hostPort ?? [])),
    }));
}

/** Container instance ARN → EC2 instance ID, the name the target group and the console use for a host. */
async function instanceIds(aws: AwsClients, cluster: string, tasks: Task[]): Promise<Map<string, string>> {
    const arns = [...new Set(tasks.flatMap((task) => task.containerInstanceArn ?? []))];
    const ids = new Map<string, string>();
    for (const batch of chunks(arns, 100)) {
        const answer = await call(aws, "ECS DescribeContainerInstances", (o) => aws.ecs.send(
            new DescribeContainerInstancesCommand({ cluster, containerInstances: batch }), o));
        for (const instance of answer.containerInstances ?? []) {
            ids.set(instance.containerInstanceArn ?? "", instance.ec2InstanceId ?? "unknown host");
        }
    }
    return ids;
}

async function targetHealth(aws: AwsClients, targetGroupArn: string): Promise<TargetState[]> {
    const answer = await call(aws, "ELB DescribeTargetHealth", (o) => aws.elb.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }), o));
    return (answer.TargetHealthDescriptions ?? []).map((d) => ({
        id: d.Target?.Id ?? "unknown",
        port: d.Target?.Port,
        availabilityZone: d.Target?.AvailabilityZone,
        state: d.TargetHealth?.State ?? "unknown",
        reason: d.TargetHealth?.Reason,
        description: d.TargetHealth?.Description,
    }));
}

/** Bridge mode gives every task a dynamic host port, so instance and port together name the task behind a target. */
function withTasks(targets: TargetState[], tasks: TaskPlacement[]): TargetState[] {
    const byEndpoint = new Map<string, TaskPlacement>(tasks.flatMap((task) => task.hostPorts.map((port) => [`${task.host}:${port}`, task] as const)));
    return targets.map((target) => {
        const task = byEndpoint.get(`${target.id}:${target.port}`);
        return { ...target, taskId: task?.taskId, availabilityZone: target.availabilityZone ?? task?.availabilityZone };
    });
}

async function alarmStates(aws: AwsClients, alarmNames: string[]): Promise<AlarmState[]> {
    if (alarmNames.length === 0) {
        return [];
    }
    const answer = await call(aws, "CloudWatch DescribeAlarms", (o) => aws.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmNames: alarmNames, AlarmTypes: ["MetricAlarm", "CompositeAlarm"] }), o));
    const found = new Map([...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])]
        .map((alarm) => [alarm.AlarmName ?? "", alarm] as const));
    return alarmNames.map((name) => {
        const alarm = found.get(name);
        return { name, state: alarm?.StateValue ?? "MISSING", reason: alarm ? alarm.StateReason : "no such alarm in CloudWatch" };
    });
}

/** Everything `npm run status` shows for one service; the independent calls run side by side. */
export async function collectService(aws: AwsClients, key: string, outputs: ServiceOutputs, eventCount: number): Promise<ServiceStatus> {
    const [service, history, tasks, targets, alarms] = await Promise.all([
        describeService(aws, outputs),
        pastDeployments(aws, outputs),
        serviceTasks(aws, outputs),
        targetHealth(aws, outputs.targetGroupArn),
        alarmStates(aws, outputs.alarmNames),
    ]);
    return {
        key,
        serviceName: outputs.serviceName,
        clusterName: outputs.clusterName,
        desired: service.desiredCount ?? 0,
        running: service.runningCount ?? 0,
        pending: service.pendingCount ?? 0,
        deployments: currentDeployments(service),
        history,
        tasks,
        targets: withTasks(targets, tasks),
        alarms,
        events: (service.events ?? []).slice(0, eventCount).map((e) => ({ at: e.createdAt, message: e.message ?? "" })),
    };
}
