// The verdict on a scheduled job (did its last finished run succeed) and its plain-text rendering.
import type { JobRun, JobStatus } from "./job";
import { time } from "./report";

/** Why the job needs a look, one line each; empty when its last finished run succeeded (or none is left) and no alarm fired. */
export function jobVerdict(status: JobStatus): string[] {
    const last = status.runs.find((r) => r.outcome !== "RUNNING");
    return [
        ...(last?.outcome === "FAILED" ? [`last run ${last.taskId} (${last.taskDefinition}, ${time(last.createdAt)}) failed: ${exits(last)}`] : []),
        ...status.alarms.filter((a) => a.state === "ALARM").map((a) => `alarm ${a.name} is in ALARM${a.reason ? `: ${a.reason}` : ""}`),
    ];
}

/** What each container's end was, and ECS's reason for stopping the task. */
function exits(run: JobRun): string {
    const containers = run.containers.map((c) => `${c.name} ${c.exitCode === undefined ? `no exit code${c.reason ? ` (${c.reason})` : ""}` : `exit ${c.exitCode}`}`);
    return [containers.join(", ") || "no containers", run.stoppedReason].filter((part) => part !== undefined).join("; ");
}

function runLine(run: JobRun): string {
    const span = `${time(run.createdAt)} → ${run.stoppedAt ? time(run.stoppedAt) : "now"}`;
    return `    ${run.outcome.padEnd(9)} ${span}  task ${run.taskId}  ${run.taskDefinition}${run.outcome === "RUNNING" ? "" : `  ${exits(run)}`}`;
}

/** One job's status as the operator reads it, ending in the verdict. */
export function renderJob(status: JobStatus, reasons: string[]): string {
    const { schedule } = status;
    return [
        `${status.key} (job): schedule ${schedule.name} (group ${schedule.group}), task family ${status.family} in cluster ${status.clusterName}`,
        `  schedule: ${schedule.state}  ${schedule.expression}${schedule.timezone ? ` (${schedule.timezone})` : ""}`
            + `${schedule.taskDefinition ? `  runs ${schedule.taskDefinition}` : ""}`,
        // Nothing in GetSchedule's answer says when the schedule fires next; the expression is what there is.
        `  last runs (newest first; ECS keeps stopped tasks only about an hour, older runs are in the log group ${status.logGroupName}):`,
        ...(status.runs.length > 0 ? status.runs.map(runLine) : ["    none in the last hour or so"]),
        ...(status.alarms.length > 0 ? ["  alarms:", ...status.alarms.map((a) => `    ${a.state.padEnd(17)} ${a.name}`)] : []),
        ...(reasons.length > 0 ? ["  NEEDS A LOOK:", ...reasons.map((r) => `    - ${r}`)] : ["  OK"]),
    ].join("\n");
}
