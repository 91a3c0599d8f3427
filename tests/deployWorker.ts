// The worker thread tests/shared.ts runs the program in. node:test installs async hooks in the test
// process that track every promise (to blame a late error on its test), and a run of the program on the
// mocks makes a great many: here, without them, a run takes half the CPU time it takes there.
import * as path from "node:path";
import { parentPort } from "node:worker_threads";
import { emptyRegistry, FakeRegistry } from "../offline/fakeAws";
import { deploy, Deployment } from "../offline/run";
import { planOfStack } from "../scripts/plan";

/**
 * What the worker is asked to make: a run of the program (deploy's arguments), runs one after another
 * against one ECR, the plan of a stack file, or the list of packages scripts/lazy-requires.cjs defers
 * that its runs have not loaded.
 */
export type Job =
    | { make: "deployment"; overrides: Record<string, string>; options: { stack?: string; preview?: boolean } }
    | { make: "redeployments"; runs: number; overrides: Record<string, string> }
    | { make: "plan"; stack: string; dir?: string }
    | { make: "deferredPackages" };
/** A job, and the working directory it was asked for in (the program names its image context relative to it). */
export type WorkerRequest = Job & { id: number; cwd: string };
/** What a "redeployments" job makes: each run, and ECR as the last left it. */
export type Redeployments = { deployments: Deployment[]; registry: FakeRegistry };
export type WorkerReply = { id: number; result: unknown } | { id: number; error: { name: string; message: string; stack: string } };

function make(job: Job): Promise<unknown> {
    switch (job.make) {
        case "deployment":
            return deploy(job.overrides, [], job.options);
        case "redeployments":
            return redeploy(job.runs, job.overrides);
        case "plan":
            return planOfStack(job.stack, job.dir);
        case "deferredPackages":
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return Promise.resolve((require(path.join(__dirname, "..", "scripts", "lazy-requires.cjs")) as { deferredPackages(): string[] }).deferredPackages());
    }
}

/** `runs` runs with the same config, each finding ECR as the one before left it, as successive `pulumi up`s do. */
async function redeploy(runs: number, overrides: Record<string, string>): Promise<Redeployments> {
    const registry = emptyRegistry();
    const deployments: Deployment[] = [];
    for (let run = 0; run < runs; run++) {
        deployments.push(await deploy(overrides, [], { registry }));
    }
    return { deployments, registry };
}

let runs = Promise.resolve();
parentPort?.on("message", (request: WorkerRequest) => {
    // One run at a time: the SDK's mocks and config are global.
    runs = runs.then(async () => {
        try {
            // A thread shares its process's working directory, but cannot change it: a test that moved it
            // after asking, or while the run was made, would get a run made elsewhere.
            const madeIn = () => {
                if (process.cwd() !== request.cwd) {
                    throw new Error(`asked for in ${request.cwd}, made in ${process.cwd()}`);
                }
            };
            madeIn();
            const result = await make(request);
            madeIn();
            parentPort?.postMessage({ id: request.id, result } satisfies WorkerReply);
        } catch (error) {
            const { name, message, stack = "" } = error as Error;
            parentPort?.postMessage({ id: request.id, error: { name, message, stack } } satisfies WorkerReply);
        }
    });
});
