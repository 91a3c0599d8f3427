// How a test runs one of scripts/ as its own process, the way `npm run <name>` would.
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
