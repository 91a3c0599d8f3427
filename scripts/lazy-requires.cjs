// Loaded first by the offline bundles (scripts/build-offline.mjs puts it in their banner): makes
// `typescript`, `@npmcli/arborist` and the SDK's automation API (`@pulumi/pulumi/automation`, a public
// entry point) load on first use instead of when `@pulumi/pulumi` is required.
//
// `@pulumi/pulumi`'s index requires its function-serialization code (pulumi.runtime.serializeFunction),
// which requires typescript, arborist and three small helpers of theirs at load time: about half the
// modules and ~270 ms of every offline run, which never serializes a function; the automation API is
// another ~70 ms. Each is entered in `require.cache` (documented Node API: "adding or replacing entries
// is also possible") under the file it resolves to from `@pulumi/pulumi`, as a stand-in that requires
// the real package the first time anything reads from, calls or constructs it, and forwards to it from
// then on. Nothing of the SDK's internals is assumed: if the SDK does use one, it gets the real one,
// only later (tests/realPath.test.ts checks both). Only the offline plan and tests load this; the
// Pulumi CLI runs infra/ with plain module resolution.
"use strict";
const Module = require("node:module");
const path = require("node:path");

/** Packages deferred, resolved from the SDK's directory as its own `require` would. */
const deferred = ["typescript", "@npmcli/arborist", "normalize-package-data", "fdir", "upath", "@pulumi/pulumi/automation"];

const pending = new Set();
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

for (const name of deferred) {
    let filename;
    try {
        filename = require.resolve(name, { paths: [sdkDir] });
    } catch {
        continue; // not installed: the SDK's own fallback applies
    }
    if (require.cache[filename]) {
        continue;
    }
    let real;
    const load = () => {
        if (real === undefined) {
            Reflect.deleteProperty(require.cache, filename);
            real = require(filename);
            pending.delete(name);
        }
        return real;
    };
    // A function target, so the stand-in can also be called and constructed like the package itself.
    const standIn = new Proxy(function deferredModule() {}, {
        get: (_, key) => {
            // Reads as an ES module namespace to TypeScript's __importStar, which then copies nothing.
            if (key === "__esModule") {
                return true;
            }
            const target = load();
            return key === "default" && !target.__esModule ? target : target[key];
        },
        has: (_, key) => key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
            return descriptor && { ...descriptor, configurable: true };
        },
        apply: (_, self, args) => Reflect.apply(load(), self, args),
        construct: (_, args) => Reflect.construct(load(), args),
    });
    const module = new Module(filename, null);
    module.filename = filename;
    module.loaded = true;
    module.exports = standIn;
    require.cache[filename] = module;
    pending.add(name);
}

/** The packages deferred here, and those of them still not loaded: what tests/realPath.test.ts checks. */
module.exports.deferred = deferred;
module.exports.deferredPackages = () => deferred.filter((name) => pending.has(name));
