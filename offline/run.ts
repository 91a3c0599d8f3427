// Runs the Pulumi program on Pulumi's in-process mocks against the fake AWS, with config assembled the
// way the Pulumi CLI assembles it: Pulumi.yaml's defaults, then the stack's file, then overrides.
import { AsyncResource } from "node:async_hooks";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, StackConfig } from "../infra/config";
import { program, ProgramReport } from "../infra/program";
import { awsProviderType, FakeAws, FakeRegistry } from "./fakeAws";
import { project, withProjectDefaults } from "./stackFiles";

/** The config the program reads for a stack file's config (stackFiles.ts): Pulumi.yaml's defaults under it, validated. */
export function stackConfigOf(stackConfig: Readonly<Record<string, string>>): StackConfig {
    return parseStackConfig(project, withProjectDefaults(stackConfig));
}

/** A resource the program registered, with its options, the inputs it sent and the state the fake AWS gave back. */
export interface RegisteredResource {
    readonly type: string;
    readonly name: string;
    /** The URN the Pulumi engine would give it (parent types chained, as the engine does). */
    readonly urn: string;
    /** Name of the parent resource, if any. */
    readonly parent?: string;
    /** URN of the parent resource, if any. */
    readonly parentUrn?: string;
    /** Names of the resources it waits for: its inputs' sources and its explicit `dependsOn`. */
    readonly dependsOn: string[];
    /** Names of the resources it waits for that none of its inputs comes from: the explicit `dependsOn`. */
    readonly explicitDependsOn: string[];
    /** Properties whose changes Pulumi leaves alone. */
    readonly ignoreChanges: string[];
    readonly protect: boolean;
    readonly deleteBeforeReplace: boolean;
    /** URNs it was known by before: an existing stack's resource with one of these is updated, not replaced. */
    readonly aliases: string[];
    readonly inputs: Record<string, unknown>;
    readonly state: Record<string, unknown>;
}

/** What one run of the program on the fake AWS produced. */
export interface Deployment {
    readonly stack: string;
    readonly region: string;
    readonly resources: RegisteredResource[];
    readonly outputs: Record<string, unknown>;
    /** What the program logged as warnings (`pulumi.log.warn`), which the CLI shows at preview. */
    readonly warnings: string[];
    /** What it logged as information (`pulumi.log.info`), such as the cost estimate. */
    readonly infos: string[];
    /** The invokes (data-source look-ups) the program made, with their inputs and the provider they went through, in order. */
    readonly invokes: { readonly token: string; readonly inputs: Record<string, unknown>; readonly provider?: string }[];
    /** The capacity summary and the cost estimate the program computed; absent when a test brought its own program. */
    readonly report?: ProgramReport;
}

// The SDK's mocks, config and monitor are global to the process: one run at a time.
let previousRun: Promise<unknown> = Promise.resolve();
// A run makes tens of thousands of promises. Run from this module's own async context rather than the
// caller's, they are not followed by a test runner's per-test async hook (node:test's, which ties a late
// error to its test): a run costs about 15 % less CPU. Its result and errors reach the caller all the same.
const runContext = new AsyncResource("ecs-on-ec2:offline-run");

/**
 * Runs the program as the Pulumi CLI would for `stack`: Pulumi.yaml's defaults, then `base` (a stack
 * file's config; by default aws:region us-east-1), then `overrides` (keys without a prefix are the
 * project's). Rejects when the program throws, when the fake AWS refuses an input, or when it calls
 * something the fake cannot answer. `resources` receives every registration, even when the run fails.
 * Runs wait for the one before to finish.
 */
export function deploy(
    overrides: Record<string, string> = {},
    resources: RegisteredResource[] = [],
    options: DeployOptions = {},
): Promise<Deployment> {
    const result = previousRun.then(() => runContext.runInAsyncScope(() => deployNow(overrides, resources, options)));
    previousRun = result.catch(() => undefined);
    return result;
}

/** How deploy runs the program. */
export interface DeployOptions {
    readonly stack?: string;
    /** A stack file's config, under the overrides; by default aws:region us-east-1. */
    readonly base?: Record<string, string>;
    /** The program to run: the stack's own unless a test brings one. */
    readonly run?: () => Promise<Record<string, unknown>>;
    /** ECR's contents from earlier runs, as a later `pulumi up` finds them. */
    readonly registry?: FakeRegistry;
    /** Run as `pulumi preview` does (`pulumi.runtime.isDryRun()`). */
    readonly preview?: boolean;
}

async function deployNow(
    overrides: Record<string, string>,
    resources: RegisteredResource[],
    { stack = "dev", base = { "aws:region": "us-east-1" }, run, registry, preview = false }: DeployOptions,
): Promise<Deployment> {
    let report: ProgramReport | undefined;
    const runProgram = run ?? (() => program((found) => { report = found; }));
    const config = withProjectDefaults({
        ...base,
        ...Object.fromEntries(Object.entries(overrides).map(([key, value]) => [key.includes(":") ? key : `${project}:${key}`, value])),
    });
    const region = config["aws:region"] ?? "";
    const aws = new FakeAws(region, registry);
    const links = new Map<string, Links>();
    const invokes: Deployment["invokes"] = [];
    let failRun: (error: Error) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => { failRun = reject; });
    failure.catch(() => undefined);
    // A failed invoke leaves the program waiting forever on its outputs: fail the run instead.
    const failing = <T>(work: () => T): T => {
        try {
            return work();
        } catch (error) {
            failRun(error as Error);
            throw error;
        }
    };
    await pulumi.runtime.setMocks({
        newResource: ({ type, name, inputs, provider }) => {
            let state: Record<string, unknown>;
            try {
                // The program's own components are no AWS resources: nothing to check or compute.
                state = type.startsWith(`${project}:`) ? inputs
                    : type === awsProviderType ? aws.newProvider(name, inputs) : aws.newResource(type, name, inputs, provider);
            } catch (error) {
                // Refused: the run fails with AWS's reason. The registration itself is let through, so the
                // program's pending outputs settle instead of surfacing later as unhandled rejections.
                failRun(error as Error);
                state = inputs;
            }
            const link = links.get(`${type}::${name}`);
            if (link === undefined) {
                throw new Error(`${type} ${name} reached the mocks without passing the monitor`);
            }
            resources.push({ type, name, inputs, state, ...link });
            return { id: String(state.id ?? `${name}-id`), state };
        },
        call: ({ token, inputs, provider }) => failing(() => {
            invokes.push({ token, inputs, provider });
            return aws.invoke(token, inputs, provider);
        }),
    }, project, stack, preview);
    recordLinks(links, stack);
    pulumi.runtime.setAllConfig(config);

    const logged = captureLogs();
    // The SDK records a stack trace on every promise it makes (for its leak report); no mock reads it,
    // and formatting them is much of a run's time. Errors the program throws keep their messages, which
    // is all the plan and the tests read.
    const { stackTraceLimit } = Error;
    Error.stackTraceLimit = 0;
    try {
        const outputs = await Promise.race([runProgram(), failure]);
        const values = await Promise.race([resolveAll(outputs), failure]);
        // Registrations that no output depends on may still be in flight.
        await Promise.race([pulumi.runtime.disconnect(), failure]);
        return { stack, region, resources, outputs: values, warnings: logged.warnings, infos: logged.infos, invokes, report };
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        logged.restore();
    }
}

// With no engine to send them to, pulumi.log writes to the console: collect what the CLI would show.
function captureLogs() {
    const warnings: string[] = [];
    const infos: string[] = [];
    const { warn, log } = console;
    console.warn = (message: unknown) => { warnings.push(String(message).replace(/^warning: \[runtime\] /, "")); };
    console.log = (message: unknown) => { infos.push(String(message).replace(/^info: \[runtime\] /, "")); };
    return { warnings, infos, restore: () => { console.warn = warn; console.log = log; } };
}

async function resolveAll(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entries = await Promise.all(Object.entries(outputs).map(async ([key, value]) =>
        [key, pulumi.Output.isInstance(value) ? await valueOf(value) : value] as const));
    return Object.fromEntries(entries);
}

/** The value of an output, once resolved. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

type Links = Omit<RegisteredResource, "type" | "name" | "inputs" | "state">;

/** A registration request, as far as the mock monitor reads it. */
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }) => void): void };
    getIgnorechangesList(): string[];
    getProtect(): boolean | undefined;
    getDeletebeforereplace(): boolean;
    getAliasesList(): AliasMessage[];
}

interface AliasMessage {
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}

type Monitor = { registerResource(req: RegisterResourceRequest, callback: unknown): void };

// The mocks' newResource sees no parent, dependencies or options, so read them off the requests the monitor
// gets; and compute URNs as the engine does (the mocks shorten the chain of parent types).
function recordLinks(links: Map<string, Links>, stack: string): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
    const register = monitor.registerResource.bind(monitor);
    const qualifiedTypes = new Map<string, string>();
    const realUrns = new Map<string, string>();
    const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
    const urnOf = (parentMockUrn: string, type: string, name: string) => {
        const qualified = parentMockUrn ? `${qualifiedTypes.get(parentMockUrn)}$${type}` : type;
        return { qualified, urn: `urn:pulumi:${stack}::${project}::${qualified}::${name}` };
    };
    monitor.registerResource = (req, callback) => {
        const type = req.getType();
        const name = req.getName();
        const parent = req.getParent();
        const { qualified, urn } = urnOf(parent, type, name);
        // The mock monitor's own URN for this registration, which children name as their parent.
        const mockUrn = `urn:pulumi:${stack}::${project}::${parent ? `${parent.split("::")[2].split("$").pop()}$` : ""}${type}::${name}`;
        qualifiedTypes.set(mockUrn, qualified);
        realUrns.set(mockUrn, urn);
        const fromInputs = new Set<string>();
        req.getPropertydependenciesMap().forEach((dependencies) => dependencies.getUrnsList().forEach((dep) => fromInputs.add(dep)));
        links.set(`${type}::${name}`, {
            urn,
            parent: parent ? nameOf(parent) : undefined,
            parentUrn: parent ? realUrns.get(parent) : undefined,
            dependsOn: req.getDependenciesList().map(nameOf),
            explicitDependsOn: req.getDependenciesList().filter((dep) => !fromInputs.has(dep)).map(nameOf),
            ignoreChanges: req.getIgnorechangesList(),
            protect: req.getProtect() ?? false,
            deleteBeforeReplace: req.getDeletebeforereplace(),
            aliases: req.getAliasesList().map((alias) => {
                const spec = alias.getSpec();
                if (spec === undefined) {
                    return alias.getUrn();
                }
                const aliasParent = spec.getNoparent() ? "" : spec.getParenturn() || parent;
                return urnOf(aliasParent, spec.getType() || type, spec.getName() || name).urn;
            }),
        });
        register(req, callback);
    };
}
