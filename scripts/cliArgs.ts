// The scripts' command lines, read by node:util's parseArgs in strict mode. Its errors are worded by Node;
// each script words its own usage error instead (and its tests assert that wording), from the Refusal that
// names the argument parseArgs refused and why.
import { parseArgs, ParseArgsOptionsConfig } from "node:util";

/** The first argument that strict parsing refuses, and why. */
export type Refusal =
    /** An option the script does not have, or a positional where it takes none. */
    | { kind: "unknown"; arg: string }
    /** A value option last on the line (got ""), or followed by an option-like word rather than a value. */
    | { kind: "no value"; option: string; got: string }
    /** A boolean option given a value, as in `--json=yes`. */
    | { kind: "value"; option: string };

/** `parseArgs` in strict mode; what it refuses becomes the error `refuse` makes of the Refusal. */
export function parseStrict<T extends ParseArgsOptionsConfig>(
    argv: readonly string[], options: T, allowPositionals: boolean, refuse: (refusal: Refusal) => Error,
) {
    try {
        return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
    } catch (error) {
        const refused = String((error as NodeJS.ErrnoException).code).startsWith("ERR_PARSE_ARGS_")
            ? refusal(argv, options, allowPositionals) : undefined;
        throw refused ? refuse(refused) : error;
    }
}

/**
 * The argument strict parsing stops at: the same tokens read leniently (which never throws), put to the
 * checks strict parsing makes, in order. Going by the tokens rather than Node's message keeps the
 * scripts' wording whatever Node's becomes.
 */
function refusal(argv: readonly string[], options: ParseArgsOptionsConfig, allowPositionals: boolean): Refusal | undefined {
    const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
    for (const token of tokens) {
        if (token.kind === "positional" && !allowPositionals) return { kind: "unknown", arg: token.value };
        if (token.kind !== "option") continue;
        const type = Object.hasOwn(options, token.name) ? options[token.name].type : undefined;
        if (type === undefined) return { kind: "unknown", arg: token.rawName };
        if (type === "boolean" && token.value !== undefined) return { kind: "value", option: token.rawName };
        if (type === "string" && (token.value === undefined || (!token.inlineValue && /^-./.test(token.value)))) {
            return { kind: "no value", option: token.rawName, got: token.value ?? "" };
        }
    }
    return undefined;
}
