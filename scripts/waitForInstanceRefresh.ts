// `npx tsx scripts/waitForInstanceRefresh.ts [--stack NAME] [--since ISO-TIME] [--timeout-minutes N]`: waits for the
// instance refresh of the stack's Auto Scaling group, which `pulumi up` starts on a launch template change (instance
// type, user data, a new template version) and does not wait for. `npm run deploy` and the deploy workflow run it
// between the up and the smoke check, with --since the time the up started. It waits for the newest refresh started
// since then, else for one still running; prints its progress; exits 0 when none is running or it succeeded, 1 with
// AWS's reason when it failed, was cancelled or rolled back, or outlasts the timeout, 2 when it cannot tell.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html
import { AutoScalingClient, DescribeInstanceRefreshesCommand, InstanceRefresh } from "@aws-sdk/client-auto-scaling";
import { z } from "zod";
import { parseStrict } from "./cliArgs";
import { Clock, realClock } from "./operator/clock";
import { commandLineIo, exitWith } from "./operator/command";
import { parseStackOutputs, ReadOutputs, StackOutputsError, stackOutputsExitCode } from "./stackOutputs";

export interface WaitDeps {
    /** The stack's outputs; the Pulumi CLI outside tests. */
    readOutputs: ReadOutputs;
    clock: Clock;
    out: (line: string) => void;
    err: (line: string) => void;
    /** The Auto Scaling client in the stack's region; tests mock AutoScalingClient. */
    client?: (region: string) => AutoScalingClient;
}

const usage = [
    "usage: npx tsx scripts/waitForInstanceRefresh.ts [--stack NAME] [--since ISO-TIME] [--timeout-minutes N] [--interval-seconds N]",
    "  --stack NAME            Pulumi stack to read outputs from (default: the selected stack)",
    "  --since ISO-TIME        wait for the newest refresh started at or after this time (when `pulumi up` started)",
    "  --timeout-minutes N     give up after N minutes (default 60); the refresh itself goes on in AWS",
    "  --interval-seconds N    seconds between polls (default 15)",
    "exit status: 0 no refresh running or it succeeded, 1 it failed, was cancelled or rolled back, or timed out, 2 usage or stack outputs problem",
].join("\n");

/** Still running: wait. https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstanceRefresh.html (Status) */
const running = new Set(["Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking"]);
/** Over without the group on the new configuration. */
const failed = new Set(["Failed", "Cancelled", "RollbackFailed", "RollbackSuccessful"]);

/** Tolerance for the local clock running ahead of AWS's when comparing --since with a refresh's StartTime. */
export const clockSkewMs = 60_000;

const outputsSchema = z.object({ autoScalingGroupName: z.string().min(1), region: z.string().min(1) });

class UsageError extends Error {}

interface Options { stack?: string; since?: number; timeoutMs: number; intervalMs: number; help: boolean }

function parse(argv: string[]): Options {
    const { values } = parseStrict(argv, {
        stack: { type: "string" },
        since: { type: "string" },
        "timeout-minutes": { type: "string" },
        "interval-seconds": { type: "string" },
        help: { type: "boolean", short: "h" },
    }, false, (refusal) => new UsageError(refusal.kind === "unknown" ? `unknown argument ${refusal.arg}`
        : refusal.kind === "no value" ? `${refusal.option} needs a value` : `${refusal.option} takes no value`));
    const positive = (flag: string, value: string | undefined, fallback: number) => {
        if (value === undefined) return fallback;
        const n = Number(value);
        if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} takes a number above 0, got ${JSON.stringify(value)}`);
        return n;
    };
    const since = values.since === undefined ? undefined : Date.parse(values.since);
    if (since !== undefined && Number.isNaN(since)) throw new UsageError(`--since takes an ISO time (2026-01-31T12:00:00Z), got ${JSON.stringify(values.since)}`);
    return {
        stack: values.stack,
        since,
        timeoutMs: positive("--timeout-minutes", values["timeout-minutes"], 60) * 60_000,
        intervalMs: positive("--interval-seconds", values["interval-seconds"], 15) * 1000,
        help: values.help ?? false,
    };
}

/** The refresh to wait for: the newest started since `since`, else the newest still running. */
export function pick(refreshes: readonly InstanceRefresh[], since: number | undefined): InstanceRefresh | undefined {
    const started = (r: InstanceRefresh) => r.StartTime?.getTime() ?? 0;
    const newestFirst = [...refreshes].sort((a, b) => started(b) - started(a));
    const sinceUp = since === undefined ? undefined : newestFirst.find((r) => started(r) >= since - clockSkewMs);
    return sinceUp ?? newestFirst.find((r) => running.has(String(r.Status)));
}

function progress(refresh: InstanceRefresh): string {
    const parts = [String(refresh.Status)];
    if (refresh.PercentageComplete !== undefined) parts.push(`${refresh.PercentageComplete}% complete`);
    if (refresh.InstancesToUpdate !== undefined) parts.push(`${refresh.InstancesToUpdate} host(s) still to replace`);
    if (refresh.StatusReason) parts.push(refresh.StatusReason);
    return parts.join(", ");
}

/** Resolves to the exit status. */
export async function main(argv: string[], deps: WaitDeps): Promise<number> {
    let options: Options;
    let group: string;
    let region: string;
    try {
        options = parse(argv);
        if (options.help) {
            deps.out(usage);
            return 0;
        }
        ({ autoScalingGroupName: group, region } = parseStackOutputs(outputsSchema, deps.readOutputs(options.stack), "waitForInstanceRefresh"));
    } catch (error) {
        if (!(error instanceof UsageError || error instanceof StackOutputsError)) throw error;
        deps.err(`waitForInstanceRefresh: ${error.message}${error instanceof UsageError ? `\n${usage}` : ""}`);
        return error instanceof StackOutputsError ? stackOutputsExitCode : 2;
    }
    const client = (deps.client ?? ((r) => new AutoScalingClient({ region: r })))(region);
    const deadline = deps.clock.now() + options.timeoutMs;
    let id: string | undefined;
    let last = "";
    for (;;) {
        let refreshes: InstanceRefresh[];
        try {
            const response = await client.send(new DescribeInstanceRefreshesCommand({
                AutoScalingGroupName: group, ...(id ? { InstanceRefreshIds: [id] } : { MaxRecords: 20 }),
            }));
            refreshes = response.InstanceRefreshes ?? [];
        } catch (error) {
            deps.err(`waitForInstanceRefresh: DescribeInstanceRefreshes on ${group} in ${region} failed: ${(error as Error).message}`);
            return 2;
        }
        const refresh = id ? refreshes.find((r) => r.InstanceRefreshId === id) : pick(refreshes, options.since);
        if (refresh === undefined) {
            // Only before the first pick: AWS keeps a refresh's record for months after it ends.
            deps.out(`no instance refresh running on ${group}: the hosts are as the launch template says`);
            return 0;
        }
        id ??= refresh.InstanceRefreshId;
        const line = `instance refresh ${refresh.InstanceRefreshId} of ${group}: ${progress(refresh)}`;
        if (line !== last) deps.out(line);
        last = line;
        if (refresh.Status === "Successful") return 0;
        if (failed.has(String(refresh.Status))) {
            deps.err(`waitForInstanceRefresh: the instance refresh ${refresh.InstanceRefreshId} of ${group} ended ${refresh.Status}: `
                + `${refresh.StatusReason ?? "AWS gave no reason"}. See README "Instance refresh" for how to recover.`);
            return 1;
        }
        if (!running.has(String(refresh.Status))) {
            deps.err(`waitForInstanceRefresh: the instance refresh ${refresh.InstanceRefreshId} of ${group} is ${refresh.Status}, a status this script does not know`);
            return 1;
        }
        if (deps.clock.now() + options.intervalMs > deadline) {
            deps.err(`waitForInstanceRefresh: the instance refresh ${refresh.InstanceRefreshId} of ${group} is still ${refresh.Status} `
                + `after ${options.timeoutMs / 60_000} minutes (${progress(refresh)}); it goes on in AWS: `
                + `aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${group} --region ${region}`);
            return 1;
        }
        await deps.clock.sleep(options.intervalMs);
    }
}

if (require.main === module) {
    exitWith(main(process.argv.slice(2), { ...commandLineIo, clock: realClock }));
}
