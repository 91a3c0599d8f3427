import { z } from "zod";
import { parseStackOutputs as parseShared, StackRead } from "../stackOutputs";

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

export function parseStackOutputs(read: StackRead): StackOutputs {
    return parseShared(stackOutputsSchema, read, "the smoke check", "give the URL with --expect-tasks instead");
}
