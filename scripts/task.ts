// `npm run task -- [--stack NAME] SERVICE [COMMAND...]` (`--help` for more): one task from the service's
// current task definition (a job's: its family's latest revision), its logs streamed, the container's exit code
// passed on. Parts in scripts/task/.
import { awsClients } from "./operator/aws";
import { Clock, realClock } from "./operator/clock";
import { commandLineIo, exitWith, Io, nameOption, parseServiceLine, runCommand, UsageError } from "./operator/command";
import { serviceTarget } from "./operator/outputs";
import { runTask } from "./task/run";

export const usage = `usage: npm run task -- [--stack NAME] SERVICE [COMMAND...]

Runs one task from SERVICE's current task definition (the one its ECS service runs now) on the stack's
cluster, with the service's capacity provider strategy; for a job, which has no ECS service, from the latest
ACTIVE revision of its task definition family, with the cluster's default capacity provider strategy.
COMMAND, when given, replaces the container's command, each word one argument (exec form, no shell).
Prints the task's log stream while it runs, waits for it to stop, and exits with the container's exit code.

  --stack NAME   read the outputs of this stack (default: the selected stack)
  --help         print this

Options go before COMMAND: every word after its first is the command's own.
Ctrl-C stops waiting, not the task (the line that starts it says how to stop it).

Exit status: the container's exit code; 1 when the task never ran its container (ECS's reason on stderr)
or AWS refused a call; 2 usage error or unreadable stack outputs.`;

const options = {
    stack: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

export interface TaskIo extends Io {
    clock?: Clock;
}

export async function main(argv: string[], io: TaskIo): Promise<number> {
    return runCommand("task", io, async () => {
        const { values, service, command } = parseServiceLine(argv, options, true);
        if (values.help) {
            io.out(usage);
            return 0;
        }
        if (service === undefined) throw new UsageError("name the service to run a task of");
        const target = serviceTarget(io.readOutputs(nameOption("--stack", values.stack)), service, "task");
        return runTask(target, command, { aws: awsClients(target.region, "task"), clock: io.clock ?? realClock, out: io.out, err: io.err });
    });
}

if (require.main === module) {
    exitWith(main(process.argv.slice(2), commandLineIo));
}
