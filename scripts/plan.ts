// `npm run plan [-- --json] [-- --stack dev]`: the program evaluated on the fake AWS of the unit tests,
// with no credentials and no Pulumi CLI, printed as the resource tree a reviewer reads.
import * as path from "node:path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { deploy, Deployment, stackConfigFile } from "../tests/fakeAws";

const repoRoot = path.resolve(__dirname, "..");

/** One resource of the plan: what it is, where it sits, and the properties it is created with. */
export interface PlannedResource {
    type: string;
    name: string;
    parent?: string;
    properties: Record<string, unknown>;
}

/**
 * The plan of a deployment: resources in tree order (parents first, siblings by type and name),
 * properties flattened to sorted dotted paths, JSON documents expanded, user data decoded,
 * secrets redacted, and whatever depends on the app's source or this checkout's path made neutral,
 * so the plan changes only when the infrastructure does.
 */
export function planOf(deployment: Deployment): PlannedResource[] {
    const byParent = new Map<string | undefined, Deployment["resources"]>();
    for (const resource of deployment.resources) {
        byParent.set(resource.parent, [...(byParent.get(resource.parent) ?? []), resource]);
    }
    const ordered: PlannedResource[] = [];
    const visit = (parent: string | undefined) => {
        const children = [...(byParent.get(parent) ?? [])]
            .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
        for (const child of children) {
            ordered.push({ type: child.type, name: child.name, parent: child.parent, properties: flatten(child.inputs) });
            visit(child.name);
        }
    };
    visit(undefined);
    return ordered;
}

function flatten(value: unknown, prefix = "", into: Record<string, unknown> = {}): Record<string, unknown> {
    const readable = readableValue(prefix, value);
    if (readable !== null && typeof readable === "object" && !isSecret(readable)
        && Object.keys(readable).length > 0) {
        for (const key of Object.keys(readable).sort(compareKeys)) {
            flatten((readable as Record<string, unknown>)[key], prefix ? `${prefix}.${key}` : key, into);
        }
    } else if (prefix !== "") {
        into[prefix] = isSecret(readable) ? "[secret]" : neutral(readable);
    }
    return into;
}

// Array indexes sort as numbers, so item 10 follows item 9.
function compareKeys(a: string, b: string): number {
    return /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b);
}

function readableValue(key: string, value: unknown): unknown {
    if (typeof value !== "string") {
        return value;
    }
    if (key === "userData") {
        return Buffer.from(value, "base64").toString("utf8").split("\n").filter((line) => line !== "");
    }
    if (/^[[{]/.test(value)) {
        try {
            return JSON.parse(value) as unknown;
        } catch {
            return value;
        }
    }
    return value;
}

function isSecret(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

function neutral(value: unknown): unknown {
    return typeof value !== "string" ? value : value
        .replaceAll(repoRoot, "<repo>")
        .replace(/src-[0-9a-f]{16}/g, "src-<content hash>")
        .replace(/sha256:[0-9a-f]{64}/g, "sha256:<digest>");
}

/** The plan as an indented tree, one property a line. */
export function renderPlan(plan: PlannedResource[]): string {
    const depth = new Map<string, number>();
    const lines: string[] = [];
    for (const resource of plan) {
        const level = resource.parent === undefined ? 0 : (depth.get(resource.parent) ?? 0) + 1;
        depth.set(resource.name, level);
        const indent = "  ".repeat(level);
        lines.push(`${indent}${resource.name}  (${resource.type})`);
        for (const [key, value] of Object.entries(resource.properties)) {
            lines.push(`${indent}    ${key}: ${JSON.stringify(value)}`);
        }
    }
    return `${lines.join("\n")}\n`;
}

/** The plan of a stack's config file (Pulumi.<stack>.yaml), as text or as stable JSON. */
export async function planOfStack(stack: string, format: "text" | "json"): Promise<string> {
    const plan = planOf(await deploy(stackConfigFile(stack)));
    return format === "json" ? `${JSON.stringify(plan, null, 2)}\n` : renderPlan(plan);
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const stackIndex = args.indexOf("--stack");
    const stack = stackIndex >= 0 ? args[stackIndex + 1] : "dev";
    planOfStack(stack, args.includes("--json") ? "json" : "text").then(
        (text) => process.stdout.write(text),
        (error: Error) => {
            console.error(`plan failed: ${error.message}`);
            process.exitCode = 1;
        },
    );
}
