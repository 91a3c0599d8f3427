// `npm run smoke -- [url] [options]` (`--help` for the options): the deployed web services' spread over
// tasks and AZs, and proof that they answer nothing but 2xx; the services without a public URL are named as
// skipped. The parts live in scripts/smoke/.
import { Args, parseArgs, Plan, resolveTargets, usage, UsageError } from "./smoke/args";
import type { Target } from "./smoke/probe";
import { renderTable } from "./smoke/report";
import { Clock, realClock } from "./smoke/clock";
import { RunOptions, smoke } from "./smoke/run";
import { commandLineIo, exitWith } from "./operator/command";
import { ReadOutputs, StackOutputsError, stackOutputsExitCode } from "./stackOutputs";

export interface Io {
    out(line: string): void;
    err(line: string): void;
    /** The stack's outputs; the Pulumi CLI outside tests. */
    readOutputs: ReadOutputs;
    clock?: Clock;
}

/** Runs the check; resolves to the exit status: 0 pass, 1 check failed, 2 usage error. */
export async function main(argv: string[], io: Io): Promise<number> {
    let args: Args;
    let plan: Plan;
    try {
        args = parseArgs(argv);
        if (args.help) {
            io.out(usage);
            return 0;
        }
        plan = resolveTargets(args, io.readOutputs);
    } catch (error) {
        if (!(error instanceof UsageError || error instanceof StackOutputsError)) throw error;
        io.err(`smoke: ${error.message}\n(npm run smoke -- --help for usage)`);
        return error instanceof StackOutputsError ? stackOutputsExitCode : 2;
    }
    for (const { name, reason } of plan.skipped) {
        io.out(`skipped ${name} (${reason})`);
    }
    // Exit 0, not 2: the stack is deployed as configured and nothing failed; a deploy job that smoke-checks
    // every stack must not fail on one that serves only internal services or jobs.
    if (plan.targets.length === 0) {
        io.out("no web service to check: the stack has no service with a public URL");
        return 0;
    }
    let passed = true;
    for (const target of plan.targets) {
        passed = (await check(target, args.run, io)) && passed;
    }
    return passed ? 0 : 1;
}

async function check(target: Target, options: RunOptions, io: Io): Promise<boolean> {
    const host = target.hostHeader ? ` (Host: ${target.hostHeader})` : "";
    const azs = target.expectAzs.length > 0 ? target.expectAzs.join(", ") : "any AZ";
    io.out(`smoke ${target.name}: ${options.requests} requests per round to ${target.url.href}${host}, `
        + `expecting at least ${target.expectTasks} tasks in ${azs}`);
    const { summary, reasons } = await smoke(target, options, io.out, io.clock ?? realClock);
    io.out(renderTable(summary));
    if (reasons.length === 0) {
        io.out(`PASS ${target.name}`);
    } else {
        io.err(`FAIL ${target.name}: ${reasons.join("; ")}`);
    }
    return reasons.length === 0;
}

if (require.main === module) {
    exitWith(main(process.argv.slice(2), commandLineIo));
}
