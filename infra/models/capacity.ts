/**
 * Preview-time capacity model of the service: which tasks fit on which hosts, placed the way ECS places
 * them, so that "unable to place a task", a deploy stuck at half its new tasks, and an AZ loss that
 * leaves too few tasks show up at `pulumi preview` instead of after the resources exist. Pure: no
 * Pulumi, no I/O.
 */

/** What one EC2 instance type gives ECS tasks. */
export interface InstanceCapacity {
    readonly vCpus: number;
    /** CPU units the ECS agent registers: 1024 per vCPU. */
    readonly cpuUnits: number;
    /** The instance's memory as EC2 lists it. */
    readonly memoryMiB: number;
    /** Memory the ECS agent registers for tasks: what placement can hand out. */
    readonly registeredMemoryMiB: number;
}

// ECS registers less memory than EC2 lists: the agent reads the kernel's MemTotal, which the firmware
// and kernel have already cut, and subtracts ECS_RESERVED_MEMORY (0 unless set; the hosts' user data
// leaves it unset). https://docs.aws.amazon.com/AmazonECS/latest/developerguide/memory-management.html
// AWS publishes no per-type figure for current types (its one example, m4.large on the old Amazon Linux
// AMI, registers 7985 of 8192 MiB), and MemTotal moves with the kernel: an m6i.large went from 7821 to
// 7817 MiB between two ECS AMI releases (https://github.com/aws/amazon-ecs-ami/issues/597). Figures
// reported from running clusters lose 5-10% (t3.medium 3884, m5.large 7680, m5.xlarge 15576, c5.large
// 3704 MiB in github.com/misterfifi1/exo-lives-aws, local.tf). So this table applies one conservative
// rule, 10% off the listed memory, below every one of those figures, instead of per-type numbers a new
// AMI would silently invalidate: an underestimate refuses a config that would just fit, an overestimate
// lets tasks sit in PENDING.
const unregisteredMemoryFraction = 0.1;

// vCPUs and memory: https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html (t3, t3a, m5, m6i, m7i)
// and https://docs.aws.amazon.com/ec2/latest/instancetypes/co.html (c5, c6i, c7i). CPU units: "multiplying
// the vCPUs listed for that instance type ... by 1,024", ContainerDefinition.cpu in
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
function instance(vCpus: number, memoryGiB: number): InstanceCapacity {
    const memoryMiB = memoryGiB * 1024;
    return {
        vCpus,
        cpuUnits: vCpus * 1024,
        memoryMiB,
        registeredMemoryMiB: Math.floor(memoryMiB * (1 - unregisteredMemoryFraction)),
    };
}

/** The x86_64 instance types the stack supports, with what ECS can give tasks on each. */
export const ecsInstanceCapacity: Readonly<Record<string, InstanceCapacity>> = {
    "t3.micro": instance(2, 1),
    "t3.small": instance(2, 2),
    "t3.medium": instance(2, 4),
    "t3.large": instance(2, 8),
    "t3.xlarge": instance(4, 16),
    "t3.2xlarge": instance(8, 32),
    "t3a.micro": instance(2, 1),
    "t3a.small": instance(2, 2),
    "t3a.medium": instance(2, 4),
    "t3a.large": instance(2, 8),
    "t3a.xlarge": instance(4, 16),
    "m5.large": instance(2, 8),
    "m5.xlarge": instance(4, 16),
    "m5.2xlarge": instance(8, 32),
    "m6i.large": instance(2, 8),
    "m6i.xlarge": instance(4, 16),
    "m7i.large": instance(2, 8),
    "m7i.xlarge": instance(4, 16),
    "c5.large": instance(2, 4),
    "c5.xlarge": instance(4, 8),
    "c6i.large": instance(2, 4),
    "c6i.xlarge": instance(4, 8),
    "c7i.large": instance(2, 4),
};

/** T2, T3, T3a and T4g: the burstable families, which earn and spend CPU credits. */
export function isBurstable(instanceType: string): boolean {
    return /^t\d[a-z]*\./.test(instanceType);
}

/** What one host offers this service's tasks. */
export interface HostSize {
    readonly memoryMiB: number;
    readonly cpuUnits: number;
    /** Dynamic host ports: each bridge-mode task with `hostPort: 0` takes one. */
    readonly hostPorts: number;
}

/** What one task reserves on its host. */
export interface TaskSize {
    readonly memoryMiB: number;
    readonly cpuUnits: number;
    /** The task maps no port (a worker), so takes no dynamic host port; otherwise it takes one. */
    readonly portless?: boolean;
}

export interface HostLoad {
    readonly tasks: number;
    readonly memoryMiB: number;
    readonly cpuUnits: number;
}

export interface Placement {
    /** Aligned with the `hostsPerAz` the placement was given. */
    readonly azs: readonly { readonly tasks: number; readonly hosts: readonly HostLoad[] }[];
    readonly placed: number;
    readonly unplaced: number;
}

// Ports in the range that the host itself already holds (the agent listens on 51678-51679) make the
// real limit a port or two lower; no task count this stack allows comes near it.
/** Host ports in an inclusive range, such as the ECS_DYNAMIC_HOST_PORT_RANGE the hosts open. */
export function hostPortCount(range: { readonly from: number; readonly to: number }): number {
    return Math.max(0, range.to - range.from + 1);
}

/**
 * Places `tasks` tasks of one service one at a time as ECS does for the strategies
 * `spread(attribute:ecs.availability-zone)` then `spread(instanceId)`
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html): into the
 * AZ with the fewest of them among AZs that still have a host with room, then onto that AZ's host with
 * the fewest of them among hosts with room. Spread counts the service's own tasks; room counts
 * `occupied` too, what other services already hold on each host. Ties go to the first AZ and host.
 */
export function placeTasks(
    tasks: number, hostsPerAz: readonly number[], host: HostSize, task: TaskSize, occupied?: readonly (readonly HostLoad[])[],
): Placement {
    const azs = hostsPerAz.map((count) => ({
        tasks: 0,
        hosts: Array.from({ length: count }, () => ({ tasks: 0, memoryMiB: 0, cpuUnits: 0 })),
    }));
    const empty: HostLoad = { tasks: 0, memoryMiB: 0, cpuUnits: 0 };
    const hasRoom = (az: number, h: number) => {
        const own = azs[az].hosts[h];
        const other = occupied?.[az]?.[h] ?? empty;
        // Every task placed counts against the ports, a portless one too: an overcount only where it cannot bind
        // (32768 ports), and it keeps a host's load a count of tasks.
        return (task.portless === true || own.tasks + other.tasks < host.hostPorts)
            && own.memoryMiB + other.memoryMiB + task.memoryMiB <= host.memoryMiB
            && own.cpuUnits + other.cpuUnits + task.cpuUnits <= host.cpuUnits;
    };

    let placed = 0;
    for (; placed < tasks; placed++) {
        const open = azs.map((az, a) => ({ az, hosts: az.hosts.filter((_, h) => hasRoom(a, h)) })).filter((o) => o.hosts.length > 0);
        if (open.length === 0) {
            break;
        }
        const chosen = open.reduce((best, o) => (o.az.tasks < best.az.tasks ? o : best));
        const target = chosen.hosts.reduce((best, h) => (h.tasks < best.tasks ? h : best));
        chosen.az.tasks++;
        target.tasks++;
        target.memoryMiB += task.memoryMiB;
        target.cpuUnits += task.cpuUnits;
    }
    return { azs, placed, unplaced: tasks - placed };
}

/** Host loads of several placements on the same hosts, added up. */
export function combinedLoads(hostsPerAz: readonly number[], placements: readonly Placement[]): HostLoad[][] {
    return hostsPerAz.map((count, az) => Array.from({ length: count }, (_, h) => placements.reduce((load, p) => {
        const own = p.azs[az].hosts[h];
        return { tasks: load.tasks + own.tasks, memoryMiB: load.memoryMiB + own.memoryMiB, cpuUnits: load.cpuUnits + own.cpuUnits };
    }, { tasks: 0, memoryMiB: 0, cpuUnits: 0 })));
}

/** Places each service's tasks in turn on the same hosts, each taking the room the ones before it left. */
export function placeServices(demands: readonly { tasks: number; task: TaskSize }[], hostsPerAz: readonly number[], host: HostSize): Placement[] {
    const placements: Placement[] = [];
    for (const demand of demands) {
        placements.push(placeTasks(demand.tasks, hostsPerAz, host, demand.task, combinedLoads(hostsPerAz, placements)));
    }
    return placements;
}

type Bound = "registered memory" | "registered CPU" | "host ports";

function perHost(host: HostSize, task: TaskSize): { tasks: number; boundBy: Bound } {
    // A task reserving no CPU (or memory) is never turned away for it.
    const limits: [number, Bound][] = [
        [task.memoryMiB > 0 ? Math.floor(host.memoryMiB / task.memoryMiB) : Infinity, "registered memory"],
        [task.cpuUnits > 0 ? Math.floor(host.cpuUnits / task.cpuUnits) : Infinity, "registered CPU"],
        [task.portless === true ? Infinity : host.hostPorts, "host ports"],
    ];
    const [tasks, boundBy] = limits.reduce((min, limit) => (limit[0] < min[0] ? limit : min));
    return { tasks: Math.max(0, tasks), boundBy };
}

/**
 * The most tasks that fit on these hosts. Spread placement strands no room (a task goes to any host
 * with room), so this is exactly how many `placeTasks` places before it runs out.
 */
export function maxTasksThatFit(hostsPerAz: readonly number[], host: HostSize, task: TaskSize): number {
    return sum(hostsPerAz) * perHost(host, task).tasks;
}

/**
 * Tasks running at once while a rolling deploy replaces `desiredCount` tasks: `maximumPercent` of them,
 * rounded down (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html;
 * minimumHealthyPercent, which rounds up, bounds the low side and needs no extra room). Below 100%
 * the deploy stops old tasks first, so the steady state is the peak.
 */
export function deploymentPeak(desiredCount: number, maximumPercent: number): number {
    return Math.max(desiredCount, Math.floor((desiredCount * maximumPercent) / 100));
}

/**
 * How an Auto Scaling group of `hosts` instances spreads them over `azCount` AZs: evenly, the first AZs
 * one more when it does not divide (its default balanced distribution,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html).
 */
export function spreadHostsOverAzs(hosts: number, azCount: number): number[] {
    return Array.from({ length: azCount }, (_, i) => Math.floor(hosts / azCount) + (i < hosts % azCount ? 1 : 0));
}

/** What one service asks of the cluster. */
export interface ServiceDemand {
    readonly name: string;
    readonly desiredCount: number;
    /** The most tasks service autoscaling may run. */
    readonly maxDesiredCount: number;
    readonly taskMemoryMiB: number;
    readonly taskCpuUnits: number;
    /** Its tasks map no port (a worker or a job). */
    readonly portless?: boolean;
    readonly deploymentMaximumPercent: number;
    /** Fewest tasks the service should keep through the loss of one AZ. */
    readonly azLossFloor: number;
}

export interface CapacityInput {
    readonly availabilityZones: readonly string[];
    readonly instanceType: string;
    /** Hosts in every AZ at the Auto Scaling group's minimum. */
    readonly hostsPerAz: number;
    readonly asgMaxSize: number;
    readonly hostPortRange: { readonly from: number; readonly to: number };
    /** Every service of the cluster; they share its hosts. */
    readonly services: readonly ServiceDemand[];
}

export interface AzLoss {
    /** The AZ holding the most of the service's tasks, whose loss hurts most. */
    readonly availabilityZone: string;
    readonly tasksLost: number;
    /** Tasks still running in the other AZs the moment it goes. */
    readonly tasksLeft: number;
    /** Tasks once ECS has re-placed the lost ones on the hosts already running in the other AZs. */
    readonly tasksOnSurvivingHosts: number;
    /** The service's AZ-loss floor that `tasksLeft` is held against. */
    readonly floor: number;
}

/** One service's share of the capacity check. */
export interface ServiceCapacity {
    readonly name: string;
    /** Its desired count on the Auto Scaling group's minimum hosts, beside the other services'. */
    readonly steadyState: Placement;
    /** The deploy peak of its autoscaling maximum on the group's maximum hosts, beside the others' peaks. */
    readonly peakDeploy: Placement;
    /** Absent when the steady state does not fit to begin with. */
    readonly azLoss?: AzLoss;
}

export interface CapacityReport {
    /** Each one a reason to refuse the config. */
    readonly errors: string[];
    readonly warnings: string[];
    /** The rest is absent when the instance type is unknown. */
    readonly instanceType?: string;
    readonly instance?: InstanceCapacity;
    /** The AZs the host counts below are aligned with. */
    readonly availabilityZones?: readonly string[];
    readonly hostsAtMinimum?: readonly number[];
    readonly hostsAtMaximum?: readonly number[];
    readonly services?: readonly ServiceCapacity[];
}

/**
 * Checks the cluster's config against the capacity model, every service's tasks placed together on the
 * shared hosts. Errors: an unknown instance type; a desired count that does not fit on the minimum
 * hosts; deploy peaks of the autoscaling maximums that do not fit on the maximum hosts (every service
 * rolling at once, as one `pulumi up` of new images does). Warning: losing a service's busiest AZ leaves
 * it fewer tasks than its `azLossFloor`. Each message names the service.
 */
export function checkCapacity(input: CapacityInput): CapacityReport {
    // hasOwn, not `in`: "constructor" and friends are not instance types.
    if (!Object.hasOwn(ecsInstanceCapacity, input.instanceType)) {
        return {
            errors: [`Instance type ${JSON.stringify(input.instanceType)} is not in the capacity table, so how many tasks its hosts hold `
                + `is unknown. Supported: ${Object.keys(ecsInstanceCapacity).join(", ")}.`],
            warnings: [],
        };
    }
    const instance = ecsInstanceCapacity[input.instanceType];
    const host: HostSize = {
        memoryMiB: instance.registeredMemoryMiB,
        cpuUnits: instance.cpuUnits,
        hostPorts: hostPortCount(input.hostPortRange),
    };
    const minHosts = input.availabilityZones.map(() => input.hostsPerAz);
    const maxHosts = spreadHostsOverAzs(input.asgMaxSize, input.availabilityZones.length);
    const steady = placeServices(input.services.map((s) => ({ tasks: s.desiredCount, task: taskOf(s) })), minHosts, host);
    const peaks = placeServices(input.services.map((s) => ({
        tasks: deploymentPeak(s.maxDesiredCount, s.deploymentMaximumPercent), task: taskOf(s),
    })), maxHosts, host);
    const context: CheckContext = { input, instance, host, minHosts, maxHosts };
    const errors: string[] = [];
    const warnings: string[] = [];
    const services = input.services.map((service, i): ServiceCapacity => {
        const others = othersText(input.services, steady, i);
        if (steady[i].unplaced > 0) {
            errors.push(steadyStateError(context, service, steady[i], others));
        }
        if (peaks[i].unplaced > 0) {
            errors.push(peakError(context, service, peaks[i], othersText(input.services, peaks, i)));
        }
        if (steady.some((p) => p.unplaced > 0)) {
            return { name: service.name, steadyState: steady[i], peakDeploy: peaks[i] };
        }
        const azLoss = worstAzLoss(context, i, steady[i]);
        if (azLoss.tasksLeft < service.azLossFloor) {
            warnings.push(azLossWarning(context, service, azLoss));
        }
        return { name: service.name, steadyState: steady[i], peakDeploy: peaks[i], azLoss };
    });
    return {
        errors, warnings, instanceType: input.instanceType, instance, availabilityZones: input.availabilityZones,
        hostsAtMinimum: minHosts, hostsAtMaximum: maxHosts, services,
    };
}

interface CheckContext {
    readonly input: CapacityInput;
    readonly instance: InstanceCapacity;
    readonly host: HostSize;
    readonly minHosts: readonly number[];
    readonly maxHosts: readonly number[];
}

// What the services placed before this one already hold, for the messages; empty for a lone service.
function othersText(services: readonly ServiceDemand[], placements: readonly Placement[], index: number): string {
    const before = services.slice(0, index).map((s, i) => `${placements[i].placed} of ${s.name}`);
    return before.length === 0 ? "" : `, beside the tasks other services hold there (${before.join(", ")})`;
}

function taskText(service: ServiceDemand): string {
    return `${service.taskMemoryMiB} MiB and ${service.taskCpuUnits} CPU units each`;
}

function steadyStateError(c: CheckContext, service: ServiceDemand, placement: Placement, others: string): string {
    const azs = c.input.availabilityZones;
    return `Service ${service.name}: the desired count does not fit on the Auto Scaling group's minimum hosts: `
        + `${tasks(service.desiredCount)} of ${taskText(service)} need more than `
        + `${describeHosts(c.minHosts, azs, c.input.instanceType, c.instance)} hold${others}. `
        + `${capitalized(describeFit(c.minHosts, c.host, taskOf(service), c.input.hostPortRange, others ? placement.placed : undefined))}, so ${placement.unplaced} `
        + `would find no host ("unable to place a task"). Add hosts per AZ, choose a larger instance type, or run fewer or smaller tasks.`;
}

function peakError(c: CheckContext, service: ServiceDemand, placement: Placement, others: string): string {
    const peak = deploymentPeak(service.maxDesiredCount, service.deploymentMaximumPercent);
    return `Service ${service.name}: a rolling deploy at the autoscaling maximum cannot be placed: at deployment maximumPercent `
        + `${service.deploymentMaximumPercent}, ${tasks(service.maxDesiredCount)} run up to ${peak} at once, old and new, `
        + `of ${taskText(service)}, on the Auto Scaling group's maximum of `
        + `${describeHosts(c.maxHosts, c.input.availabilityZones, c.input.instanceType, c.instance)}${others}. `
        + `${capitalized(describeFit(c.maxHosts, c.host, taskOf(service), c.input.hostPortRange, others ? placement.placed : undefined))}, so ${placement.unplaced} would find `
        + `no host and the deploy would stall. Raise the group's maximum size, choose a larger instance type, or lower the `
        + `autoscaling maximum, maximumPercent or the task size.`;
}

function azLossWarning(c: CheckContext, service: ServiceDemand, azLoss: AzLoss): string {
    const azs = c.input.availabilityZones;
    const lost = azs.indexOf(azLoss.availabilityZone);
    const survivingAzs = azs.filter((_, i) => i !== lost);
    const survivingHosts = c.minHosts.filter((_, i) => i !== lost);
    const afterwards = azLoss.tasksOnSurvivingHosts === service.desiredCount
        ? `ECS can then re-place all ${service.desiredCount} on the hosts already running there.`
        : `ECS can then re-place them only up to ${azLoss.tasksOnSurvivingHosts} on the hosts already running there, `
            + `${describeHosts(survivingHosts, survivingAzs, c.input.instanceType, c.instance)}: `
            + `${describeFit(survivingHosts, c.host, taskOf(service), c.input.hostPortRange,
                c.input.services.indexOf(service) > 0 ? azLoss.tasksOnSurvivingHosts : undefined)}. The rest wait for `
            + `the Auto Scaling group to launch hosts in the surviving AZs`
            + (azLoss.tasksOnSurvivingHosts < service.azLossFloor ? ", and the service stays below the floor until then." : ".");
    return `Service ${service.name}: losing ${azLoss.availabilityZone}, the AZ with the most of its tasks `
        + `(${azLoss.tasksLost} of ${service.desiredCount}), would leave ${tasks(azLoss.tasksLeft)} running in `
        + `${survivingAzs.join(", ")}, below the AZ-loss floor of ${service.azLossFloor}. ${afterwards} `
        + `These counts assume no host is launched after the loss, since launches cannot be relied on during an `
        + `AZ outage (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/static-stability.html). `
        + `Run more tasks, or spread them over more AZs, to keep the floor.`;
}

// After the loss every service is re-placed on the surviving hosts, in the same order as before.
function worstAzLoss(c: CheckContext, index: number, steadyState: Placement): AzLoss {
    const perAz = steadyState.azs.map((az) => az.tasks);
    const lost = perAz.indexOf(Math.max(...perAz));
    const survivingHosts = c.minHosts.filter((_, i) => i !== lost);
    const replaced = placeServices(c.input.services.map((s) => ({ tasks: s.desiredCount, task: taskOf(s) })), survivingHosts, c.host);
    return {
        availabilityZone: c.input.availabilityZones[lost],
        tasksLost: perAz[lost],
        tasksLeft: steadyState.placed - perAz[lost],
        tasksOnSurvivingHosts: replaced[index].placed,
        floor: c.input.services[index].azLossFloor,
    };
}

function taskOf(service: ServiceDemand): TaskSize {
    return { memoryMiB: service.taskMemoryMiB, cpuUnits: service.taskCpuUnits, ...(service.portless ? { portless: true } : {}) };
}

function describeHosts(hostsPerAz: readonly number[], azs: readonly string[], instanceType: string, instance: InstanceCapacity): string {
    const layout = azs.length > 1 && hostsPerAz.every((n) => n === hostsPerAz[0])
        ? `${hostsPerAz[0]} in each of ${azs.length} AZs`
        : hostsPerAz.map((n, i) => `${n} in ${azs[i]}`).join(", ");
    return `${sum(hostsPerAz)} x ${instanceType} (${layout}; ${instance.registeredMemoryMiB} MiB and `
        + `${instance.cpuUnits} CPU units registered each)`;
}

// `beside`: how many fit beside the tasks of the services placed before this one, when there are any; the
// hosts' own figure alone would then overstate the room (and read "at most 14 fit, so 1 would find no host").
function describeFit(hostsPerAz: readonly number[], host: HostSize, task: TaskSize, ports: { from: number; to: number }, beside?: number): string {
    const { tasks: each, boundBy } = perHost(host, task);
    const bound = boundBy === "host ports" ? `the ${host.hostPorts} host ports in ${ports.from}-${ports.to}` : boundBy;
    const alone = tasks(maxTasksThatFit(hostsPerAz, host, task));
    return beside === undefined
        ? `at most ${alone} fit (${each} per host, bound by ${bound})`
        : `at most ${tasks(beside)} fit beside the other services' tasks (${alone} on hosts of their own, ${each} per host, bound by ${bound})`;
}

function capitalized(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

function tasks(n: number): string {
    return `${n} ${n === 1 ? "task" : "tasks"}`;
}

function sum(values: readonly number[]): number {
    return values.reduce((total, n) => total + n, 0);
}
