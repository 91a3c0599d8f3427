import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { AwsClients, call } from "../operator/aws";
import { logLine } from "../operator/logLine";

/**
 * The one log stream of a task's container, read forward from its start. `drain` prints what arrived
 * since the last call; a stream that does not exist yet (the container has not started) has nothing.
 */
export function taskLogStream(aws: AwsClients, logGroupName: string, logStreamName: string, taskId: string, out: (line: string) => void) {
    let nextToken: string | undefined;
    return {
        async drain(): Promise<void> {
            for (;;) {
                const page = await call(aws, "CloudWatch Logs GetLogEvents", async (o) => {
                    try {
                        return await aws.logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, nextToken }), o);
                    } catch (error) {
                        if ((error as Error).name === "ResourceNotFoundException") return undefined;
                        throw error;
                    }
                });
                const events = page?.events ?? [];
                for (const event of events) out(logLine(event.timestamp, taskId, event.message));
                nextToken = page?.nextForwardToken ?? nextToken;
                // At the end of the stream GetLogEvents answers no events (and the token it was given).
                if (events.length === 0) return;
            }
        },
    };
}
