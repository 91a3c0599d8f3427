import type { Answer, Target } from "./probe";

/** Answers that went well and the ones that failed, by what failed. */
export interface Tally {
    ok: number;
    failures: Map<string, number>;
}

export interface Summary {
    requests: number;
    failures: Map<string, number>;
    perAz: Map<string, Tally>;
    /** Keyed by the task's ID, AZ and host, so the table names where a failing task runs. */
    perTask: Map<string, Tally>;
    /** Identified tasks and AZs that answered 2xx. */
    tasks: Set<string>;
    azs: Set<string>;
    /** 2xx answers whose task or AZ is "unknown". */
    withoutMetadata: number;
    latencyMs: { p50: number; p90: number; p99: number; max: number };
}

const unknown = "unknown";
const unidentified = "(unidentified)";
const noMetadata = "(no ECS metadata)";

/** Groups answers by AZ and task; an error without the app's JSON cannot name its task. */
export function summarize(answers: Answer[]): Summary {
    const summary: Summary = {
        requests: answers.length, failures: new Map(), perAz: new Map(), perTask: new Map(),
        tasks: new Set(), azs: new Set(), withoutMetadata: 0, latencyMs: percentiles(answers.map((a) => a.latencyMs)),
    };
    for (const { failure, origin } of answers) {
        const az = !origin ? unidentified : origin.availabilityZone === unknown ? noMetadata : origin.availabilityZone;
        const task = !origin ? unidentified : origin.taskArn === unknown ? noMetadata
            : `${origin.taskArn.split("/").pop()} (${origin.availabilityZone}, ${origin.hostPrivateIp})`;
        count(summary.perAz, az, failure);
        count(summary.perTask, task, failure);
        if (failure) {
            increment(summary.failures, failure);
        } else if (origin) {
            if (origin.taskArn !== unknown) summary.tasks.add(origin.taskArn);
            if (az !== noMetadata) summary.azs.add(az);
            if (az === noMetadata || task === noMetadata) summary.withoutMetadata++;
        }
    }
    return summary;
}

function count(groups: Map<string, Tally>, key: string, failure: string | undefined) {
    const tally = groups.get(key) ?? { ok: 0, failures: new Map() };
    groups.set(key, tally);
    if (failure) increment(tally.failures, failure);
    else tally.ok++;
}

function increment(counts: Map<string, number>, key: string) {
    counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Nearest-rank percentiles. */
function percentiles(latencies: number[]): Summary["latencyMs"] {
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.ceil((p / 100) * sorted.length) - 1]);
    return { p50: at(50), p90: at(90), p99: at(99), max: sorted.at(-1) ?? 0 };
}

/** Why the service fails the check; empty when it passes. */
export function verdict(summary: Summary, target: Pick<Target, "expectTasks" | "expectAzs">): string[] {
    const failed = total(summary.failures);
    const reasons = failed > 0 ? [`${failed} of ${summary.requests} requests failed: ${list(summary.failures)}`] : [];
    // With no 2xx at all, "0 tasks answered" would only repeat the failures.
    return failed < summary.requests ? [...reasons, ...spread(summary, target)] : reasons;
}

/** Whether enough tasks and AZs answered: a task runs in one AZ, so N tasks need only N AZs. */
function spread(summary: Summary, { expectTasks, expectAzs }: Pick<Target, "expectTasks" | "expectAzs">): string[] {
    const answered = expectAzs.filter((az) => summary.azs.has(az));
    const needAzs = Math.min(expectTasks, expectAzs.length);
    const reasons: string[] = [];
    if (summary.tasks.size < expectTasks) {
        reasons.push(`${summary.tasks.size} distinct tasks answered, expected at least ${expectTasks}`);
    }
    if (answered.length < needAzs) {
        const seen = `answered: ${[...summary.azs].sort().join(", ") || "none"}`;
        reasons.push(needAzs === expectAzs.length
            ? `no answer from ${expectAzs.filter((az) => !summary.azs.has(az)).join(", ")} (${seen})`
            : `${answered.length} of the AZs ${expectAzs.join(", ")} answered, expected at least ${needAzs} (${seen})`);
    }
    if (reasons.length === 0 || summary.withoutMetadata === 0) {
        return reasons;
    }
    const ok = summary.requests - total(summary.failures);
    return [`${summary.withoutMetadata} of ${ok} 2xx answers carry no ECS metadata (task or AZ "unknown"): `
        + `the hosts do not give the tasks their metadata, so tasks and AZs cannot be counted (identified: `
        + `${summary.tasks.size} tasks, AZs ${[...summary.azs].sort().join(", ") || "none"})`];
}

function total(counts: Map<string, number>): number {
    return [...counts.values()].reduce((sum, n) => sum + n, 0);
}

function list(counts: Map<string, number>): string {
    return [...counts.entries()].sort(([a, m], [b, n]) => n - m || a.localeCompare(b)).map(([key, n]) => `${key} ×${n}`).join(", ");
}

/** The summary as a plain-text table, one row per AZ and per task, failures by kind. */
export function renderTable(summary: Summary): string {
    const section = (title: string, groups: Map<string, Tally>) => [
        title,
        ...[...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, { ok, failures }]) =>
            `  ${String(ok).padStart(5)} 2xx ${String(total(failures)).padStart(5)} failed  ${key}`
            + (failures.size > 0 ? `: ${list(failures)}` : "")),
    ];
    const { p50, p90, p99, max } = summary.latencyMs;
    return [
        `${summary.requests} requests, ${total(summary.failures)} failed; latency ms `
        + `p50 ${p50.toFixed(1)}, p90 ${p90.toFixed(1)}, p99 ${p99.toFixed(1)}, max ${max.toFixed(1)}`,
        ...section("per AZ:", summary.perAz),
        ...section("per task:", summary.perTask),
    ].join("\n");
}
