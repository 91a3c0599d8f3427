import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { Io, main } from "../scripts/smoke";
import { parseArgs, resolveTargets, UsageError } from "../scripts/smoke/args";
import type { Target } from "../scripts/smoke/probe";
import { renderTable, summarize, verdict } from "../scripts/smoke/report";
import { RunOptions, smoke } from "../scripts/smoke/run";
import { ReadOutputs, StackOutputsError } from "../scripts/stackOutputs";
import { runNode, scriptArgs } from "./scripts";
import typedOutputs from "./fixtures/status/typed-outputs.json";
import { closeFleets, deadPort, fakeAlb, fakeClock, FakeTask, fleet, roundRobin } from "./smokeFleet";

after(closeFleets);

const target = (url: string, overrides: Partial<Target> = {}): Target => ({
    name: "app", url: new URL(url), expectTasks: 5, expectAzs: ["us-east-1a", "us-east-1b"], ...overrides,
});

const options = (overrides: Partial<RunOptions> = {}): RunOptions => ({
    requests: 60, concurrency: 5, timeoutMs: 1000, deadlineSeconds: 0, listenDeadlineSeconds: 0, retryPauseMs: 2000, ...overrides,
});

/** Runs the check on the fake clock, collecting the lines it logs between rounds. */
async function check(url: string, run: Partial<RunOptions> = {}, expect: Partial<Target> = {}, clock = fakeClock()) {
    const log: string[] = [];
    const result = await smoke(target(url, expect), options(run), (line) => log.push(line), clock);
    return { ...result, log, table: renderTable(result.summary), clock };
}

// At once: each test has fleets of its own and runs on its own fake clock.
describe("against loopback fleets", { concurrency: true }, () => {
    test("5 healthy tasks in two AZs pass, with the spread counted per AZ and task", async () => {
        const { summary, reasons, table } = await check(await fakeAlb(roundRobin(fleet)));
        assert.deepEqual(reasons, []);
        assert.deepEqual(Object.fromEntries([...summary.perAz].map(([az, tally]) => [az, tally.ok])), { "us-east-1a": 36, "us-east-1b": 24 });
        assert.equal(summary.perTask.size, 5);
        assert.match(table, /^60 requests, 0 failed;/);
        assert.match(table, /^ {5}12 2xx {5}0 failed {2}task5 \(us-east-1b, 172\.31\.32\.40\)$/m);
    });

    test("a fleet failing 3 % of its requests fails every time, in its first round, though time is left", async () => {
        const url = await fakeAlb((served) => (served % 33 === 0 ? { albError: 503 } : { task: fleet[served % 5] }));
        for (let run = 0; run < 3; run++) {
            const { summary, reasons, log, table } = await check(url, { requests: 100, deadlineSeconds: 120 });
            assert.deepEqual(reasons, ["3 of 100 requests failed: HTTP 503 ×3"]);
            assert.deepEqual([summary.requests, log], [100, []]);
            assert.match(table, /^ {6}0 2xx {5}3 failed {2}\(unidentified\): HTTP 503 ×3$/m);
        }
    });

    test("an error while warming up is not retried into a clean round", async () => {
        const url = await fakeAlb((served) => (served === 7 ? { albError: 502 }
            : { task: served <= 60 ? fleet[served % 3] : fleet[served % 5] }));
        const { summary, reasons, log } = await check(url, { deadlineSeconds: 120 });
        assert.deepEqual(reasons, ["1 of 60 requests failed: HTTP 502 ×1", "3 distinct tasks answered, expected at least 5",
            "no answer from us-east-1b (answered: us-east-1a)"]);
        assert.deepEqual([summary.requests, log], [60, []]);
    });

    test("a fleet still scaling out passes once every task answers, counting the whole run", async () => {
        const url = await fakeAlb((served) => ({ task: served <= 60 ? fleet[served % 3] : fleet[served % 5] }));
        const { summary, reasons, log } = await check(url, { deadlineSeconds: 120 });
        assert.deepEqual(reasons, []);
        assert.equal(summary.requests, 120);
        assert.equal(log.length, 1);
        assert.match(log[0], /^round 1: not yet \(3 distinct tasks answered, expected at least 5; no answer from us-east-1b/);
    });

    test("one AZ down fails after the deadline, naming the AZ", async () => {
        const oneAz = fleet.map((task) => ({ ...task, availabilityZone: "us-east-1a" }));
        const { reasons, log, clock } = await check(await fakeAlb(roundRobin(oneAz)), { deadlineSeconds: 10 });
        assert.deepEqual(reasons, ["no answer from us-east-1b (answered: us-east-1a)"]);
        assert.ok(log.length > 0 && clock.elapsedMs <= 10_000);
    });

    test("a task that answers only 500 with the app's JSON fails the run and has its own row", async () => {
        const url = await fakeAlb((served) => ({ task: fleet[served % 5], status: served % 5 === 4 ? 500 : 200 }));
        const { reasons, table } = await check(url);
        assert.deepEqual(reasons, ["12 of 60 requests failed: HTTP 500 ×12", "4 distinct tasks answered, expected at least 5"]);
        assert.match(table, /^ {6}0 2xx {4}12 failed {2}task5 \(us-east-1b, 172\.31\.32\.40\): HTTP 500 ×12$/m);
        assert.match(table, /^ {5}12 2xx {4}12 failed {2}us-east-1b: HTTP 500 ×12$/m);
    });

    test("a task that answers only 500 with a bare body, as Kestrel does, counts as unidentified", async () => {
        const url = await fakeAlb((served) => ({ task: fleet[served % 5], status: served % 5 === 4 ? 500 : 200, bare: served % 5 === 4 }));
        const { reasons, table } = await check(url);
        assert.equal(reasons[0], "12 of 60 requests failed: HTTP 500 ×12");
        assert.match(table, /per task:\n(.*\n)* {6}0 2xx {4}12 failed {2}\(unidentified\): HTTP 500 ×12$/m);
    });

    test("2xx answers without ECS metadata are reported as that, not as a missing AZ", async () => {
        const blind: FakeTask = { taskArn: "unknown", availabilityZone: "unknown", hostPrivateIp: "unknown" };
        const { reasons, table } = await check(await fakeAlb(roundRobin([blind])));
        assert.deepEqual(reasons, ["60 of 60 2xx answers carry no ECS metadata (task or AZ \"unknown\"): the hosts do not give "
            + "the tasks their metadata, so tasks and AZs cannot be counted (identified: 0 tasks, AZs none)"]);
        assert.match(table, /^per AZ:\n {5}60 2xx {5}0 failed {2}\(no ECS metadata\)$/m);
    });

    test("a service routed by host header gets its Host header", async () => {
        const url = await fakeAlb((served, request) => (request.headers.host === "orders.example.com"
            ? { task: fleet[served % 5] } : { albError: 404 }));
        assert.deepEqual((await check(url, {}, { hostHeader: "orders.example.com" })).reasons, []);
        assert.deepEqual((await check(url, { requests: 5 }, { expectTasks: 1 })).reasons, ["5 of 5 requests failed: HTTP 404 ×5"]);
    });

    test("a 2xx that is not the app's JSON fails", async () => {
        const { reasons } = await check(await fakeAlb(() => ({ task: fleet[0], bare: true })), { requests: 5 }, { expectTasks: 1 });
        assert.deepEqual(reasons, ["5 of 5 requests failed: HTTP 200 without the app's JSON ×5"]);
    });
});

// One at a time: a port must stay free until the test opens it.
describe("against loopback fleets, on a deadline or a free port", () => {
    test("resets and timeouts are counted by kind", async () => {
        // One request in flight at a time, so the one the ALB holds is the only one whose timeout runs: the clock
        // moves past it then, and never while a healthy answer is on its way, however slow the machine.
        const clock = fakeClock();
        const url = await fakeAlb((served) => {
            if (served % 5 === 3) clock.advance(100);
            return served % 5 === 4 ? "reset" : served % 5 === 3 ? "hang" : { task: fleet[served % 5] };
        });
        const { reasons } = await check(url, { timeoutMs: 100, concurrency: 1 }, {}, clock);
        assert.equal(reasons[0], "24 of 60 requests failed: connection reset ×12, timeout ×12");
    });

    test("nothing listening fails with the default options within 15 s, saying connection refused", async () => {
        const url = `http://127.0.0.1:${await deadPort()}/`;
        const clock = fakeClock();
        const { reasons, log } = await check(url, parseArgs([url]).run, {}, clock);
        assert.deepEqual(reasons, ["nothing is listening: 200 of 200 requests failed: connection refused ×200"]);
        assert.ok(clock.elapsedMs < 15_000, `gave up after ${clock.elapsedMs} ms`);
        assert.match(log[0], /^round 1: not yet \(nothing is listening: 200 of 200 requests failed: connection refused ×200\)/);
    });

    test("a service that starts listening within the listen deadline passes; the refused round is left out", async () => {
        const port = await deadPort();
        const clock = fakeClock(async () => {
            if (clock.elapsedMs === 2000) await fakeAlb(roundRobin(fleet), port); // up during the first pause
        });
        const { summary, reasons, log } = await check(`http://127.0.0.1:${port}/`, { listenDeadlineSeconds: 10 }, {}, clock);
        assert.deepEqual(reasons, []);
        assert.deepEqual([summary.requests, summary.failures.size, log.length], [60, 0, 1]);
    });
});

describe("expectations", () => {
    const spread = (tasks: FakeTask[]) => summarize(tasks.map((origin) => ({ latencyMs: 1, origin })));
    const inAz = (n: number, availabilityZone: string) => ({ ...fleet[n], availabilityZone });

    test("N tasks need only N of the AZs", () => {
        const azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
        assert.deepEqual(verdict(spread([inAz(0, "eu-west-1b")]), { expectTasks: 1, expectAzs: azs }), []);
        assert.deepEqual(verdict(spread([inAz(0, "eu-west-1a"), inAz(1, "eu-west-1c")]), { expectTasks: 2, expectAzs: azs }), []);
        assert.deepEqual(verdict(spread([inAz(0, "eu-west-1a"), inAz(1, "eu-west-1a")]), { expectTasks: 2, expectAzs: azs }),
            ["1 of the AZs eu-west-1a, eu-west-1b, eu-west-1c answered, expected at least 2 (answered: eu-west-1a)"]);
    });

    test("no expected AZs means any AZ will do", () => {
        assert.deepEqual(verdict(spread([fleet[0]]), { expectTasks: 1, expectAzs: [] }), []);
    });

    test("latency percentiles are nearest-rank over every answer", () => {
        const answers = Array.from({ length: 100 }, (_, i) => ({ latencyMs: i + 1, origin: fleet[0] }));
        assert.deepEqual(summarize(answers).latencyMs, { p50: 50, p90: 90, p99: 99, max: 100 });
    });
});

describe("arguments", () => {
    test("defaults, flags, and a URL without a scheme taken as http", () => {
        assert.deepEqual(parseArgs([]), {
            help: false,
            run: { requests: 200, concurrency: 10, timeoutMs: 2000, deadlineSeconds: 120, listenDeadlineSeconds: 10, retryPauseMs: 2000 },
        });
        const args = parseArgs(["app.example.com:8080/x", "--expect-tasks", "3", "--expect-azs", "eu-west-1a, eu-west-1b",
            "--deadline", "0", "--stack", "prod"]);
        assert.deepEqual([args.url?.href, args.expectTasks, args.expectAzs, args.run.deadlineSeconds, args.stack],
            ["http://app.example.com:8080/x", 3, ["eu-west-1a", "eu-west-1b"], 0, "prod"]);
        assert.equal(parseArgs(["https://app.example.com"]).url?.href, "https://app.example.com/");
        assert.equal(parseArgs(["--help"]).help, true);
    });

    test("refuses unknown flags, bad numbers, missing values, two URLs, and a URL with --service", () => {
        for (const [argv, message] of [
            [["http://x", "--bogus"], /unknown option "--bogus"/],
            [["--requests", "0"], /--requests takes a whole number of at least 1, got "0"/],
            [["--deadline", "soon"], /--deadline takes a whole number of at least 0, got "soon"/],
            [["--expect-tasks"], /--expect-tasks needs a value/],
            [["http://x", "http://y"], /one url only/],
            [["ftp://x"], /not an http\(s\) URL/],
            [["http://x", "--service", "app"], /a url or --service, not both/],
            [["--stack", "--service", "app"], /--stack needs a value/],
            [["--help=yes"], /--help takes no value/],
            [["--requests=many"], /--requests takes a whole number of at least 1, got "many"/],
            [["--timeout-ms="], /--timeout-ms takes a whole number of at least 1, got ""/],
        ] as const) {
            assert.throws(() => parseArgs([...argv]), (error: Error) => error instanceof UsageError && message.test(error.message));
        }
    });

    test("every value flag reads --name=value as --name value", () => {
        const values: [string, string][] = [["--stack", "dev"], ["--service", "orders"], ["--expect-tasks", "3"],
            ["--expect-azs", "eu-west-1a,eu-west-1b"], ["--requests", "50"], ["--concurrency", "4"], ["--timeout-ms", "500"],
            ["--deadline", "30"], ["--listen-deadline", "5"]];
        for (const [flag, value] of values) {
            assert.deepEqual(parseArgs([`${flag}=${value}`]), parseArgs([flag, value]), flag);
            assert.notDeepEqual(parseArgs([flag, value]), parseArgs([]), `${flag} ${value} changes something`);
        }
        const spaced = parseArgs(["app.example.com", ...values.filter(([flag]) => flag !== "--service").flat()]);
        assert.deepEqual(parseArgs(["app.example.com", ...values.filter(([flag]) => flag !== "--service").map(([flag, value]) => `${flag}=${value}`)]), spaced);
        assert.deepEqual(spaced.run, { requests: 50, concurrency: 4, timeoutMs: 500, deadlineSeconds: 30, listenDeadlineSeconds: 5, retryPauseMs: 2000 });
    });
});

describe("targets from the stack's outputs", () => {
    const outputs = {
        url: "http://alb.example", region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        services: {
            app: { url: "http://alb.example/", desiredCount: 3, serviceName: "app", clusterName: "c" },
            orders: { url: "http://alb.example/orders/", hostHeader: "orders.example.com", desiredCount: 1, serviceName: "o", clusterName: "c" },
        },
    };
    const targets = (argv: string[], read: ReadOutputs = (stack) => ({ stack: stack ?? "dev", outputs })) =>
        resolveTargets(parseArgs(argv), read).targets.map((t) => ({ ...t, url: t.url.href }));

    test("with no URL, every service with its own desiredCount and the stack's AZs; --service picks one", () => {
        assert.deepEqual(targets([]), [
            { name: "app", url: "http://alb.example/", hostHeader: undefined, expectTasks: 3, expectAzs: outputs.availabilityZones },
            { name: "orders", url: "http://alb.example/orders/", hostHeader: "orders.example.com", expectTasks: 1, expectAzs: outputs.availabilityZones },
        ]);
        assert.deepEqual(targets(["--service", "orders"]).map((t) => t.name), ["orders"]);
        assert.throws(() => targets(["--service", "billing"]), /no service "billing" in the stack's outputs \(app, orders\)/);
    });

    test("flags override the stack", () => {
        assert.deepEqual(targets(["--expect-tasks", "2", "--expect-azs", "eu-west-1a"]).map((t) => [t.expectTasks, t.expectAzs]),
            [[2, ["eu-west-1a"]], [2, ["eu-west-1a"]]]);
    });

    test("a URL the outputs know gets that service's expectations; the stack is asked for the one it is in", () => {
        let asked: string | undefined;
        const [orders] = targets(["alb.example/orders", "--stack", "dev"], (stack) => ((asked = stack), { stack: "dev", outputs }));
        assert.deepEqual([orders.name, orders.hostHeader, orders.expectTasks, asked], ["orders", "orders.example.com", 1, "dev"]);
        assert.equal(targets(["http://alb.example"])[0].name, "app");
    });

    test("any other URL needs --expect-tasks; --expect-azs defaults to any AZ", () => {
        assert.throws(() => targets(["http://elsewhere"]), /no expectations for http:\/\/elsewhere\/: no service in the stack's outputs has this url/);
        const unreadable = () => { throw new StackOutputsError("`pulumi stack output` failed: no stack selected"); };
        assert.throws(() => targets(["http://elsewhere"], unreadable), /no stack selected; give --expect-tasks N/);
        assert.deepEqual(targets(["http://elsewhere", "--expect-tasks", "2"], unreadable)[0],
            { name: "http://elsewhere/", url: "http://elsewhere/", expectTasks: 2, expectAzs: [] });
    });

    test("only web services are targets; the others are skipped with their type, a backend with its Service Connect URL", () => {
        const plan = resolveTargets(parseArgs([]), () => ({ stack: "dev", outputs: typedOutputs }));
        assert.deepEqual(plan.targets.map((t) => [t.name, t.url.href, t.expectTasks]), [["app", `${typedOutputs.services.app.url}/`, 5]]);
        assert.deepEqual(plan.skipped, [
            { name: "orders", reason: "backend: no public URL; reached by other services at http://orders:8080" },
            { name: "mailer", reason: "worker" },
            { name: "report", reason: "job" },
        ]);
        assert.throws(() => resolveTargets(parseArgs(["--service", "orders"]), () => ({ stack: "dev", outputs: typedOutputs })),
            (error: Error) => error instanceof UsageError && error.message === 'service "orders" has no public URL to check (backend: no public URL; '
                + "reached by other services at http://orders:8080); smoke checks web services only, `npm run status -- --service orders` shows its state");
    });

    test("outputs from before the services contract are refused, saying what is missing", () => {
        assert.throws(() => targets([], () => ({ stack: "dev", outputs: { url: "http://alb.example" } })),
            (error: Error) => error instanceof StackOutputsError && /region: .*availabilityZones: .*services: /s.test(error.message));
        assert.throws(() => targets([], () => ({ stack: "dev", outputs: { ...outputs, services: {} } })), /services: no services to check/);
    });
});

describe("the command", () => {
    const euWest = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
    const euFleet = euWest.map((availabilityZone, n) => ({ ...fleet[n], availabilityZone }));
    /** A stack in eu-west-1: "app" on 3 tasks over three AZs, "orders" on one task, routed by host. */
    async function euStack(ordersDesiredCount = 1) {
        const app = await fakeAlb(roundRobin(euFleet));
        const orders = await fakeAlb((_, request) => (request.headers.host === "orders.example.com" ? { task: euFleet[1] } : { albError: 404 }));
        return {
            url: app, region: "eu-west-1", availabilityZones: euWest,
            services: {
                app: { url: app, desiredCount: 3, serviceName: "app", clusterName: "c" },
                orders: { url: `${orders}orders/`, hostHeader: "orders.example.com", desiredCount: ordersDesiredCount, serviceName: "o", clusterName: "c" },
            },
        };
    }
    const noStack = () => { throw new StackOutputsError("`pulumi stack output` failed: no stack selected"); };
    async function runMain(argv: string[], readOutputs: Io["readOutputs"] = noStack) {
        const out: string[] = [];
        const err: string[] = [];
        const status = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line), readOutputs, clock: fakeClock() });
        return { status, out: out.join("\n"), err: err.join("\n") };
    }

    test("with no URL, checks every service of a healthy 3-task stack in other AZs and exits 0", async () => {
        const stack = await euStack();
        const { status, out, err } = await runMain(["--requests", "30"], () => ({ stack: "eu", outputs: stack }));
        assert.equal(status, 0, err);
        assert.match(out, /^smoke app: 30 requests per round to .*, expecting at least 3 tasks in eu-west-1a, eu-west-1b, eu-west-1c$/m);
        assert.match(out, /^smoke orders: .*\/orders\/ \(Host: orders\.example\.com\), expecting at least 1 tasks in/m);
        assert.match(out, /^PASS app$(.*\n)*^PASS orders$/m);
    });

    test("exits 1 when one service fails, saying why, and still checks the others", async () => {
        const stack = await euStack(2);
        const { status, out, err } = await runMain(["--requests", "30", "--deadline", "0"], () => ({ stack: "eu", outputs: stack }));
        assert.equal(status, 1);
        assert.match(out, /^PASS app$/m);
        assert.equal(err, "FAIL orders: 1 distinct tasks answered, expected at least 2; "
            + "1 of the AZs eu-west-1a, eu-west-1b, eu-west-1c answered, expected at least 2 (answered: eu-west-1b)");
    });

    test("names each service it skips, by type, and checks the web ones", async () => {
        const stack = await euStack();
        const outputs = { ...typedOutputs, ...stack, services: { ...typedOutputs.services, app: stack.services.app } };
        const { status, out, err } = await runMain(["--requests", "30"], () => ({ stack: "eu", outputs }));
        assert.equal(status, 0, err);
        assert.deepEqual(out.split("\n").filter((line) => line.startsWith("skipped ")), [
            "skipped orders (backend: no public URL; reached by other services at http://orders:8080)",
            "skipped mailer (worker)",
            "skipped report (job)",
        ]);
        assert.match(out, /^PASS app$/m);
    });

    test("a stack with no web service: says so and exits 0, since nothing failed", async () => {
        const internal = Object.fromEntries(Object.entries(typedOutputs.services).filter(([, service]) => service.type !== "web"));
        const { status, out, err } = await runMain([], () => ({ stack: "dev", outputs: { ...typedOutputs, services: internal } }));
        assert.deepEqual([status, err], [0, ""]);
        assert.equal(out, ["skipped orders (backend: no public URL; reached by other services at http://orders:8080)", "skipped mailer (worker)",
            "skipped report (job)", "no web service to check: the stack has no service with a public URL"].join("\n"));
    });

    test("--help exits 0 with the usage; usage errors and unreadable outputs exit 2", async () => {
        const help = await runMain(["--help"]);
        assert.deepEqual([help.status, help.err], [0, ""]);
        assert.match(help.out, /^usage: npm run smoke -- \[url\] \[options\]$/m);
        assert.deepEqual(await runMain(["http://x", "--bogus"]),
            { status: 2, out: "", err: "smoke: unknown option \"--bogus\"\n(npm run smoke -- --help for usage)" });
        assert.match((await runMain([])).err, /^smoke: `pulumi stack output` failed: no stack selected/);
        assert.equal((await runMain(["http://x"])).status, 2);
    });

    const script = (args: string[], env: NodeJS.ProcessEnv = {}) =>
        runNode([...scriptArgs("smoke"), ...args], { env: { ...process.env, PATH: "/usr/bin:/bin", ...env } });

    // A failing check must fail the process, or a deploy job would go green on it: the one run as a process fails.
    test("the script reads the stack's outputs with the Pulumi CLI and exits 1 when a service fails", async (t) => {
        const bin = mkdtempSync(path.join(tmpdir(), "smoke-pulumi-"));
        t.after(() => rmSync(bin, { recursive: true, force: true }));
        // A stand-in for the CLI that answers only the exact command the check is meant to run.
        writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh
[ "$*" = "stack output --json --show-secrets=false --stack dev" ] || { echo "unexpected: pulumi $*" >&2; exit 3; }
cat <<'JSON'
${JSON.stringify(await euStack(2))}
JSON
`);
        chmodSync(path.join(bin, "pulumi"), 0o755);
        // On the real clock: a timeout far beyond any answer's delay on a loaded machine, since every request is answered.
        const { code, stdout, stderr } = await script(["--stack", "dev", "--requests", "20", "--deadline", "0", "--timeout-ms", "60000"],
            { PATH: `${bin}:/usr/bin:/bin` });
        assert.equal(code, 1, stderr);
        assert.match(stdout, /^PASS app$/m);
        assert.match(stderr, /^FAIL orders: 1 distinct tasks answered, expected at least 2; /m);
    });

    // The exit status follows main's (the test before, and the plan script's for 0): no process of its own needed.
    test("the script exits 1 with \"connection refused\" when nothing listens", async () => {
        const { status, err } = await runMain([`127.0.0.1:${await deadPort()}`, "--expect-tasks", "1", "--listen-deadline", "0", "--requests", "20"]);
        assert.equal(status, 1);
        assert.match(err, /^FAIL http:\/\/127\.0\.0\.1:\d+\/: nothing is listening: 20 of 20 requests failed: connection refused ×20$/m);
    });
});
