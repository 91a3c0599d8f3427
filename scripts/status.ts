// `npm run status -- [--stack NAME] [--service NAME] [--events N] [--timeout SECONDS] [--json]`: per service
// of the stack, by its type: for a web, backend or worker service its deployments, tasks per AZ and host, Service
// Connect, a web service's target health, alarms and latest events, and whether it is steady; for a scheduled job
// its schedule and last runs, and whether the last one failed. Exit 0 steady, 1 not (one line per reason), 2 when
// it cannot tell. A deployment alarm in ALARM adds a warning at the end: a deploy started now would not roll back on it.
import { deploymentAlarmWarnings } from "./alarmsBefore";
import { parseStrict, Refusal } from "./cliArgs";
import { AwsClients, awsClients } from "./status/aws";
import { collectService } from "./status/collect";
import { collectJob } from "./status/job";
import { jobVerdict, renderJob } from "./status/jobReport";
import { parseOutputs, StackOutputs, StatusError } from "./status/outputs";
import { commandLineIo, exitWith } from "./operator/command";
import { ReadOutputs, StackOutputsError, stackOutputsExitCode } from "./stackOutputs";
import { renderService, verdict } from "./status/report";

export interface StatusOptions {
    /** Absent: the selected stack. */
    stack?: string;
    service?: string;
    events: number;
    timeoutSeconds: number;
    json: boolean;
    help: boolean;
}

export interface StatusDeps {
    /** The stack's outputs; tests give recorded ones. */
    readOutputs: ReadOutputs;
    out: (text: string) => void;
    err: (text: string) => void;
}

const usage = [
    "usage: npm run status -- [--stack NAME] [--service NAME] [--events N] [--timeout SECONDS] [--json]",
    "  --stack NAME       Pulumi stack to read outputs from (default: the selected stack)",
    "  --service NAME     only this entry of the stack's services output (default: all)",
    "  --events N         how many of the latest service events to show (default 5)",
    "  --timeout SECONDS  most one AWS call may take, retries included (default 10)",
    "  --json             print the status as JSON instead of text",
    "exit status: 0 steady, 1 not steady, 2 usage, credentials or stack outputs problem",
].join("\n");

function numberFlag(flag: string, value: string, { integer, min }: { integer: boolean; min: number }): number {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
        throw new StatusError(`${flag} takes a${integer ? " whole" : ""} number of at least ${min}, got ${JSON.stringify(value)}\n${usage}`);
    }
    return n;
}

const options = {
    stack: { type: "string" },
    service: { type: "string" },
    events: { type: "string" },
    timeout: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
} as const;

/** How each value option says what it takes; the numbers' message also shows what was given. */
const takes: Record<string, (got: string) => string> = {
    "--stack": () => "--stack takes a name",
    "--service": () => "--service takes a name",
    "--events": (got) => `--events takes a whole number of at least 0, got ${JSON.stringify(got)}`,
    "--timeout": (got) => `--timeout takes a number of at least 0.1, got ${JSON.stringify(got)}`,
};

const refused = (refusal: Refusal) => new StatusError(`${refusal.kind === "unknown" ? `unknown argument ${JSON.stringify(refusal.arg)}`
    : refusal.kind === "no value" ? takes[refusal.option](refusal.got) : `${refusal.option} takes no value`}\n${usage}`);

/** A name given as `--stack NAME` or `--stack=NAME`; an empty one names nothing. */
function nameFlag(flag: "--stack" | "--service", value: string | undefined): string | undefined {
    if (value === "") throw new StatusError(`${takes[flag]("")}\n${usage}`);
    return value;
}

/** The command line as options; anything it does not know is a StatusError carrying the usage. */
export function parseArgs(argv: string[]): StatusOptions {
    const { values } = parseStrict(argv, options, false, refused);
    const stack = nameFlag("--stack", values.stack);
    const service = nameFlag("--service", values.service);
    return {
        ...(stack === undefined ? {} : { stack }),
        ...(service === undefined ? {} : { service }),
        events: values.events === undefined ? 5 : numberFlag("--events", values.events, { integer: true, min: 0 }),
        timeoutSeconds: values.timeout === undefined ? 10 : numberFlag("--timeout", values.timeout, { integer: false, min: 0.1 }),
        json: values.json === true,
        help: values.help === true,
    };
}

/** Runs the command and returns its exit status; only StatusErrors are expected, anything else is a bug. */
export async function main(argv: string[], deps: StatusDeps): Promise<number> {
    try {
        const options = parseArgs(argv);
        if (options.help) {
            deps.out(usage);
            return 0;
        }
        return await report(options, deps);
    } catch (error) {
        if (error instanceof StatusError || error instanceof StackOutputsError) {
            deps.err(`status: ${error.message}`);
            return error instanceof StackOutputsError ? stackOutputsExitCode : 2;
        }
        throw error;
    }
}

async function report(options: StatusOptions, deps: StatusDeps): Promise<number> {
    const read = deps.readOutputs(options.stack);
    const outputs = parseOutputs(read);
    const keys = Object.keys(outputs.services);
    if (options.service !== undefined && !keys.includes(options.service)) {
        throw new StatusError(`stack ${read.stack} has no service ${JSON.stringify(options.service)}; it has: ${keys.join(", ") || "none"}`);
    }
    const aws = awsClients(outputs.region, options.timeoutSeconds * 1000);
    const selected = options.service === undefined ? keys : [options.service];
    const judged = await Promise.all(selected.map((key) => judge(aws, key, outputs, options.events)));
    const steady = judged.every((s) => s.status.reasons.length === 0);
    // A deploy now would start with these in ALARM, and ECS would ignore the service's alarms for all of it.
    const warnings = deploymentAlarmWarnings(judged.flatMap((s) => s.alarming), "the next deploy");
    if (options.json) {
        deps.out(JSON.stringify({ stack: read.stack, region: outputs.region, steady, warnings, services: judged.map((s) => s.status) }, null, 2));
    } else {
        deps.out([`stack ${read.stack} (${outputs.region}), dashboard: ${outputs.dashboardUrl}`, ...judged.map((s) => s.text),
            ...(warnings.length > 0 ? [warnings.join("\n")] : [])].join("\n\n"));
    }
    return steady ? 0 : 1;
}

/** One entry of the services output, collected, judged and rendered the way its type calls for. */
async function judge(aws: AwsClients, key: string, outputs: StackOutputs, events: number) {
    const service = outputs.services[key];
    if (service.type === "job") {
        const job = await collectJob(aws, key, service, outputs.clusterName);
        const reasons = jobVerdict(job);
        // A job's alarm (its failed runs) is no deployment alarm: no ECS deployment watches it.
        return { status: { ...job, reasons }, text: renderJob(job, reasons), alarming: [] };
    }
    const status = await collectService(aws, key, service, events);
    const reasons = verdict(status);
    const alarming = status.alarms.filter((a) => a.state === "ALARM").map((a) => ({ service: key, name: a.name, reason: a.reason }));
    return { status: { ...status, reasons }, text: renderService(status, reasons), alarming };
}

if (require.main === module) {
    exitWith(main(process.argv.slice(2), commandLineIo));
}
