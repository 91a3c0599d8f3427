// One task from the service's current task definition, run to its end: start it the way the service
// starts its own (same task definition, same capacity providers), follow its log stream while waiting
// for it to stop, and tell its container's exit code, or why it never ran. A job has no ECS service: its task
// is its family's latest ACTIVE revision, on the cluster's default capacity provider strategy.
import {
    CapacityProviderStrategyItem, DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand,
    DescribeTasksCommand, RunTaskCommand, Task,
} from "@aws-sdk/client-ecs";
import { AwsClients, call } from "../operator/aws";
import { Clock } from "../operator/clock";
import { OperatorError } from "../operator/command";
import { taskIdOf } from "../operator/logLine";
import { JobTarget, ServiceTarget, Target } from "../operator/outputs";
import { taskLogStream } from "./logStream";

/** Between two looks at the task: DescribeTasks and GetLogEvents each once per poll. */
export const pollMs = 3000;

export interface TaskRun {
    aws: AwsClients;
    clock: Clock;
    /** The task's log lines. */
    out(line: string): void;
    /** What happens to the task. */
    err(line: string): void;
}

/** What RunTask starts: a task definition ARN, and the capacity providers to place it on (none: the cluster's default). */
interface Launch {
    taskDefinition: string;
    strategy: CapacityProviderStrategyItem[];
}

/** A service's current task definition and its own capacity provider strategy, from DescribeServices. */
async function serviceLaunch(aws: AwsClients, target: ServiceTarget): Promise<Launch> {
    const cluster = target.clusterName;
    const described = await call(aws, "ECS DescribeServices", (o) => aws.ecs.send(
        new DescribeServicesCommand({ cluster, services: [target.serviceName] }), o));
    const service = described.services?.find((s) => s.status !== "INACTIVE");
    if (service?.taskDefinition === undefined) {
        throw new OperatorError(`no service ${target.serviceName} in cluster ${cluster} (deploy the stack first)`);
    }
    return { taskDefinition: service.taskDefinition, strategy: service.capacityProviderStrategy ?? [] };
}

/** A job's family at its latest ACTIVE revision (DescribeTaskDefinition with the family), and the cluster's default strategy. */
async function jobLaunch(aws: AwsClients, target: JobTarget): Promise<Launch> {
    const cluster = target.clusterName;
    const [definition, clusters] = await Promise.all([
        call(aws, "ECS DescribeTaskDefinition", (o) => aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: target.taskDefinitionFamily }), o)),
        call(aws, "ECS DescribeClusters", (o) => aws.ecs.send(new DescribeClustersCommand({ clusters: [cluster] }), o)),
    ]);
    const taskDefinition = definition.taskDefinition?.taskDefinitionArn;
    if (taskDefinition === undefined) {
        throw new OperatorError(`no task definition in family ${target.taskDefinitionFamily} (deploy the stack first)`);
    }
    const found = clusters.clusters?.find((c) => c.status !== "INACTIVE");
    if (found === undefined) {
        throw new OperatorError(`no cluster ${cluster} (${clusters.failures?.at(0)?.reason ?? "DescribeClusters returned none"}; deploy the stack first)`);
    }
    return { taskDefinition, strategy: found.defaultCapacityProviderStrategy ?? [] };
}

/** Runs the task and resolves to the exit status: the container's exit code, 1 when it never ran. */
export async function runTask(target: Target, command: string[], run: TaskRun): Promise<number> {
    const { aws } = run;
    const cluster = target.clusterName;
    const { taskDefinition, strategy } = target.type === "job" ? await jobLaunch(aws, target) : await serviceLaunch(aws, target);
    const started = await call(aws, "ECS RunTask", (o) => aws.ecs.send(new RunTaskCommand({
        cluster,
        taskDefinition,
        count: 1,
        // The service's own providers (a job's: the cluster's default), so the task lands where the service's tasks
        // do (and can scale the ASG out).
        ...(strategy.length > 0 ? { capacityProviderStrategy: strategy } : {}),
        ...(command.length > 0 ? { overrides: { containerOverrides: [{ name: target.key, command }] } } : {}),
        startedBy: "npm-run-task",
        // Tagged as the service's own tasks are: the stack's and the service's tags (its task definition's), and ECS's.
        propagateTags: "TASK_DEFINITION",
        enableECSManagedTags: true,
    }), o));
    const taskArn = started.tasks?.at(0)?.taskArn;
    if (taskArn === undefined) {
        const why = (started.failures ?? []).map((f) => [f.reason, f.detail].filter(Boolean).join(": ")).join("; ");
        throw new OperatorError(`ECS did not start the task: ${why || "RunTask returned no task"}`);
    }
    const taskId = taskIdOf(taskArn);
    run.err(`task ${taskId} of ${taskIdOf(taskDefinition)} started on ${cluster}${command.length > 0 ? `: ${command.join(" ")}` : ""}`
        + ` (Ctrl-C stops waiting, not the task: aws ecs stop-task --cluster ${cluster} --task ${taskId})`);
    // The stack's awslogs-stream-prefix is the container's name, which is the service's key.
    const logs = taskLogStream(aws, target.logGroupName, `${target.key}/${target.key}/${taskId}`, taskId, run.out);
    let lastStatus: string | undefined;
    for (;;) {
        const task = await describeTask(aws, cluster, taskArn);
        if (task.lastStatus !== lastStatus) run.err(`task ${taskId}: ${(lastStatus = task.lastStatus)}`);
        await logs.drain();
        if (task.lastStatus === "STOPPED") return exitStatus(task, target.key, run);
        await run.clock.sleep(pollMs);
    }
}

async function describeTask(aws: AwsClients, cluster: string, taskArn: string): Promise<Task> {
    const answer = await call(aws, "ECS DescribeTasks", (o) => aws.ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }), o));
    const task = answer.tasks?.at(0);
    if (task === undefined) {
        throw new OperatorError(`ECS no longer knows task ${taskIdOf(taskArn)}: ${answer.failures?.at(0)?.reason ?? "DescribeTasks returned no task"}`);
    }
    return task;
}

/** The container's exit code; a container that never ran (no exit code) is 1, with ECS's reasons. */
function exitStatus(task: Task, containerName: string, run: TaskRun): number {
    const container = task.containers?.find((c) => c.name === containerName);
    const taskId = taskIdOf(task.taskArn);
    if (container?.exitCode === undefined) {
        const reasons = [task.stoppedReason, container?.reason].filter(Boolean).join("; ");
        run.err(`task ${taskId} stopped without running its container (${task.stopCode ?? "no stop code"}): ${reasons || "ECS gave no reason"}`);
        return 1;
    }
    run.err(`task ${taskId} stopped: container ${containerName} exited with ${container.exitCode}${task.stoppedReason ? ` (${task.stoppedReason})` : ""}`);
    return container.exitCode;
}
