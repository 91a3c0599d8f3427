import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
    CapacityInput,
    checkCapacity,
    deploymentPeak,
    ecsInstanceCapacity,
    HostSize,
    hostPortCount,
    maxTasksThatFit,
    Placement,
    placeTasks,
    spreadHostsOverAzs,
    TaskSize,
} from "../infra/capacity";

// The seed's quick-start: Pulumi.dev.yaml and the config defaults.
const seed: CapacityInput = {
    availabilityZones: ["us-east-1a", "us-east-1b"],
    instanceType: "t3.small",
    hostsPerAz: 1,
    asgMaxSize: 4,
    desiredCount: 5,
    maxDesiredCount: 10,
    taskMemoryMiB: 128,
    taskCpuUnits: 128,
    deploymentMaximumPercent: 200,
    hostPortRange: { from: 32768, to: 65535 },
    azLossFloor: 2,
};

// t3.micro registers 921 MiB: 7 tasks of 128 MiB per host, memory-bound (CPU allows 16).
const micro = ecsInstanceCapacity["t3.micro"];
const microPerHost = Math.floor(micro.registeredMemoryMiB / 128);
const onMicros = (overrides: Partial<CapacityInput>): CapacityInput =>
    ({ ...seed, instanceType: "t3.micro", asgMaxSize: 2, deploymentMaximumPercent: 100, ...overrides });

const tasksPerAz = (placement: Placement | undefined) => placement?.azs.map((az) => az.tasks);
const tasksPerHost = (placement: Placement) => placement.azs.map((az) => az.hosts.map((h) => h.tasks));

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

describe("checkCapacity", () => {
    test("the seed's config passes, its 5 tasks placed 3 + 2", () => {
        const report = checkCapacity(seed);
        assert.deepEqual(report.errors, []);
        assert.deepEqual(report.warnings, []);
        assert.deepEqual(tasksPerAz(report.steadyState), [3, 2]);
        assert.equal(report.peakDeploy?.placed, 20);
        assert.equal(report.peakDeploy?.unplaced, 0);
    });

    test("exactly full fits; one task over is refused with the numbers", () => {
        const full = 2 * microPerHost;
        assert.deepEqual(checkCapacity(onMicros({ desiredCount: full, maxDesiredCount: full })).errors, []);

        const { errors } = checkCapacity(onMicros({ desiredCount: full + 1, maxDesiredCount: full + 1 }));
        assert.equal(errors.length, 2);
        const [steady] = errors;
        assert.match(steady, /desired count does not fit on the Auto Scaling group's minimum hosts/);
        assert.ok(steady.includes(`${full + 1} tasks of 128 MiB and 128 CPU units each`), steady);
        assert.ok(steady.includes("2 x t3.micro (1 in each of 2 AZs; 921 MiB and 2048 CPU units registered each)"), steady);
        assert.ok(steady.includes(`At most ${full} tasks fit (${microPerHost} per host, bound by registered memory)`), steady);
        assert.ok(steady.includes(`so 1 would find no host ("unable to place a task")`), steady);
    });

    test("uneven hosts at the maximum: an ASG maximum of 3 over 2 AZs is 2 + 1 hosts", () => {
        const report = checkCapacity(onMicros({ asgMaxSize: 3, desiredCount: 10, maxDesiredCount: 3 * microPerHost }));
        assert.deepEqual(report.errors, []);
        assert.deepEqual(report.peakDeploy?.azs.map((az) => az.hosts.length), [2, 1]);
        assert.deepEqual(tasksPerAz(report.peakDeploy), [2 * microPerHost, microPerHost]);
    });

    test("deploy surge: fits at steady state, not at maximumPercent 200, until the ASG maximum grows", () => {
        const config = onMicros({ desiredCount: 10, maxDesiredCount: 10, deploymentMaximumPercent: 200 });
        const { errors } = checkCapacity(config);
        assert.equal(errors.length, 1);
        assert.match(errors[0], /^A rolling deploy at the autoscaling maximum cannot be placed: at deployment maximumPercent 200, 10 tasks run up to 20 at once/);
        assert.ok(errors[0].includes(`maximum of 2 x t3.micro`), errors[0]);
        assert.ok(errors[0].includes(`At most ${2 * microPerHost} tasks fit`), errors[0]);
        assert.ok(errors[0].includes(`so ${20 - 2 * microPerHost} would find no host`), errors[0]);

        const fixed = checkCapacity({ ...config, asgMaxSize: 3 });
        assert.deepEqual(fixed.errors, []);
        assert.equal(fixed.peakDeploy?.placed, 20);
    });

    test("the autoscaling maximum, not the desired count, sizes the deploy peak", () => {
        const config = onMicros({ desiredCount: 5, maxDesiredCount: 12, deploymentMaximumPercent: 200 });
        const { errors } = checkCapacity(config);
        assert.equal(errors.length, 1);
        assert.match(errors[0], /12 tasks run up to 24 at once/);
        assert.deepEqual(checkCapacity({ ...config, maxDesiredCount: 7 }).errors, []);
        assert.deepEqual(checkCapacity({ ...config, asgMaxSize: 4 }).errors, []);
    });

    test("a tiny host port range limits the tasks per host", () => {
        const { errors, steadyState } = checkCapacity(onMicros({
            asgMaxSize: 3, desiredCount: 7, maxDesiredCount: 7, hostPortRange: { from: 32768, to: 32770 },
        }));
        assert.equal(errors.length, 1);
        assert.ok(errors[0].includes("At most 6 tasks fit (3 per host, bound by the 3 host ports in 32768-32770)"), errors[0]);
        assert.equal(steadyState?.unplaced, 1);
    });

    test("an unknown instance type is refused with the supported list", () => {
        for (const instanceType of ["x9.mega", "constructor", "t4g.small"]) {
            const report = checkCapacity({ ...seed, instanceType });
            assert.equal(report.errors.length, 1, instanceType);
            assert.match(report.errors[0], new RegExp(`^Instance type "${instanceType}" is not in the capacity table`));
            assert.match(report.errors[0], /Supported: t3\.micro, t3\.small, .*c6i\.large/);
            assert.equal(report.steadyState, undefined);
        }
    });

    test("AZ loss below the floor warns with the tasks left; at the floor it does not", () => {
        const report = checkCapacity({ ...seed, azLossFloor: 3 });
        assert.deepEqual(report.errors, []);
        assert.equal(report.warnings.length, 1);
        assert.match(report.warnings[0], /^Losing us-east-1a, the AZ with the most of the service's tasks \(3 of 5\), would leave 2 tasks running in us-east-1b, below the AZ-loss floor of 3\./);
        assert.match(report.warnings[0], /ECS can then re-place all 5 on the hosts already running there/);
        assert.deepEqual(report.azLoss, { availabilityZone: "us-east-1a", tasksLost: 3, tasksLeft: 2, tasksOnSurvivingHosts: 5 });

        assert.deepEqual(checkCapacity({ ...seed, azLossFloor: 2 }).warnings, []);
        assert.deepEqual(checkCapacity({ ...seed, desiredCount: 6, azLossFloor: 3 }).warnings, []);
    });

    test("AZ loss: when the surviving hosts cannot take the lost tasks back, the warning says how many they hold", () => {
        const full = 2 * microPerHost;
        const report = checkCapacity(onMicros({ desiredCount: full, maxDesiredCount: full, azLossFloor: full - 1 }));
        assert.deepEqual(report.errors, []);
        assert.equal(report.azLoss?.tasksLeft, microPerHost);
        assert.equal(report.azLoss?.tasksOnSurvivingHosts, microPerHost);
        assert.equal(report.warnings.length, 1);
        assert.ok(report.warnings[0].includes(`re-place them only up to ${microPerHost} on the hosts already running there, 1 x t3.micro (1 in us-east-1b;`), report.warnings[0]);
        assert.match(report.warnings[0], /the service stays below the floor until then/);
    });

    test("AZ loss over three AZs loses a third", () => {
        const report = checkCapacity({ ...seed, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], asgMaxSize: 6, desiredCount: 7, azLossFloor: 5 });
        assert.deepEqual(tasksPerAz(report.steadyState), [3, 2, 2]);
        assert.equal(report.azLoss?.tasksLeft, 4);
        assert.match(report.warnings[0], /would leave 4 tasks running in us-east-1b, us-east-1c, below the AZ-loss floor of 5/);
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

test("property: over many random configs, placement respects every host's capacity and balances AZs", () => {
    for (let seedValue = 1; seedValue <= 1000; seedValue++) {
        const random = mulberry32(seedValue);
        const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
        const hostsPerAz = Array.from({ length: int(2, 4) }, () => int(random() < 0.1 ? 0 : 1, 4));
        const host: HostSize = { memoryMiB: int(256, 8192), cpuUnits: 1024 * int(1, 4), hostPorts: int(1, 40) };
        const task: TaskSize = { memoryMiB: int(32, 1024), cpuUnits: random() < 0.2 ? 0 : int(1, 1024) };
        const requested = int(0, 120);
        const placement = placeTasks(requested, hostsPerAz, host, task);
        const where = `seed ${seedValue}: ${JSON.stringify({ hostsPerAz, host, task, requested })}`;

        assert.equal(placement.placed + placement.unplaced, requested, where);
        assert.equal(placement.placed, Math.min(requested, maxTasksThatFit(hostsPerAz, host, task)), where);
        assert.deepEqual(placement.azs.map((az) => az.hosts.length), hostsPerAz, where);
        let placedOnHosts = 0;
        const roomLeft = placement.azs.map((az) => az.hosts.map((h) => {
            assert.ok(h.memoryMiB <= host.memoryMiB, `memory over the registered amount, ${where}`);
            assert.ok(h.cpuUnits <= host.cpuUnits, `CPU over the registered amount, ${where}`);
            assert.ok(h.tasks <= host.hostPorts, `more tasks than host ports, ${where}`);
            assert.equal(h.memoryMiB, h.tasks * task.memoryMiB, where);
            placedOnHosts += h.tasks;
            return h.tasks < host.hostPorts && h.memoryMiB + task.memoryMiB <= host.memoryMiB
                && h.cpuUnits + task.cpuUnits <= host.cpuUnits;
        }));
        placement.azs.forEach((az) => assert.equal(az.tasks, az.hosts.reduce((n, h) => n + h.tasks, 0), where));
        assert.equal(placedOnHosts, placement.placed, where);

        const azsWithRoom = roomLeft.map((hosts) => hosts.some(Boolean));
        if (placement.unplaced === 0 && azsWithRoom.every(Boolean)) {
            const counts = placement.azs.map((az) => az.tasks);
            assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `AZs unbalanced ${JSON.stringify(counts)}, ${where}`);
        }
        placement.azs.forEach((az, i) => {
            if (roomLeft[i].every(Boolean)) {
                const counts = az.hosts.map((h) => h.tasks);
                assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `hosts unbalanced ${JSON.stringify(counts)}, ${where}`);
            }
        });
    }
});
