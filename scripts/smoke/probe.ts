import * as http from "node:http";
import * as https from "node:https";
import type { Clock } from "./clock";

/** Who answered, as the app's JSON says; a field the task could not learn is "unknown". */
export interface Origin {
    taskArn: string;
    availabilityZone: string;
    hostPrivateIp: string;
}

/** One request's outcome. */
export interface Answer {
    latencyMs: number;
    /** What went wrong ("HTTP 503", "connection refused", "timeout", …); absent for a 2xx from the app. */
    failure?: string;
    /** Present when the body is the app's JSON, whatever the status. */
    origin?: Origin;
}

export interface Target {
    /** The service's name in the stack's outputs, or the URL when given on the command line. */
    name: string;
    url: URL;
    /** Sent as the Host header (and TLS server name) to a service the ALB routes by host. */
    hostHeader?: string;
    expectTasks: number;
    expectAzs: string[];
}

export interface ProbeOptions {
    requests: number;
    concurrency: number;
    timeoutMs: number;
}

/** What a connection to a port where nothing listens yet ends in. */
export const refused = "connection refused";

const transportErrors: Record<string, string> = {
    ECONNREFUSED: refused,
    ECONNRESET: "connection reset",
    EPIPE: "connection reset",
    ETIMEDOUT: "timeout",
    ENOTFOUND: "DNS lookup failed",
    EAI_AGAIN: "DNS lookup failed",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
};

/** Sends `requests` GETs to the target, `concurrency` at a time, each bounded by `timeoutMs` on the clock. */
export async function probe(target: Target, options: ProbeOptions, clock: Clock): Promise<Answer[]> {
    const answers: Answer[] = [];
    let sent = 0;
    const worker = async () => {
        while (sent < options.requests) {
            sent++;
            answers.push(await ask(target, options.timeoutMs, clock));
        }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, options.requests) }, worker));
    return answers;
}

async function ask(target: Target, timeoutMs: number, clock: Clock): Promise<Answer> {
    const start = performance.now();
    const timeout = new AbortController();
    const cancelTimeout = clock.setTimer(timeoutMs, () => timeout.abort());
    try {
        const { status, body } = await get(target, timeout.signal);
        return { latencyMs: performance.now() - start, ...classify(status, body) };
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "";
        const failure = timeout.signal.aborted ? "timeout" : transportErrors[code] ?? (code || (error as Error).message);
        return { latencyMs: performance.now() - start, failure };
    } finally {
        cancelTimeout();
    }
}

function classify(status: number, body: string): Omit<Answer, "latencyMs"> {
    const origin = parseOrigin(body);
    const ok = status >= 200 && status < 300;
    if (ok && origin) {
        return { origin };
    }
    return { origin, failure: ok ? `HTTP ${status} without the app's JSON` : `HTTP ${status}` };
}

function parseOrigin(body: string): Origin | undefined {
    try {
        const json = JSON.parse(body) as Record<string, unknown>;
        const text = (value: unknown) => (typeof value === "string" ? value : "unknown");
        return typeof json?.taskArn === "string"
            ? { taskArn: json.taskArn, availabilityZone: text(json.availabilityZone), hostPrivateIp: text(json.hostPrivateIp) }
            : undefined;
    } catch {
        return undefined;
    }
}

/** One GET on a connection of its own, as separate clients make: a connection one request broke cannot fail the next. */
function get(target: Target, signal: AbortSignal): Promise<{ status: number; body: string }> {
    const options: https.RequestOptions = {
        agent: false, signal, headers: target.hostHeader ? { host: target.hostHeader } : {}, servername: target.hostHeader,
    };
    return new Promise((resolve, reject) => {
        const onResponse = (response: http.IncomingMessage) => {
            let body = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => { body += chunk; });
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
            response.on("error", reject);
        };
        const request = target.url.protocol === "https:"
            ? https.get(target.url, options, onResponse)
            : http.get(target.url, options, onResponse);
        request.on("error", reject);
    });
}
