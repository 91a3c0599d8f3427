import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { z } from "zod";
import { albPathPattern, logRetentionDays, wafRateLimit } from "../infra/awsLimits";
import { clusterCliTypes, ConfigError, parseStackConfig, serviceDefaults, serviceSettingDocs } from "../infra/config";
import { cliTypeOf } from "../infra/config/cliTypes";
import { repoRoot } from "../infra/paths";
import { project, projectDefaults, stackConfigFile, withProjectDefaults } from "../offline/stackFiles";
import { findGenerated, readGenerated, wrapGenerated } from "../scripts/generatedParts";
import { clusterKeysPart, pulumiYamlKeys, renderClusterKeysTable, renderServiceKeysTable, serviceKeysPart } from "../scripts/readme-config";
import { all, assertRefusedBeforeAwsResources, assertRefusedBeforeRegistering, services, T } from "./resources";
import { deployed } from "./shared";

const readYaml = (file: string) => parse(fs.readFileSync(path.join(repoRoot, file), "utf8")) as Record<string, unknown>;

describe("config refusals: each fails before any resource is registered, naming key, value and what is allowed", () => {
    const refusals: [rule: string, config: Record<string, string>, message: RegExp][] = [
        ["region unset", { "aws:region": "" }, /'aws:region': got ""; expected an AWS region name/],
        ["region malformed", { "aws:region": "US East" }, /'aws:region': got "US East"; expected an AWS region name/],
        ["AZs not a list", { availabilityZones: "us-east-1a" }, /'ecs-on-ec2:availabilityZones': got "us-east-1a"; expected a list of strings/],
        ["AZs not strings", { availabilityZones: "[1, 2]" }, /'ecs-on-ec2:availabilityZones.0': got "1"; expected a list of strings/],
        ["fewer than two AZs", { availabilityZones: '["us-east-1a"]' }, /got "\[\\"us-east-1a\\"\]"; expected a list of two or more distinct AZ names in us-east-1/],
        ["the same AZ twice", { availabilityZones: '["us-east-1a","us-east-1a"]' }, /availabilityZones': .*two or more distinct AZ names/],
        ["an AZ outside the region", { availabilityZones: '["us-east-1a","us-west-2b"]' }, /us-west-2b.*expected a list of two or more distinct AZ names in us-east-1, such as \["us-east-1a", "us-east-1b"\]/],
        ["instance type malformed", { instanceType: "t3small" }, /'ecs-on-ec2:instanceType': got "t3small"; expected an EC2 instance type such as t3.small/],
        ["Graviton t4g", { instanceType: "t4g.small" }, /'ecs-on-ec2:instanceType': got "t4g.small"; expected an x86_64 instance type .* arm64 \(Graviton\)/],
        ["Graviton m7gd", { instanceType: "m7gd.large" }, /got "m7gd.large"; expected an x86_64 instance type/],
        ["hosts per AZ zero", { hostsPerAz: "0" }, /'ecs-on-ec2:hostsPerAz': got "0"; expected an integer from 1 to 10/],
        ["hosts per AZ fractional", { hostsPerAz: "1.5" }, /'ecs-on-ec2:hostsPerAz': got "1.5"; expected an integer from 1 to 10/],
        ["ASG max below its minimum", { hostsPerAz: "2", asgMaxSize: "3" }, /'ecs-on-ec2:asgMaxSize': got "3"; expected an integer from 4 \(hostsPerAz x AZs\) to 100/],
        ["ASG max too large", { asgMaxSize: "101" }, /'ecs-on-ec2:asgMaxSize': got "101"; expected an integer from 1 to 100/],
        ["log retention CloudWatch refuses", { logRetentionInDays: "10" }, /'ecs-on-ec2:logRetentionInDays': got "10"; expected one of the retention periods CloudWatch Logs allows: 1, 3, 5, 7, 14/],
        ["container insights not a boolean", { containerInsights: "yes" }, /'ecs-on-ec2:containerInsights': got "yes"; expected true or false/],
        ["alarm email malformed", { alarmEmail: "ops@" }, /'ecs-on-ec2:alarmEmail': got "ops@"; expected an email address, or empty for none/],
        ["WAF rate limit below AWS's minimum", { wafRequestsPerIpPer5Minutes: "5" }, /'ecs-on-ec2:wafRequestsPerIpPer5Minutes': got "5"; expected an integer from 10 to 2000000000/],
        ["cost assumption negative", { costRequestsPerSecond: "-1" }, /'ecs-on-ec2:costRequestsPerSecond': got "-1"; expected an integer from 0 to 100000/],
        ["a misspelled key, with the closest one", { instanceTyp: "t3.small" }, /'ecs-on-ec2:instanceTyp': got "t3.small"; expected a key this project reads; did you mean 'ecs-on-ec2:instanceType'\?/],
        ["a key moved into services, with where it went", { desiredCount: "3" }, /'ecs-on-ec2:desiredCount': got "3"; expected no top-level key: it is set per service now, as ecs-on-ec2:services.<name>.desiredCount \(for the default service: pulumi config set --path 'services.app.desiredCount' 3\)/],
        ["a moved key with another name there", { containerMemory: "256" }, /services.<name>.memory/],
        ["services not an object", { services: "app" }, /'ecs-on-ec2:services': got "app"; expected a map of service names to service settings/],
        ["no services", services({}), /'ecs-on-ec2:services': got "\{\}"; expected at least one service/],
        ["a service name AWS would reject", services({ App_1: {} }), /'ecs-on-ec2:services.App_1': .*expected a service name of 1 to 20 characters: lower-case letters, digits and single hyphens/],
        ["a service name too long for a target group", services({ "a-very-long-service-name": {} }), /services.a-very-long-service-name'.*expected a service name of 1 to 20 characters/],
        ["a misspelled moved key, with its new home", { desiredCont: "3" }, /'ecs-on-ec2:desiredCont': got "3"; expected a key this project reads; did you mean 'ecs-on-ec2:services.<name>.desiredCount' \(desiredCount is set per service now\)\?/],
        ["a misspelled service key, with the closest one", services({ app: { desiredCont: 3 } }), /'ecs-on-ec2:services.app.desiredCont': got "3"; expected a key this project reads; did you mean 'ecs-on-ec2:services.app.desiredCount'\?/],
        ["a misspelled nested key", services({ app: { autoscaling: { cpu: 50 } } }), /'ecs-on-ec2:services.app.autoscaling.cpu': got "50"; expected a key this project reads; did you mean 'ecs-on-ec2:services.app.autoscaling.cpuUtilization'\?/],
        ["desired count zero", services({ app: { desiredCount: 0 } }), /'ecs-on-ec2:services.app.desiredCount': got "0"; expected an integer from 1 to 100/],
        ["desired count a string", services({ app: { desiredCount: "five" } }), /'ecs-on-ec2:services.app.desiredCount': got "five"; expected an integer from 1 to 100/],
        ["maximum below the desired count", services({ app: { desiredCount: 6, maxCount: 5 } }), /'ecs-on-ec2:services.app.maxCount': got "5"; expected an integer from 6 \(desiredCount\) to 100/],
        ["AZ-loss floor above the desired count", services({ app: { desiredCount: 2, azLossFloor: 3 } }), /services.app.azLossFloor': got "3"; expected an integer from 0 to 2 \(desiredCount\)/],
        ["requests per target out of range", services({ app: { autoscaling: { requestsPerTarget: 5 } } }), /services.app.autoscaling.requestsPerTarget': got "5"; expected an integer from 10 to 100000/],
        ["CPU target out of range", services({ app: { autoscaling: { cpuUtilization: 95 } } }), /services.app.autoscaling.cpuUtilization': got "95"; expected an integer from 10 to 90/],
        ["container port privileged", services({ app: { containerPort: 80 } }), /services.app.containerPort': got "80"; expected an integer from 1024 to 65535/],
        ["memory too small", services({ app: { memory: 16 } }), /services.app.memory': got "16"; expected an integer from 32 to 16384/],
        ["CPU negative", services({ app: { cpu: -1 } }), /services.app.cpu': got "-1"; expected an integer from 0 to 10240/],
        ["health path relative", services({ app: { healthCheckPath: "health" } }), /services.app.healthCheckPath': got "health"; expected a literal absolute URL path/],
        ["health path with a query", services({ app: { healthCheckPath: "/health?x=1" } }), /services.app.healthCheckPath': got "\/health\?x=1"; expected a literal absolute URL path/],
        ["health path with a route template", services({ app: { healthCheckPath: "/{*rest}" } }), /services.app.healthCheckPath': got "\/\{\*rest\}"/],
        ["alarm threshold out of range", services({ app: { alarms: { serverErrorPercent: 0 } } }), /services.app.alarms.serverErrorPercent': got "0"; expected an integer from 1 to 100/],
        ["an environment name the stack sets", services({ app: { environment: { HEALTH_CHECK_PATH: "/x" } } }), /services.app.environment.HEALTH_CHECK_PATH'.*expected a name other than ASPNETCORE_HTTP_PORTS, HEALTH_CHECK_PATH, SHUTDOWN_TIMEOUT_SECONDS/],
        ["a secret in the environment, plain text in the task definition", services({ app: { environment: { DB_PASSWORD: "hunter2" } } }), /services.app.environment.DB_PASSWORD'.*expected a name that does not look like a secret: .* Secrets Manager or SSM Parameter Store/],
        ["an environment value not a string", services({ app: { environment: { MODE: 3 } } }), /services.app.environment.MODE': got "3"; expected a non-empty string value/],
        ["an empty environment value, which ECS drops (a new revision on every up)", services({ app: { environment: { MODE: "" } } }), /services.app.environment.MODE': got ""; expected a non-empty string value/],
        ["a missing image folder", services({ app: { imageDirectory: "no-such-folder" } }), /services.app.imageDirectory': got "no-such-folder"; expected a folder holding a Dockerfile, relative to the repository root \(none found there\)/],
        ["a path pattern ALB refuses", services({ app: { pathPatterns: ["orders"] } }), /services.app.pathPatterns.0': got "orders"; expected a path pattern starting with \//],
        ["a path pattern with a character ALB refuses", services({ app: { pathPatterns: ["/a b"] } }), /services.app.pathPatterns.0': got "\/a b"; expected a path pattern starting with \/ of at most 128 characters \(letters, digits and _-.\$\/~"'@:\+&\*\?, of which \* and \? are wildcards\)/],
        ["more path patterns than a rule condition takes", services({ app: { pathPatterns: ["/a", "/b", "/c", "/d"] } }), /services.app.pathPatterns'.*expected at most 3 values/],
        ["two default routes", services({ app: {}, api: {} }), /'ecs-on-ec2:services.app.pathPatterns': got "\[\]"; expected path patterns or host headers: only one service may be the default route, and api already is/],
        ["the same route twice", services({ app: {}, a: { pathPatterns: ["/x/*"] }, b: { pathPatterns: ["/x/*"] } }), /'ecs-on-ec2:services.b.pathPatterns'.*some requests match both a and b/],
        ["overlapping routes", services({ app: {}, api: { pathPatterns: ["/api/*"] }, orders: { pathPatterns: ["/api/orders/*"] } }), /services.orders.pathPatterns'.*some requests match both api and orders/],
        ["a host route overlapping a path route", services({ app: {}, api: { hostHeaders: ["api.example.com"] }, docs: { pathPatterns: ["/docs/*"] } }), /some requests match both api and docs/],
        ["more services than an ALB has target groups", services(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`s${i}`, { hostHeaders: [`s${i}.example.com`] }]))), /'ecs-on-ec2:services'.*expected at most 100 services/],
    ];

    for (const [rule, config, message] of refusals) {
        test(rule, () => assertRefusedBeforeRegistering(config, ConfigError, [message]));
    }

    test("an AZ the region does not have (found through the stack's provider, the only thing registered)", () =>
        assertRefusedBeforeAwsResources({ availabilityZones: '["us-east-1a","us-east-1g"]' }, ConfigError,
            [/'ecs-on-ec2:availabilityZones': .*expected AZs that exist in us-east-1 \(us-east-1g does not; available: us-east-1a, /]));
});

describe("config defaults and project files", () => {
    const pulumiYaml = readYaml("Pulumi.yaml");
    const schema = pulumiYaml.config as Record<string, { type: string; default: unknown; description: string; items?: unknown }>;

    test("with only Pulumi.yaml's defaults, the stack is the seed's: one service, app, from app-image/ on /, 5 tasks", () => {
        const config = parseStackConfig(project, { ...projectDefaults(), "aws:region": "us-east-1" });
        assert.deepEqual(config.availabilityZones, ["us-east-1a", "us-east-1b"]);
        assert.equal(config.instanceType, "t3.small");
        assert.equal(config.https, undefined);
        assert.equal(config.waf, undefined);
        assert.equal(config.alarmEmail, undefined);
        assert.deepEqual(config.services.map((s) => s.name), ["app"]);
        const [app] = config.services;
        assert.deepEqual({ ...app, name: undefined, route: undefined }, { ...serviceDefaults, name: undefined, route: undefined });
        assert.deepEqual(app.route, { pathPatterns: [], hostHeaders: [], priority: undefined });
        assert.equal(app.desiredCount, 5);
        assert.equal(app.imageDirectory, "app-image");
    });

    test("a key missing from what the CLI hands over is refused, not defaulted a second time in code", () => {
        const withoutInstanceType = Object.fromEntries(Object.entries(projectDefaults()).filter(([key]) => key !== `${project}:instanceType`));
        assert.throws(() => parseStackConfig(project, { ...withoutInstanceType, "aws:region": "us-east-1" }),
            /'ecs-on-ec2:instanceType': got ""; expected a value: Pulumi.yaml declares its default, which the Pulumi CLI applies/);
    });

    test("other namespaces than aws: are not this project's to police", () => {
        const config = parseStackConfig(project, { ...projectDefaults(), "aws:region": "us-east-1", "docker:host": "unix:///var/run/docker.sock" });
        assert.deepEqual([config.region, config.accountTags], ["us-east-1", {}]);
    });

    test("services are sorted by name and keep their own settings", () => {
        const config = parseStackConfig(project, {
            ...projectDefaults(), "aws:region": "us-east-1",
            [`${project}:services`]: JSON.stringify({ orders: { pathPatterns: ["/orders/*"], desiredCount: 2 }, app: {} }),
        });
        assert.deepEqual(config.services.map((s) => [s.name, s.desiredCount]), [["app", 5], ["orders", 2]]);
        assert.equal(config.services[0].route?.priority, undefined, "the default route needs no rule priority of its own");
        assert.ok(Number.isInteger(config.services[1].route?.priority));
    });

    test("Pulumi.yaml: nodejs runtime, main infra/ with its entry point, a typed key with a description for every cluster value", () => {
        assert.equal(pulumiYaml.name, project);
        assert.equal((pulumiYaml.runtime as { name: string }).name, "nodejs");
        assert.equal(pulumiYaml.main, "infra/");
        assert.ok(fs.existsSync(path.join(repoRoot, "infra", "index.ts")));
        for (const [key, declaration] of Object.entries(schema)) {
            assert.ok(["string", "integer", "boolean", "array"].includes(declaration.type), key);
            assert.ok(declaration.description.length > 20, `${key} has a description`);
            assert.equal(declaration.type === "array", declaration.items !== undefined, `${key}: items go with arrays`);
            assert.notEqual(declaration.default, undefined, `${key} has its default here, the one place it lives`);
        }
    });

    test("Pulumi.dev.yaml: only what the dev stack really sets, and values the program accepts", () => {
        const devConfig = stackConfigFile("dev");
        assert.deepEqual(devConfig, { "aws:region": "us-east-1" });
        const config = parseStackConfig(project, withProjectDefaults(devConfig));
        assert.deepEqual(config.services.map((s) => s.desiredCount), [5]);
    });

    test("tsconfig: infra/tsconfig.json holds the compiler options themselves (the CLI ignores extends), and tsc uses them", () => {
        const read = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, file), "utf8").replace(/^\s*\/\/.*$/gm, "")) as
            { extends?: string; compilerOptions?: Record<string, unknown> };
        const infra = read("infra/tsconfig.json");
        assert.equal(infra.extends, undefined);
        assert.equal(infra.compilerOptions?.strict, true);
        assert.equal(infra.compilerOptions?.module, "commonjs");
        assert.equal(infra.compilerOptions?.target, "ES2022");
        const root = read("tsconfig.json");
        assert.equal(root.extends, "./infra/tsconfig.json");
        assert.equal(root.compilerOptions, undefined, "tsc adds no option of its own");
    });
});

describe("each config key's type has one home, the zod schema, and Pulumi.yaml agrees with it", () => {
    const declared = pulumiYamlKeys();

    test("Pulumi.yaml declares exactly the schema's cluster-wide keys (not services, an object it cannot declare)", () => {
        assert.deepEqual(Object.keys(declared).sort(), Object.keys(clusterCliTypes).filter((key) => key !== "services").sort());
        assert.deepEqual(clusterCliTypes.services, { type: "object" });
    });

    test("each Pulumi.yaml key's type (and items, for a list) is the one its schema field says", () => {
        for (const [key, { type, items }] of Object.entries(declared)) {
            assert.deepEqual(items === undefined ? { type } : { type, items }, clusterCliTypes[key as keyof typeof clusterCliTypes], key);
        }
    });

    test("the CLI's strings decode by the schema's types: an integer, a boolean, a JSON list, a string kept as it is", () => {
        const config = parseStackConfig(project, {
            ...projectDefaults(), "aws:region": "us-east-1",
            [`${project}:hostsPerAz`]: "2", [`${project}:albAccessLogs`]: "false",
            [`${project}:availabilityZones`]: '["us-east-1a","us-east-1c"]', [`${project}:alarmEmail`]: "ops@example.com",
        });
        assert.equal(config.hostsPerAz, 2);
        assert.equal(config.albAccessLogs, false);
        assert.deepEqual(config.availabilityZones, ["us-east-1a", "us-east-1c"]);
        assert.equal(config.alarmEmail, "ops@example.com");
    });

    test("a schema field no Pulumi config type can carry is refused, not decoded as a string", () => {
        assert.deepEqual(cliTypeOf(z.array(z.number().int()).default([])), { type: "array", items: { type: "integer" } });
        assert.deepEqual(cliTypeOf(z.string().transform((v) => v.length).pipe(z.number())), { type: "string" });
        assert.throws(() => cliTypeOf(z.number()), /no Pulumi config type for a zod number that is not an integer/);
        assert.throws(() => cliTypeOf(z.date()), /no Pulumi config type for a zod date/);
    });
});

describe("service settings: each default and description lives in the schema", () => {
    test("serviceDefaults is what the schema gives a service that sets nothing", () => {
        assert.deepEqual(serviceDefaults, {
            type: "web", connect: false,
            imageDirectory: "app-image", appImage: true, pathPatterns: [], hostHeaders: [], desiredCount: 5, maxCount: 10, containerPort: 8080,
            memory: 128, cpu: 128, user: "1654:1654", readonlyRootFilesystem: true,
            healthCheckPath: "/health", healthCheckCommand: ["/app/EcsApp", "--health-check"], environment: {},
            secrets: {}, taskPolicyStatements: [], exec: false,
            azLossFloor: 2, autoscaling: { requestsPerTarget: 1000, cpuUtilization: 60 },
            alarms: { serverErrorPercent: 5, unhealthyTargets: 1, evaluationPeriods: 3 },
        });
    });

    test("every setting, nested ones dotted, has its default and a description", () => {
        const docs = serviceSettingDocs();
        assert.deepEqual(docs.map((d) => d.key), [
            "type", "schedule.expression", "schedule.timezone", "connect", "imageDirectory", "image", "command", "user", "readonlyRootFilesystem",
            "pathPatterns", "hostHeaders", "desiredCount", "maxCount", "containerPort", "memory", "cpu",
            "healthCheckPath", "healthCheckCommand", "environment", "secrets", "secretsKmsKeyArn", "taskPolicyStatements",
            "exec", "azLossFloor", "autoscaling.requestsPerTarget",
            "autoscaling.cpuUtilization", "alarms.serverErrorPercent", "alarms.unhealthyTargets", "alarms.evaluationPeriods",
        ]);
        for (const doc of docs) {
            assert.ok(doc.description.length > 20, `${doc.key} has a description`);
            // A job's schedule is optional: a service that sets none has neither of its fields.
            assert.deepEqual(doc.default, doc.key.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], serviceDefaults));
        }
    });

    test("a service that sets one field of a nested object keeps the others' defaults", () => {
        const config = parseStackConfig(project, {
            ...projectDefaults(), "aws:region": "us-east-1", [`${project}:services`]: JSON.stringify({ app: { alarms: { unhealthyTargets: 2 } } }),
        });
        assert.deepEqual(config.services[0].alarms, { ...serviceDefaults.alarms, unhealthyTargets: 2 });
        assert.deepEqual(config.services[0].autoscaling, serviceDefaults.autoscaling);
    });
});

describe("AWS's limits come from infra/awsLimits.ts", () => {
    const accepts = (pathPatterns: string[]) => {
        const config = parseStackConfig(project, {
            ...projectDefaults(), "aws:region": "us-east-1", [`${project}:services`]: JSON.stringify({ app: {}, qa: { pathPatterns } }),
        });
        return config.services.find((s) => s.name === "qa")?.pathPatterns;
    };
    const awsCharacter = new RegExp(`^[${albPathPattern.characters}]$`);

    test("a path pattern may hold &, ' and \" as AWS allows, and the fake AWS takes the rule", async () => {
        assert.deepEqual(accepts(["/q&a/*", "/it's/*", '/"quoted"']), ["/q&a/*", "/it's/*", '/"quoted"']);
        const deployment = await deployed(services({ app: {}, qa: { pathPatterns: ["/q&a/*"] } }));
        const rules = all(deployment, T.listenerRule).map((rule) => JSON.stringify(rule.inputs));
        assert.ok(rules.some((rule) => rule.includes('"/q&a/*"')), rules.join("\n"));
    });

    test("a path pattern: exactly AWS's characters after the leading /, and at most AWS's length", () => {
        for (let code = 0x20; code < 0x7f; code++) {
            const char = String.fromCharCode(code);
            const accepted = (() => {
                try {
                    accepts([`/x${char}`]);
                    return true;
                } catch (error) {
                    assert.ok(error instanceof ConfigError && /expected a path pattern starting with \//.test(error.message), String(error));
                    return false;
                }
            })();
            assert.equal(accepted, awsCharacter.test(char), `'${char}'`);
        }
        assert.deepEqual(accepts([`/${"a".repeat(albPathPattern.maxLength - 1)}`])?.[0].length, albPathPattern.maxLength);
        assert.throws(() => accepts([`/${"a".repeat(albPathPattern.maxLength)}`]), /at most 128 characters/);
        assert.throws(() => accepts(["orders/*"]), /expected a path pattern starting with \//);
    });

    test("the log retention values and the WAF rate limit are AWS's", () => {
        for (const days of logRetentionDays) {
            assert.equal(parseStackConfig(project, { ...projectDefaults(), "aws:region": "us-east-1", [`${project}:logRetentionInDays`]: String(days) })
                .logRetentionInDays, days);
        }
        const waf = (limit: number) => parseStackConfig(project, {
            ...projectDefaults(), "aws:region": "us-east-1", [`${project}:wafEnabled`]: "true", [`${project}:wafRequestsPerIpPer5Minutes`]: String(limit),
        }).waf?.requestsPerIpPer5Minutes;
        assert.equal(waf(wafRateLimit.min), wafRateLimit.min);
        assert.equal(waf(wafRateLimit.max), wafRateLimit.max);
        assert.throws(() => waf(wafRateLimit.max + 1), /expected an integer from 10 to 2000000000/);
    });
});

describe("the README's configuration tables are the ones npm run readme:config renders", () => {
    test("cluster-wide keys: Pulumi.yaml's keys, defaults and descriptions, with the schema's types", () => {
        assert.equal(readGenerated(clusterKeysPart), wrapGenerated(clusterKeysPart, renderClusterKeysTable()), "regenerate it: npm run -s readme:config");
    });

    test("per-service keys: the schema's keys, nested ones dotted, defaults and descriptions", () => {
        assert.equal(readGenerated(serviceKeysPart), wrapGenerated(serviceKeysPart, renderServiceKeysTable()), "regenerate it: npm run -s readme:config");
    });

    test("both tables are in the README's configuration section, and each row names a key with its default", () => {
        const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Design notes"));
        const rows = (table: string) => Object.fromEntries([...table.matchAll(/^\| `([^`]+)` \|(?: [a-z ]+ \|)? `([^`]*)` \|/gm)].map((m) => [m[1], m[2]]));
        const cluster = rows(findGenerated(section, clusterKeysPart) ?? "");
        assert.deepEqual(cluster, Object.fromEntries(Object.entries(pulumiYamlKeys()).map(([key, { default: value }]) =>
            [key, typeof value === "string" ? JSON.stringify(value).replace(/^"(.+)"$/, "$1") : JSON.stringify(value)])));
        const service = rows(findGenerated(section, serviceKeysPart) ?? "");
        assert.deepEqual(Object.keys(service), serviceSettingDocs().map((d) => d.key));
        assert.equal(service.desiredCount, "5");
        assert.equal(service["autoscaling.cpuUtilization"], "60");
    });
});
