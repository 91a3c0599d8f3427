import { z } from "zod";
import { parseStackOutputs as parseShared, serviceByType, StackRead } from "../stackOutputs";

/** A service behind the ALB: what the check sends requests to. */
const webService = z.object({
    type: z.literal("web"),
    url: z.string(),
    hostHeader: z.string().optional(),
    desiredCount: z.number().int().min(1),
});

/** A backend, worker or scheduled job: no public URL, so nothing to check; a backend's Service Connect URL says why. */
const otherService = z.object({
    type: z.enum(["backend", "worker", "job"]),
    serviceConnectUrl: z.string().optional(),
});

/** The part of the stack's outputs the smoke check reads (infra/index.ts exports more). */
const stackOutputsSchema = z.object({
    region: z.string(),
    availabilityZones: z.array(z.string()).min(1),
    services: z.record(z.string(), serviceByType([webService, otherService])).refine((services) => Object.keys(services).length > 0, "no services to check"),
});

export type StackOutputs = z.infer<typeof stackOutputsSchema>;
export type ServiceOutputs = StackOutputs["services"][string];
export type WebServiceOutputs = Extract<ServiceOutputs, { type: "web" }>;

export function parseStackOutputs(read: StackRead): StackOutputs {
    return parseShared(stackOutputsSchema, read, "the smoke check", "give the URL with --expect-tasks instead");
}

/** Why the check leaves a service alone: its type, and for a backend where the other services reach it. */
export function skipReason(service: Exclude<ServiceOutputs, WebServiceOutputs>): string {
    if (service.type !== "backend") return service.type;
    const reached = service.serviceConnectUrl === undefined ? "" : `; reached by other services at ${service.serviceConnectUrl}`;
    return `backend: no public URL${reached}`;
}
