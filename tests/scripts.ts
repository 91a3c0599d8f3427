// How a test runs one of scripts/ as its own process, the way `npm run <name>` would.
import { spawn, SpawnOptions } from "node:child_process";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..");

/**
 * Node's arguments that run scripts/<name>.ts: its bundle in build/ when the suite itself runs from the
 * build (`npm run test:infra` builds both first, see scripts/build-offline.mjs), else the source through tsx.
 */
export function scriptArgs(name: string): string[] {
    return process.env.OFFLINE_BUILD === "tests"
        ? [path.join(repoRoot, "build", `${name}.js`)]
        : ["--import", "tsx", path.join(repoRoot, "scripts", `${name}.ts`)];
}

/** What a process exited with and wrote. */
interface Exited { code: number | null; stdout: string; stderr: string }

/**
 * Runs Node with `args` in a process of its own, without blocking this one, which goes on with other tests;
 * with `nice`, at that lower priority (through POSIX `nice`), for a process whose result is read last.
 * A process that cannot start resolves with the reason as its stderr, failing the test that reads it.
 */
export function runNode(args: string[], options: SpawnOptions = {}, { nice = 0 } = {}): Promise<Exited> {
    const [command, ...commandArgs] = nice > 0 && process.platform !== "win32"
        ? ["nice", "-n", String(nice), process.execPath, ...args] : [process.execPath, ...args];
    return new Promise((resolve) => {
        let stdout = "";
        let stderr = "";
        const failed = (error: Error) => resolve({ code: null, stdout, stderr: `${stderr}${error.message}` });
        try {
            const child = spawn(command, commandArgs, { ...options, stdio: "pipe" });
            child.stdout?.setEncoding("utf8").on("data", (chunk: string) => { stdout += chunk; });
            child.stderr?.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
            child.on("error", failed);
            child.on("close", (code) => resolve({ code, stdout, stderr }));
        } catch (error) {
            failed(error as Error);
        }
    });
}
