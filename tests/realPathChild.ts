// Run by realPath.test.ts in a process of its own, in infra/: the program loaded the way the Pulumi CLI
// loads Pulumi.yaml's `main: infra/`, then run on the mocks.
import * as path from "node:path";
import { deploy } from "../offline/run";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const entry: unknown = require(path.resolve(__dirname, "..", "infra"));
const loaded = (file: string) => require.cache[require.resolve(file)]?.loaded === true;

(async () => {
    const deployment = await deploy({}, [], { run: entry as () => Promise<Record<string, unknown>> });
    process.stdout.write(JSON.stringify({
        entry: typeof entry,
        urns: deployment.resources.map((r) => r.urn).sort(),
        imageBuild: deployment.resources.find((r) => r.type === "docker:index/image:Image")?.inputs.build,
        // The SDK whole, as `pulumi up` loads it, closure serialization included; pulumi-aws by service only.
        typescript: loaded("typescript"),
        awsIndex: loaded("@pulumi/aws"),
    }));
})();
