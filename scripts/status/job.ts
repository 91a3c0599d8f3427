// Reads a scheduled job's state: its EventBridge Scheduler schedule, and its last runs, which are ECS tasks of
// its task definition family. Scheduler's docs do not say what `startedBy` it gives the tasks it starts, so the
// runs are found by family instead; ECS keeps a stopped task only about an hour, so older runs are not there.
import { GetScheduleCommand } from "@aws-sdk/client-scheduler";
import { Task } from "@aws-sdk/client-ecs";
import { AwsClients, call, lastSegment, taskDefinitionName } from "./aws";
import { AlarmState, alarmStates, findTasks } from "./collect";
import { JobOutputs } from "./outputs";

/** How many runs to show, newest first: the last one decides the verdict, the others show a pattern. */
const runCount = 5;

export interface ContainerExit {
    name: string;
    exitCode?: number;
    reason?: string;
}

export interface JobRun {
    taskId: string;
    taskDefinition: string;
    /** RUNNING: not finished; SUCCEEDED: every container exited 0; FAILED: any other end, or none recorded. */
    outcome: "RUNNING" | "SUCCEEDED" | "FAILED";
    createdAt?: Date;
    stoppedAt?: Date;
    containers: ContainerExit[];
    stoppedReason?: string;
}

export interface JobStatus {
    type: "job";
    key: string;
    schedule: {
        name: string;
        group: string;
        state: string;
        expression: string;
        timezone?: string;
        /** The task definition the schedule runs, `family:revision`. */
        taskDefinition?: string;
    };
    family: string;
    clusterName: string;
    logGroupName: string;
    /** Newest first, at most runCount. */
    runs: JobRun[];
    /** The failed-run alarm: it still remembers a failure whose task ECS has forgotten. */
    alarms: AlarmState[];
}

/** The schedule's name and group, from the outputs, or out of its ARN (`…:schedule/GROUP/NAME`). */
function scheduleId(outputs: JobOutputs): { name: string; group: string } {
    const [, group, name] = outputs.scheduleArn?.split(":schedule/")[1]?.match(/^([^/]+)\/(.+)$/) ?? [];
    return { name: outputs.scheduleName ?? name, group: outputs.scheduleGroupName ?? group ?? "default" };
}

function run(task: Task): JobRun {
    const containers = (task.containers ?? []).map((c) => ({ name: c.name ?? "?", exitCode: c.exitCode, reason: c.reason }));
    const outcome = task.lastStatus !== "STOPPED" ? "RUNNING"
        : containers.length > 0 && containers.every((c) => c.exitCode === 0) ? "SUCCEEDED" : "FAILED";
    return {
        taskId: lastSegment(task.taskArn),
        taskDefinition: taskDefinitionName(task.taskDefinitionArn),
        outcome,
        createdAt: task.createdAt,
        stoppedAt: task.stoppedAt,
        containers,
        stoppedReason: task.stoppedReason,
    };
}

/** Everything `npm run status` shows for one job: the schedule, and the runs ECS still knows, running or stopped. */
export async function collectJob(aws: AwsClients, key: string, outputs: JobOutputs, stackClusterName: string): Promise<JobStatus> {
    const id = scheduleId(outputs);
    const cluster = outputs.clusterName ?? stackClusterName;
    const [schedule, running, stopped, alarms] = await Promise.all([
        call(aws, "Scheduler GetSchedule", (o) => aws.scheduler.send(new GetScheduleCommand({ Name: id.name, GroupName: id.group }), o)),
        findTasks(aws, { cluster, family: outputs.taskDefinitionFamily, desiredStatus: "RUNNING" }),
        findTasks(aws, { cluster, family: outputs.taskDefinitionFamily, desiredStatus: "STOPPED" }),
        alarmStates(aws, outputs.alarmNames),
    ]);
    const runs = [...running, ...stopped]
        .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
        .slice(0, runCount)
        .map(run);
    const target = schedule.Target?.EcsParameters?.TaskDefinitionArn;
    return {
        type: "job",
        key,
        schedule: {
            ...id,
            state: schedule.State ?? "unknown",
            expression: schedule.ScheduleExpression ?? "unknown",
            timezone: schedule.ScheduleExpressionTimezone,
            taskDefinition: target === undefined ? undefined : taskDefinitionName(target),
        },
        family: outputs.taskDefinitionFamily,
        clusterName: cluster,
        logGroupName: outputs.logGroupName,
        runs,
        alarms,
    };
}
