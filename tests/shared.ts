// Runs of the program that many tests read: each made on first use and memoized for the rest of the
// process, frozen so that no test can change what the others read. A test that needs a run of its own
// (it brings a program or a list to collect registrations in, or expects the run to fail) calls deploy.
import { emptyRegistry, FakeRegistry } from "../offline/fakeAws";
import { deploy, Deployment } from "../offline/run";
import { planOfStack, StackPlan } from "../scripts/plan";

const made = new Map<string, Promise<unknown>>();

/** What `make` resolves to, made on first use of `key` and frozen. */
export function shared<T>(key: string, make: () => Promise<T>): Promise<T> {
    let result = made.get(key) as Promise<T> | undefined;
    if (result === undefined) {
        result = make().then(deepFreeze);
        // A describe body may start a run that fails before the test awaiting it runs: that test reports it.
        result.catch(() => undefined);
        made.set(key, result);
    }
    return result;
}

/** The run of `deploy(overrides, [], options)`, shared by every test that asks for the same one. */
export function deployed(overrides: Record<string, string> = {}, options: { stack?: string; preview?: boolean } = {}): Promise<Deployment> {
    return shared(JSON.stringify(["deployment", overrides, options]), () => deploy(overrides, [], options));
}

/** Each run, and ECR as the last left it. */
export interface Redeployments { readonly deployments: Deployment[]; readonly registry: FakeRegistry }

/** `runs` runs with the same config, each finding ECR as the one before left it, as successive `pulumi up`s do. */
export async function redeployed(runs: number, overrides: Record<string, string> = {}): Promise<Redeployments> {
    const registry = emptyRegistry();
    const deployments: Deployment[] = [];
    for (let run = 0; run < runs; run++) {
        deployments.push(await deploy(overrides, [], { registry }));
    }
    return { deployments, registry };
}

/** scripts/plan.ts's planOfStack(stack, dir), made afresh (wrap it in `shared` to share it). */
export function planned(stack: string, dir?: string): Promise<StackPlan> {
    return planOfStack(stack, dir);
}

function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        Object.values(value).forEach(deepFreeze);
    }
    return value;
}
