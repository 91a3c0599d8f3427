// `npm run logs -- SERVICE [--follow] [--since 10m] [--stack NAME]` (`--help` for more): the service's log
// group's events, each with its time and task, and with --follow the new ones until Ctrl-C.
import { awsClients } from "./operator/aws";
import { Clock, realClock } from "./operator/clock";
import { commandLineIo, exitWith, Io, nameOption, parseServiceLine, runCommand, UsageError } from "./operator/command";
import { serviceTarget } from "./operator/outputs";
import { parseSince, printEvents } from "./logs/events";

export const usage = `usage: npm run logs -- SERVICE [--follow] [--since DURATION] [--stack NAME]

Prints the events of SERVICE's log group (every task's container log; a job's: every run's) since DURATION
ago, oldest first, one line each: time (UTC), task id, message.

  --since DURATION   how far back: a whole number with s, m, h or d, as in 30s, 10m, 2h, 1d (default 10m)
  --follow           keep polling for new events until Ctrl-C
  --stack NAME       read the outputs of this stack (default: the selected stack)
  --help             print this

Exit status: 0 printed (or followed until Ctrl-C); 1 AWS refused a call; 2 usage error or unreadable
stack outputs.`;

const options = {
    since: { type: "string" },
    follow: { type: "boolean", short: "f" },
    stack: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

export interface LogsIo extends Io {
    clock?: Clock;
    /** Aborted on Ctrl-C (SIGINT) outside tests. */
    stop?: AbortSignal;
}

export async function main(argv: string[], io: LogsIo): Promise<number> {
    return runCommand("logs", io, async () => {
        const { values, service } = parseServiceLine(argv, options, false);
        if (values.help) {
            io.out(usage);
            return 0;
        }
        const sinceMs = parseSince(values.since ?? "10m");
        if (service === undefined) throw new UsageError("name the service whose logs to print");
        const target = serviceTarget(io.readOutputs(nameOption("--stack", values.stack)), service, "logs");
        await printEvents(target.logGroupName, sinceMs, values.follow === true, {
            aws: awsClients(target.region, "logs"), clock: io.clock ?? realClock, out: io.out, stop: io.stop ?? new AbortController().signal,
        });
        return 0;
    });
}

if (require.main === module) {
    const stop = new AbortController();
    // Ctrl-C ends --follow after the poll in flight, with exit 0: following is how the command is meant to end.
    // Only the first is caught, so a second one ends the process at once.
    process.once("SIGINT", () => stop.abort());
    exitWith(main(process.argv.slice(2), { ...commandLineIo, stop: stop.signal }));
}
