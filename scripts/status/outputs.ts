// The part of the stack outputs `npm run status` works from, checked against the contract infra/index.ts
// exports; scripts/stackOutputs.ts reads them, as it does for every operator command.
import { z } from "zod";
import { parseStackOutputs, StackRead } from "../stackOutputs";

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

/** The outputs as the contract types them, or a StackOutputsError listing each field that is off. */
export function parseOutputs(read: StackRead): StackOutputs {
    return parseStackOutputs(stackOutputs, read, "status");
}
