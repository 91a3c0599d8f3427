// The AWS clients of `npm run status`, in the stack's region on the default credential chain, and the one way
// their calls fail: a StatusError that names the call, with advice when the credentials are missing or refused.
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { StatusError } from "./outputs";
import { credentialHelp, rejectedCredentials } from "../operator/aws";

export interface AwsClients {
    ecs: ECSClient;
    elb: ElasticLoadBalancingV2Client;
    cloudwatch: CloudWatchClient;
    scheduler: SchedulerClient;
    timeoutMs: number;
}

/**
 * Clients on the default credential chain in the stack's region. Each attempt is cut at half the call's
 * budget so one retry still fits; `call` aborts whatever is left when the budget runs out.
 */
export function awsClients(region: string, timeoutMs: number): AwsClients {
    const config = {
        region,
        maxAttempts: 2,
        requestHandler: {
            connectionTimeout: Math.min(3000, timeoutMs / 2),
            requestTimeout: timeoutMs / 2,
            throwOnRequestTimeout: true,
        },
    };
    return {
        ecs: new ECSClient(config),
        elb: new ElasticLoadBalancingV2Client(config),
        cloudwatch: new CloudWatchClient(config),
        scheduler: new SchedulerClient(config),
        timeoutMs,
    };
}


/** Sends one call with the client's time budget, turning every failure into a StatusError that names the call. */
export async function call<T>(aws: AwsClients, label: string, send: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    try {
        return await send({ abortSignal: AbortSignal.timeout(aws.timeoutMs) });
    } catch (error) {
        const { name, message } = error as Error;
        if (name === "CredentialsProviderError" || rejectedCredentials.has(name)) {
            throw new StatusError(`${credentialHelp("status")}\n(${label}: ${message})`);
        }
        if (name === "AbortError" || name === "TimeoutError") {
            throw new StatusError(`${label} got no answer within ${aws.timeoutMs / 1000} s`);
        }
        throw new StatusError(`${label} failed: ${name}: ${message}`);
    }
}

/** `family:revision` out of a task definition ARN, which is what operators compare. */
export function taskDefinitionName(arn: string | undefined): string {
    return arn?.split("task-definition/")[1] ?? arn ?? "unknown";
}

export function lastSegment(arn: string | undefined): string {
    return arn?.split("/").at(-1) ?? "unknown";
}

export function chunks<T>(items: T[], size: number): T[][] {
    return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
