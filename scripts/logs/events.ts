// A log group's events from a point in time, and with --follow the ones that arrive after, until stopped.
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { AwsClients, call } from "../operator/aws";
import { Clock } from "../operator/clock";
import { UsageError } from "../operator/command";
import { logLine, taskIdOf } from "../operator/logLine";

/** Between two polls with --follow. */
export const followPollMs = 2000;

/**
 * How far back each poll looks again: events reach CloudWatch Logs out of order across streams, and a
 * poll starting at the newest event seen would miss one that was written earlier but ingested later.
 */
const lateEventsMs = 30_000;

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a whole number and a unit, s, m, h or d (10m), in milliseconds. */
export function parseSince(text: string): number {
    const match = /^(\d+)([smhd])$/.exec(text.trim());
    const ms = match ? Number(match[1]) * units[match[2]] : 0;
    if (ms <= 0) throw new UsageError(`--since takes a duration such as 30s, 10m, 2h or 1d, got ${JSON.stringify(text)}`);
    return ms;
}

export interface Tail {
    aws: AwsClients;
    clock: Clock;
    out(line: string): void;
    /** Aborted by Ctrl-C: --follow stops after the poll in flight. */
    stop: AbortSignal;
}

/** Prints the group's events since `sinceMs` ago, one line each (time, task, message); with `follow`, then polls. */
export async function printEvents(logGroupName: string, sinceMs: number, follow: boolean, tail: Tail): Promise<void> {
    const { aws } = tail;
    let startTime = tail.clock.now() - sinceMs;
    // Event id → timestamp of what was printed at or after startTime, which the next poll is answered again.
    let printed = new Map<string, number>();
    let newest = startTime;
    for (;;) {
        let nextToken: string | undefined;
        do {
            const page = await call(aws, "CloudWatch Logs FilterLogEvents", (o) => aws.logs.send(
                new FilterLogEventsCommand({ logGroupName, startTime, nextToken }), o));
            for (const event of page.events ?? []) {
                const id = event.eventId ?? `${event.logStreamName}/${event.timestamp}/${event.message}`;
                if (printed.has(id)) continue;
                printed.set(id, event.timestamp ?? startTime);
                newest = Math.max(newest, event.timestamp ?? startTime);
                tail.out(logLine(event.timestamp, taskIdOf(event.logStreamName), event.message));
            }
            nextToken = page.nextToken;
        } while (nextToken && !tail.stop.aborted);
        if (!follow || tail.stop.aborted) return;
        await tail.clock.sleep(followPollMs, tail.stop);
        if (tail.stop.aborted) return;
        startTime = Math.max(startTime, newest - lateEventsMs);
        printed = new Map([...printed].filter(([, at]) => at >= startTime));
    }
}
