// `npm run -s readme:config`: rewrites the README's two configuration tables. The cluster-wide keys come from
// Pulumi.yaml's config block (the CLI's schema: key, default, description) with each key's type from the zod
// schema; the per-service keys from the zod schema of a `services` entry (default and description).
// tests/config.test.ts fails while a table differs from what this writes.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CliType, clusterCliTypes, serviceSettingDocs } from "../infra/config";
import { repoRoot } from "../infra/paths";
import { GeneratedPart, writeGenerated } from "./generatedParts";

export const clusterKeysPart: GeneratedPart = {
    file: "README.md", name: "cluster-wide keys", script: "readme:config", source: "Pulumi.yaml and infra/config/stackConfig.ts",
};
export const serviceKeysPart: GeneratedPart = { file: "README.md", name: "per-service keys", script: "readme:config", source: "infra/config/services.ts" };

interface PulumiYamlKey {
    readonly type: string;
    readonly items?: { readonly type: string };
    readonly default: unknown;
    readonly description: string;
}

/** Pulumi.yaml's config block: each cluster-wide key the CLI knows, with its type, default and description. */
export function pulumiYamlKeys(): Record<string, PulumiYamlKey> {
    const project = parse(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as { config: Record<string, PulumiYamlKey> };
    return project.config;
}

function typeName(type: CliType): string {
    return type.type === "array" ? `array of ${typeName(type.items)}` : type.type;
}

// A string default as it is, but an empty one as "" so that the cell is not blank; none as "unset"; anything else as JSON.
function defaultText(value: unknown): string {
    if (value === undefined) {
        return "unset";
    }
    return typeof value === "string" && value !== "" ? value : JSON.stringify(value);
}

const cell = (text: string) => text.replaceAll("|", "\\|");

function table(headings: readonly string[], rows: readonly (readonly string[])[]): string {
    return [headings, headings.map(() => "---"), ...rows].map((row) => `| ${row.map(cell).join(" | ")} |`).join("\n");
}

/** The cluster-wide keys' table, in Pulumi.yaml's order. */
export function renderClusterKeysTable(): string {
    const rows = Object.entries(pulumiYamlKeys()).map(([key, declared]) => {
        const type = (clusterCliTypes as Readonly<Record<string, CliType>>)[key];
        if (type === undefined) {
            throw new Error(`Pulumi.yaml declares ${key}, which the config schema (infra/config/stackConfig.ts) does not have`);
        }
        return [`\`${key}\``, typeName(type), `\`${defaultText(declared.default)}\``, declared.description];
    });
    return table(["Key", "Type", "Default", "What it sets"], rows);
}

/** The per-service keys' table, in the schema's order, nested keys dotted. */
export function renderServiceKeysTable(): string {
    const rows = serviceSettingDocs().map((setting) => [`\`${setting.key}\``, `\`${defaultText(setting.default)}\``, setting.description]);
    return table(["Key", "Default", "What it sets"], rows);
}

if (require.main === module) {
    writeGenerated(clusterKeysPart, renderClusterKeysTable());
    writeGenerated(serviceKeysPart, renderServiceKeysTable());
}
