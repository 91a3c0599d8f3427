// The AWS clients of `npm run task`, `logs` and `exec`, in the stack's region on the default credential
// chain, and the one way their calls fail: an OperatorError that names the call, with advice when the
// credentials are missing or refused.
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { ECSClient } from "@aws-sdk/client-ecs";
import { OperatorError } from "./command";

export interface AwsClients {
    ecs: ECSClient;
    logs: CloudWatchLogsClient;
    /** `npm run NAME`, for the advice on credentials. */
    command: string;
}

/** Bound on one call, retries included: a hung endpoint ends the command instead of holding it forever. */
const callTimeoutMs = 30_000;

export function awsClients(region: string, command: string): AwsClients {
    return { ecs: new ECSClient({ region }), logs: new CloudWatchLogsClient({ region }), command };
}

/** What to do when the SDK finds no credentials, or AWS does not accept them: shared by every operator command. */
export const credentialHelp = (command: string) => [
    "no usable AWS credentials. Provide them in one of the ways the AWS SDK's default chain reads:",
    `  AWS_PROFILE=<profile> npm run ${command}      a profile in ~/.aws/config or ~/.aws/credentials`,
    "  aws sso login --profile <profile>         then AWS_PROFILE=<profile>, when the profile uses IAM Identity Center",
    "  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment",
].join("\n");

/** Errors AWS gives for credentials it has but does not accept, which the same advice fixes. */
export const rejectedCredentials = new Set(["ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "UnrecognizedClientException"]);

/** Sends one call; every failure becomes an OperatorError naming the call (`label`, e.g. "ECS RunTask"). */
export async function call<T>(aws: AwsClients, label: string, send: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    try {
        return await send({ abortSignal: AbortSignal.timeout(callTimeoutMs) });
    } catch (error) {
        throw awsError(aws, label, error);
    }
}

/** What a failed call says to the operator. */
export function awsError(aws: AwsClients, label: string, error: unknown): OperatorError {
    const { name, message } = error as Error;
    if (name === "CredentialsProviderError" || rejectedCredentials.has(name)) {
        return new OperatorError(`${credentialHelp(aws.command)}\n(${label}: ${message})`);
    }
    if (name === "AbortError" || name === "TimeoutError") {
        return new OperatorError(`${label} got no answer within ${callTimeoutMs / 1000} s`);
    }
    return new OperatorError(`${label} failed: ${name}: ${message}`);
}
