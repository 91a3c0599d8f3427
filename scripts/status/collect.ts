// Reads the state of one ECS service (web, backend or worker) from ECS, a web service's target group and
// CloudWatch, into a plain model that the report renders and --json prints. Every call is bounded, so a hung
// endpoint ends in a StatusError.
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
    Deployment, DescribeContainerInstancesCommand, DescribeServiceDeploymentsCommand, DescribeServiceRevisionsCommand,
    DescribeServicesCommand, DescribeTasksCommand, ListServiceDeploymentsCommand, ListTasksCommand, ListTasksCommandInput,
    Service, ServiceDeployment, Task,
} from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { AwsClients, call, chunks, lastSegment, taskDefinitionName } from "./aws";
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

/** One current deployment's place on Service Connect, as DescribeServices reports it. */
export interface ServiceConnectState {
    /** The deployment's status (PRIMARY, ACTIVE) and task definition. */
    deployment: string;
    taskDefinition: string;
    enabled: boolean;
    namespace?: string;
    /** What the deployment serves on Service Connect, `http://dnsName:port` each; empty for a client only. */
    serves: string[];
    /** The Cloud Map services ECS made for it (discoveryName → discoveryArn). */
    discovery: { name: string; arn?: string }[];
}

export interface ServiceStatus {
    type: ServiceOutputs["type"];
    key: string;
    serviceName: string;
    clusterName: string;
    desired: number;
    running: number;
    pending: number;
    deployments: CurrentDeployment[];
    history: PastDeployment[];
    tasks: TaskPlacement[];
    /** A web service's only: the others have no target group. */
    targets: TargetState[];
    alarms: AlarmState[];
    events: ServiceEventLine[];
    /** One entry per current deployment that has a Service Connect configuration; empty when none has. */
    serviceConnect: ServiceConnectState[];
    /** A backend's address on Service Connect, from the stack outputs: what its verdict checks it still serves. */
    serviceConnectUrl?: string;
}

/** How many past deployments to show: enough to see the last success behind a failure or two. */
const historyLength = 5;

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

/** Every task ListTasks finds for `filter` (a service, or a family and status), described. */
export async function findTasks(aws: AwsClients, filter: Omit<ListTasksCommandInput, "nextToken"> & { cluster: string }): Promise<Task[]> {
    const taskArns: string[] = [];
    let nextToken: string | undefined;
    do {
        const page = await call(aws, "ECS ListTasks", (o) => aws.ecs.send(new ListTasksCommand({ ...filter, nextToken }), o));
        taskArns.push(...(page.taskArns ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    const tasks: Task[] = [];
    for (const batch of chunks(taskArns, 100)) {
        const answer = await call(aws, "ECS DescribeTasks", (o) => aws.ecs.send(
            new DescribeTasksCommand({ cluster: filter.cluster, tasks: batch }), o));
        tasks.push(...(answer.tasks ?? []));
    }
    return tasks;
}

async function serviceTasks(aws: AwsClients, outputs: ServiceOutputs): Promise<TaskPlacement[]> {
    const tasks = await findTasks(aws, { cluster: outputs.clusterName, serviceName: outputs.serviceName });
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

export async function alarmStates(aws: AwsClients, alarmNames: string[]): Promise<AlarmState[]> {
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

/** Each current deployment's Service Connect configuration, and the Cloud Map services ECS made for it. */
function serviceConnectStates(service: Service): ServiceConnectState[] {
    return (service.deployments ?? []).flatMap((d: Deployment) => {
        const config = d.serviceConnectConfiguration;
        if (config === undefined) return [];
        return [{
            deployment: d.status ?? "unknown",
            taskDefinition: taskDefinitionName(d.taskDefinition),
            enabled: config.enabled === true,
            namespace: config.namespace,
            serves: (config.services ?? []).flatMap((s) => (s.clientAliases ?? []).map((alias) =>
                `http://${alias.dnsName ?? s.discoveryName ?? s.portName}:${alias.port}`)),
            discovery: (d.serviceConnectResources ?? []).map((r) => ({ name: r.discoveryName ?? "unknown", arn: r.discoveryArn })),
        }];
    });
}

/** Everything `npm run status` shows for one ECS service; the independent calls run side by side. */
export async function collectService(aws: AwsClients, key: string, outputs: ServiceOutputs, eventCount: number): Promise<ServiceStatus> {
    const [service, history, tasks, targets, alarms] = await Promise.all([
        describeService(aws, outputs),
        pastDeployments(aws, outputs),
        serviceTasks(aws, outputs),
        outputs.type === "web" ? targetHealth(aws, outputs.targetGroupArn) : [],
        alarmStates(aws, outputs.alarmNames),
    ]);
    return {
        type: outputs.type,
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
        serviceConnect: serviceConnectStates(service),
        ...(outputs.type === "backend" && outputs.serviceConnectUrl !== undefined ? { serviceConnectUrl: outputs.serviceConnectUrl } : {}),
    };
}
