// `node scripts/offline.cjs NAME [args]` (what `npm run plan` and `npm run test:infra` run): runs the
// bundle build/NAME.js with the arguments, building build/ first when it is missing or older than its
// sources - in one process, so they pay for neither a second npm lifecycle script nor a second Node start.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { repoRoot, upToDate } = require("./offline-build-state.cjs");

const [name, ...args] = process.argv.slice(2);
if (!/^[\w-]+$/.test(name ?? "")) {
    process.stderr.write("usage: node scripts/offline.cjs NAME [args] (NAME: a bundle in build/, such as plan)\n");
    process.exit(2);
}
if (!upToDate()) {
    const build = spawnSync(process.execPath, [path.join(repoRoot, "scripts", "build-offline.mjs")], { stdio: "inherit" });
    if (build.status !== 0) {
        process.exit(build.status ?? 1);
    }
}
// The bundle runs its main when loaded (its entry's `require.main === module` is built in as true).
process.argv = [process.argv[0], path.join(repoRoot, "build", `${name}.js`), ...args];
require(process.argv[1]);
