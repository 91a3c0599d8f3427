import * as http from "node:http";
import { AddressInfo } from "node:net";
import type { Clock } from "../scripts/smoke/clock";

export interface FakeTask { taskArn: string; availabilityZone: string; hostPrivateIp: string }

/** The five tasks of the dev stack: three on the host in us-east-1a, two on the one in us-east-1b. */
export const fleet: FakeTask[] = [1, 2, 3, 4, 5].map((n) => ({
    taskArn: `arn:aws:ecs:us-east-1:012345678910:task/ecs-on-ec2-dev/task${n}`,
    availabilityZone: n <= 3 ? "us-east-1a" : "us-east-1b",
    hostPrivateIp: n <= 3 ? "172.31.16.20" : "172.31.32.40",
}));

/**
 * What the fake ALB does with one request: a task answers (with the app's JSON, or with a bare body
 * as Kestrel sends on a crash), the ALB answers with its own error page, or the connection breaks.
 */
type Reply =
    | { task: FakeTask; status?: number; bare?: boolean }
    | { albError: number }
    | "reset"
    | "hang";

/** Requests served so far, counting from 1, and the request itself. */
type Route = (served: number, request: http.IncomingMessage) => Reply;

export const roundRobin = (tasks: FakeTask[]): Route => (served) => ({ task: tasks[served % tasks.length] });

const servers: http.Server[] = [];

export function closeFleets(): void {
    for (const server of servers) {
        server.closeAllConnections();
        server.close();
    }
}

/** A loopback stand-in for the ALB in front of the tasks; resolves to its URL. */
export async function fakeAlb(route: Route, port = 0): Promise<string> {
    let served = 0;
    const server = http.createServer((request, response) => reply(route(++served, request), response));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function reply(what: Reply, response: http.ServerResponse): void {
    if (what === "reset") {
        response.socket?.destroy();
    } else if (what === "hang") {
        return;
    } else if ("albError" in what) {
        response.writeHead(what.albError, { "content-type": "text/html", server: "awselb/2.0" })
            .end(`<html><body><center><h1>${what.albError}</h1></center></body></html>`);
    } else if (what.bare) {
        response.writeHead(what.status ?? 200).end();
    } else {
        response.writeHead(what.status ?? 200, { "content-type": "application/json" })
            .end(JSON.stringify({ ...what.task, cluster: "ecs-on-ec2-dev", hostPort: 49153 }));
    }
}

/** A port where nothing listens: a server started and closed again. */
export async function deadPort(): Promise<number> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

/**
 * A clock that moves only when told: a pause moves it at once, so deadlines of minutes run in milliseconds,
 * and a request's timeout fires only when the test moves the clock past it, never because the machine is slow.
 */
export function fakeClock(onSleep: () => Promise<unknown> = async () => undefined): Clock & { elapsedMs: number; advance(ms: number): void } {
    const timers = new Set<{ at: number; fire: () => void }>();
    const clock = {
        elapsedMs: 0,
        now: () => clock.elapsedMs,
        /** Moves the clock on, firing the timers that fall due. */
        advance: (ms: number) => {
            clock.elapsedMs += ms;
            for (const timer of [...timers].filter((t) => t.at <= clock.elapsedMs)) {
                timers.delete(timer);
                timer.fire();
            }
        },
        setTimer: (ms: number, fire: () => void) => {
            const timer = { at: clock.elapsedMs + ms, fire };
            timers.add(timer);
            return () => { timers.delete(timer); };
        },
        sleep: async (ms: number) => {
            clock.advance(ms);
            await onSleep();
        },
    };
    return clock;
}
