// The part of the stack's outputs `npm run task`, `logs` and `exec` read (infra/index.ts exports more).
import { z } from "zod";
import { parseStackOutputs, StackRead } from "../stackOutputs";
import { UsageError } from "./command";

const serviceOutputs = z.object({
    serviceName: z.string().min(1),
    clusterName: z.string().min(1),
    logGroupName: z.string().min(1),
    /** Built from app-image (a chiseled image without a shell); absent in stacks from before the output. */
    appImage: z.boolean().optional(),
});

const stackOutputs = z.object({
    region: z.string().min(1),
    services: z.record(z.string(), serviceOutputs),
});

/** One service as the commands see it: `key` names it in the stack's config and names its container. */
export interface ServiceTarget extends z.infer<typeof serviceOutputs> {
    key: string;
    region: string;
    stack: string;
}

/** The service `key` of the stack's outputs, or a UsageError naming the services there are. */
export function serviceTarget(read: StackRead, key: string, reader: string): ServiceTarget {
    const outputs = parseStackOutputs(stackOutputs, read, reader);
    const service = Object.hasOwn(outputs.services, key) ? outputs.services[key] : undefined;
    if (service === undefined) {
        const names = Object.keys(outputs.services);
        throw new UsageError(`no service ${JSON.stringify(key)} in stack ${read.stack} (it has: ${names.join(", ") || "none"})`);
    }
    return { ...service, key, region: outputs.region, stack: read.stack };
}
