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
 * Places `tasks` tasks one at a time as ECS does for the strategies
 * `spread(attribute:ecs.availability-zone)` then `spread(instanceId)`
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html): into the
 * AZ with the fewest of them among AZs that still have a host with room, then onto that AZ's host with
 * the fewest of them among hosts with room. Ties go to the first AZ and host, where ECS picks any.
 */
export function placeTasks(tasks: number, hostsPerAz: readonly number[], host: HostSize, task: TaskSize): Placement {
    const azs = hostsPerAz.map((count) => ({
        tasks: 0,
        hosts: Array.from({ length: count }, () => ({ tasks: 0, memoryMiB: 0, cpuUnits: 0 })),
    }));
    const hasRoom = (load: HostLoad) => load.tasks < host.hostPorts
        && load.memoryMiB + task.memoryMiB <= host.memoryMiB
        && load.cpuUnits + task.cpuUnits <= host.cpuUnits;

    let placed = 0;
    for (; placed < tasks; placed++) {
        const open = azs.map((az) => ({ az, hosts: az.hosts.filter(hasRoom) })).filter((o) => o.hosts.length > 0);
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

type Bound = "registered memory" | "registered CPU" | "host ports";

function perHost(host: HostSize, task: TaskSize): { tasks: number; boundBy: Bound } {
    // A task reserving no CPU (or memory) is never turned away for it.
    const limits: [number, Bound][] = [
        [task.memoryMiB > 0 ? Math.floor(host.memoryMiB / task.memoryMiB) : Infinity, "registered memory"],
        [task.cpuUnits > 0 ? Math.floor(host.cpuUnits / task.cpuUnits) : Infinity, "registered CPU"],
        [host.hostPorts, "host ports"],
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

export interface CapacityInput {
    readonly availabilityZones: readonly string[];
    readonly instanceType: string;
    /** Hosts in every AZ at the Auto Scaling group's minimum. */
    readonly hostsPerAz: number;
    readonly asgMaxSize: number;
    readonly desiredCount: number;
    /** The most tasks service autoscaling may run. */
    readonly maxDesiredCount: number;
    readonly taskMemoryMiB: number;
    readonly taskCpuUnits: number;
    readonly deploymentMaximumPercent: number;
    readonly hostPortRange: { readonly from: number; readonly to: number };
    /** Fewest tasks the service should keep through the loss of one AZ. */
    readonly azLossFloor: number;
}

export interface AzLoss {
    /** The AZ holding the most of the service's tasks, whose loss hurts most. */
    readonly availabilityZone: string;
    readonly tasksLost: number;
    /** Tasks still running in the other AZs the moment it goes. */
    readonly tasksLeft: number;
    /** Tasks once ECS has re-placed the lost ones on the hosts already running in the other AZs. */
    readonly tasksOnSurvivingHosts: number;
}

export interface CapacityReport {
    /** Each one a reason to refuse the config. */
    readonly errors: string[];
    readonly warnings: string[];
    /** The rest is absent when the instance type is unknown. */
    readonly instance?: InstanceCapacity;
    /** The desired count on the Auto Scaling group's minimum hosts. */
    readonly steadyState?: Placement;
    /** The deploy peak of the autoscaling maximum on the group's maximum hosts. */
    readonly peakDeploy?: Placement;
    /** Absent when the steady state does not fit to begin with. */
    readonly azLoss?: AzLoss;
}

/**
 * Checks the stack's config against the capacity model. Errors: an unknown instance type; a desired
 * count that does not fit on the minimum hosts; a deploy peak of the autoscaling maximum that does not
 * fit on the maximum hosts. Warning: losing the busiest AZ leaves fewer tasks than `azLossFloor`.
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
    const task: TaskSize = { memoryMiB: input.taskMemoryMiB, cpuUnits: input.taskCpuUnits };
    const azs = input.availabilityZones;
    const minHosts = azs.map(() => input.hostsPerAz);
    const maxHosts = spreadHostsOverAzs(input.asgMaxSize, azs.length);
    const hostsText = (hostsPerAz: readonly number[], names: readonly string[]) =>
        describeHosts(hostsPerAz, names, input.instanceType, instance);
    const fitText = (hostsPerAz: readonly number[]) => describeFit(hostsPerAz, host, task, input.hostPortRange);
    const taskText = `${input.taskMemoryMiB} MiB and ${input.taskCpuUnits} CPU units each`;

    const errors: string[] = [];
    const warnings: string[] = [];

    const steadyState = placeTasks(input.desiredCount, minHosts, host, task);
    if (steadyState.unplaced > 0) {
        errors.push(`The desired count does not fit on the Auto Scaling group's minimum hosts: `
            + `${tasks(input.desiredCount)} of ${taskText} need more than ${hostsText(minHosts, azs)} hold. `
            + `${capitalized(fitText(minHosts))}, so ${steadyState.unplaced} would find no host ("unable to place a task"). `
            + `Add hosts per AZ, choose a larger instance type, or run fewer or smaller tasks.`);
    }

    const peak = deploymentPeak(input.maxDesiredCount, input.deploymentMaximumPercent);
    const peakDeploy = placeTasks(peak, maxHosts, host, task);
    if (peakDeploy.unplaced > 0) {
        errors.push(`A rolling deploy at the autoscaling maximum cannot be placed: at deployment maximumPercent `
            + `${input.deploymentMaximumPercent}, ${tasks(input.maxDesiredCount)} run up to ${peak} at once, old and new, `
            + `of ${taskText}, on the Auto Scaling group's maximum of ${hostsText(maxHosts, azs)}. `
            + `${capitalized(fitText(maxHosts))}, so ${peakDeploy.unplaced} would find no host and the deploy would stall. `
            + `Raise the group's maximum size, choose a larger instance type, or lower the autoscaling maximum, `
            + `maximumPercent or the task size.`);
    }

    if (steadyState.unplaced > 0) {
        return { errors, warnings, instance, steadyState, peakDeploy };
    }
    const azLoss = worstAzLoss(input, steadyState, host, task);
    if (azLoss.tasksLeft < input.azLossFloor) {
        const lost = azs.indexOf(azLoss.availabilityZone);
        const survivingAzs = azs.filter((_, i) => i !== lost);
        const survivingHosts = minHosts.filter((_, i) => i !== lost);
        const afterwards = azLoss.tasksOnSurvivingHosts === input.desiredCount
            ? `ECS can then re-place all ${input.desiredCount} on the hosts already running there.`
            : `ECS can then re-place them only up to ${azLoss.tasksOnSurvivingHosts} on the hosts already running `
                + `there, ${hostsText(survivingHosts, survivingAzs)}: ${fitText(survivingHosts)}. The rest wait for `
                + `the Auto Scaling group to launch hosts in the surviving AZs`
                + (azLoss.tasksOnSurvivingHosts < input.azLossFloor ? ", and the service stays below the floor until then." : ".");
        warnings.push(`Losing ${azLoss.availabilityZone}, the AZ with the most of the service's tasks `
            + `(${azLoss.tasksLost} of ${input.desiredCount}), would leave ${tasks(azLoss.tasksLeft)} running in `
            + `${survivingAzs.join(", ")}, below the AZ-loss floor of ${input.azLossFloor}. ${afterwards} `
            + `These counts assume no host is launched after the loss, since launches cannot be relied on during an `
            + `AZ outage (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/static-stability.html). `
            + `Run more tasks, or spread them over more AZs, to keep the floor.`);
    }
    return { errors, warnings, instance, steadyState, peakDeploy, azLoss };
}

function worstAzLoss(input: CapacityInput, steadyState: Placement, host: HostSize, task: TaskSize): AzLoss {
    const perAz = steadyState.azs.map((az) => az.tasks);
    const lost = perAz.indexOf(Math.max(...perAz));
    const tasksLeft = steadyState.placed - perAz[lost];
    const survivingHosts = input.availabilityZones.map(() => input.hostsPerAz).filter((_, i) => i !== lost);
    return {
        availabilityZone: input.availabilityZones[lost],
        tasksLost: perAz[lost],
        tasksLeft,
        tasksOnSurvivingHosts: Math.min(input.desiredCount, maxTasksThatFit(survivingHosts, host, task)),
    };
}

function describeHosts(hostsPerAz: readonly number[], azs: readonly string[], instanceType: string, instance: InstanceCapacity): string {
    const layout = azs.length > 1 && hostsPerAz.every((n) => n === hostsPerAz[0])
        ? `${hostsPerAz[0]} in each of ${azs.length} AZs`
        : hostsPerAz.map((n, i) => `${n} in ${azs[i]}`).join(", ");
    return `${sum(hostsPerAz)} x ${instanceType} (${layout}; ${instance.registeredMemoryMiB} MiB and `
        + `${instance.cpuUnits} CPU units registered each)`;
}

function describeFit(hostsPerAz: readonly number[], host: HostSize, task: TaskSize, ports: { from: number; to: number }): string {
    const { tasks: each, boundBy } = perHost(host, task);
    const bound = boundBy === "host ports" ? `the ${host.hostPorts} host ports in ${ports.from}-${ports.to}` : boundBy;
    return `at most ${tasks(maxTasksThatFit(hostsPerAz, host, task))} fit (${each} per host, bound by ${bound})`;
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
