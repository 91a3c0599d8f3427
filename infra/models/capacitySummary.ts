import { CapacityReport, combinedLoads, HostLoad, Placement } from "./capacity";

/** How the services sit on the hosts, for a reviewer: the capacity model's verdict in figures. */
export interface CapacitySummary {
    readonly instanceType: string;
    readonly hosts: { readonly minimum: number; readonly maximum: number };
    readonly services: readonly ServiceSummary[];
    /** Registered memory and CPU left on the minimum hosts at the desired counts. */
    readonly steadyHeadroom: Headroom;
    /** Registered memory and CPU left on the maximum hosts while every service deploys at its autoscaling maximum. */
    readonly deployHeadroom: Headroom;
}

export interface ServiceSummary {
    readonly name: string;
    /** Tasks per AZ at the desired count, and per host within each AZ. */
    readonly tasksPerAz: Readonly<Record<string, number>>;
    readonly tasksPerHost: Readonly<Record<string, readonly number[]>>;
    /** Tasks at the deploy peak of the autoscaling maximum, and how many of them find a host. */
    readonly deployPeak: { readonly tasks: number; readonly placed: number };
    /** Losing the service's busiest AZ: the tasks left at once, against the floor. */
    readonly azLoss?: { readonly availabilityZone: string; readonly tasksLeft: number; readonly floor: number };
}

export interface Headroom {
    readonly memoryMiB: number;
    readonly cpuUnits: number;
}

/** The summary of a capacity report that passed (undefined when the instance type was unknown). */
export function capacitySummary(report: CapacityReport): CapacitySummary | undefined {
    const { instanceType, instance, availabilityZones, hostsAtMinimum, hostsAtMaximum, services } = report;
    if (instanceType === undefined || instance === undefined || availabilityZones === undefined
        || hostsAtMinimum === undefined || hostsAtMaximum === undefined || services === undefined) {
        return undefined;
    }
    const headroom = (hosts: readonly number[], placements: readonly Placement[]): Headroom => {
        const loads = combinedLoads(hosts, placements).flat();
        const used = (pick: (load: HostLoad) => number) => loads.reduce((total, load) => total + pick(load), 0);
        return {
            memoryMiB: loads.length * instance.registeredMemoryMiB - used((l) => l.memoryMiB),
            cpuUnits: loads.length * instance.cpuUnits - used((l) => l.cpuUnits),
        };
    };
    return {
        instanceType,
        hosts: { minimum: sum(hostsAtMinimum), maximum: sum(hostsAtMaximum) },
        services: services.map((service) => ({
            name: service.name,
            tasksPerAz: Object.fromEntries(availabilityZones.map((az, a) => [az, service.steadyState.azs[a].tasks])),
            tasksPerHost: Object.fromEntries(availabilityZones.map((az, a) => [az, service.steadyState.azs[a].hosts.map((h) => h.tasks)])),
            deployPeak: { tasks: service.peakDeploy.placed + service.peakDeploy.unplaced, placed: service.peakDeploy.placed },
            ...(service.azLoss ? {
                azLoss: { availabilityZone: service.azLoss.availabilityZone, tasksLeft: service.azLoss.tasksLeft, floor: service.azLoss.floor },
            } : {}),
        })),
        steadyHeadroom: headroom(hostsAtMinimum, services.map((s) => s.steadyState)),
        deployHeadroom: headroom(hostsAtMaximum, services.map((s) => s.peakDeploy)),
    };
}

/** The summary as lines of text. */
export function renderCapacitySummary(summary: CapacitySummary): string[] {
    const room = (h: Headroom) => `${h.memoryMiB} MiB and ${h.cpuUnits} CPU units registered but unreserved`;
    return [
        `hosts: ${summary.hosts.minimum} x ${summary.instanceType} at the minimum, up to ${summary.hosts.maximum}`,
        ...summary.services.flatMap((s) => [
            `service ${s.name}: ${Object.entries(s.tasksPerAz).map(([az, n]) => `${az} ${n} (per host ${s.tasksPerHost[az].join("+") || "-"})`).join(", ")}`,
            `  deploy peak at the autoscaling maximum: ${s.deployPeak.placed} of ${s.deployPeak.tasks} tasks placed on the maximum hosts`,
            ...(s.azLoss ? [`  losing ${s.azLoss.availabilityZone} leaves ${s.azLoss.tasksLeft} running (floor ${s.azLoss.floor})`] : []),
        ]),
        `headroom at the desired counts: ${room(summary.steadyHeadroom)}`,
        `headroom at the deploy peak: ${room(summary.deployHeadroom)}`,
    ];
}

function sum(values: readonly number[]): number {
    return values.reduce((total, n) => total + n, 0);
}
