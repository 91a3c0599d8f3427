import * as http from "node:http";
import { AddressInfo } from "node:net";
import type { Clock } from "../scripts/smoke/run";

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

/** A clock whose pauses take no time, so deadlines of minutes run in milliseconds. */
export function fakeClock(onSleep: () => Promise<unknown> = async () => undefined): Clock & { elapsedMs: number } {
    const clock = {
        elapsedMs: 0,
        now: () => clock.elapsedMs,
        sleep: async (ms: number) => {
            clock.elapsedMs += ms;
            await onSleep();
        },
    };
    return clock;
}
