// The stack outputs every operator command (smoke, status, task, logs, exec) works from, read one way: the
// backend and passphrase default as in scripts/stack.sh, so a command finds the stack `npm run deploy` made
// without any setup; the stack is --stack NAME, else the selected one; secrets stay hidden. Each command
// checks the outputs against a zod schema of just the part it reads.
import { spawnSync } from "node:child_process";
import { z } from "zod";
import { repoRoot } from "../infra/paths";

/** The outputs cannot be read, or lack what the command reads: every command exits with stackOutputsExitCode. */
export class StackOutputsError extends Error {}

/** Exit status on a StackOutputsError, the same as a usage error's: the command could not start on its work. */
export const stackOutputsExitCode = 2;

/** A stack's outputs as `pulumi stack output --json` prints them, with the name of the stack they are from. */
export interface StackRead {
    stack: string;
    outputs: unknown;
}

/** The outputs of the named stack, or of the selected one; the Pulumi CLI outside tests. */
export type ReadOutputs = (stack: string | undefined) => StackRead;

/** The Pulumi CLI's environment: stack.sh's backend unless PULUMI_BACKEND_URL names one (empty counts as unset, as there). */
export function pulumiEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    return {
        ...env,
        PULUMI_BACKEND_URL: env.PULUMI_BACKEND_URL || `file://${repoRoot}/.pulumi-state`,
        // Empty is allowed for a throwaway dev stack, as stack.sh allows it; outputs' secrets stay hidden anyway.
        PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE ?? "",
    };
}

/** `pulumi ARGS`' stdout, or a StackOutputsError; `failed` words a non-zero exit from Pulumi's stderr. */
function pulumi(args: string[], failed: (stderr: string) => string): string {
    const line = `pulumi ${args.join(" ")}`;
    const result = spawnSync("pulumi", args, { cwd: repoRoot, encoding: "utf8", timeout: 60_000, env: pulumiEnv() });
    if (result.error) {
        throw new StackOutputsError(`could not run \`${line}\`: ${result.error.message} (is the Pulumi CLI on PATH?)`);
    }
    if (result.status !== 0) throw new StackOutputsError(failed(result.stderr.trim()));
    return result.stdout;
}

/** The stack `pulumi stack select` chose on this backend (stack.sh selects the one it deploys). */
function selectedStack(): string {
    const backend = pulumiEnv().PULUMI_BACKEND_URL;
    const noStack = (why: string) => `no --stack given and no stack selected on ${backend} (${why}): `
        + "give --stack NAME, or select one with `pulumi stack select NAME`";
    const name = pulumi(["stack", "--show-name"], noStack).trim();
    if (name === "") throw new StackOutputsError(noStack("`pulumi stack --show-name` printed nothing"));
    return name;
}

/** `pulumi stack output --json --show-secrets=false --stack NAME`, for the named or the selected stack. */
export function pulumiStackOutputs(stack: string | undefined): StackRead {
    const name = stack ?? selectedStack();
    const args = ["stack", "output", "--json", "--show-secrets=false", "--stack", name];
    const stdout = pulumi(args, (stderr) => `\`pulumi ${args.join(" ")}\` failed: ${stderr}`);
    try {
        return { stack: name, outputs: JSON.parse(stdout) };
    } catch {
        throw new StackOutputsError(`\`pulumi ${args.join(" ")}\` printed something other than JSON`);
    }
}

/**
 * The part of the outputs `reader` reads, as its schema types it, or a StackOutputsError listing each field
 * that is off, so a stack from an older program fails with the field it lacks. `hint` ends the message.
 */
export function parseStackOutputs<T extends z.ZodType>(schema: T, read: StackRead, reader: string, hint = "deploy the current program first"): z.infer<T> {
    const parsed = schema.safeParse(read.outputs);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".") || "(outputs)"}: ${issue.message}`);
        throw new StackOutputsError(`stack ${read.stack}: its outputs lack what ${reader} reads (${hint}):\n${problems.join("\n")}`);
    }
    return parsed.data;
}

/**
 * One service's outputs, read by its `type` with the given variants; a missing `type` means web, since stacks
 * from before the types had only web services.
 */
export function serviceByType<Options extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]>(variants: Options) {
    return z.preprocess(
        (value) => (typeof value === "object" && value !== null && !("type" in value) ? { ...value, type: "web" } : value),
        z.discriminatedUnion("type", variants),
    );
}
