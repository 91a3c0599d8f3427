// `npm run exec -- [--stack NAME] SERVICE [COMMAND...]` (`--help` for more): ECS Exec into one running task
// of the service, through the AWS CLI and its Session Manager plugin. Parts in scripts/exec/.
import { spawn } from "node:child_process";
import { awsClients } from "./operator/aws";
import { commandLineIo, exitWith, Io, nameOption, parseServiceLine, runCommand, UsageError } from "./operator/command";
import { serviceTarget } from "./operator/outputs";
import { checkTools, executeCommandArgs, execTask, onPath, sessionCommand } from "./exec/session";
import { taskIdOf } from "./operator/logLine";

export const usage = `usage: npm run exec -- [--stack NAME] SERVICE [COMMAND...]

Opens an interactive ECS Exec session in SERVICE's container, in one of its running tasks, and runs
COMMAND there (default: /bin/sh). A service built from app-image has no shell: give a command, such as
  npm run exec -- app /app/EcsApp --health-check
Runs \`aws ecs execute-command\`, which needs the AWS CLI v2 and the Session Manager plugin on PATH.
The service must set \`exec: true\` in the stack's config (then deploy), so that its tasks run with ECS Exec on.
A job has no long-running tasks: run its command with \`npm run task -- JOB COMMAND...\` instead.

  --stack NAME   read the outputs of this stack (default: the selected stack)
  --help         print this

Options go before COMMAND: every word after its first is the command's own.

Exit status: the session's (the AWS CLI's); 1 when no session could open (missing tool, no running task,
ECS Exec off, AWS refused a call); 2 usage error (a job named, too) or unreadable stack outputs.`;

const options = {
    stack: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

export interface ExecIo extends Io {
    /** Whether a program is on PATH. */
    onPath(name: string): boolean;
    /** Runs `aws` with these arguments on the terminal; resolves to its exit status. */
    runAws(args: string[]): Promise<number>;
}

export async function main(argv: string[], io: ExecIo): Promise<number> {
    return runCommand("exec", io, async () => {
        const { values, service, command } = parseServiceLine(argv, options, true);
        if (values.help) {
            io.out(usage);
            return 0;
        }
        if (service === undefined) throw new UsageError("name the service to exec into");
        const target = serviceTarget(io.readOutputs(nameOption("--stack", values.stack)), service, "exec");
        if (target.type === "job") {
            throw new UsageError(`${target.key} is a job: it has no long-running tasks to exec into; `
                + `run its command in a task of its own instead: npm run task -- ${target.key} <command>`);
        }
        const line = sessionCommand(target, command);
        checkTools(io.onPath);
        const taskArn = await execTask(awsClients(target.region, "exec"), target);
        io.err(`exec: ${line} in container ${target.key} of task ${taskIdOf(taskArn)} (${target.clusterName})`);
        return io.runAws(executeCommandArgs(target, taskArn, line));
    });
}

/** `aws` on this terminal. Ctrl-C belongs to the remote session while it runs, so it must not end this process. */
function runAws(args: string[]): Promise<number> {
    const ignore = () => undefined;
    process.on("SIGINT", ignore);
    return new Promise<number>((resolve) => {
        const child = spawn("aws", args, { stdio: "inherit" });
        child.on("error", (error) => { console.error(`exec: could not run aws: ${error.message}`); resolve(1); });
        child.on("close", (code) => resolve(code ?? 1));
    }).finally(() => process.off("SIGINT", ignore));
}

if (require.main === module) {
    exitWith(main(process.argv.slice(2), { ...commandLineIo, onPath: (name) => onPath(name), runAws }));
}
