// What `npm run task`, `logs` and `exec` share: their errors and exit statuses, their command lines (options,
// a service, and for task and exec a command of its own), and the one service of the stack they act on; and what
// every script that reads the stack's outputs is run with from npm: the console, the outputs, its exit status.
import { parseArgs, ParseArgsOptionsConfig } from "node:util";
import { parseStrict, Refusal } from "../cliArgs";
import { pulumiStackOutputs, ReadOutputs, StackOutputsError, stackOutputsExitCode } from "../stackOutputs";

/** The command line is wrong: exit 2, naming the argument. */
export class UsageError extends Error {}

/** The command could not do its work (AWS refused, the task did not start, a tool is missing): exit 1. */
export class OperatorError extends Error {}

export interface Io {
    out(line: string): void;
    err(line: string): void;
    readOutputs: ReadOutputs;
}

/** What a command run from npm reads and writes: the console, and the stack's outputs through the Pulumi CLI. */
export const commandLineIo: Io = {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    readOutputs: pulumiStackOutputs,
};

/** Makes a command's exit status the process's, as npm reports it. */
export function exitWith(status: Promise<number>): void {
    status.then((code) => { process.exitCode = code; });
}

/** Runs a command's body; what it throws becomes a message on stderr and the exit status. Anything else is a bug. */
export async function runCommand(name: string, io: Io, body: () => Promise<number>): Promise<number> {
    try {
        return await body();
    } catch (error) {
        if (error instanceof UsageError) {
            io.err(`${name}: ${error.message}\n(npm run ${name} -- --help for usage)`);
            return 2;
        }
        if (error instanceof StackOutputsError || error instanceof OperatorError) {
            io.err(`${name}: ${error.message}`);
            return error instanceof StackOutputsError ? stackOutputsExitCode : 1;
        }
        throw error;
    }
}

const refused = (refusal: Refusal) => new UsageError(refusal.kind === "unknown" ? `unknown argument ${JSON.stringify(refusal.arg)}`
    : refusal.kind === "no value" ? `${refusal.option} needs a value` : `${refusal.option} takes no value`);

/**
 * `[options] SERVICE [COMMAND...]`: the options, the service, and everything after the first word that
 * follows the service as the command, verbatim, so the command's own flags (`--health-check`) stay its own.
 */
export function parseServiceLine<T extends ParseArgsOptionsConfig>(argv: readonly string[], options: T, takesCommand: boolean) {
    // Read leniently first, only to find where the command starts: the second positional word.
    const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
    const commandStart = takesCommand ? tokens.filter((t) => t.kind === "positional")[1]?.index ?? argv.length : argv.length;
    const { values, positionals } = parseStrict(argv.slice(0, commandStart), options, true, refused);
    if (positionals.length > 1) throw new UsageError(`one service only, got ${JSON.stringify(positionals[1])} too`);
    return { values, service: positionals.at(0), command: argv.slice(commandStart) };
}

/** A name option given empty (`--stack=`) names nothing. */
export function nameOption(flag: string, value: string | undefined): string | undefined {
    if (value === "") throw new UsageError(`${flag} needs a name`);
    return value;
}
