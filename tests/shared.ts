// Runs of the program for tests that only read them: made in a worker thread (tests/deployWorker.ts), and
// each shared by the tests of a process that ask for the same one - a run is most of what a test costs,
// and many tests read the same stack; runs that share one ECR (redeployed) are made there too. A test
// that needs a run of its own (it hands deploy a program or a list to collect registrations in, or expects
// it to fail) calls deploy.
//
// A test file asks for the runs its tests read as it loads (at the top of the file or of a describe, not
// inside a test or a hook), so that the worker makes them, in the order the tests read them, while the
// tests of the files before it run. A run that fails fails the tests that await it.
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { Deployment } from "../offline/run";
import type { StackPlan } from "../scripts/plan";
import type { Job, Redeployments, WorkerReply, WorkerRequest } from "./deployWorker";

const made = new Map<string, Promise<unknown>>();

/** What `make` resolves to, made on first use of `key` and frozen, so that no test can change what others read. */
export function shared<T>(key: string, make: () => Promise<T>): Promise<T> {
    let result = made.get(key) as Promise<T> | undefined;
    if (result === undefined) {
        result = make().then(deepFreeze);
        result.catch(() => undefined); // a run asked for as a file loads may fail before a test awaits it
        made.set(key, result);
    }
    return result;
}

/** The run of `deploy(overrides, [], options)`, shared by every test that asks for the same one; it fails with the run's message. */
export function deployed(overrides: Record<string, string> = {}, options: { stack?: string; preview?: boolean } = {}): Promise<Deployment> {
    // The program names the image's build context relative to the working directory.
    return shared(JSON.stringify(["deployment", overrides, options, process.cwd()]),
        () => inWorker({ make: "deployment", overrides, options }) as Promise<Deployment>);
}

/** `runs` runs of `deploy(overrides)`, each finding ECR as the one before left it (Maps and Sets come across as they are); made afresh. */
export function redeployed(runs: number, overrides: Record<string, string> = {}): Promise<Redeployments> {
    return inWorker({ make: "redeployments", runs, overrides }) as Promise<Redeployments>;
}

/**
 * Resolves once no request to the worker is outstanding. A test that changes the working directory,
 * which the worker's thread shares, waits for it first: runs asked for as the files loaded may still be
 * queued.
 */
export function workerIdle(): Promise<void> {
    return waiting.size === 0 ? Promise.resolve() : new Promise((resolve) => whenIdle.push(resolve));
}

/** scripts/plan.ts's planOfStack(stack, dir), made afresh in the worker. */
export function planned(stack: string, dir?: string): Promise<StackPlan> {
    return inWorker({ make: "plan", stack, dir }) as Promise<StackPlan>;
}

/** The packages scripts/lazy-requires.cjs defers that the worker's runs of the program have not loaded. */
export function deferredInWorker(): Promise<string[]> {
    return inWorker({ make: "deferredPackages" }) as Promise<string[]>;
}

function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        Object.values(value).forEach(deepFreeze);
    }
    return value;
}

// From the build when the suite runs from it (see tests/scripts.ts), else the source through tsx. Started
// as the test files load, so that it boots while the first tests run.
const worker = process.env.OFFLINE_BUILD === "tests"
    ? new Worker(path.join(__dirname, "..", "build", "deployWorker.js"))
    : new Worker(path.join(__dirname, "deployWorker.ts"), { execArgv: ["--require", "tsx/cjs"] });
const waiting = new Map<number, (reply: WorkerReply) => void>();
let requests = 0;

// Referenced only while a request is due, so that the worker never keeps the test process alive. Its
// message port is referenced again as the thread comes online, so unreferenced again then.
worker.unref();
worker.once("online", () => {
    if (waiting.size === 0) {
        worker.unref();
    }
});
const whenIdle: (() => void)[] = [];
worker.on("message", (reply: WorkerReply) => {
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
    if (waiting.size === 0) {
        worker.unref();
        whenIdle.splice(0).forEach((resolve) => resolve());
    }
});
// A worker that has failed or exited answers nothing more: what is waiting, and every later request, fails
// naming it, rather than being left pending for the runner to cancel without a cause.
let dead: string | undefined;
const fail = (reason: string) => {
    const message = (dead ??= reason);
    waiting.forEach((settle, id) => settle({ id, error: { name: "Error", message, stack: "" } }));
    waiting.clear();
    whenIdle.splice(0).forEach((resolve) => resolve());
};
worker.on("error", (error) => fail(`the deploy worker failed: ${error.stack ?? error.message}`));
worker.on("exit", (code) => fail(`the deploy worker exited with ${code}`));

function inWorker(job: Job): Promise<unknown> {
    if (dead !== undefined) {
        return Promise.reject(new Error(dead));
    }
    const id = ++requests;
    worker.ref();
    worker.postMessage({ id, cwd: process.cwd(), ...job } satisfies WorkerRequest);
    const reply = new Promise((resolve, reject) => {
        // The error's class stays behind in the worker; its name, message and stack come across.
        waiting.set(id, (reply) => ("error" in reply ? reject(Object.assign(new Error(reply.error.message), reply.error)) : resolve(reply.result)));
    });
    // Asked for before the test that awaits it runs: that test reports a failure, not the process as unhandled.
    reply.catch(() => undefined);
    return reply;
}
