import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { albPathPattern, iamConditionOperator, iamRolePolicyMaxCharacters } from "../awsLimits";
import { repoRoot } from "../paths";
import { unwrapped } from "./cliTypes";
import { ServiceRoute } from "../models/routing";


/** The services a stack runs when it sets no `services`: one, exactly the seed's app. */
export const defaultServices = { app: {} };

/** The folder of the app this repository builds: its services get the app's contract as their defaults. */
export const appImageDirectory = "app-image";

/** What the stack sets in the app image's environment (its contract); a service built from it may not set them. */
export const appImageEnvironment = ["ASPNETCORE_HTTP_PORTS", "HEALTH_CHECK_PATH", "SHUTDOWN_TIMEOUT_SECONDS"];

/** A whole number in [min, max]; the one message for every way a value can miss it. */
export function integer(min: number, max: number) {
    const error = `an integer from ${min} to ${max}`;
    return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const dockerfileFolder = z.string({ error: "a folder holding a Dockerfile, relative to the repository root" })
    .refine((folder) => fs.existsSync(path.join(repoRoot, folder, "Dockerfile")), {
        error: "a folder holding a Dockerfile, relative to the repository root (none found there)",
    });

// ALB rule condition values: path patterns from AWS's character set and length (this one must also start
// with /, as a path does), host names up to 128 characters.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
const pathPatternPunctuation = albPathPattern.characters.replace("A-Za-z0-9", "").replaceAll("\\", "");
const pathPattern = z.string().regex(new RegExp(`^/[${albPathPattern.characters}]{0,${albPathPattern.maxLength - 1}}$`), {
    error: `a path pattern starting with / of at most ${albPathPattern.maxLength} characters `
        + `(letters, digits and ${pathPatternPunctuation}, of which * and ? are wildcards)`,
});
const hostHeader = z.string().regex(/^(?=.{1,128}$)[a-z0-9*?-]+(\.[a-z0-9*?-]+)+$/, {
    error: "a lower-case host name of at most 128 characters, such as api.example.com (wildcards * ? allowed)",
});
const healthCheckPath = z.string().regex(/^\/[A-Za-z0-9\-._~/]{0,1023}$/, {
    error: "a literal absolute URL path of at most 1024 characters (letters, digits, -._~/; no query, no wildcards), such as /health",
});
/**
 * The app's own rule for HEALTH_CHECK_PATH (app-image/src/EcsApp/AppOptions.cs, IsHealthCheckPath): literal
 * segments of letters, digits and ._~-, none "." or "..", neither "/" nor under /delay/ (the app's other
 * endpoints). Both sides test the cases in app-image/tests/EcsApp.Tests/Fixtures/health-check-paths.json.
 */
export function isAppHealthCheckPath(path: string): boolean {
    return /^(\/[A-Za-z0-9._~-]+)+$/.test(path) && path.length <= 1024
        && !path.toLowerCase().startsWith("/delay/")
        && !path.split("/").slice(1).some((segment) => segment === "." || segment === "..");
}
export const appHealthCheckPathExpectation =
    "a literal absolute URL path of letters, digits and ._~- segments, such as /health, other than / and /delay/…, without a query "
    + "(the app image's own rule: it refuses any other at start)";

// An image reference as Docker parses it: [registry[:port]/]repository[:tag][@sha256:digest], lower-case repository.
// https://github.com/distribution/reference/blob/main/reference.go
const imageReference = z.string().regex(
    /^(?=.{1,512}$)((?:[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*(?::\d+)?)\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    { error: "an image reference such as tomcat:8.5.20, lobster1234/tomcat:8.5.20, public.ecr.aws/nginx/nginx:1.27 or name@sha256:<64 hex digits>" },
);
// ECS's `user`: a user or uid, optionally with a group or gid (ContainerDefinition.user).
const containerUser = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$/, {
    error: "a user or uid, optionally with :group or :gid, such as 1000:1000 or nobody",
});
const commandArguments = z.array(z.string().min(1, { error: "a non-empty argument" }), { error: "a list of command arguments" })
    .max(50, { error: "at most 50 arguments" });
// The stack writes ECS's exec form itself (["CMD", ...arguments]); a shell form is ["sh", "-c", "..."].
const healthCheckArguments = commandArguments.refine((args) => !["CMD", "CMD-SHELL", "NONE"].includes(args[0] ?? ""), {
    error: "the command's own arguments, such as [\"curl\", \"-f\", \"http://localhost:8080/\"] or [\"sh\", \"-c\", \"...\"]: "
        + "the stack adds ECS's CMD itself",
});
// Where ECS reads a secret from when the task starts: a Secrets Manager secret (optionally one JSON key, a
// version stage or a version id of it) or an SSM parameter.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
export const secretsManagerArn = /^arn:aws:secretsmanager:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):secret:([A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6})(?::([^:]*):([^:]*):([^:]*))?$/;
export const ssmParameterArn = /^arn:aws:ssm:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):parameter(\/[A-Za-z0-9_.\-/]{1,1011})$/;
const secretSource = z.string().refine((arn) => secretsManagerArn.test(arn) || ssmParameterArn.test(arn), {
    error: "a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>, optionally "
        + "followed by :<json-key>:<version-stage>:<version-id>) or an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)",
});
export const kmsKeyArn = /^arn:aws:kms:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// An IAM policy statement for the service's own task role: actions of one service each, never "*" nor a whole service.
const iamAction = z.string({ error: "an IAM action such as s3:GetObject" })
    .refine((action) => action !== "*", { error: "a named action: \"*\" would grant every action of every service" })
    .refine((action) => !/^[A-Za-z0-9-]+:\*+$/.test(action), { error: "an action narrower than a whole service (s3:Get* is allowed, s3:* is not)" })
    .refine((action) => /^[a-z0-9-]+:[A-Za-z0-9*?]+$/.test(action), { error: "an IAM action such as s3:GetObject (service:action)" });
// IAM takes one value or a list; read as a list, so that each value's own error is the one reported.
const oneOrMany = <T extends z.ZodType>(item: T, error: string) =>
    z.preprocess((value) => (typeof value === "string" ? [value] : value), z.array(item, { error }).min(1, { error }).max(100, { error }));
const taskPolicyStatement = z.strictObject({
    Sid: z.string().regex(/^[A-Za-z0-9]{1,100}$/, { error: "letters and digits only (IAM's Sid)" }).optional(),
    Effect: z.enum(["Allow", "Deny"], { error: "Allow or Deny" }),
    Action: oneOrMany(iamAction, "an IAM action or a list of them, such as s3:GetObject or [\"sqs:SendMessage\", \"sqs:GetQueueUrl\"]"),
    Resource: oneOrMany(z.string().regex(/^(\*|arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:.+)$/, {
        error: "an ARN or \"*\"",
    }), "an ARN, \"*\", or a list of them"),
    Condition: z.record(
        z.string().regex(iamConditionOperator, { error: "an IAM condition operator such as StringEquals, ArnLike or Bool (optionally ...IfExists)" }),
        z.record(z.string().regex(/^[A-Za-z0-9-]+:.+$/, { error: "a condition key with its service prefix, such as aws:SourceVpc or s3:prefix" }),
            z.union([z.string(), z.array(z.string()).min(1), z.boolean(), z.number()], { error: "a value or a non-empty list of values" })),
        { error: "an IAM condition block: operator to condition key to value(s)" },
    ).optional(),
}, { error: "an IAM policy statement with Effect, Action and Resource (and optionally Sid and Condition)" });
// Environment values are plain text in the task definition (FSBP ECS.8): a name that says secret is refused.
const secretLooking = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AWS_ACCESS_KEY_ID|ECS_ENGINE_AUTH_DATA/i;
const variableName = z.string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, { error: "an environment variable name: letters, digits and _, not starting with a digit" });
const environmentName = variableName
    .refine((name) => !secretLooking.test(name), {
        error: "a name that does not look like a secret: environment values are plain text in the task definition; "
            + "keep secrets in Secrets Manager or SSM Parameter Store",
    });

// A job's schedule, as EventBridge Scheduler's CreateSchedule takes it: a recurring expression (ScheduleExpression,
// 1-256 characters) and the IANA time zone it is evaluated in (ScheduleExpressionTimezone, 1-50 characters; unset:
// UTC). https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
// rate(value unit): a positive whole number of minute(s), hour(s) or day(s); cron(fields): six fields, minutes hours
// day-of-month month day-of-week year, with the wildcards each field allows, and ? in exactly one of the two day
// fields. https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html and
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html (the same cron grammar).
// A one-time at(...) is refused: a job recurs.
const monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
interface CronField { readonly min: number; readonly max: number; readonly names?: readonly string[]; readonly increments: boolean; readonly special?: RegExp }
const cronFields: readonly CronField[] = [
    { min: 0, max: 59, increments: true },
    { min: 0, max: 23, increments: true },
    // L: the month's last day; LW: its last weekday; 15W: the weekday nearest the 15th.
    { min: 1, max: 31, increments: true, special: /^(L|LW|([1-9]|[12]\d|3[01])W)$/ },
    { min: 1, max: 12, names: monthNames, increments: true },
    // 5L: the month's last Thursday; 2#3: its third Monday.
    { min: 1, max: 7, names: dayNames, increments: false, special: new RegExp(`^(L|([1-7]|${dayNames.join("|")})(L|#[1-5]))$`) },
    { min: 1970, max: 2199, increments: true },
];

function cronValue(text: string, field: CronField): number | undefined {
    const named = field.names?.indexOf(text) ?? -1;
    const value = named >= 0 ? field.min + named : /^\d+$/.test(text) ? Number(text) : undefined;
    return value !== undefined && value >= field.min && value <= field.max ? value : undefined;
}

function isCronItem(item: string, field: CronField): boolean {
    if (field.special?.test(item)) {
        return true;
    }
    const [start, step, ...more] = item.split("/");
    if (more.length > 0 || (step !== undefined && (!field.increments || !/^[1-9]\d*$/.test(step)))) {
        return false;
    }
    const [from, to, ...rest] = start.split("-");
    return rest.length === 0 && (start === "*" || (cronValue(from, field) !== undefined && (to === undefined || cronValue(to, field) !== undefined)));
}

/** Whether `fields` (what is inside cron(...)) is a cron expression Scheduler accepts. */
export function isSchedulerCron(fields: string): boolean {
    const parts = fields.split(" ");
    if (parts.length !== cronFields.length) {
        return false;
    }
    const [dayOfMonth, dayOfWeek] = [parts[2], parts[4]];
    return (dayOfMonth === "?") !== (dayOfWeek === "?")
        && parts.every((part, i) => (part === "?" && (i === 2 || i === 4))
            || part.split(",").every((item) => isCronItem(item, cronFields[i])));
}

const scheduleExpressionExpectation = "a recurring EventBridge Scheduler expression: rate(1 minute|hour|day) or rate(<whole number "
    + "from 2> minutes|hours|days), such as rate(1 day) or rate(15 minutes), or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>) with ? in exactly one of the "
    + "two day fields, such as cron(0 3 * * ? *)";
const scheduleExpression = z.string({ error: scheduleExpressionExpectation }).max(256, { error: scheduleExpressionExpectation })
    .refine((expression) => {
        // The unit agrees with the number: rate(1 hours) and rate(5 hour) are refused.
        // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html
        const rate = /^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/.test(expression);
        const cron = /^cron\((.*)\)$/.exec(expression);
        return rate || (cron !== null && isSchedulerCron(cron[1]));
    }, { error: scheduleExpressionExpectation });
// Scheduler takes IANA time zone names of up to 50 characters, aliases among them (Europe/Kyiv, Etc/UTC,
// US/Eastern); ICU resolves every name it knows, where Intl.supportedValuesOf lists only its canonical ones.
function isTimeZone(zone: string): boolean {
    try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return zone.length <= 50 && /^[A-Za-z]/.test(zone);
    } catch {
        return false;
    }
}
const timeZone = z.string({ error: "an IANA time zone name such as Europe/Paris or UTC" })
    .refine(isTimeZone, { error: "an IANA time zone name such as Europe/Paris or UTC" });

/** What a service is: routed from the ALB, reachable by the other services only, reachable by none, or a task run on a schedule. */
export const serviceTypes = ["web", "backend", "worker", "job"] as const;
export type ServiceType = (typeof serviceTypes)[number];

// What only a service the ALB routes to uses (its route, its target group's health check, its ALB alarms and
// request-count scaling), and a worker's port, which nothing connects to. Set on a service of another type,
// each is refused, not ignored: read from the raw entry, since a parsed one has every default filled in.
const webOnlyKeys = ["pathPatterns", "hostHeaders", "healthCheckPath", "autoscaling.requestsPerTarget",
    "alarms.serverErrorPercent", "alarms.unhealthyTargets", "alarms.evaluationPeriods"];
const refusedKeys: Readonly<Record<Exclude<ServiceType, "web">, readonly string[]>> = {
    backend: webOnlyKeys,
    worker: [...webOnlyKeys, "containerPort", "connect"],
    // A job has no ECS service: nothing to route to, scale, roll back or keep running through an AZ loss.
    job: ["pathPatterns", "hostHeaders", "healthCheckPath", "containerPort", "connect", "maxCount", "azLossFloor", "autoscaling", "alarms",
        // ECS Exec attaches to a service's running tasks (`npm run exec` finds them by its ECS service).
        "exec"],
};
const refusedReason: Readonly<Record<Exclude<ServiceType, "web">, string>> = {
    backend: "a backend has no ALB route, target group or ALB alarms (its deployments roll back on the circuit breaker, "
        + "it scales on CPU)",
    worker: "a worker takes no inbound traffic: it has no port, no ALB route and no Service Connect endpoint "
        + "(its deployments roll back on the circuit breaker, it scales on CPU)",
    job: "a job is a task EventBridge Scheduler runs on its schedule, desiredCount tasks a run, until its container exits: "
        + "it has no ECS service, so no port, route, health check, autoscaling, deployment alarms or AZ-loss floor",
};

/** A job's tasks per run unless it sets desiredCount: one (a service's default, 5, is a count to keep running). */
const jobTasksPerRun = 1;

/**
 * The raw entry, with a job's own default desiredCount; each refused key a backend, worker or job entry sets, and a
 * schedule on any other type, becomes an issue at its path.
 */
function typeIssues(raw: unknown, ctx: z.RefinementCtx): unknown {
    const entry = typeof raw === "object" && raw !== null ? raw as Record<string, unknown> : {};
    if (entry.type !== "job" && entry.schedule !== undefined) {
        ctx.addIssue({ code: "custom", path: ["schedule"], input: raw,
            message: `no schedule on a ${typeof entry.type === "string" ? entry.type : "web"} service: only a job (type: job) runs on a schedule` });
    }
    if (entry.type !== "backend" && entry.type !== "worker" && entry.type !== "job") {
        return raw;
    }
    for (const key of refusedKeys[entry.type]) {
        const path = key.split(".");
        const parent = path.length === 1 ? entry : entry[path[0]];
        if (typeof parent === "object" && parent !== null && (parent as Record<string, unknown>)[path[path.length - 1]] !== undefined) {
            ctx.addIssue({ code: "custom", path, input: raw,
                message: `no ${key} on a ${entry.type}: ${refusedReason[entry.type]}` });
        }
    }
    return entry.type === "job" && entry.desiredCount === undefined ? { ...entry, desiredCount: jobTasksPerRun } : raw;
}

// Each setting's default and description live here: serviceDefaults and the README's table are derived
// from them. Pulumi.yaml cannot declare an object config value, so the `services` map has no entry there.
const serviceEntry = z.strictObject({
    type: z.enum(serviceTypes, { error: `one of ${serviceTypes.join(", ")}` }).default("web")
        .describe("web: routed from the ALB; backend: no ALB route, reachable by the other services on Service Connect at "
            + "http://<name>:<containerPort>; worker: no inbound traffic at all; job: no ECS service, a task EventBridge Scheduler "
            + "runs on its schedule"),
    schedule: z.strictObject({
        expression: scheduleExpression
            .describe("A job's schedule (required for a job, refused on any other type): rate(1 day), rate(15 minutes), or "
                + "cron(minutes hours day-of-month month day-of-week year) with ? in one day field, such as cron(0 3 * * ? *)"),
        timezone: timeZone.optional()
            .describe("IANA time zone the job's cron expression is evaluated in, such as Europe/Paris; unset: UTC"),
    }, { error: "an object with an expression, such as { expression: \"cron(0 3 * * ? *)\", timezone: \"Europe/Paris\" }" }).optional(),
    connect: z.boolean({ error: "true or false" }).optional()
        .describe("Put the service on Service Connect, so that it can call backends at http://<name>:<containerPort>; "
            + "unset: true for a backend (which must be on it), false for a web service; a worker may not set it"),
    imageDirectory: dockerfileFolder.optional()
        .describe(`Folder with the service's Dockerfile, relative to the repository root; the default, ${appImageDirectory}, `
            + "when image is not set (exactly one of the two)"),
    image: imageReference.optional()
        .describe("An existing image (any registry: name[:tag] or name@sha256:...) the stack copies into the service's ECR repository "
            + "and pins by digest, instead of building imageDirectory"),
    command: commandArguments.optional()
        .describe("Exec-form command the container runs instead of the image's CMD; unset: the image's own"),
    user: containerUser.optional()
        .describe(`User (uid[:gid]) the container runs as; unset: ${appImageDirectory}'s non-root 1654:1654, any other image's own USER`),
    readonlyRootFilesystem: z.boolean({ error: "true or false" }).optional()
        .describe(`Mount the container's root file system read-only (FSBP ECS.5); unset: true for ${appImageDirectory}, false for any other image`),
    pathPatterns: z.array(pathPattern, { error: "a list of path patterns" }).default([])
        .describe("ALB path patterns routed to the service, such as /orders/* (up to 3); with no path patterns and no host headers, "
            + "it is the default route (one service at most)"),
    hostHeaders: z.array(hostHeader, { error: "a list of host names" }).default([])
        .describe("Host names routed to the service, such as api.example.com (up to 3; 5 path patterns and host headers in all)"),
    desiredCount: integer(1, 100).default(5)
        .describe(`Tasks the service keeps running, and the floor of its autoscaling (1-100); a job's tasks per run (1-10, default ${jobTasksPerRun})`),
    maxCount: integer(1, 100).default(10)
        .describe("Most tasks service autoscaling may run (desiredCount-100)"),
    containerPort: integer(1024, 65535).default(8080)
        .describe("Port the app listens on inside the container (1024-65535); the host port is dynamic"),
    memory: integer(32, 16384).default(128)
        .describe("Container memory hard limit in MiB (32-16384); the container is killed above it"),
    cpu: integer(0, 10240).default(128)
        .describe("CPU units reserved for the container, 1024 per vCPU (0-10240)"),
    healthCheckPath: healthCheckPath.default("/health")
        .describe(`Path the ALB's health check requests (a literal path); ${appImageDirectory} also gets it as HEALTH_CHECK_PATH, under the app's own rule`),
    healthCheckCommand: healthCheckArguments.optional()
        .describe(`Exec-form command ECS runs in the container to check it; unset: ${appImageDirectory}'s /app/EcsApp --health-check, `
            + "none for any other image; [] for none"),
    // ECS drops empty values, which the provider then sees as a change on every up.
    environment: z.record(environmentName, z.string({ error: "a non-empty string value" }).min(1, { error: "a non-empty string value" }),
        { error: "a map of names to string values" })
        .default({})
        .describe("Extra environment variables of the container (names that look like secrets are refused: put those in secrets)"),
    secrets: z.record(variableName, secretSource, { error: "a map of environment variable names to secret or parameter ARNs" })
        .default({})
        .describe("Environment variables ECS sets from Secrets Manager secrets or SSM parameters when a task starts, by ARN; "
            + "the service's execution role may read exactly these"),
    secretsKmsKeyArn: z.string().regex(kmsKeyArn, { error: "a KMS key ARN such as arn:aws:kms:<region>:<account>:key/<uuid>" }).optional()
        .describe("The customer managed KMS key that encrypts the service's secrets, which its execution role may then decrypt "
            + "through Secrets Manager and SSM only; unset: AWS managed keys"),
    taskPolicyStatements: z.array(taskPolicyStatement, { error: "a list of IAM policy statements" }).max(50, { error: "at most 50 statements" })
        .default([])
        .describe("IAM statements of the service's own task role, the AWS permissions its code has (no \"*\" or whole-service actions)"),
    exec: z.boolean({ error: "true or false" }).default(false)
        .describe("Turn on ECS Exec (`npm run exec`) for the service's tasks: an init process, the Session Manager channels on its "
            + "task role, a volume for the SSM agent under a read-only root, sessions logged to the stack's exec log group"),
    azLossFloor: integer(0, 100).default(2)
        .describe("Fewest tasks the service should keep through the loss of one AZ (0-desiredCount); fewer is a preview warning"),
    // prefault: an absent object is parsed as {}, so its fields' own defaults fill it.
    autoscaling: z.strictObject({
        requestsPerTarget: integer(10, 100000).default(1000)
            .describe("ALB requests per task per minute that autoscaling aims for (10-100000)"),
        cpuUtilization: integer(10, 90).default(60)
            .describe("Average CPU utilization of the service's reservation, in percent, that autoscaling aims for (10-90)"),
    }, { error: "an object of autoscaling targets" }).prefault({}),
    alarms: z.strictObject({
        serverErrorPercent: integer(1, 100).default(5)
            .describe("5xx answers as a percentage of requests that roll a deployment back (1-100)"),
        unhealthyTargets: integer(1, 100).default(1)
            .describe("Unhealthy targets that roll a deployment back (1-100)"),
        evaluationPeriods: integer(1, 10).default(3)
            .describe("One-minute periods a threshold must be breached before the alarm fires (1-10)"),
    }, { error: "an object of deployment alarm thresholds" }).prefault({}),
}, { error: "an object of service settings" }).superRefine((service, ctx) => {
    if (service.type === "job" && service.schedule === undefined) {
        ctx.addIssue({ code: "custom", path: ["schedule"], message: `a schedule for a job, such as { expression: "cron(0 3 * * ? *)" }` });
    }
    // EcsParameters.TaskCount: 1-10 (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_EcsParameters.html).
    if (service.type === "job" && service.desiredCount > 10) {
        ctx.addIssue({ code: "custom", path: ["desiredCount"], message: "an integer from 1 to 10: EventBridge Scheduler starts at most 10 tasks a run" });
    }
    if (service.type === "backend" && service.connect === false) {
        ctx.addIssue({ code: "custom", path: ["connect"], message: "true or unset: a backend is reached only through Service Connect" });
    }
    if (service.image !== undefined && service.imageDirectory !== undefined) {
        ctx.addIssue({ code: "custom", path: ["image"], message: "exactly one of image and imageDirectory: this service sets both" });
    }
    const appImage = service.image === undefined && (service.imageDirectory ?? appImageDirectory) === appImageDirectory;
    if (appImage && service.type === "web" && !isAppHealthCheckPath(service.healthCheckPath)) {
        ctx.addIssue({ code: "custom", path: ["healthCheckPath"], message: appHealthCheckPathExpectation });
    }
    for (const [field, names] of [["environment", Object.keys(service.environment)], ["secrets", Object.keys(service.secrets)]] as const) {
        for (const name of names.filter((n) => appImage && appImageEnvironment.includes(n))) {
            ctx.addIssue({ code: "custom", path: [field, name], message: `a name other than ${appImageEnvironment.join(", ")}, which the stack sets for ${appImageDirectory}` });
        }
    }
    for (const name of Object.keys(service.environment)) {
        if (Object.hasOwn(service.secrets, name)) {
            ctx.addIssue({ code: "custom", path: ["secrets", name], message: "a name that is not also in environment: a variable comes from one or the other" });
        }
    }
    const sids = service.taskPolicyStatements.flatMap((statement) => statement.Sid ?? []);
    const repeated = sids.find((sid, i) => sids.indexOf(sid) !== i);
    if (repeated !== undefined) {
        ctx.addIssue({ code: "custom", path: ["taskPolicyStatements"], message: `statements with distinct Sids (${repeated} is used twice)` });
    }
    // The task role's inline policy is these statements; IAM counts its characters without white space, and a role's
    // inline policies together, so with exec its ECS Exec policy (under 1,000 characters) shares the limit.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
    const policySize = JSON.stringify({ Version: "2012-10-17", Statement: service.taskPolicyStatements }).length;
    const policyLimit = iamRolePolicyMaxCharacters - (service.exec ? 1000 : 0);
    if (policySize > policyLimit) {
        ctx.addIssue({ code: "custom", path: ["taskPolicyStatements"],
            message: `statements of at most ${policyLimit} characters in all, IAM's limit for a role's policies`
                + `${service.exec ? " less its ECS Exec policy" : ""} (these have ${policySize})` });
    }
    // The execution role's policy names each secret beside statements of its own (under 1,500 characters).
    const secretCharacters = Object.values(service.secrets).reduce((total, arn) => total + arn.length + 3, 0);
    if (secretCharacters > iamRolePolicyMaxCharacters - 1500) {
        ctx.addIssue({ code: "custom", path: ["secrets"],
            message: `secrets whose ARNs fit the execution role's policy: at most ${iamRolePolicyMaxCharacters - 1500} characters of ARNs (these have ${secretCharacters})` });
    }
    if (service.secretsKmsKeyArn !== undefined && Object.keys(service.secrets).length === 0) {
        ctx.addIssue({ code: "custom", path: ["secretsKmsKeyArn"], message: "no key unless the service has secrets to decrypt with it" });
    }
    if (service.maxCount < service.desiredCount) {
        ctx.addIssue({ code: "custom", path: ["maxCount"], message: `an integer from ${service.desiredCount} (desiredCount) to 100` });
    }
    if (service.type !== "job" && service.azLossFloor > service.desiredCount) {
        ctx.addIssue({ code: "custom", path: ["azLossFloor"], message: `an integer from 0 to ${service.desiredCount} (desiredCount)` });
    }
    // An ALB rule condition takes at most 3 values, and a rule at most 5 in all.
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html
    for (const field of ["pathPatterns", "hostHeaders"] as const) {
        if (service[field].length > 3) {
            ctx.addIssue({ code: "custom", path: [field], message: "at most 3 values (an ALB rule condition's limit)" });
        }
    }
    if (service.pathPatterns.length + service.hostHeaders.length > 5) {
        ctx.addIssue({ code: "custom", path: ["pathPatterns"], message: "at most 5 path patterns and host headers together (an ALB rule's limit)" });
    }
});

// What app-image's services run with unless they set otherwise: its non-root user, its read-only root, its self-check.
const appImageContract = { user: "1654:1654", readonlyRootFilesystem: true, healthCheckCommand: ["/app/EcsApp", "--health-check"] };

/**
 * A service's settings with the defaults that depend on its image applied: app-image's contract for a
 * service built from app-image, and for any other image what works for any image (its own USER and CMD,
 * a writable root, no container health command).
 */
const resolvedServiceEntry = z.preprocess(typeIssues, serviceEntry).transform((service) => {
    const appImage = service.image === undefined && (service.imageDirectory ?? appImageDirectory) === appImageDirectory;
    return {
        ...service,
        // Service Connect: backends always, web services when asked, workers and jobs never (refused above).
        connect: service.connect ?? service.type === "backend",
        // A job's run starts its desiredCount tasks and keeps none: its peak is that count, and it has no AZ-loss floor.
        ...(service.type === "job" ? { maxCount: service.desiredCount, azLossFloor: 0 } : {}),
        imageDirectory: service.image === undefined ? service.imageDirectory ?? appImageDirectory : undefined,
        appImage,
        user: service.user ?? (appImage ? appImageContract.user : undefined),
        readonlyRootFilesystem: service.readonlyRootFilesystem ?? (appImage && appImageContract.readonlyRootFilesystem),
        healthCheckCommand: service.healthCheckCommand ?? (appImage ? appImageContract.healthCheckCommand : []),
    };
});

/** The settings of a service that sets none: every field's default, from the schema above (app-image's service). */
export const serviceDefaults: ServiceSettings = resolvedServiceEntry.parse({});

/** One entry of the `services` map, validated, with every default applied. */
export type ServiceSettings = z.infer<typeof resolvedServiceEntry>;

/** One setting of a service as the README's table shows it: its key (dotted when nested), default and description. */
export interface ServiceSettingDoc {
    readonly key: string;
    readonly default: unknown;
    readonly description: string;
}

/** Every setting of a service, in the schema's order; an object of settings gives one row per field. */
export function serviceSettingDocs(): ServiceSettingDoc[] {
    const walk = (shape: Readonly<Record<string, z.ZodType>>, defaults: Record<string, unknown>, prefix: string): ServiceSettingDoc[] =>
        Object.entries(shape).flatMap(([key, field]) => {
            const inner = unwrapped(field);
            if (inner instanceof z.ZodObject) {
                // An optional object (a job's schedule) has no default of its own: its fields' defaults, none here.
                return walk(inner.shape as Record<string, z.ZodType>, (defaults[key] ?? {}) as Record<string, unknown>, `${prefix}${key}.`);
            }
            if (field.description === undefined) {
                throw new Error(`services.<name>.${prefix}${key} has no description in its schema`);
            }
            return [{ key: `${prefix}${key}`, default: defaults[key], description: field.description }];
        });
    return walk(serviceEntry.shape, serviceDefaults, "");
}

/** One service of the cluster, validated, with every default applied; only a web service has an ALB route. */
export type ServiceConfig = ServiceSettings & { readonly name: string; readonly route?: ServiceRoute };

// Target groups per ALB: 100 (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html).
const maxServices = 100;

// Service names become parts of AWS names: ECR repositories (lower case), log groups, target groups (32 characters).
const serviceName = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const serviceNameAllowed = "a service name of 1 to 20 characters: lower-case letters, digits and single hyphens, starting with a letter";

export const servicesSchema = z.record(
    z.string().max(20, { error: serviceNameAllowed }).regex(serviceName, { error: serviceNameAllowed }),
    resolvedServiceEntry,
    { error: "a map of service names to service settings" },
).refine((services) => Object.keys(services).length >= 1, { error: "at least one service" })
    .refine((services) => Object.keys(services).length <= maxServices, {
        error: `at most ${maxServices} services (an ALB's target group quota)`,
    });
