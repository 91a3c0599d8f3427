// `npm run -s plan [-- --stack NAME] [--json]`: the program evaluated on the fake AWS, with no credentials
// and no Pulumi CLI: a header (stack, region, resource count, what preview would warn about, the capacity
// model's summary) and the resource tree a reviewer reads, or all of it as JSON on stdout.
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { CapacitySummary, renderCapacitySummary } from "../infra/models/capacitySummary";
import { CostEstimate } from "../infra/cost/estimate";
import { renderEstimateText } from "../infra/cost/render";
import { accountId } from "../offline/fakeAws";
import { deploy, Deployment, RegisteredResource } from "../offline/run";
import { stackConfigFile } from "../offline/stackFiles";
import { repoRoot } from "../infra/paths";
import { parseStrict } from "./cliArgs";


export const usage = `usage: npm run -s plan -- [--stack NAME] [--json]

Evaluates the Pulumi program on the offline fake AWS (no credentials, no Pulumi CLI) for the stack's
config (Pulumi.yaml's defaults, then Pulumi.NAME.yaml) and prints what it would create: a header with
the capacity summary and what pulumi preview would warn about, then every resource with its options
and inputs. Invented values are placeholders: account ${accountId}, IDs starting 0000.

  --stack NAME   the stack whose Pulumi.NAME.yaml to read (default: dev)
  --json         the same as stable JSON on stdout, nothing else (use npm run -s so npm prints no banner)
  --help         print this`;

/** One resource of the plan: what it is, where it sits, the options that change how Pulumi treats it, its inputs. */
export interface PlannedResource {
    type: string;
    name: string;
    parent?: string;
    /** How deep in the tree of components it sits: 0 for the stack. */
    depth: number;
    options: Record<string, unknown>;
    properties: Record<string, unknown>;
}

/** Everything the plan reports about a stack. */
export interface StackPlan {
    stack: string;
    region: string;
    resourceCount: number;
    warnings: string[];
    capacity?: CapacitySummary;
    /** The monthly estimate at the minimum fleet and at the maximum the config allows. */
    cost: CostEstimate;
    resources: PlannedResource[];
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
        byParent.set(resource.parentUrn, [...(byParent.get(resource.parentUrn) ?? []), resource]);
    }
    const ordered: PlannedResource[] = [];
    const visit = (parentUrn: string | undefined, depth: number) => {
        const children = [...(byParent.get(parentUrn) ?? [])]
            .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
        for (const child of children) {
            ordered.push({
                type: child.type, name: child.name, parent: child.parent, depth,
                options: optionsOf(child), properties: flatten(child.inputs),
            });
            visit(child.urn, depth + 1);
        }
    };
    visit(undefined, 0);
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
    const lines: string[] = [];
    for (const resource of plan) {
        const indent = "  ".repeat(resource.depth);
        lines.push(`${indent}${resource.name}  (${resource.type})`);
        for (const [option, value] of Object.entries(resource.options)) {
            lines.push(`${indent}    [${option}] ${JSON.stringify(value)}`);
        }
        for (const [key, value] of Object.entries(resource.properties)) {
            lines.push(`${indent}    ${key}: ${JSON.stringify(value)}`);
        }
    }
    return `${lines.join("\n")}\n`;
}


// Options that change what Pulumi does with a resource; defaults are left out.
function optionsOf(resource: RegisteredResource): Record<string, unknown> {
    return Object.fromEntries(Object.entries({
        dependsOn: [...resource.explicitDependsOn].sort(),
        ignoreChanges: resource.ignoreChanges,
        protect: resource.protect,
        deleteBeforeReplace: resource.deleteBeforeReplace,
        aliases: resource.aliases.map((urn) => urn.split("::").slice(2).join("::")),
    }).filter(([, value]) => (Array.isArray(value) ? value.length > 0 : value === true)));
}

/** The plan of a stack's config file (Pulumi.<stack>.yaml): its resources, warnings and capacity summary. */
export async function planOfStack(stack: string, dir?: string): Promise<StackPlan> {
    const deployment = await deploy({}, [], { stack, base: stackConfigFile(stack, dir) });
    if (deployment.report === undefined) {
        throw new Error("the program reported no capacity summary or cost estimate");
    }
    const resources = planOf(deployment);
    const { capacity, estimate: cost } = deployment.report;
    return { stack, region: deployment.region, resourceCount: resources.length, warnings: deployment.warnings, capacity, cost, resources };
}

/** The plan as text: the header, then the tree. */
export function renderStackPlan(plan: StackPlan): string {
    const header = [
        `# Offline plan of stack ${plan.stack} in ${plan.region}: ${plan.resourceCount} resources (placeholders: account ${accountId}, IDs 0000...)`,
        "# Capacity:",
        ...(plan.capacity ? renderCapacitySummary(plan.capacity) : ["unknown instance type"]).map((line) => `#   ${line}`),
        `# Warnings pulumi preview would show: ${plan.warnings.length === 0 ? "none" : ""}`,
        ...plan.warnings.map((warning) => `#   ${warning}`),
    ];
    const cost = renderEstimateText(plan.cost).trimEnd().split("\n").map((line) => `# ${line}`.trimEnd());
    return `${[...header, "#", ...cost].join("\n")}\n\n${renderPlan(plan.resources)}`;
}

const planOptions = { stack: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } } as const;

const stackNameError = (got: string) => new Error(`--stack takes a stack name, got ${JSON.stringify(got)}`);

/** Parses the command line: the stack and the format, or a usage error. */
export function parsePlanArgs(argv: readonly string[]): { stack: string; json: boolean; help: boolean } {
    const { values } = parseStrict(argv, planOptions, false, (refusal) => (refusal.kind === "no value" ? stackNameError(refusal.got)
        : new Error(refusal.kind === "unknown" ? `unknown argument ${JSON.stringify(refusal.arg)}` : `${refusal.option} takes no value`)));
    const stack = values.stack ?? "dev";
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw stackNameError(stack);
    return { stack, json: values.json === true, help: values.help === true };
}

/** Where the plan and its errors go: stdout and stderr outside tests. */
export interface PlanIo {
    out(text: string): void;
    err(text: string): void;
}

/** Prints the plan; resolves to the exit status: 0 printed, 1 the program failed, 2 usage error. */
export async function main(argv: readonly string[], io: PlanIo): Promise<number> {
    let args: ReturnType<typeof parsePlanArgs>;
    try {
        args = parsePlanArgs(argv);
    } catch (error) {
        io.err(`plan: ${(error as Error).message}\n${usage}\n`);
        return 2;
    }
    if (args.help) {
        io.out(`${usage}\n`);
        return 0;
    }
    try {
        const plan = await planOfStack(args.stack);
        io.out(args.json ? `${JSON.stringify(plan, null, 2)}\n` : renderStackPlan(plan));
        return 0;
    } catch (error) {
        io.err(`plan failed: ${(error as Error).message}\n`);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2), { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) })
        .then((code) => { process.exitCode = code; });
}
