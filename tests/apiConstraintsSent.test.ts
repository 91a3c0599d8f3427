// The fake AWS checks only what the program sends: every property a rule table checks on its own
// (offline/awsRules, each type's `fields`) appears in the inputs of some registration or invoke over the
// runs the suite makes, so no rule guards a property nothing sends.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { invokeTypeRules, nameProperty, resourceTypeRules } from "../offline/awsRules";
import { revealed } from "../offline/fakeAws";
import { Deployment } from "../offline/run";
import { stackConfigFile } from "../offline/stackFiles";
import { deployed } from "./shared";

const services = (config: object) => ({ services: JSON.stringify(config) });

// The default run, the stack files' runs, and the config that switches on each optional part of the stack.
const runs = (): Promise<Deployment>[] => [
    deployed(),
    deployed(stackConfigFile("two-services"), { stack: "two-services" }),
    // A web service calling a backend over Service Connect, a worker (tests/serviceTypes.test.ts) and a nightly job (tests/jobs.test.ts).
    deployed(stackConfigFile("microservices"), { stack: "microservices" }),
    deployed({ wafEnabled: "true", wafRequestsPerIpPer5Minutes: "500" }),
    deployed({ domainName: "app.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }),
    deployed({ alarmEmail: "ops@example.com" }),
    deployed(services({ app: {}, api: { pathPatterns: ["/api/*"] } })),
    deployed(services({ app: {}, api: { hostHeaders: ["api.example.com"] } })),
    // No default route: the listener answers 404 with a fixed response (tests/stack.test.ts).
    deployed(services({ app: { pathPatterns: ["/app/*"] }, orders: { pathPatterns: ["/orders/*"] } })),
    // tests/imageCopy.test.ts's service: an existing image copied into ECR.
    deployed(services({ app: {}, tomcat: { image: "lobster1234/tomcat:8.5.20", pathPatterns: ["/tomcat/*"] } })),
    // tests/secrets.test.ts's service: container secrets, and a task role policy.
    deployed(services({ app: {
        secrets: {
            DB_PASSWORD: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password::",
            API_TOKEN: "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-token",
        },
        secretsKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        taskPolicyStatements: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::orders-bucket/*" }],
    } })),
    // tests/exec.test.ts's service: ECS Exec, its init process, its volume and the cluster's session logging.
    deployed(services({ app: {}, api: { pathPatterns: ["/api/*"], exec: true } })),
    // tests/hostEgress.test.ts's stack: a host egress rule to each kind of destination.
    deployed({ hostEgress: JSON.stringify([
        { port: 5432, securityGroupId: "sg-0123456789abcdef0", description: "Postgres orders-db" },
        { fromPort: 6379, toPort: 6380, cidr: "10.20.0.0/16", description: "Redis & Sentinel in the shared VPC" },
        { port: 587, protocol: "tcp", prefixListId: "pl-0a1b2c3d4e5f60718", description: "SMTP submission to the mail relays" },
    ]) }),
];

/** A value's property paths, list items as `*`, JSON documents (sent as strings) followed into. */
function paths(value: unknown, prefix = ""): string[] {
    const parsed = typeof value === "string" && /^\s*[[{]/.test(value) ? parseOr(value) : value;
    const at = (key: string) => (prefix === "" ? key : `${prefix}.${key}`);
    if (Array.isArray(parsed)) {
        return [prefix, ...parsed.flatMap((item) => paths(item, at("*")))];
    }
    if (typeof parsed === "object" && parsed !== null) {
        return [prefix, ...Object.entries(parsed).flatMap(([key, v]) => paths(v, at(key)))];
    }
    return [prefix];
}

function parseOr(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text;
    }
}

/** Each type's sent property paths over `deployments`; a name left to Pulumi's auto-naming is sent all the same. */
function sentByType(deployments: readonly Deployment[]): Map<string, Set<string>> {
    const sent = new Map<string, Set<string>>();
    for (const { type, inputs } of deployments.flatMap((d) => d.resources)) {
        const set = sent.get(type) ?? new Set<string>([nameProperty(type)]);
        paths(revealed(inputs)).forEach((p) => set.add(p));
        sent.set(type, set);
    }
    return sent;
}

/** Each invoke's sent property paths over `deployments`. */
function invokedByToken(deployments: readonly Deployment[]): Map<string, Set<string>> {
    const invoked = new Map<string, Set<string>>();
    for (const { token, inputs } of deployments.flatMap((d) => d.invokes)) {
        const set = invoked.get(token) ?? new Set<string>();
        paths(inputs).forEach((p) => set.add(p));
        invoked.set(token, set);
    }
    return invoked;
}

/** Properties of a rule table that no input has. */
function unsent(fields: object, sent: Set<string> | undefined): string[] {
    return Object.keys(fields).filter((property) => !(sent?.has(property) ?? false));
}

describe("the fake AWS checks only properties the program sends", () => {
    test("every resource rule's property is in some registration's inputs", async () => {
        const sent = sentByType(await Promise.all(runs()));
        const missing = Object.entries(resourceTypeRules).flatMap(([type, rules]) =>
            unsent(rules.fields, sent.get(type)).map((property) => `${type} ${property}`));
        assert.deepEqual(missing, []);
    });
    test("every invoke rule's property is in some invoke's inputs", async () => {
        const invoked = invokedByToken(await Promise.all(runs()));
        const missing = Object.entries(invokeTypeRules).flatMap(([token, rules]) =>
            unsent(rules.fields, invoked.get(token)).map((property) => `${token} ${property}`));
        assert.deepEqual(missing, []);
    });
});
