// The project's config files, read the way the Pulumi CLI hands them to the program: every value a
// string, lists and objects as JSON.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../infra/paths";

export const project = "ecs-on-ec2";

let defaults: Readonly<Record<string, string>> | undefined;

/**
 * Pulumi.yaml's config defaults, as the CLI hands them to the program: strings, lists and objects as JSON.
 * Read once per process: a test process runs the program dozens of times, and parsing the file each time
 * cost more than some of those runs.
 */
export function projectDefaults(): Readonly<Record<string, string>> {
    if (defaults === undefined) {
        const { config } = readYaml("Pulumi.yaml") as { config: Record<string, { default: unknown }> };
        defaults = Object.freeze(Object.fromEntries(Object.entries(config).map(([key, { default: value }]) => [`${project}:${key}`, cliString(value)])));
    }
    return defaults;
}

/** What the CLI hands the program for a stack whose own file sets `stackConfig`: Pulumi.yaml's defaults under it. */
export function withProjectDefaults(stackConfig: Readonly<Record<string, string>>): Record<string, string> {
    return { ...projectDefaults(), ...stackConfig };
}

/** A stack file's config (Pulumi.<stack>.yaml in `dir`), as the CLI hands it to the program; refuses a file that sets none. */
export function stackConfigFile(stack: string, dir = repoRoot): Record<string, string> {
    const file = `Pulumi.${stack}.yaml`;
    if (!fs.existsSync(path.join(dir, file))) {
        throw new Error(`${file} does not exist: create the stack's file (pulumi stack init ${stack}, then pulumi config set aws:region ...)`);
    }
    const config = (readYaml(file, dir) as { config?: Record<string, unknown> } | null)?.config;
    if (config === undefined || config === null || Object.keys(config).length === 0) {
        throw new Error(`${file} sets no config; it needs at least aws:region (pulumi config set aws:region us-east-1 --stack ${stack})`);
    }
    return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, cliString(value)]));
}

function readYaml(file: string, dir = repoRoot): unknown {
    return parse(fs.readFileSync(path.join(dir, file), "utf8")) as unknown;
}

function cliString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
