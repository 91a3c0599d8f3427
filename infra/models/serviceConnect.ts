/**
 * What Service Connect adds to a task: ECS injects its proxy container (Envoy) into every task of a service on
 * Service Connect, outside the task definition. AWS recommends adding 256 CPU units and at least 64 MiB of memory
 * to the task for it ("Service Connect proxy" in
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html); the task
 * definition reserves them at the task level, so placement, the capacity check and the hosts count them.
 */
export const serviceConnectProxy = { cpuUnits: 256, memoryMiB: 64 } as const;

/** Whether a service's tasks run the proxy: backends always (as servers), web services that set `connect` (as clients). */
export function onServiceConnect(service: { readonly type: string; readonly connect: boolean }): boolean {
    return service.type !== "worker" && service.connect;
}
