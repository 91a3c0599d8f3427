// `tsx scripts/alarmsBefore.ts [--stack NAME] [--github]`: before a `pulumi up`, a warning for each deployment alarm
// of the stack's services (their `alarmNames` in the stack outputs) that is in ALARM already. ECS ignores a
// service's deployment alarms for a whole deployment that starts while one of them is in ALARM, so that deploy
// would not roll back on them. It never stops a deploy: exit 0 whatever it finds, and whatever fails (a stack
// never deployed has no outputs and says nothing). scripts/stack.sh runs it before `pulumi up`, the deploy
// workflow with --github (`::warning::` annotations), and `npm run status` adds the same warning to its report.
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { z } from "zod";
import { parseStrict } from "./cliArgs";
import { commandLineIo } from "./operator/command";
import { ReadOutputs, StackOutputsError } from "./stackOutputs";

/** A deployment alarm in ALARM, and the service whose deployments watch it. */
export interface AlarmingDeploymentAlarm {
    service: string;
    name: string;
    reason?: string;
}

/** Why an alarm already in ALARM matters before a deploy (`deploy`: "this deploy", or "the next deploy" after the fact). */
export const ignoredAlarmsWhy = (deploy = "this deploy") => "ECS ignores the deployment alarms for a deployment that starts "
    + `while one is in ALARM: ${deploy} would not roll back on them`;

/** One line per alarm in ALARM, then why it matters; nothing when none is. */
export function deploymentAlarmWarnings(alarming: readonly AlarmingDeploymentAlarm[], deploy = "this deploy"): string[] {
    if (alarming.length === 0) return [];
    return [
        ...alarming.map((a) => `warning: deployment alarm ${a.name} of service ${a.service} is in ALARM${a.reason ? `: ${a.reason}` : ""}`),
        `warning: ${ignoredAlarmsWhy(deploy)}. Find out why it fires first (npm run status).`,
    ];
}

/**
 * The part of the outputs this reads, leniently: a stack never deployed has none, and a job's alarms (its failed
 * runs) are not deployment alarms. Anything it does not find is nothing to warn about.
 */
const outputsSchema = z.object({
    region: z.string().min(1),
    services: z.record(z.string(), z.looseObject({ type: z.string().optional(), alarmNames: z.array(z.string()).optional() })),
});

/** Service key and alarm name of every deployment alarm in the outputs; undefined when the stack has no such outputs. */
export function deploymentAlarmNames(outputs: unknown): { region: string; alarms: { service: string; name: string }[] } | undefined {
    const parsed = outputsSchema.safeParse(outputs);
    if (!parsed.success) return undefined;
    const alarms = Object.entries(parsed.data.services)
        .filter(([, service]) => service.type !== "job")
        .flatMap(([service, s]) => (s.alarmNames ?? []).map((name) => ({ service, name })));
    return { region: parsed.data.region, alarms };
}

/** A workflow command's message: GitHub reads %, CR and LF in it as escapes. */
function annotation(text: string): string {
    return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export interface AlarmsBeforeDeps {
    readOutputs: ReadOutputs;
    cloudwatch: (region: string) => CloudWatchClient;
    out: (text: string) => void;
    err: (text: string) => void;
}

const usage = "usage: tsx scripts/alarmsBefore.ts [--stack NAME] [--github]\n"
    + "  warns about each deployment alarm in ALARM before a deploy; always exits 0";

/** Always 0 (2 only for a command line it cannot read): a warning, never a reason not to deploy. */
export async function main(argv: string[], deps: AlarmsBeforeDeps): Promise<number> {
    let values: { stack?: string; github?: boolean };
    try {
        ({ values } = parseStrict(argv, { stack: { type: "string" }, github: { type: "boolean" } }, false,
            () => new Error(usage)));
    } catch (error) {
        deps.err((error as Error).message);
        return 2;
    }
    const note = (text: string) => deps.err(values.github ? `::notice::${annotation(text)}` : text);
    let found: ReturnType<typeof deploymentAlarmNames>;
    try {
        found = deploymentAlarmNames(deps.readOutputs(values.stack).outputs);
    } catch (error) {
        if (!(error instanceof StackOutputsError)) throw error;
        note(`deployment alarms not checked: ${error.message}`);
        return 0;
    }
    if (found === undefined || found.alarms.length === 0) return 0;
    const { region, alarms } = found;
    let alarming: AlarmingDeploymentAlarm[];
    try {
        const client = deps.cloudwatch(region);
        const names = [...new Set(alarms.map((a) => a.name))];
        const described = [];
        // DescribeAlarms takes at most 100 names, and answers as many with MaxRecords 100.
        for (let i = 0; i < names.length; i += 100) {
            const answer = await client.send(new DescribeAlarmsCommand({
                AlarmNames: names.slice(i, i + 100), AlarmTypes: ["MetricAlarm"], MaxRecords: 100,
            }), { abortSignal: AbortSignal.timeout(20_000) });
            described.push(...(answer.MetricAlarms ?? []));
        }
        const inAlarm = new Map(described.filter((a) => a.StateValue === "ALARM").map((a) => [a.AlarmName ?? "", a.StateReason]));
        alarming = alarms.filter((a) => inAlarm.has(a.name)).map((a) => ({ ...a, reason: inAlarm.get(a.name) }));
    } catch (error) {
        const { name, message } = error as Error;
        note(`deployment alarms not checked: CloudWatch DescribeAlarms failed: ${name}: ${message}`);
        return 0;
    }
    for (const line of deploymentAlarmWarnings(alarming)) {
        deps.out(values.github ? `::warning::${annotation(line.replace(/^warning: /, ""))}` : line);
    }
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2), {
        ...commandLineIo,
        cloudwatch: (region) => new CloudWatchClient({ region, maxAttempts: 2 }),
    }).then((code) => { process.exitCode = code; }, (error: unknown) => {
        // Not even a bug here stops a deploy.
        console.error(`deployment alarms not checked: ${String(error)}`);
    });
}
