// How `npm run task` and `npm run logs` print a log event, so their lines read alike.

/** A task's id: the last part of its ARN, and of its log stream's name (`prefix/container/id`). */
export const taskIdOf = (arnOrStream: string | undefined) => arnOrStream?.split("/").at(-1) ?? "?";

/** One log line as task and logs print it: time, task, message. */
export function logLine(timestamp: number | undefined, taskId: string, message: string | undefined): string {
    const at = timestamp === undefined ? "?" : new Date(timestamp).toISOString();
    return `${at} ${taskId} ${(message ?? "").replace(/\n$/, "")}`;
}
