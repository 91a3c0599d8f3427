// The verdict on an ECS service (steady or not, and why) and its plain-text rendering; scheduled jobs have theirs
// in jobReport.ts.
import { CurrentDeployment, PastDeployment, ServiceConnectState, ServiceStatus, TargetState, TaskPlacement } from "./collect";

/**
 * Why the service is not steady, one line each; empty when it is. Steady: the primary deployment's rollout
 * COMPLETED with as many tasks running as desired, nothing rolling, every registered target healthy, no
 * alarm in ALARM; a backend's primary deployment still serves on Service Connect. The service's deployment history is left out of it: while ECS moves tasks, DescribeServices
 * already shows a deployment IN_PROGRESS, and the history would say the same thing a second time.
 */
export function verdict(status: ServiceStatus): string[] {
    const reasons: string[] = [];
    const primary = status.deployments.find((d) => d.status === "PRIMARY");
    if (primary === undefined) {
        reasons.push("the service has no PRIMARY deployment");
    } else if (primary.rolloutState !== "COMPLETED") {
        reasons.push(`primary deployment ${primary.taskDefinition} is ${primary.rolloutState}${primary.rolloutStateReason ? `: ${primary.rolloutStateReason}` : ""}`);
    }
    if (status.running !== status.desired) {
        reasons.push(`${status.running} of ${status.desired} desired tasks running (${status.pending} pending)`);
    }
    for (const d of status.deployments.filter((d) => d !== primary && d.rolloutState === "IN_PROGRESS")) {
        reasons.push(`deployment ${d.taskDefinition} (${d.status}) is still IN_PROGRESS`);
    }
    const unhealthy = status.targets.filter((t) => t.state !== "healthy");
    if (status.type !== "web") {
        reasons.push(...serviceConnectReasons(status, primary));
    } else if (status.targets.length === 0 && status.desired > 0) {
        reasons.push("no targets registered in the target group");
    } else if (unhealthy.length > 0) {
        reasons.push(`${unhealthy.length} of ${status.targets.length} targets not healthy: ${unhealthy.map(targetSummary).join(", ")}`);
    }
    for (const alarm of status.alarms.filter((a) => a.state === "ALARM")) {
        reasons.push(`alarm ${alarm.name} is in ALARM${alarm.reason ? `: ${alarm.reason}` : ""}`);
    }
    return reasons;
}

/** A backend the others call at its Service Connect URL is of no use to them when its primary deployment serves nothing there. */
function serviceConnectReasons(status: ServiceStatus, primary: CurrentDeployment | undefined): string[] {
    if (status.serviceConnectUrl === undefined || primary === undefined) return [];
    const state = status.serviceConnect.find((s) => s.deployment === "PRIMARY");
    return state?.enabled && state.serves.length > 0 ? []
        : [`primary deployment ${primary.taskDefinition} serves nothing on Service Connect: other services cannot reach ${status.serviceConnectUrl}`];
}

function targetSummary(target: TargetState): string {
    return `${target.id}:${target.port ?? "?"} ${target.state}${target.reason ? ` (${target.reason})` : ""}`;
}

/** ISO 8601 to the second: event times are what operators line up with logs. */
export function time(at: Date | undefined): string {
    return at ? at.toISOString().replace(/\.\d{3}Z$/, "Z") : "?";
}

function currentDeploymentLine(d: CurrentDeployment): string {
    const reason = d.rolloutStateReason ? `  ${d.rolloutStateReason}` : "";
    return `    ${d.status.padEnd(8)} ${d.taskDefinition}  ${d.rolloutState}  running ${d.running}/${d.desired}, pending ${d.pending}, failed ${d.failed}${reason}`;
}

function pastDeploymentLine(d: PastDeployment): string {
    const from = d.from.length > 0 ? ` from ${d.from.join(", ")}` : "";
    const span = `${time(d.startedAt)} → ${d.finishedAt ? time(d.finishedAt) : "now"}`;
    const rollback = d.rolledBackTo ? `; rollback to ${d.rolledBackTo}${d.rollbackReason ? `: ${d.rollbackReason}` : ""}` : "";
    const breaker = d.circuitBreakerFailures ? `; circuit breaker ${d.circuitBreakerFailures} failed tasks` : "";
    const alarms = d.triggeredAlarms.length > 0 ? `; alarms ${d.triggeredAlarms.join(", ")}` : "";
    const reason = d.statusReason && !d.rolledBackTo ? `; ${d.statusReason}` : "";
    return `    ${d.status.padEnd(21)} ${d.taskDefinition}${from}  running ${d.running}/${d.requested}, pending ${d.pending}  ${span}${rollback}${breaker}${alarms}${reason}`;
}

/** Tasks grouped by AZ, then host, with how many of each revision and state run there. */
function taskLines(tasks: TaskPlacement[]): string[] {
    const lines = [`  tasks (${tasks.length}) by AZ and host:`];
    for (const az of [...new Set(tasks.map((t) => t.availabilityZone))].sort()) {
        const inAz = tasks.filter((t) => t.availabilityZone === az);
        lines.push(`    ${az}: ${inAz.length}`);
        for (const host of [...new Set(inAz.map((t) => t.host))].sort()) {
            const onHost = inAz.filter((t) => t.host === host);
            const kinds = countBy(onHost.map((t) => `${t.taskDefinition} ${t.lastStatus}`));
            lines.push(`      ${host}: ${onHost.length}  (${[...kinds].map(([kind, n]) => `${n} × ${kind}`).join(", ")})`);
        }
    }
    return lines;
}

function countBy(keys: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const key of [...keys].sort()) {
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
}

function targetLine(t: TargetState): string {
    const why = [t.reason, t.description].filter((s) => s !== undefined).join(": ");
    return `    ${t.state.padEnd(18)} ${`${t.id}:${t.port ?? "?"}`.padEnd(26)} ${(t.availabilityZone ?? "?").padEnd(11)} task ${t.taskId ?? "?"}${why ? `  ${why}` : ""}`;
}

function serviceConnectLine(s: ServiceConnectState): string {
    const role = !s.enabled ? "off" : s.serves.length > 0 ? `serves ${s.serves.join(", ")}` : "client only";
    const discovery = s.discovery.map((d) => `${d.name}${d.arn ? ` ${d.arn}` : ""}`).join(", ");
    return `    ${s.deployment.padEnd(8)} ${s.taskDefinition}  ${role}${s.namespace ? ` in namespace ${s.namespace}` : ""}${discovery ? `; Cloud Map ${discovery}` : ""}`;
}

/** Where the service is on Service Connect; a web service off it shows nothing, as before there was Service Connect. */
function serviceConnectLines(status: ServiceStatus): string[] {
    if (status.serviceConnect.length > 0) return ["  service connect:", ...status.serviceConnect.map(serviceConnectLine)];
    return status.type === "web" ? [] : ["  service connect: not on it"];
}

/** A web service's targets; the others have no target group. */
function targetLines(status: ServiceStatus): string[] {
    return status.type === "web" ? [`  targets (${status.targets.length}):`, ...status.targets.map(targetLine)] : [];
}

/** One service's status as the operator reads it, ending in the verdict. */
export function renderService(status: ServiceStatus, reasons: string[]): string {
    // A web service keeps the heading it had before services had types.
    const kind = status.type === "web" ? "" : ` (${status.type})`;
    return [
        `${status.key}${kind}: service ${status.serviceName} in cluster ${status.clusterName}`,
        `  tasks: ${status.running} running, ${status.pending} pending, ${status.desired} desired`,
        "  deployments now:",
        ...status.deployments.map(currentDeploymentLine),
        "  recent deployments (newest first):",
        ...(status.history.length > 0 ? status.history.map(pastDeploymentLine) : ["    none recorded"]),
        ...taskLines(status.tasks),
        ...serviceConnectLines(status),
        ...targetLines(status),
        "  alarms:",
        ...(status.alarms.length > 0 ? status.alarms.map((a) => `    ${a.state.padEnd(17)} ${a.name}`) : ["    none in the stack outputs"]),
        `  last ${status.events.length} events:`,
        ...status.events.map((e) => `    ${time(e.at)}  ${e.message}`),
        ...verdictLines(status, reasons),
    ].join("\n");
}

/**
 * A finished rollback leaves the service steady on the old revision, so it passes; the note keeps the
 * failed deployment from going unnoticed by whoever reads only the last lines.
 */
function verdictLines(status: ServiceStatus, reasons: string[]): string[] {
    if (reasons.length > 0) {
        return ["  NOT STEADY:", ...reasons.map((r) => `    - ${r}`)];
    }
    const latest = status.history.at(0);
    return latest?.status === "ROLLBACK_SUCCESSFUL"
        ? [`  STEADY on ${latest.rolledBackTo}, but the latest deployment (${latest.taskDefinition}) was rolled back: ${latest.rollbackReason ?? latest.statusReason ?? "no reason given"}`]
        : ["  STEADY"];
}
