import { ParseArgsOptionsConfig } from "node:util";
import { parseStrict, Refusal } from "../cliArgs";
import type { Target } from "./probe";
import type { RunOptions } from "./run";
import { ReadOutputs, StackOutputsError } from "../stackOutputs";
import { parseStackOutputs, skipReason, StackOutputs, WebServiceOutputs } from "./stack";

export const usage = `usage: npm run smoke -- [url] [options]

Sends GET requests to the service and passes only if every answer is a 2xx from the app and at least
the expected number of distinct ECS tasks answered, in the expected AZs (N tasks need only N AZs).

With no url, checks every web service in the Pulumi stack's outputs (\`pulumi stack output --json\`):
each must answer from at least its desiredCount tasks, in the stack's availabilityZones. Backends,
workers and scheduled jobs have no public URL: the check names each one it skips (\`npm run status\`
shows their state), and passes a stack with no web service at all. With a url
(http:// when it has no scheme), the expectations come from the service in the outputs that has this
url, else from --expect-tasks (then required) and --expect-azs (then any AZ will do).

  --stack NAME            read the outputs of this stack (default: the selected stack)
  --service NAME          check only this service of the stack's outputs
  --expect-tasks N        at least N distinct tasks must answer (overrides desiredCount)
  --expect-azs a,b        the AZs that must answer (overrides availabilityZones)
  --requests N            requests per round (default 200)
  --concurrency N         requests in flight at once (default 10)
  --timeout-ms N          bound on each request (default 2000)
  --deadline S            while all answers are 2xx but too few tasks or AZs answered,
                          try again for up to S seconds (default 120)
  --listen-deadline S     while every connection is refused, try again for up to S seconds (default 10)
  --help                  print this

Any other failure ends the check at once: a non-2xx answer, a timeout or reset, or a refused connection
once anything has answered. Failures are counted per task and AZ when the body is the app's JSON, and
under "(unidentified)" otherwise (ALB error pages, transport errors).

Exit status: 0 pass, 1 check failed (reasons on stderr), 2 usage error or unreadable stack outputs.`;

export class UsageError extends Error {}

export interface Args {
    help: boolean;
    url?: URL;
    stack?: string;
    service?: string;
    expectTasks?: number;
    expectAzs?: string[];
    run: RunOptions;
}

type Setter = (args: Args, value: string, flag: string) => void;

const whole = (min: number, set: (args: Args, n: number) => void): Setter => (args, value, flag) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < min) {
        throw new UsageError(`${flag} takes a whole number of at least ${min}, got ${JSON.stringify(value)}`);
    }
    set(args, n);
};

/** The options that take a value (`--name value` or `--name=value`), each with what it sets. */
const valueFlags: Record<string, Setter> = {
    stack: (args, value) => { args.stack = value; },
    service: (args, value) => { args.service = value; },
    "expect-tasks": whole(1, (args, n) => { args.expectTasks = n; }),
    "expect-azs": (args, value) => { args.expectAzs = value.split(",").map((az) => az.trim()).filter((az) => az !== ""); },
    requests: whole(1, (args, n) => { args.run.requests = n; }),
    concurrency: whole(1, (args, n) => { args.run.concurrency = n; }),
    "timeout-ms": whole(1, (args, n) => { args.run.timeoutMs = n; }),
    deadline: whole(0, (args, n) => { args.run.deadlineSeconds = n; }),
    "listen-deadline": whole(0, (args, n) => { args.run.listenDeadlineSeconds = n; }),
};

const options: ParseArgsOptionsConfig = {
    help: { type: "boolean", short: "h" },
    ...Object.fromEntries(Object.keys(valueFlags).map((name) => [name, { type: "string" } as const])),
};

const refused = (refusal: Refusal) => new UsageError(refusal.kind === "unknown" ? `unknown option ${JSON.stringify(refusal.arg)}`
    : refusal.kind === "no value" ? `${refusal.option} needs a value` : `${refusal.option} takes no value`);

export function parseArgs(argv: string[]): Args {
    const { values, positionals } = parseStrict(argv, options, true, refused);
    const args: Args = {
        help: values.help === true,
        run: { requests: 200, concurrency: 10, timeoutMs: 2000, deadlineSeconds: 120, listenDeadlineSeconds: 10, retryPauseMs: 2000 },
    };
    for (const [name, set] of Object.entries(valueFlags)) {
        const value = values[name];
        if (typeof value === "string") set(args, value, `--${name}`);
    }
    if (positionals.length > 1) throw new UsageError(`one url only, got ${JSON.stringify(positionals[1])} too`);
    if (positionals.length === 1) args.url = toUrl(positionals[0]);
    if (args.url && args.service) throw new UsageError("give a url or --service, not both");
    return args;
}

/** Reads a URL as a person types it: a host name alone means http. */
export function toUrl(text: string): URL {
    let url: URL | undefined;
    try {
        url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    } catch {
        throw new UsageError(`not a URL: ${JSON.stringify(text)}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`not an http(s) URL: ${text}`);
    return url;
}

/** What the check does: the targets it sends requests to, and the services it leaves alone, each with why. */
export interface Plan {
    targets: Target[];
    skipped: { name: string; reason: string }[];
}

/** What to check: the url on the command line, or the stack's web services; flags override the stack. */
export function resolveTargets(args: Args, readOutputs: ReadOutputs): Plan {
    if (args.url) return { targets: [urlTarget(args, args.url, readOutputs)], skipped: [] };
    const outputs = parseStackOutputs(readOutputs(args.stack));
    const names = args.service ? [args.service] : Object.keys(outputs.services);
    for (const name of names) {
        if (!(name in outputs.services)) {
            throw new UsageError(`no service "${name}" in the stack's outputs (${Object.keys(outputs.services).join(", ")})`);
        }
    }
    const plan: Plan = { targets: [], skipped: [] };
    for (const name of names) {
        const service = outputs.services[name];
        if (service.type === "web") {
            plan.targets.push(serviceTarget(name, service, outputs, args));
        } else if (args.service) {
            // Asked for by name, a service the check cannot reach is a mistake in the command line, not a pass.
            throw new UsageError(`service "${name}" has no public URL to check (${skipReason(service)}); `
                + `smoke checks web services only, \`npm run status -- --service ${name}\` shows its state`);
        } else {
            plan.skipped.push({ name, reason: skipReason(service) });
        }
    }
    return plan;
}

function serviceTarget(name: string, service: WebServiceOutputs, outputs: StackOutputs, args: Args): Target {
    return {
        name, url: toUrl(service.url), hostHeader: service.hostHeader,
        expectTasks: args.expectTasks ?? service.desiredCount, expectAzs: args.expectAzs ?? outputs.availabilityZones,
    };
}

function urlTarget(args: Args, url: URL, readOutputs: ReadOutputs): Target {
    if (args.expectTasks !== undefined && args.expectAzs !== undefined) {
        return { name: url.href, url, expectTasks: args.expectTasks, expectAzs: args.expectAzs };
    }
    const found = serviceAt(url, args.stack, readOutputs);
    if (typeof found !== "string") return { ...serviceTarget(found.name, found.service, found.outputs, args), url };
    if (args.expectTasks === undefined) {
        throw new UsageError(`no expectations for ${url.href}: ${found}; give --expect-tasks N (and --expect-azs a,b)`);
    }
    return { name: url.href, url, expectTasks: args.expectTasks, expectAzs: args.expectAzs ?? [] };
}

/** The web service of the stack's outputs that has this url, or why there is none. */
function serviceAt(url: URL, stack: string | undefined, readOutputs: ReadOutputs):
    { name: string; service: WebServiceOutputs; outputs: StackOutputs } | string {
    const bare = (u: URL) => u.href.replace(/\/$/, "");
    try {
        const outputs = parseStackOutputs(readOutputs(stack));
        for (const [name, service] of Object.entries(outputs.services)) {
            if (service.type === "web" && bare(toUrl(service.url)) === bare(url)) return { name, service, outputs };
        }
        return "no service in the stack's outputs has this url";
    } catch (error) {
        if (error instanceof StackOutputsError) return error.message;
        throw error;
    }
}
