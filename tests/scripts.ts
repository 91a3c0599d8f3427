// How a test runs one of scripts/ as its own process, the way `npm run <name>` does.
import { spawn, SpawnOptions } from "node:child_process";
import * as path from "node:path";
import { programDir, repoRoot } from "../infra/paths";

/** Node's arguments that run scripts/<name>.ts through tsx, as the npm scripts do. */
export function scriptArgs(name: string): string[] {
    return ["--import", "tsx", path.join(repoRoot, "scripts", `${name}.ts`)];
}

/** What a process exited with and wrote. */
interface Exited { code: number | null; stdout: string; stderr: string }

/**
 * Runs Node with `args` in a process of its own, without blocking this one. A process that cannot start
 * resolves with the reason as its stderr, failing the test that reads it.
 */
export function runNode(args: string[], options: SpawnOptions = {}): Promise<Exited> {
    return new Promise((resolve) => {
        let stdout = "";
        let stderr = "";
        const failed = (error: Error) => resolve({ code: null, stdout, stderr: `${stderr}${error.message}` });
        try {
            const child = spawn(process.execPath, args, { ...options, stdio: "pipe" });
            child.stdout?.setEncoding("utf8").on("data", (chunk: string) => { stdout += chunk; });
            child.stderr?.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
            child.on("error", failed);
            child.on("close", (code) => resolve({ code, stdout, stderr }));
        } catch (error) {
            failed(error as Error);
        }
    });
}

let planScript: Promise<Exited> | undefined;

/** `npm run -s plan -- --json` as a process of its own, run in the program's folder as the Pulumi CLI runs the program; run once. */
export function planScriptRun(): Promise<Exited> {
    planScript ??= runNode([...scriptArgs("plan"), "--json"], { cwd: programDir });
    return planScript;
}
