// The stack outputs `npm run status` works from, read with the Pulumi CLI and checked against the
// contract infra/index.ts exports, so a stack from an older program fails with the field it lacks.
import { spawnSync } from "node:child_process";
import { z } from "zod";
import { repoRoot } from "../../infra/paths";

const serviceOutputs = z.object({
    url: z.string(),
    serviceName: z.string().min(1),
    clusterName: z.string().min(1),
    desiredCount: z.number().int().nonnegative(),
    targetGroupArn: z.string().startsWith("arn:"),
    alarmNames: z.array(z.string()),
    logGroupName: z.string(),
    repositoryUrl: z.string(),
    imageRef: z.string(),
});

const stackOutputs = z.object({
    url: z.string(),
    region: z.string().min(1),
    availabilityZones: z.array(z.string()),
    clusterName: z.string().min(1),
    autoScalingGroupName: z.string(),
    dashboardUrl: z.string(),
    services: z.record(z.string(), serviceOutputs),
});

export type ServiceOutputs = z.infer<typeof serviceOutputs>;
export type StackOutputs = z.infer<typeof stackOutputs>;

/** Exit 2: the command cannot judge the service (usage, credentials, outputs, AWS refusing a call). */
export class StatusError extends Error {}

/** The outputs as the contract types them, or a StatusError listing each field that is off. */
export function parseOutputs(stack: string, raw: unknown): StackOutputs {
    const parsed = stackOutputs.safeParse(raw);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".") || "(outputs)"}: ${issue.message}`);
        throw new StatusError(`stack ${stack}: its outputs do not match what status reads (deploy the current program first):\n${problems.join("\n")}`);
    }
    return parsed.data;
}

/**
 * `pulumi stack output --json` for the stack. The backend and passphrase default as in scripts/stack.sh,
 * so the command finds the stack `npm run deploy` made without any setup.
 */
export function pulumiStackOutputs(stack: string): unknown {
    const root = repoRoot;
    const result = spawnSync("pulumi", ["stack", "output", "--json", "--stack", stack], {
        cwd: root,
        encoding: "utf8",
        timeout: 60_000,
        env: {
            ...process.env,
            PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL ?? `file://${root}/.pulumi-state`,
            PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "",
        },
    });
    if (result.error) {
        throw new StatusError(`could not run \`pulumi stack output\`: ${result.error.message} (is the Pulumi CLI on PATH?)`);
    }
    if (result.status !== 0) {
        throw new StatusError(`\`pulumi stack output --stack ${stack}\` failed: ${result.stderr.trim()}`);
    }
    try {
        return JSON.parse(result.stdout);
    } catch {
        throw new StatusError(`\`pulumi stack output --json --stack ${stack}\` printed something other than JSON`);
    }
}
