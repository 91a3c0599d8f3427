// `npm run smoke -- [url] [--requests 200] [--expect-tasks 5] [--expect-azs us-east-1a,us-east-1b]
//   [--deadline 120] [--timeout-ms 2000] [--concurrency 10]`: sends a bounded number of requests to the
// deployed service and passes only if every answer was 2xx, enough distinct tasks answered, and every
// expected AZ answered. While the service warms up it tries again, until the deadline.
import { spawnSync } from "node:child_process";

export interface SmokeOptions {
    url: string;
    requests: number;
    expectTasks: number;
    expectAzs: string[];
    deadlineSeconds: number;
    timeoutMs: number;
    concurrency: number;
    /** Pause between two rounds while the service warms up. */
    retryPauseMs: number;
}

/** One request's outcome: the task, AZ and host that answered, or what went wrong. */
export interface Answer {
    status?: number;
    error?: string;
    latencyMs: number;
    taskArn?: string;
    availabilityZone?: string;
    hostPrivateIp?: string;
}

export interface Summary {
    requests: number;
    errors: number;
    perAz: Map<string, number>;
    perTask: Map<string, number>;
    perHost: Map<string, number>;
    latencyMs: { p50: number; p90: number; p99: number; max: number };
}

export class UsageError extends Error {}

const usage = "usage: npm run smoke -- [url] [--requests N] [--expect-tasks N] [--expect-azs a,b] "
    + "[--deadline seconds] [--timeout-ms N] [--concurrency N]";

/** Parses the command line; with no URL, asks `lookupUrl` (the Pulumi CLI's stack output). */
export function parseArgs(argv: string[], lookupUrl: () => string | undefined): SmokeOptions {
    const options: SmokeOptions = {
        url: "", requests: 200, expectTasks: 5, expectAzs: ["us-east-1a", "us-east-1b"],
        deadlineSeconds: 120, timeoutMs: 2000, concurrency: 10, retryPauseMs: 2000,
    };
    const numbers: Record<string, "requests" | "expectTasks" | "deadlineSeconds" | "timeoutMs" | "concurrency"> = {
        "--requests": "requests", "--expect-tasks": "expectTasks", "--deadline": "deadlineSeconds",
        "--timeout-ms": "timeoutMs", "--concurrency": "concurrency",
    };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        if (flag in numbers) {
            const value = Number(argv[++i]);
            if (!Number.isInteger(value) || value < 1) {
                throw new UsageError(`${flag} takes a whole number of at least 1, got ${JSON.stringify(argv[i])}\n${usage}`);
            }
            options[numbers[flag]] = value;
        } else if (flag === "--expect-azs") {
            options.expectAzs = (argv[++i] ?? "").split(",").filter((az) => az !== "");
        } else if (!flag.startsWith("--") && options.url === "") {
            options.url = flag;
        } else {
            throw new UsageError(`unknown argument ${JSON.stringify(flag)}\n${usage}`);
        }
    }
    options.url ||= lookupUrl() ?? "";
    if (!/^https?:\/\//.test(options.url)) {
        throw new UsageError(`no URL: give one, or run where \`pulumi stack output url\` answers\n${usage}`);
    }
    return options;
}

/** Counts answers per AZ, task and host, errors, and latency percentiles (nearest rank). */
export function summarize(answers: Answer[]): Summary {
    const count = (key: (a: Answer) => string | undefined) => {
        const counts = new Map<string, number>();
        for (const answer of answers.filter(ok)) {
            const value = key(answer) ?? "unknown";
            counts.set(value, (counts.get(value) ?? 0) + 1);
        }
        return counts;
    };
    const latencies = answers.map((a) => a.latencyMs).sort((a, b) => a - b);
    const percentile = (p: number) => (latencies.length === 0 ? 0 : latencies[Math.ceil((p / 100) * latencies.length) - 1]);
    return {
        requests: answers.length,
        errors: answers.filter((a) => !ok(a)).length,
        perAz: count((a) => a.availabilityZone),
        perTask: count((a) => a.taskArn),
        perHost: count((a) => a.hostPrivateIp),
        latencyMs: { p50: percentile(50), p90: percentile(90), p99: percentile(99), max: latencies.at(-1) ?? 0 },
    };
}

function ok(answer: Answer): boolean {
    return answer.status !== undefined && answer.status >= 200 && answer.status < 300;
}

/** Why the service fails the check; empty when it passes. */
export function verdict(summary: Summary, options: Pick<SmokeOptions, "expectTasks" | "expectAzs">): string[] {
    const reasons: string[] = [];
    if (summary.errors > 0) {
        reasons.push(`${summary.errors} of ${summary.requests} requests failed or were not 2xx`);
    }
    const tasks = [...summary.perTask.keys()].filter((task) => task !== "unknown").length;
    if (tasks < options.expectTasks) {
        reasons.push(`${tasks} distinct tasks answered, expected at least ${options.expectTasks}`);
    }
    const missing = options.expectAzs.filter((az) => !summary.perAz.has(az));
    if (missing.length > 0) {
        reasons.push(`no answer from ${missing.join(", ")} (answered: ${[...summary.perAz.keys()].join(", ") || "none"})`);
    }
    return reasons;
}

/** The summary as a plain-text table. */
export function renderTable(summary: Summary): string {
    const section = (title: string, counts: Map<string, number>) => [
        title,
        ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `  ${String(n).padStart(5)}  ${key}`),
    ];
    const { p50, p90, p99, max } = summary.latencyMs;
    return [
        `${summary.requests} requests, ${summary.errors} errors; latency ms p50 ${p50.toFixed(1)}, p90 ${p90.toFixed(1)}, p99 ${p99.toFixed(1)}, max ${max.toFixed(1)}`,
        ...section("per AZ:", summary.perAz),
        ...section("per task:", summary.perTask),
        ...section("per host:", summary.perHost),
    ].join("\n");
}

/** Sends `requests` GETs to the URL, `concurrency` at a time, each bounded by `timeoutMs`. */
export async function probe(options: Pick<SmokeOptions, "url" | "requests" | "timeoutMs" | "concurrency">): Promise<Answer[]> {
    const answers: Answer[] = [];
    let next = 0;
    const worker = async () => {
        while (next < options.requests) {
            next++;
            const start = performance.now();
            try {
                const response = await fetch(options.url, { signal: AbortSignal.timeout(options.timeoutMs) });
                const body = await response.text();
                const answer: Answer = { status: response.status, latencyMs: performance.now() - start };
                try {
                    const json = JSON.parse(body) as Record<string, unknown>;
                    Object.assign(answer, {
                        taskArn: stringOrUndefined(json.taskArn),
                        availabilityZone: stringOrUndefined(json.availabilityZone),
                        hostPrivateIp: stringOrUndefined(json.hostPrivateIp),
                    });
                } catch {
                    answer.error = "the body is not the app's JSON";
                    answer.status = undefined;
                }
                answers.push(answer);
            } catch (error) {
                answers.push({ error: (error as Error).message, latencyMs: performance.now() - start });
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, options.requests) }, worker));
    return answers;
}

function stringOrUndefined(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** Probes until the service passes or the deadline passes; returns the last round and its verdict. */
export async function smoke(options: SmokeOptions, log: (line: string) => void): Promise<{ summary: Summary; reasons: string[] }> {
    const deadline = Date.now() + options.deadlineSeconds * 1000;
    for (let round = 1; ; round++) {
        const summary = summarize(await probe(options));
        const reasons = verdict(summary, options);
        if (reasons.length === 0 || Date.now() + options.retryPauseMs > deadline) {
            return { summary, reasons };
        }
        log(`round ${round}: not yet (${reasons.join("; ")}); trying again`);
        await new Promise((resolve) => setTimeout(resolve, options.retryPauseMs));
    }
}

function stackOutputUrl(): string | undefined {
    const result = spawnSync("pulumi", ["stack", "output", "url"], { encoding: "utf8", timeout: 30_000 });
    return result.status === 0 ? result.stdout.trim() : undefined;
}

if (require.main === module) {
    (async () => {
        let options: SmokeOptions;
        try {
            options = parseArgs(process.argv.slice(2), stackOutputUrl);
        } catch (error) {
            console.error((error as Error).message);
            process.exitCode = 2;
            return;
        }
        console.log(`smoke: ${options.requests} requests to ${options.url}, expecting ${options.expectTasks} tasks in ${options.expectAzs.join(", ")}`);
        const { summary, reasons } = await smoke(options, (line) => console.log(line));
        console.log(renderTable(summary));
        if (reasons.length > 0) {
            console.error(`FAIL: ${reasons.join("; ")}`);
            process.exitCode = 1;
        } else {
            console.log("PASS");
        }
    })();
}
