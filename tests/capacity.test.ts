import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
    CapacityInput,
    CapacityReport,
    checkCapacity,
    combinedLoads,
    deploymentPeak,
    ecsInstanceCapacity,
    HostLoad,
    HostSize,
    hostPortCount,
    maxTasksThatFit,
    Placement,
    placeServices,
    placeTasks,
    ServiceCapacity,
    ServiceDemand,
    spreadHostsOverAzs,
    TaskSize,
} from "../infra/models/capacity";
import { capacitySummary, renderCapacitySummary } from "../infra/models/capacitySummary";
import { costInputs } from "../infra/cost/inputs";
import { fleetOf, minimumHosts, rollingDeployment } from "../infra/models/fleet";
import { stackConfigOf } from "../offline/run";
import { stackConfigFile } from "../offline/stackFiles";

type Cluster = Omit<CapacityInput, "services">;

// The seed's quick-start: Pulumi.dev.yaml and the config defaults, one service "app".
const seedCluster: Cluster = {
    availabilityZones: ["us-east-1a", "us-east-1b"],
    instanceType: "t3.small",
    hostsPerAz: 1,
    asgMaxSize: 4,
    hostPortRange: { from: 32768, to: 65535 },
};
const seedApp: ServiceDemand = {
    name: "app",
    desiredCount: 5,
    maxDesiredCount: 10,
    taskMemoryMiB: 128,
    taskCpuUnits: 128,
    deploymentMaximumPercent: 200,
    azLossFloor: 2,
};
const seed: CapacityInput = { ...seedCluster, services: [seedApp] };

/** The seed with cluster and app overrides: the old single-service config, one service named app. */
const single = (cluster: Partial<Cluster>, app: Partial<ServiceDemand> = {}): CapacityInput =>
    ({ ...seedCluster, ...cluster, services: [{ ...seedApp, ...app }] });

// t3.micro registers 921 MiB: 7 tasks of 128 MiB per host, memory-bound (CPU allows 16).
const micro = ecsInstanceCapacity["t3.micro"];
const microPerHost = Math.floor(micro.registeredMemoryMiB / 128);
const onMicros = (cluster: Partial<Cluster>, app: Partial<ServiceDemand> = {}): CapacityInput =>
    single({ instanceType: "t3.micro", asgMaxSize: 2, ...cluster }, { deploymentMaximumPercent: 100, ...app });
/** Several services on the seed's cluster. */
const cluster = (overrides: Partial<Cluster>, ...services: (Partial<ServiceDemand> & { name: string })[]): CapacityInput =>
    ({ ...seedCluster, ...overrides, services: services.map((s) => ({ ...seedApp, ...s })) });

const tasksPerAz = (placement: Placement | undefined) => placement?.azs.map((az) => az.tasks);
const tasksPerHost = (placement: Placement) => placement.azs.map((az) => az.hosts.map((h) => h.tasks));

/** The report's entry for one service, failing the test when it is missing. */
function serviceOf(report: CapacityReport, name: string): ServiceCapacity {
    const found = report.services?.find((s) => s.name === name);
    assert.ok(found, `no service ${name} in ${JSON.stringify(report.services?.map((s) => s.name))}`);
    return found;
}
/** The report of a lone app: exactly one service, app. */
function onlyApp(report: CapacityReport): ServiceCapacity {
    assert.deepEqual(report.services?.map((s) => s.name), ["app"]);
    return serviceOf(report, "app");
}

describe("instance capacity table", () => {
    const required = ["t3.micro", "t3.small", "t3.medium", "t3.large", "t3.xlarge", "t3a.small", "t3a.medium",
        "t3a.large", "m5.large", "m5.xlarge", "m6i.large", "m6i.xlarge", "m7i.large", "c5.large", "c6i.large"];

    test("covers the supported types, with 1024 CPU units per vCPU and less memory registered than installed", () => {
        for (const type of required) {
            assert.ok(Object.hasOwn(ecsInstanceCapacity, type), type);
        }
        for (const [type, c] of Object.entries(ecsInstanceCapacity)) {
            assert.equal(c.cpuUnits, c.vCpus * 1024, type);
            assert.ok(c.registeredMemoryMiB < c.memoryMiB && c.registeredMemoryMiB >= c.memoryMiB * 0.85, type);
        }
    });

    test("pins the small types' figures, so a change to the rule is deliberate", () => {
        assert.deepEqual(micro, { vCpus: 2, cpuUnits: 2048, memoryMiB: 1024, registeredMemoryMiB: 921 });
        assert.equal(ecsInstanceCapacity["t3.small"].registeredMemoryMiB, 1843);
        assert.equal(ecsInstanceCapacity["c5.large"].registeredMemoryMiB, 3686);
    });
});

describe("placement model", () => {
    const host: HostSize = { memoryMiB: 921, cpuUnits: 2048, hostPorts: 32768 };
    const task: TaskSize = { memoryMiB: 128, cpuUnits: 128 };

    test("the seed's case: 5 tasks of 128 MiB on one host in each of two AZs land 3 + 2", () => {
        const placement = placeTasks(5, [1, 1], host, task);
        assert.deepEqual(tasksPerAz(placement), [3, 2]);
        assert.equal(placement.placed, 5);
        assert.equal(placement.unplaced, 0);
        assert.deepEqual(placement.azs[0].hosts[0], { tasks: 3, memoryMiB: 384, cpuUnits: 384 });
    });

    test("spreads over the hosts of an AZ", () => {
        assert.deepEqual(tasksPerHost(placeTasks(7, [2, 2], host, task)), [[2, 2], [2, 1]]);
    });

    test("exactly full places every task; one more is left unplaced", () => {
        const full = 2 * microPerHost;
        assert.deepEqual(tasksPerAz(placeTasks(full, [1, 1], host, task)), [microPerHost, microPerHost]);
        assert.equal(placeTasks(full, [1, 1], host, task).unplaced, 0);
        const over = placeTasks(full + 1, [1, 1], host, task);
        assert.equal(over.placed, full);
        assert.equal(over.unplaced, 1);
    });

    test("a task of exactly the registered memory fits, one MiB more does not", () => {
        assert.equal(placeTasks(1, [1], host, { memoryMiB: 921, cpuUnits: 0 }).placed, 1);
        assert.equal(placeTasks(1, [1], host, { memoryMiB: 922, cpuUnits: 0 }).unplaced, 1);
    });

    test("CPU binds when it runs out first", () => {
        const cpuHeavy = { memoryMiB: 64, cpuUnits: 1024 };
        assert.deepEqual(tasksPerAz(placeTasks(5, [1, 1], host, cpuHeavy)), [2, 2]);
        assert.equal(maxTasksThatFit([1, 1], host, cpuHeavy), 4);
    });

    test("uneven hosts per AZ: balanced until the smaller AZ is full, then the rest go to the other", () => {
        const placement = placeTasks(10, [1, 3], { ...host, memoryMiB: 4 * 128 }, task);
        assert.deepEqual(tasksPerAz(placement), [4, 6]);
        assert.deepEqual(tasksPerHost(placement), [[4], [2, 2, 2]]);
        assert.equal(placeTasks(17, [1, 3], { ...host, memoryMiB: 4 * 128 }, task).unplaced, 1);
    });

    test("an AZ with no hosts gets no tasks", () => {
        assert.deepEqual(tasksPerAz(placeTasks(4, [0, 2], host, task)), [0, 4]);
    });

    test("dynamic host ports: a host holds at most one task per port in the range", () => {
        const ports = hostPortCount({ from: 32768, to: 32770 });
        assert.equal(ports, 3);
        const placement = placeTasks(7, [1, 1], { ...host, hostPorts: ports }, task);
        assert.deepEqual(tasksPerAz(placement), [3, 3]);
        assert.equal(placement.unplaced, 1);
        assert.equal(hostPortCount({ from: 32768, to: 65535 }), 32768);
    });

    test("deploy peak: maximumPercent of the desired count, rounded down, never below it", () => {
        assert.equal(deploymentPeak(10, 200), 20);
        assert.equal(deploymentPeak(5, 150), 7);
        assert.equal(deploymentPeak(3, 100), 3);
        assert.equal(deploymentPeak(4, 50), 4);
    });

    test("the Auto Scaling group spreads its hosts evenly, the first AZs one more", () => {
        assert.deepEqual(spreadHostsOverAzs(4, 2), [2, 2]);
        assert.deepEqual(spreadHostsOverAzs(5, 2), [3, 2]);
        assert.deepEqual(spreadHostsOverAzs(4, 3), [2, 1, 1]);
    });
});

describe("placement of several services on shared hosts", () => {
    const host: HostSize = { memoryMiB: 921, cpuUnits: 2048, hostPorts: 32768 };
    const task: TaskSize = { memoryMiB: 128, cpuUnits: 128 };
    const load = (tasks: number, memoryMiB: number, cpuUnits: number): HostLoad => ({ tasks, memoryMiB, cpuUnits });

    test("room counts what other services hold; spread counts only the service's own tasks", () => {
        // us-east-1a's host already holds 768 MiB of another service: room for one more 128 MiB task
        // (896 <= 921). The first task goes there (tie, first AZ); then only us-east-1b has room.
        const crowded = placeTasks(4, [1, 1], host, task, [[load(6, 768, 0)], [load(0, 0, 0)]]);
        assert.deepEqual(tasksPerAz(crowded), [1, 3]);
        assert.equal(crowded.unplaced, 0);
        // The placement reports the service's own load only, not the other service's.
        assert.deepEqual(crowded.azs[0].hosts[0], { tasks: 1, memoryMiB: 128, cpuUnits: 128 });

        // Five small tasks of another service in us-east-1a do not push this one's tasks to us-east-1b.
        assert.deepEqual(tasksPerAz(placeTasks(2, [1, 1], host, task, [[load(5, 5, 5)], [load(0, 0, 0)]])), [1, 1]);
        // Others' tasks use up host ports too: 3 ports, 2 held by another service.
        assert.deepEqual(tasksPerAz(placeTasks(3, [1, 1], { ...host, hostPorts: 3 }, task, [[load(2, 0, 0)], [load(0, 0, 0)]])), [1, 2]);
        // CPU as well: 1920 of 2048 units taken leaves one 128-unit task.
        assert.equal(placeTasks(3, [1], host, task, [[load(1, 0, 1920)]]).placed, 1);
    });

    test("each service spreads over the AZs on its own, the first taking room from the second", () => {
        const [first, second] = placeServices([{ tasks: 3, task }, { tasks: 3, task }], [1, 1], host);
        assert.deepEqual(tasksPerAz(first), [2, 1]);
        // Its own spread, not the cluster's: 2 + 1 again rather than 1 + 2 to even out the hosts.
        assert.deepEqual(tasksPerAz(second), [2, 1]);
        assert.deepEqual(combinedLoads([1, 1], [first, second]), [[load(4, 512, 512)], [load(2, 256, 256)]]);

        // A first service of 768 MiB per host leaves 153 MiB each: room for one 128 MiB task per host.
        const [big, small] = placeServices([{ tasks: 2, task: { memoryMiB: 768, cpuUnits: 0 } }, { tasks: 3, task }], [1, 1], host);
        assert.deepEqual(tasksPerAz(big), [1, 1]);
        assert.deepEqual(tasksPerAz(small), [1, 1]);
        assert.equal(small.unplaced, 1);
        // Alone, the same 3 tasks would fit.
        assert.equal(placeTasks(3, [1, 1], host, task).unplaced, 0);
        // Order matters: placed first, the small service takes its room and the big one loses a task.
        const [smallFirst, bigSecond] = placeServices([{ tasks: 3, task }, { tasks: 2, task: { memoryMiB: 768, cpuUnits: 0 } }], [1, 1], host);
        assert.equal(smallFirst.unplaced, 0);
        assert.deepEqual(tasksPerAz(bigSecond), [0, 1]);
    });

    test("combinedLoads adds the placements host by host, and of none is empty hosts", () => {
        assert.deepEqual(combinedLoads([2, 1], []), [[load(0, 0, 0), load(0, 0, 0)], [load(0, 0, 0)]]);
        const a = placeTasks(3, [2, 1], host, task);
        const b = placeTasks(2, [2, 1], host, { memoryMiB: 100, cpuUnits: 0 });
        assert.deepEqual(tasksPerHost(a), [[1, 1], [1]]);
        assert.deepEqual(tasksPerHost(b), [[1, 0], [1]]);
        assert.deepEqual(combinedLoads([2, 1], [a, b]), [[load(2, 228, 128), load(1, 128, 128)], [load(2, 228, 128)]]);
    });
});

describe("checkCapacity, one service", () => {
    test("the seed's config passes, its 5 tasks placed 3 + 2", () => {
        const report = checkCapacity(seed);
        assert.deepEqual(report.errors, []);
        assert.deepEqual(report.warnings, []);
        const app = onlyApp(report);
        assert.deepEqual(tasksPerAz(app.steadyState), [3, 2]);
        assert.equal(app.peakDeploy.placed, 20);
        assert.equal(app.peakDeploy.unplaced, 0);
        assert.equal(report.instanceType, "t3.small");
        assert.deepEqual(report.hostsAtMinimum, [1, 1]);
        assert.deepEqual(report.hostsAtMaximum, [2, 2]);
    });

    test("exactly full fits; one task over is refused with the numbers", () => {
        const full = 2 * microPerHost;
        assert.deepEqual(checkCapacity(onMicros({}, { desiredCount: full, maxDesiredCount: full })).errors, []);

        const { errors } = checkCapacity(onMicros({}, { desiredCount: full + 1, maxDesiredCount: full + 1 }));
        assert.equal(errors.length, 2);
        const [steady] = errors;
        assert.match(steady, /^Service app: the desired count does not fit on the Auto Scaling group's minimum hosts/);
        assert.ok(steady.includes(`${full + 1} tasks of 128 MiB and 128 CPU units each`), steady);
        assert.ok(steady.includes("2 x t3.micro (1 in each of 2 AZs; 921 MiB and 2048 CPU units registered each) hold."), steady);
        assert.ok(steady.includes(`At most ${full} tasks fit (${microPerHost} per host, bound by registered memory)`), steady);
        assert.ok(steady.includes(`so 1 would find no host ("unable to place a task")`), steady);
        // Alone on the hosts, there are no other services' tasks to mention.
        assert.ok(!errors.some((e) => e.includes("other services")), errors.join("\n"));
    });

    test("uneven hosts at the maximum: an ASG maximum of 3 over 2 AZs is 2 + 1 hosts", () => {
        const report = checkCapacity(onMicros({ asgMaxSize: 3 }, { desiredCount: 10, maxDesiredCount: 3 * microPerHost }));
        assert.deepEqual(report.errors, []);
        assert.deepEqual(report.hostsAtMaximum, [2, 1]);
        const app = onlyApp(report);
        assert.deepEqual(app.peakDeploy.azs.map((az) => az.hosts.length), [2, 1]);
        assert.deepEqual(tasksPerAz(app.peakDeploy), [2 * microPerHost, microPerHost]);
    });

    test("deploy surge: fits at steady state, not at maximumPercent 200, until the ASG maximum grows", () => {
        const app = { desiredCount: 10, maxDesiredCount: 10, deploymentMaximumPercent: 200 };
        const { errors } = checkCapacity(onMicros({}, app));
        assert.equal(errors.length, 1);
        assert.match(errors[0], /^Service app: a rolling deploy at the autoscaling maximum cannot be placed: at deployment maximumPercent 200, 10 tasks run up to 20 at once/);
        assert.ok(errors[0].includes(`maximum of 2 x t3.micro`), errors[0]);
        assert.ok(errors[0].includes(`At most ${2 * microPerHost} tasks fit`), errors[0]);
        assert.ok(errors[0].includes(`so ${20 - 2 * microPerHost} would find no host`), errors[0]);

        const fixed = checkCapacity(onMicros({ asgMaxSize: 3 }, app));
        assert.deepEqual(fixed.errors, []);
        assert.equal(onlyApp(fixed).peakDeploy.placed, 20);
    });

    test("the autoscaling maximum, not the desired count, sizes the deploy peak", () => {
        const app = { desiredCount: 5, maxDesiredCount: 12, deploymentMaximumPercent: 200 };
        const { errors } = checkCapacity(onMicros({}, app));
        assert.equal(errors.length, 1);
        assert.match(errors[0], /^Service app: .*12 tasks run up to 24 at once/);
        assert.deepEqual(checkCapacity(onMicros({}, { ...app, maxDesiredCount: 7 })).errors, []);
        assert.deepEqual(checkCapacity(onMicros({ asgMaxSize: 4 }, app)).errors, []);
    });

    test("a tiny host port range limits the tasks per host", () => {
        const report = checkCapacity(onMicros({ asgMaxSize: 3, hostPortRange: { from: 32768, to: 32770 } }, { desiredCount: 7, maxDesiredCount: 7 }));
        assert.equal(report.errors.length, 1);
        assert.match(report.errors[0], /^Service app: the desired count does not fit/);
        assert.ok(report.errors[0].includes("At most 6 tasks fit (3 per host, bound by the 3 host ports in 32768-32770)"), report.errors[0]);
        const app = onlyApp(report);
        assert.equal(app.steadyState.unplaced, 1);
        // The steady state does not fit, so there is no AZ loss to judge.
        assert.equal(app.azLoss, undefined);
    });

    test("an unknown instance type is refused with the supported list", () => {
        for (const instanceType of ["x9.mega", "constructor", "t4g.small"]) {
            const report = checkCapacity(single({ instanceType }));
            assert.equal(report.errors.length, 1, instanceType);
            assert.match(report.errors[0], new RegExp(`^Instance type "${instanceType}" is not in the capacity table`));
            assert.match(report.errors[0], /Supported: t3\.micro, t3\.small, .*c6i\.large/);
            assert.deepEqual(report.warnings, []);
            assert.equal(report.services, undefined);
            assert.equal(report.instanceType, undefined);
            assert.equal(report.hostsAtMinimum, undefined);
            assert.equal(capacitySummary(report), undefined);
        }
    });

    test("AZ loss below the floor warns with the tasks left; at the floor it does not", () => {
        const report = checkCapacity(single({}, { azLossFloor: 3 }));
        assert.deepEqual(report.errors, []);
        assert.equal(report.warnings.length, 1);
        assert.match(report.warnings[0], /^Service app: losing us-east-1a, the AZ with the most of its tasks \(3 of 5\), would leave 2 tasks running in us-east-1b, below the AZ-loss floor of 3\./);
        assert.match(report.warnings[0], /ECS can then re-place all 5 on the hosts already running there/);
        assert.deepEqual(onlyApp(report).azLoss, { availabilityZone: "us-east-1a", tasksLost: 3, tasksLeft: 2, tasksOnSurvivingHosts: 5, floor: 3 });

        assert.deepEqual(checkCapacity(single({}, { azLossFloor: 2 })).warnings, []);
        assert.deepEqual(checkCapacity(single({}, { desiredCount: 6, azLossFloor: 3 })).warnings, []);
    });

    test("AZ loss: when the surviving hosts cannot take the lost tasks back, the warning says how many they hold", () => {
        const full = 2 * microPerHost;
        const report = checkCapacity(onMicros({}, { desiredCount: full, maxDesiredCount: full, azLossFloor: full - 1 }));
        assert.deepEqual(report.errors, []);
        const app = onlyApp(report);
        assert.equal(app.azLoss?.tasksLeft, microPerHost);
        assert.equal(app.azLoss?.tasksOnSurvivingHosts, microPerHost);
        assert.equal(report.warnings.length, 1);
        assert.match(report.warnings[0], /^Service app: losing us-east-1a/);
        assert.ok(report.warnings[0].includes(`re-place them only up to ${microPerHost} on the hosts already running there, 1 x t3.micro (1 in us-east-1b;`), report.warnings[0]);
        assert.match(report.warnings[0], /the service stays below the floor until then/);
    });

    test("AZ loss over three AZs loses a third", () => {
        const report = checkCapacity(single({ availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], asgMaxSize: 6 }, { desiredCount: 7, azLossFloor: 5 }));
        assert.deepEqual(tasksPerAz(onlyApp(report).steadyState), [3, 2, 2]);
        assert.equal(onlyApp(report).azLoss?.tasksLeft, 4);
        assert.match(report.warnings[0], /^Service app: .*would leave 4 tasks running in us-east-1b, us-east-1c, below the AZ-loss floor of 5/);
    });
});

describe("checkCapacity, several services sharing the hosts", () => {
    const microCluster: Partial<Cluster> = { instanceType: "t3.micro", asgMaxSize: 2 };

    test("each service is placed with its own AZ spread, and reported under its name in config order", () => {
        const report = checkCapacity(cluster(microCluster,
            { name: "api", desiredCount: 3, maxDesiredCount: 3, deploymentMaximumPercent: 100, azLossFloor: 1 },
            { name: "web", desiredCount: 3, maxDesiredCount: 3, deploymentMaximumPercent: 100, azLossFloor: 1 }));
        assert.deepEqual(report.errors, []);
        assert.deepEqual(report.warnings, []);
        assert.deepEqual(report.services?.map((s) => s.name), ["api", "web"]);
        assert.deepEqual(tasksPerAz(serviceOf(report, "api").steadyState), [2, 1]);
        assert.deepEqual(tasksPerAz(serviceOf(report, "web").steadyState), [2, 1]);
        // The hosts carry both: 4 x 128 MiB in us-east-1a, 2 in us-east-1b.
        assert.deepEqual(combinedLoads([1, 1], (report.services ?? []).map((s) => s.steadyState)).flat().map((h) => h.memoryMiB), [512, 256]);
    });

    test("room the first service takes reduces the second; the refusal names the one that does not fit and the other's tasks", () => {
        // t3.micro, 921 MiB: big's 768 MiB task on each host leaves 153 MiB, one 128 MiB task of small each.
        const big = { name: "big", desiredCount: 2, maxDesiredCount: 2, taskMemoryMiB: 768, deploymentMaximumPercent: 100, azLossFloor: 1 };
        const small = { name: "small", desiredCount: 3, maxDesiredCount: 3, deploymentMaximumPercent: 100, azLossFloor: 0 };
        // Alone, each fits.
        assert.deepEqual(checkCapacity(cluster(microCluster, big)).errors, []);
        assert.deepEqual(checkCapacity(cluster(microCluster, small)).errors, []);

        const report = checkCapacity(cluster(microCluster, big, small));
        assert.equal(report.errors.length, 2, report.errors.join("\n"));
        const [steady, peak] = report.errors;
        assert.match(steady, /^Service small: the desired count does not fit on the Auto Scaling group's minimum hosts: 3 tasks of 128 MiB and 128 CPU units each/);
        assert.ok(steady.includes("beside the tasks other services hold there (2 of big)"), steady);
        assert.ok(steady.includes(`so 1 would find no host ("unable to place a task")`), steady);
        // What fits beside big's tasks, not what would fit on hosts of small's own.
        assert.ok(steady.includes("At most 2 tasks fit beside the other services' tasks (14 tasks on hosts of their own, 7 per host, bound by registered memory)"), steady);
        assert.match(peak, /^Service small: a rolling deploy at the autoscaling maximum cannot be placed/);
        assert.ok(peak.includes("beside the tasks other services hold there (2 of big)"), peak);
        assert.ok(!report.errors.some((e) => e.startsWith("Service big")), "big fits: it is placed first");
        assert.equal(serviceOf(report, "big").steadyState.unplaced, 0);
        assert.equal(serviceOf(report, "small").steadyState.unplaced, 1);
        // A steady state that does not fit leaves no AZ loss to judge, for either service.
        assert.ok((report.services ?? []).every((s) => s.azLoss === undefined));

        // One task less fits.
        assert.deepEqual(checkCapacity(cluster(microCluster, big, { ...small, desiredCount: 2, maxDesiredCount: 2 })).errors, []);
    });

    test("every service's deploy peak is placed together on the maximum hosts", () => {
        // Two t3.micro hosts at the maximum hold 14 tasks of 128 MiB. api peaks at 4 x 200% = 8, web at 3 x 200% = 6: 14, full.
        const api = { name: "api", desiredCount: 2, maxDesiredCount: 4, azLossFloor: 1 };
        const web = { name: "web", desiredCount: 2, maxDesiredCount: 3, azLossFloor: 1 };
        const full = checkCapacity(cluster(microCluster, api, web));
        assert.deepEqual(full.errors, []);
        assert.deepEqual(tasksPerAz(serviceOf(full, "api").peakDeploy), [4, 4]);
        assert.deepEqual(tasksPerAz(serviceOf(full, "web").peakDeploy), [3, 3]);

        // web at 4 peaks at 8: only 6 fit beside api's 8, so 2 find no host. Each peak fits alone.
        const over = checkCapacity(cluster(microCluster, api, { ...web, maxDesiredCount: 4 }));
        assert.equal(over.errors.length, 1, over.errors.join("\n"));
        assert.match(over.errors[0], /^Service web: a rolling deploy at the autoscaling maximum cannot be placed: at deployment maximumPercent 200, 4 tasks run up to 8 at once/);
        assert.ok(over.errors[0].includes("maximum of 2 x t3.micro (1 in each of 2 AZs; 921 MiB and 2048 CPU units registered each), beside the tasks other services hold there (8 of api)"), over.errors[0]);
        assert.ok(over.errors[0].includes("so 2 would find no host and the deploy would stall"), over.errors[0]);
        assert.equal(serviceOf(over, "web").peakDeploy.placed, 6);
        assert.equal(serviceOf(over, "web").peakDeploy.unplaced, 2);
        assert.ok(over.errors[0].includes("At most 6 tasks fit beside the other services' tasks (14 tasks on hosts of their own"), over.errors[0]);
        assert.deepEqual(checkCapacity(cluster(microCluster, { ...web, maxDesiredCount: 4 })).errors, []);

        // A third host at the maximum takes the rest.
        assert.deepEqual(checkCapacity(cluster({ ...microCluster, asgMaxSize: 3 }, api, { ...web, maxDesiredCount: 4 })).errors, []);
    });

    test("AZ-loss warnings are per service and name it: one below its floor, one above", () => {
        // t3.small: api 5 tasks land 3 + 2, losing us-east-1a leaves 2 < 3; web 6 land 3 + 3, leaving 3 = its floor.
        const report = checkCapacity(cluster({},
            { name: "api", desiredCount: 5, azLossFloor: 3 },
            { name: "web", desiredCount: 6, azLossFloor: 3 }));
        assert.deepEqual(report.errors, []);
        assert.equal(report.warnings.length, 1, report.warnings.join("\n"));
        assert.match(report.warnings[0], /^Service api: losing us-east-1a, the AZ with the most of its tasks \(3 of 5\), would leave 2 tasks running in us-east-1b, below the AZ-loss floor of 3\./);
        assert.match(report.warnings[0], /re-place all 5 on the hosts already running there/);
        assert.deepEqual(serviceOf(report, "api").azLoss, { availabilityZone: "us-east-1a", tasksLost: 3, tasksLeft: 2, tasksOnSurvivingHosts: 5, floor: 3 });
        assert.deepEqual(serviceOf(report, "web").azLoss, { availabilityZone: "us-east-1a", tasksLost: 3, tasksLeft: 3, tasksOnSurvivingHosts: 6, floor: 3 });

        // Swap the floors' margin: web now below (3 < 4), api at its floor (2), in config order.
        const swapped = checkCapacity(cluster({},
            { name: "api", desiredCount: 5, azLossFloor: 2 },
            { name: "web", desiredCount: 6, azLossFloor: 4 }));
        assert.equal(swapped.warnings.length, 1, swapped.warnings.join("\n"));
        assert.match(swapped.warnings[0], /^Service web: losing us-east-1a, the AZ with the most of its tasks \(3 of 6\), would leave 3 tasks running in us-east-1b, below the AZ-loss floor of 4\./);
    });

    test("AZ loss: the surviving hosts take back a service's tasks only beside the others re-placed before it", () => {
        // t3.micro: first holds 768 MiB per host. Losing us-east-1a, us-east-1b's host keeps first's task
        // there (first re-placed first: 1 of 2 fits), leaving 153 MiB: 1 of second's 2 tasks.
        const report = checkCapacity(cluster(microCluster,
            { name: "first", desiredCount: 2, maxDesiredCount: 2, taskMemoryMiB: 768, deploymentMaximumPercent: 100, azLossFloor: 1 },
            { name: "second", desiredCount: 2, maxDesiredCount: 2, deploymentMaximumPercent: 100, azLossFloor: 2 }));
        assert.deepEqual(report.errors, []);
        assert.deepEqual(serviceOf(report, "first").azLoss, { availabilityZone: "us-east-1a", tasksLost: 1, tasksLeft: 1, tasksOnSurvivingHosts: 1, floor: 1 });
        assert.deepEqual(serviceOf(report, "second").azLoss, { availabilityZone: "us-east-1a", tasksLost: 1, tasksLeft: 1, tasksOnSurvivingHosts: 1, floor: 2 });
        assert.equal(report.warnings.length, 1, report.warnings.join("\n"));
        assert.match(report.warnings[0], /^Service second: losing us-east-1a, the AZ with the most of its tasks \(1 of 2\), would leave 1 task running in us-east-1b, below the AZ-loss floor of 2\./);
        assert.ok(report.warnings[0].includes("re-place them only up to 1 on the hosts already running there, 1 x t3.micro (1 in us-east-1b;"), report.warnings[0]);
        assert.ok(report.warnings[0].includes("at most 1 task fit beside the other services' tasks (7 tasks on hosts of their own, 7 per host, bound by registered memory)"), report.warnings[0]);
        assert.match(report.warnings[0], /the service stays below the floor until then/);
    });

    test("a service reserving no CPU fits on hosts whose CPU the other service has taken", () => {
        // hog: 4 tasks of 1024 CPU units take both hosts' 2048. idle: 128 MiB and 0 CPU units, memory-bound:
        // (921 - 2 x 64) / 128 = 6 per host beside hog's two 64 MiB tasks, 12 in all.
        const hog = { name: "hog", desiredCount: 4, maxDesiredCount: 4, taskMemoryMiB: 64, taskCpuUnits: 1024, deploymentMaximumPercent: 100, azLossFloor: 0 };
        const idle = { name: "idle", desiredCount: 12, maxDesiredCount: 12, taskCpuUnits: 0, deploymentMaximumPercent: 100, azLossFloor: 0 };
        const fits = checkCapacity(cluster(microCluster, hog, idle));
        assert.deepEqual(fits.errors, []);
        assert.deepEqual(tasksPerAz(serviceOf(fits, "idle").steadyState), [6, 6]);
        assert.deepEqual(combinedLoads([1, 1], (fits.services ?? []).map((s) => s.steadyState)).flat(),
            [{ tasks: 8, memoryMiB: 896, cpuUnits: 2048 }, { tasks: 8, memoryMiB: 896, cpuUnits: 2048 }]);

        const over = checkCapacity(cluster(microCluster, hog, { ...idle, desiredCount: 13, maxDesiredCount: 13 }));
        assert.equal(over.errors.length, 2, over.errors.join("\n"));
        assert.match(over.errors[0], /^Service idle: .*13 tasks of 128 MiB and 0 CPU units each/);
        assert.ok(over.errors[0].includes("(4 of hog)"), over.errors[0]);
        // With no CPU reserved, memory is what binds it, never CPU.
        assert.ok(over.errors[0].includes("At most 12 tasks fit beside the other services' tasks (14 tasks on hosts of their own, 7 per host, bound by registered memory)"), over.errors[0]);
    });

    test("the summary: tasks per AZ and host, deploy peaks, AZ losses and headroom", () => {
        // t3.small: 1843 MiB and 2048 CPU units registered per host; 1 host per AZ at the minimum, 2 + 2 at the maximum.
        const input = cluster({},
            { name: "api", desiredCount: 3, maxDesiredCount: 4, taskMemoryMiB: 256, taskCpuUnits: 256, azLossFloor: 1 },
            { name: "web", desiredCount: 2, maxDesiredCount: 3, taskMemoryMiB: 128, taskCpuUnits: 0, azLossFloor: 1 });
        const report = checkCapacity(input);
        assert.deepEqual(report.errors, []);
        const summary = capacitySummary(report);
        assert.ok(summary);
        // Steady state: api 2 + 1, web 1 + 1.
        //   used: api 3 x 256 = 768 MiB and 768 CPU, web 2 x 128 = 256 MiB and 0 CPU: 1024 MiB, 768 CPU
        //   hosts: 2 x 1843 = 3686 MiB, 2 x 2048 = 4096 CPU
        //   headroom: 3686 - 1024 = 2662 MiB, 4096 - 768 = 3328 CPU
        // Deploy peak on 4 hosts: api 4 x 200% = 8 (2 per host), web 3 x 200% = 6 (2 + 1 per AZ).
        //   used: 8 x 256 = 2048 MiB and 2048 CPU, 6 x 128 = 768 MiB: 2816 MiB, 2048 CPU
        //   hosts: 4 x 1843 = 7372 MiB, 4 x 2048 = 8192 CPU
        //   headroom: 7372 - 2816 = 4556 MiB, 8192 - 2048 = 6144 CPU
        assert.deepEqual(summary, {
            instanceType: "t3.small",
            hosts: { minimum: 2, maximum: 4 },
            services: [
                {
                    name: "api",
                    tasksPerAz: { "us-east-1a": 2, "us-east-1b": 1 },
                    tasksPerHost: { "us-east-1a": [2], "us-east-1b": [1] },
                    deployPeak: { tasks: 8, placed: 8 },
                    azLoss: { availabilityZone: "us-east-1a", tasksLeft: 1, floor: 1 },
                },
                {
                    name: "web",
                    tasksPerAz: { "us-east-1a": 1, "us-east-1b": 1 },
                    tasksPerHost: { "us-east-1a": [1], "us-east-1b": [1] },
                    deployPeak: { tasks: 6, placed: 6 },
                    azLoss: { availabilityZone: "us-east-1a", tasksLeft: 1, floor: 1 },
                },
            ],
            steadyHeadroom: { memoryMiB: 2662, cpuUnits: 3328 },
            deployHeadroom: { memoryMiB: 4556, cpuUnits: 6144 },
        });
        assert.deepEqual(renderCapacitySummary(summary), [
            "hosts: 2 x t3.small at the minimum, up to 4",
            "service api: us-east-1a 2 (per host 2), us-east-1b 1 (per host 1)",
            "  deploy peak at the autoscaling maximum: 8 of 8 tasks placed on the maximum hosts",
            "  losing us-east-1a leaves 1 running (floor 1)",
            "service web: us-east-1a 1 (per host 1), us-east-1b 1 (per host 1)",
            "  deploy peak at the autoscaling maximum: 6 of 6 tasks placed on the maximum hosts",
            "  losing us-east-1a leaves 1 running (floor 1)",
            "headroom at the desired counts: 2662 MiB and 3328 CPU units registered but unreserved",
            "headroom at the deploy peak: 4556 MiB and 6144 CPU units registered but unreserved",
        ]);
    });

    test("the summary of a config that does not fit: unplaced peaks, no AZ loss, and hosts with no tasks", () => {
        // No host at the minimum: nothing is placed; the maximum of 2 t3.micro holds 7 + 7 of app's 20-task peak.
        const report = checkCapacity(onMicros({ hostsPerAz: 0 }, { desiredCount: 10, maxDesiredCount: 10, deploymentMaximumPercent: 200 }));
        assert.equal(report.errors.length, 2);
        const summary = capacitySummary(report);
        assert.ok(summary);
        assert.deepEqual(summary.services[0].deployPeak, { tasks: 20, placed: 14 });
        assert.equal(summary.services[0].azLoss, undefined);
        // Nothing placed on no hosts: no headroom either. 14 x 128 = 1792 of 2 x 921 = 1842 MiB at the peak.
        assert.deepEqual(summary.steadyHeadroom, { memoryMiB: 0, cpuUnits: 0 });
        assert.deepEqual(summary.deployHeadroom, { memoryMiB: 50, cpuUnits: 2 * 2048 - 14 * 128 });
        const lines = renderCapacitySummary(summary);
        assert.ok(lines.includes("service app: us-east-1a 0 (per host -), us-east-1b 0 (per host -)"), lines.join("\n"));
        assert.ok(lines.includes("  deploy peak at the autoscaling maximum: 14 of 20 tasks placed on the maximum hosts"), lines.join("\n"));
        assert.ok(!lines.some((l) => l.includes("losing")), lines.join("\n"));
    });
});

// mulberry32: a tiny seeded PRNG, so a failing case reproduces from its printed seed.
function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

test("property: over many random configs of 1-3 services, placement respects every host's capacity and balances each service's AZs", () => {
    for (let seedValue = 1; seedValue <= 1000; seedValue++) {
        const random = mulberry32(seedValue);
        const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
        const hostsPerAz = Array.from({ length: int(2, 4) }, () => int(random() < 0.1 ? 0 : 1, 4));
        const host: HostSize = { memoryMiB: int(256, 8192), cpuUnits: 1024 * int(1, 4), hostPorts: int(1, 40) };
        const demands = Array.from({ length: int(1, 3) }, () => ({
            tasks: int(0, 120),
            task: { memoryMiB: int(32, 1024), cpuUnits: random() < 0.2 ? 0 : int(1, 1024) },
        }));
        const placements = placeServices(demands, hostsPerAz, host);
        // Messages are built only on failure: building them for every check would dominate the run time.
        const where = () => `seed ${seedValue}: ${JSON.stringify({ hostsPerAz, host, demands })}`;
        const check = (ok: boolean, what: string, detail = () => "") => {
            if (!ok) {
                assert.fail(`${what}${detail()}, ${where()}`);
            }
        };
        check(placements.length === demands.length, "a placement per service");

        // The first service sees empty hosts: exactly the single-service model.
        check(placements[0].placed === Math.min(demands[0].tasks, maxTasksThatFit(hostsPerAz, host, demands[0].task)), "first service placed all that fit");

        placements.forEach((placement, s) => {
            const { tasks: requested, task } = demands[s];
            const what = (text: string) => `service ${s}: ${text}`;
            // What the services before it hold, and what it holds on top of that.
            const before = combinedLoads(hostsPerAz, placements.slice(0, s));
            const after = combinedLoads(hostsPerAz, placements.slice(0, s + 1));
            check(placement.placed + placement.unplaced === requested, what("placed + unplaced is the request"));
            check(placement.azs.length === hostsPerAz.length && placement.azs.every((az, a) => az.hosts.length === hostsPerAz[a]), what("hosts per AZ as given"));

            // Independent count of what fits beside the earlier services: per host, the least of memory, CPU and ports left.
            const fits = before.flat().reduce((total, load) => total + Math.max(0, Math.min(
                Math.floor((host.memoryMiB - load.memoryMiB) / task.memoryMiB),
                task.cpuUnits > 0 ? Math.floor((host.cpuUnits - load.cpuUnits) / task.cpuUnits) : Infinity,
                host.hostPorts - load.tasks,
            )), 0);
            check(placement.placed === Math.min(requested, fits), what("placed all that fit beside the earlier services"), () => ` (${placement.placed}, expected ${Math.min(requested, fits)})`);

            let placedOnHosts = 0;
            const roomLeft = placement.azs.map((az, a) => az.hosts.map((h, i) => {
                const total = after[a][i];
                check(total.memoryMiB <= host.memoryMiB, what("memory over the registered amount"));
                check(total.cpuUnits <= host.cpuUnits, what("CPU over the registered amount"));
                check(total.tasks <= host.hostPorts, what("more tasks than host ports"));
                check(h.memoryMiB === h.tasks * task.memoryMiB && h.cpuUnits === h.tasks * task.cpuUnits, what("own load is its tasks' size"));
                placedOnHosts += h.tasks;
                return total.tasks < host.hostPorts && total.memoryMiB + task.memoryMiB <= host.memoryMiB
                    && total.cpuUnits + task.cpuUnits <= host.cpuUnits;
            }));
            check(placement.azs.every((az) => az.tasks === az.hosts.reduce((n, h) => n + h.tasks, 0)), what("AZ count is its hosts' sum"));
            check(placedOnHosts === placement.placed, what("placed is the hosts' sum"));
            check(placement.unplaced === 0 || roomLeft.every((hosts) => hosts.every((room) => !room)), what("a task left unplaced beside room"));

            // Its own tasks spread evenly wherever room never ran out, whatever the others hold.
            const azsWithRoom = roomLeft.map((hosts) => hosts.some(Boolean));
            if (placement.unplaced === 0 && azsWithRoom.every(Boolean)) {
                const counts = placement.azs.map((az) => az.tasks);
                check(Math.max(...counts) - Math.min(...counts) <= 1, what("AZs unbalanced"), () => ` ${JSON.stringify(counts)}`);
            }
            placement.azs.forEach((az, i) => {
                if (roomLeft[i].every(Boolean)) {
                    const counts = az.hosts.map((h) => h.tasks);
                    check(Math.max(...counts) - Math.min(...counts) <= 1, what("hosts unbalanced"), () => ` ${JSON.stringify(counts)}`);
                }
            });
        });
    }
});

describe("the fleet: the one derivation the hosts, the capacity check and the cost estimate read", () => {
    test("the dev stack's fleet is the seed's: 2 to 4 hosts over two AZs, app's 5 to 10 tasks of 128 MiB and 128 CPU units", () => {
        const config = stackConfigOf(stackConfigFile("dev"));
        const fleet = fleetOf(config);
        assert.deepEqual(fleet, { ...seed, hosts: { min: 2, max: 4 } });
        assert.deepEqual(costInputs(config, fleet).hosts, fleet.hosts);
    });

    test("the minimum is hostsPerAz in every AZ; services keep their config order and take the rolling deployment's peak", () => {
        const config = stackConfigOf({
            "aws:region": "us-east-1",
            "ecs-on-ec2:availabilityZones": JSON.stringify(["us-east-1a", "us-east-1b", "us-east-1c"]),
            "ecs-on-ec2:hostsPerAz": "2",
            "ecs-on-ec2:asgMaxSize": "9",
            "ecs-on-ec2:services": JSON.stringify({ web: { pathPatterns: ["/web/*"], desiredCount: 3, maxCount: 6, memory: 256, cpu: 512, azLossFloor: 1 }, api: {} }),
        });
        const fleet = fleetOf(config);
        assert.deepEqual([fleet.hosts, minimumHosts(2, 3)], [{ min: 6, max: 9 }, 6]);
        assert.deepEqual(fleet.services.map((s) => [s.name, s.desiredCount, s.maxDesiredCount, s.taskMemoryMiB, s.taskCpuUnits, s.azLossFloor]),
            [["api", 5, 10, 128, 128, 2], ["web", 3, 6, 256, 512, 1]]);
        assert.ok(fleet.services.every((s) => s.deploymentMaximumPercent === rollingDeployment.maximumPercent));
        assert.deepEqual(costInputs(config, fleet).services, [{ name: "api", tasks: { min: 5, max: 10 }, web: true }, { name: "web", tasks: { min: 3, max: 6 }, web: true }]);
    });
});
