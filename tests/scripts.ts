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
 * Runs Node with `args` in a process of its own, without blocking this one, which goes on with other tests.
 * The tests start these processes as their files load and read them late: at a lower priority (nice 10)
 * they run on the CPU the suite's own threads leave idle instead of slowing them.
 */
export function runNode(args: string[], options: SpawnOptions = {}): Promise<Exited> {
    return new Promise((resolve) => {
        const child = spawn("nice", ["-n", "10", process.execPath, ...args], { ...options, stdio: "pipe" });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => { stdout += chunk; });
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}
