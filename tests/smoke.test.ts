import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { parseArgs, smoke, SmokeOptions, summarize, UsageError, verdict } from "../scripts/smoke";

interface FakeTask { taskArn: string; availabilityZone: string; hostPrivateIp: string }

/** The five tasks of the dev stack: three on the host in us-east-1a, two on the one in us-east-1b. */
const fleet: FakeTask[] = [1, 2, 3, 4, 5].map((n) => ({
    taskArn: `arn:aws:ecs:us-east-1:012345678910:task/ecs-on-ec2-dev/task${n}`,
    availabilityZone: n <= 3 ? "us-east-1a" : "us-east-1b",
    hostPrivateIp: n <= 3 ? "172.31.16.20" : "172.31.32.40",
}));

const servers: http.Server[] = [];
after(() => { for (const server of servers) server.close(); });

/**
 * A loopback stand-in for the ALB in front of the tasks: answers round-robin as `tasks`, failing
 * with 503 every `failEvery`-th request and the first `warmUpFailures` ones.
 */
async function fakeFleet(tasks: FakeTask[], { failEvery = 0, warmUpFailures = 0 } = {}): Promise<string> {
    let served = 0;
    const server = http.createServer((_, response) => {
        served++;
        if (served <= warmUpFailures || (failEvery > 0 && served % failEvery === 0)) {
            response.writeHead(503).end("Service Unavailable");
            return;
        }
        const task = tasks[served % tasks.length];
        response.writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ ...task, cluster: "ecs-on-ec2-dev", hostPort: 49153, requestCount: served }));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** A URL where nothing listens: a server started and closed again. */
async function deadUrl(): Promise<string> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return `http://127.0.0.1:${port}/`;
}

const options = (url: string, overrides: Partial<SmokeOptions> = {}): SmokeOptions => ({
    url, requests: 60, expectTasks: 5, expectAzs: ["us-east-1a", "us-east-1b"],
    deadlineSeconds: 0, timeoutMs: 1000, concurrency: 5, retryPauseMs: 100, ...overrides,
});

describe("against fake fleets", () => {
    test("5 healthy tasks in two AZs pass, with the spread counted per AZ, task and host", async () => {
        const { summary, reasons } = await smoke(options(await fakeFleet(fleet)), () => undefined);
        assert.deepEqual(reasons, []);
        assert.equal(summary.requests, 60);
        assert.deepEqual(Object.fromEntries(summary.perAz), { "us-east-1a": 36, "us-east-1b": 24 });
        assert.equal(summary.perTask.size, 5);
        assert.equal(summary.perHost.size, 2);
    });

    test("all tasks in one AZ fail, naming the AZ that did not answer", async () => {
        const oneAz = fleet.map((task) => ({ ...task, availabilityZone: "us-east-1a" }));
        const { reasons } = await smoke(options(await fakeFleet(oneAz)), () => undefined);
        assert.deepEqual(reasons, ["no answer from us-east-1b (answered: us-east-1a)"]);
    });

    test("fewer tasks than desired fail", async () => {
        const { reasons } = await smoke(options(await fakeFleet(fleet.slice(2))), () => undefined);
        assert.deepEqual(reasons, ["3 distinct tasks answered, expected at least 5"]);
    });

    test("a partly failing fleet fails with the error count", async () => {
        const { summary, reasons } = await smoke(options(await fakeFleet(fleet, { failEvery: 10 })), () => undefined);
        assert.equal(summary.errors, 6);
        assert.deepEqual(reasons, ["6 of 60 requests failed or were not 2xx"]);
    });

    test("a fleet that is down fails on every request", async () => {
        const { summary, reasons } = await smoke(options(await deadUrl()), () => undefined);
        assert.equal(summary.errors, 60);
        assert.match(reasons.join("; "), /60 of 60 requests failed.*0 distinct tasks answered.*no answer from us-east-1a, us-east-1b \(answered: none\)/);
    });

    test("a fleet still warming up passes once it is ready, within the deadline", async () => {
        const log: string[] = [];
        const { reasons } = await smoke(options(await fakeFleet(fleet, { warmUpFailures: 30 }), { deadlineSeconds: 10 }), (line) => log.push(line));
        assert.deepEqual(reasons, []);
        assert.equal(log.length, 1);
        assert.match(log[0], /^round 1: not yet \(30 of 60 requests failed/);
    });
});

describe("the pure parts", () => {
    test("arguments: defaults, flags, and the Pulumi stack output when no URL is given", () => {
        assert.deepEqual(parseArgs([], () => "http://alb.example"), {
            url: "http://alb.example", requests: 200, expectTasks: 5, expectAzs: ["us-east-1a", "us-east-1b"],
            deadlineSeconds: 120, timeoutMs: 2000, concurrency: 10, retryPauseMs: 2000,
        });
        const parsed = parseArgs(["https://app.example.com", "--requests", "50", "--expect-azs", "us-east-1a,us-east-1c"], () => undefined);
        assert.deepEqual([parsed.url, parsed.requests, parsed.expectAzs], ["https://app.example.com", 50, ["us-east-1a", "us-east-1c"]]);
        assert.throws(() => parseArgs([], () => undefined), UsageError);
        assert.throws(() => parseArgs(["http://x", "--requests", "0"], () => undefined), /--requests takes a whole number of at least 1, got "0"/);
        assert.throws(() => parseArgs(["http://x", "--bogus"], () => undefined), /unknown argument "--bogus"/);
    });

    test("latency percentiles are nearest-rank over every answer", () => {
        const answers = Array.from({ length: 100 }, (_, i) => ({ status: 200, latencyMs: i + 1, taskArn: "t", availabilityZone: "a" }));
        assert.deepEqual(summarize(answers).latencyMs, { p50: 50, p90: 90, p99: 99, max: 100 });
    });

    test("tasks that report 'unknown' do not count as distinct tasks", () => {
        const answers = [1, 2, 3, 4, 5].map(() => ({ status: 200, latencyMs: 1, taskArn: "unknown", availabilityZone: "us-east-1a" }));
        assert.deepEqual(verdict(summarize(answers), { expectTasks: 1, expectAzs: ["us-east-1a"] }), ["0 distinct tasks answered, expected at least 1"]);
    });
});

describe("the script", () => {
    const run = (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "..", "scripts", "smoke.ts"), ...args],
            { env: { ...process.env, PATH: "/usr/bin:/bin" } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
        child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });

    test("exits 0 and prints the table for a healthy fleet", async () => {
        const { code, stdout } = await run([await fakeFleet(fleet), "--requests", "20", "--deadline", "1"]);
        assert.equal(code, 0, stdout);
        assert.match(stdout, /per AZ:\n\s+12 {2}us-east-1a\n\s+8 {2}us-east-1b/);
        assert.match(stdout, /PASS$/m);
    });

    test("exits 1 saying why for an unbalanced fleet, and 2 without a URL", async () => {
        const unbalanced = await run([await fakeFleet(fleet.slice(0, 3)), "--requests", "20", "--deadline", "1"]);
        assert.equal(unbalanced.code, 1);
        assert.match(unbalanced.stderr, /FAIL: 3 distinct tasks answered, expected at least 5; no answer from us-east-1b/);
        const noUrl = await run([]);
        assert.equal(noUrl.code, 2);
        assert.match(noUrl.stderr, /no URL/);
    });
});
