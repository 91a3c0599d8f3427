// The part of the stack's outputs `npm run task`, `logs` and `exec` read (infra/index.ts exports more). Each
// service's `type` says which fields it has: web, backend and worker run as an ECS service; a job has none, only a
// task definition family that its schedule runs. A stack from before the types has only web services and no `type`.
import { z } from "zod";
import { parseStackOutputs, serviceByType, StackRead } from "../stackOutputs";
import { UsageError } from "./command";

/** Built from app-image (a chiseled image without a shell); absent in stacks from before the output. */
const appImage = z.boolean().optional();

const ecsServiceOutputs = z.object({
    type: z.enum(["web", "backend", "worker"]),
    serviceName: z.string().min(1),
    clusterName: z.string().min(1),
    logGroupName: z.string().min(1),
    appImage,
});

/** A scheduled job: no ECS service; its runs are tasks of its family, on its cluster (else the stack's). */
const jobOutputs = z.object({
    type: z.literal("job"),
    taskDefinitionFamily: z.string().min(1),
    clusterName: z.string().min(1).optional(),
    logGroupName: z.string().min(1),
    appImage,
});

const anyService = serviceByType([ecsServiceOutputs, jobOutputs]);

const stackOutputs = z.object({
    region: z.string().min(1),
    /** The stack's cluster: a job's, when its outputs do not name one. */
    clusterName: z.string().min(1).optional(),
    services: z.record(z.string(), anyService),
}).superRefine((outputs, context) => {
    for (const [key, service] of Object.entries(outputs.services)) {
        if (service.type === "job" && service.clusterName === undefined && outputs.clusterName === undefined) {
            context.addIssue({ code: "custom", path: ["services", key, "clusterName"], message: "a job needs clusterName (or the stack's clusterName)" });
        }
    }
});

interface Where {
    /** Names the service in the stack's config, and names its container. */
    key: string;
    region: string;
    stack: string;
}

/** A web service, backend or worker as the commands see it. */
export type ServiceTarget = z.infer<typeof ecsServiceOutputs> & Where;

/** A job as the commands see it, its cluster resolved. */
export type JobTarget = z.infer<typeof jobOutputs> & Where & { clusterName: string };

/** Any service of the stack, by its `type`. */
export type Target = ServiceTarget | JobTarget;

/** The service `key` of the stack's outputs, or a UsageError naming the services there are. */
export function serviceTarget(read: StackRead, key: string, reader: string): Target {
    const outputs = parseStackOutputs(stackOutputs, read, reader);
    const service = Object.hasOwn(outputs.services, key) ? outputs.services[key] : undefined;
    if (service === undefined) {
        const names = Object.keys(outputs.services);
        throw new UsageError(`no service ${JSON.stringify(key)} in stack ${read.stack} (it has: ${names.join(", ") || "none"})`);
    }
    const where = { key, region: outputs.region, stack: read.stack };
    if (service.type === "job") {
        // The refinement above makes sure one of the two is there.
        return { ...service, ...where, clusterName: service.clusterName ?? outputs.clusterName ?? "" };
    }
    return { ...service, ...where };
}
