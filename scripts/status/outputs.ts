// The part of the stack outputs `npm run status` works from, checked against the contract infra/index.ts
// exports; scripts/stackOutputs.ts reads them, as it does for every operator command. Each service's `type`
// says which fields it has; a stack from before the types has only web services and no `type`.
import { z } from "zod";
import { parseStackOutputs, serviceByType, StackRead } from "../stackOutputs";

const webService = z.object({
    type: z.literal("web"),
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

/** A backend or a worker: an ECS service like a web one, without a target group; a backend has its Service Connect URL. */
const internalService = z.object({
    type: z.enum(["backend", "worker"]),
    serviceName: z.string().min(1),
    clusterName: z.string().min(1),
    desiredCount: z.number().int().nonnegative(),
    alarmNames: z.array(z.string()),
    serviceConnectUrl: z.string().optional(),
});

/**
 * A scheduled task: no ECS service, an EventBridge Scheduler schedule that runs its task definition family. The
 * schedule is named, or only given by its ARN (`…:schedule/GROUP/NAME`); its cluster defaults to the stack's.
 */
const jobService = z.object({
    type: z.literal("job"),
    scheduleName: z.string().min(1).optional(),
    scheduleGroupName: z.string().min(1).optional(),
    scheduleArn: z.string().startsWith("arn:").optional(),
    taskDefinitionFamily: z.string().min(1),
    clusterName: z.string().min(1).optional(),
    logGroupName: z.string(),
    /** Its failed-run alarm; stacks from before it have none. */
    alarmNames: z.array(z.string()).default([]),
}).refine((job) => job.scheduleName !== undefined || job.scheduleArn !== undefined, "a job needs scheduleName or scheduleArn");

const anyService = serviceByType([webService, internalService, jobService]);

const stackOutputs = z.object({
    url: z.string(),
    region: z.string().min(1),
    availabilityZones: z.array(z.string()),
    clusterName: z.string().min(1),
    autoScalingGroupName: z.string(),
    dashboardUrl: z.string(),
    services: z.record(z.string(), anyService),
});

export type WebServiceOutputs = z.infer<typeof webService>;
export type InternalServiceOutputs = z.infer<typeof internalService>;
/** Any service that runs as an ECS service: web, backend or worker. */
export type ServiceOutputs = WebServiceOutputs | InternalServiceOutputs;
export type JobOutputs = z.infer<typeof jobService>;
export type StackOutputs = z.infer<typeof stackOutputs>;

/** Exit 2: the command cannot judge the service (usage, credentials, outputs, AWS refusing a call). */
export class StatusError extends Error {}

/** The outputs as the contract types them, or a StackOutputsError listing each field that is off. */
export function parseOutputs(read: StackRead): StackOutputs {
    return parseStackOutputs(stackOutputs, read, "status");
}
