// Whether build/ (scripts/build-offline.mjs) is current: build/inputs.json lists every file the bundles
// were built from, and the test files then present; the build is stale if any of them is newer than it,
// or if the test files changed. The build writes it; scripts/offline.cjs reads it.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..");
const stampFile = path.join(repoRoot, "build", "inputs.json");

/** The test files the suite runs (tests/*.test.ts), by name. */
function testFiles() {
    return fs.readdirSync(path.join(repoRoot, "tests")).filter((f) => f.endsWith(".test.ts")).sort();
}

function upToDate() {
    try {
        const { files, inputs } = JSON.parse(fs.readFileSync(stampFile, "utf8"));
        const built = fs.statSync(stampFile).mtimeMs;
        return JSON.stringify(files) === JSON.stringify(testFiles())
            && inputs.every((input) => fs.statSync(path.join(repoRoot, input)).mtimeMs < built);
    } catch {
        return false;
    }
}

module.exports = { repoRoot, stampFile, testFiles, upToDate };
