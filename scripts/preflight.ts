// `npx tsx scripts/preflight.ts STACK`: before `npm run deploy | preview | destroy`, checks everything the
// run needs and names every missing piece, with how to get it, in one message: the Pulumi CLI (3.187 or later), a running
// Docker daemon (the docker provider connects to it even for preview and destroy), AWS credentials from
// the SDK's default chain, and the stack's region.
import { spawnSync } from "node:child_process";
import { ECSClient } from "@aws-sdk/client-ecs";
import { stackConfigFile } from "../offline/stackFiles";

/** The checks, each resolving to what is missing (with the fix) or undefined. */
export interface Probes {
    pulumi(): string | undefined;
    docker(): string | undefined;
    credentials(region: string): Promise<string | undefined>;
    region(stack: string): { region?: string; problem?: string };
}

const succeeds = (command: string, args: string[]) => {
    const run = spawnSync(command, args, { encoding: "utf8", timeout: 15_000 });
    return { ok: run.status === 0, error: run.error, stdout: run.stdout ?? "", stderr: run.stderr ?? "" };
};

const installPulumi = "https://www.pulumi.com/docs/install/, e.g. curl -fsSL https://get.pulumi.com | sh";
// The first CLI that declares and checks a list of objects (hostEgress) in Pulumi.yaml; it also asks the provider
// before replacing resources that move to the stack's own AWS provider (the engine's DiffConfig, since 3.151).
export const minimumPulumiVersion = [3, 187, 0] as const;

/** What is wrong with the CLI `pulumi version` printed `output`, if anything. */
export function pulumiVersionProblem(output: string): string | undefined {
    const found = /^v?(\d+)\.(\d+)\.(\d+)/.exec(output.trim());
    const wanted = minimumPulumiVersion.join(".");
    if (found === null) {
        return `the Pulumi CLI ${wanted} or later: \`pulumi version\` printed ${JSON.stringify(output.trim())}`;
    }
    const version = found.slice(1, 4).map(Number);
    const index = version.findIndex((part, i) => part !== minimumPulumiVersion[i]);
    return index < 0 || version[index] > minimumPulumiVersion[index] ? undefined
        : `the Pulumi CLI ${wanted} or later (this is ${found[0]}): update it (${installPulumi})`;
}

export const realProbes: Probes = {
    pulumi: () => {
        const run = succeeds("pulumi", ["version"]);
        return run.ok ? pulumiVersionProblem(run.stdout) : `the Pulumi CLI: install it (${installPulumi}) and put it on PATH`;
    },
    docker: () => {
        const info = succeeds("docker", ["info", "--format", "{{.ServerVersion}}"]);
        if (info.error) {
            return "Docker: install Docker Engine or Docker Desktop (the docker provider builds and pushes the images)";
        }
        return info.ok ? undefined
            : `a running Docker daemon: start it (sudo systemctl start docker, or open Docker Desktop); docker info said: ${info.stderr.trim().split("\n")[0]}`;
    },
    credentials: async (region) => {
        try {
            await new ECSClient({ region }).config.credentials();
            return undefined;
        } catch (error) {
            return `AWS credentials (${(error as Error).message.split("\n")[0]}): export AWS_PROFILE=<profile> after aws sso login, `
                + "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
        }
    },
    region: (stack) => {
        try {
            const region = stackConfigFile(stack)["aws:region"];
            return region ? { region } : { problem: `the stack's region: pulumi config set aws:region us-east-1 --stack ${stack}` };
        } catch (error) {
            return { problem: `the stack's region: ${(error as Error).message}` };
        }
    },
};

/** Every missing piece, in the order a new user meets them; empty when the run can start. */
export async function missingPieces(stack: string, probes: Probes = realProbes): Promise<string[]> {
    const { region, problem } = probes.region(stack);
    const missing = [probes.pulumi(), probes.docker(), problem];
    // Credentials are looked up in the stack's region; without one, in the one the dev stack uses.
    missing.push(await probes.credentials(region ?? "us-east-1"));
    return missing.filter((piece): piece is string => piece !== undefined);
}

if (require.main === module) {
    const stack = process.argv[2] ?? "dev";
    missingPieces(stack).then((missing) => {
        if (missing.length > 0) {
            process.stderr.write(`Cannot start on stack ${stack}; missing:\n${missing.map((m) => `- ${m}`).join("\n")}\n`);
            process.exitCode = 2;
        }
    });
}
