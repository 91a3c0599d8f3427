import { spawnSync } from "node:child_process";
import { z } from "zod";

/** The part of the stack's outputs the smoke check reads (infra/index.ts exports more). */
const stackOutputsSchema = z.object({
    region: z.string(),
    availabilityZones: z.array(z.string()).min(1),
    services: z.record(z.string(), z.object({
        url: z.string(),
        hostHeader: z.string().optional(),
        desiredCount: z.number().int().min(1),
    })).refine((services) => Object.keys(services).length > 0, "no services to check"),
});

export type StackOutputs = z.infer<typeof stackOutputsSchema>;

/** The stack's outputs cannot be read or do not have the shape the check needs. */
export class StackOutputsError extends Error {}

/** Runs the Pulumi CLI; `stack` undefined means the selected stack. */
export function pulumiStackOutputs(stack: string | undefined): unknown {
    const args = ["stack", "output", "--json", "--show-secrets=false", ...(stack ? ["--stack", stack] : [])];
    const result = spawnSync("pulumi", args, { encoding: "utf8", timeout: 60_000 });
    if (result.error || result.status !== 0) {
        const why = result.error?.message ?? result.stderr.trim();
        throw new StackOutputsError(`\`pulumi ${args.join(" ")}\` failed: ${why}`);
    }
    try {
        return JSON.parse(result.stdout);
    } catch {
        throw new StackOutputsError(`\`pulumi ${args.join(" ")}\` did not print JSON`);
    }
}

export function parseStackOutputs(json: unknown): StackOutputs {
    const parsed = stackOutputsSchema.safeParse(json);
    if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(outputs)"}: ${issue.message}`);
        throw new StackOutputsError(`the stack's outputs lack what the smoke check needs (${issues.join("; ")}); `
            + "give the URL with --expect-tasks instead");
    }
    return parsed.data;
}
