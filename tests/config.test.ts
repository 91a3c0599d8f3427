import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { ConfigError, defaults, parseStackConfig } from "../infra/config";
import { deploy, project, RegisteredResource, stackConfigFile } from "./fakeAws";

const root = path.resolve(__dirname, "..");
const readYaml = (file: string) => parse(fs.readFileSync(path.join(root, file), "utf8")) as Record<string, unknown>;

describe("config refusals: each fails before any resource is registered, naming key, value and what is allowed", () => {
    const refusals: [rule: string, config: Record<string, string>, message: RegExp][] = [
        ["region unset", { "aws:region": "" }, /'aws:region': got ""; expected an AWS region name/],
        ["region malformed", { "aws:region": "US East" }, /'aws:region': got "US East"; expected an AWS region name/],
        ["AZs not a list", { availabilityZones: "us-east-1a" }, /'ecs-on-ec2:availabilityZones': got "us-east-1a"; expected a list of strings/],
        ["AZs not strings", { availabilityZones: "[1, 2]" }, /'ecs-on-ec2:availabilityZones': got "\[1, 2\]"; expected a list of strings/],
        ["fewer than two AZs", { availabilityZones: '["us-east-1a"]' }, /got "\[\\"us-east-1a\\"\]"; expected a list of two or more distinct AZ names in us-east-1/],
        ["the same AZ twice", { availabilityZones: '["us-east-1a","us-east-1a"]' }, /availabilityZones': .*two or more distinct AZ names/],
        ["an AZ outside the region", { availabilityZones: '["us-east-1a","us-west-2b"]' }, /us-west-2b.*expected a list of two or more distinct AZ names in us-east-1, such as \["us-east-1a", "us-east-1b"\]/],
        ["instance type malformed", { instanceType: "t3small" }, /'ecs-on-ec2:instanceType': got "t3small"; expected an EC2 instance type such as t3.small/],
        ["Graviton t4g", { instanceType: "t4g.small" }, /'ecs-on-ec2:instanceType': got "t4g.small"; expected an x86_64 instance type .* arm64 \(Graviton\)/],
        ["Graviton m7gd", { instanceType: "m7gd.large" }, /got "m7gd.large"; expected an x86_64 instance type/],
        ["Graviton a1", { instanceType: "a1.medium" }, /got "a1.medium"; expected an x86_64 instance type/],
        ["hosts per AZ zero", { hostsPerAz: "0" }, /'ecs-on-ec2:hostsPerAz': got "0"; expected an integer from 1 to 10/],
        ["hosts per AZ fractional", { hostsPerAz: "1.5" }, /'ecs-on-ec2:hostsPerAz': got "1.5"; expected an integer from 1 to 10/],
        ["ASG max below its minimum", { hostsPerAz: "2", asgMaxSize: "3" }, /'ecs-on-ec2:asgMaxSize': got "3"; expected an integer from 4 to 100/],
        ["ASG max too large", { asgMaxSize: "101" }, /'ecs-on-ec2:asgMaxSize': got "101"; expected an integer from 2 to 100/],
        ["desired count zero", { desiredCount: "0" }, /'ecs-on-ec2:desiredCount': got "0"; expected an integer from 1 to 100/],
        ["desired count not a number", { desiredCount: "five" }, /'ecs-on-ec2:desiredCount': got "five"; expected an integer from 1 to 100/],
        ["autoscaling maximum below desiredCount", { desiredCount: "6", autoscalingMaxCapacity: "5" }, /'ecs-on-ec2:autoscalingMaxCapacity': got "5"; expected an integer from 6 to 100/],
        ["requests per target out of range", { autoscalingRequestsPerTarget: "5" }, /'ecs-on-ec2:autoscalingRequestsPerTarget': got "5"; expected an integer from 10 to 100000/],
        ["CPU target out of range", { autoscalingCpuUtilization: "95" }, /'ecs-on-ec2:autoscalingCpuUtilization': got "95"; expected an integer from 10 to 90/],
        ["container port privileged", { containerPort: "80" }, /'ecs-on-ec2:containerPort': got "80"; expected an integer from 1024 to 65535/],
        ["container port out of range", { containerPort: "70000" }, /'ecs-on-ec2:containerPort': got "70000"; expected an integer from 1024 to 65535/],
        ["memory too small", { containerMemory: "16" }, /'ecs-on-ec2:containerMemory': got "16"; expected an integer from 32 to 16384/],
        ["CPU negative", { containerCpu: "-1" }, /'ecs-on-ec2:containerCpu': got "-1"; expected an integer from 0 to 10240/],
        ["health path relative", { healthCheckPath: "health" }, /'ecs-on-ec2:healthCheckPath': got "health"; expected an absolute URL path/],
        ["health path with a space", { healthCheckPath: "/he alth" }, /'ecs-on-ec2:healthCheckPath': got "\/he alth"; expected an absolute URL path/],
        ["log retention CloudWatch refuses", { logRetentionInDays: "10" }, /'ecs-on-ec2:logRetentionInDays': got "10"; expected one of the retention periods CloudWatch Logs allows: 1, 3, 5, 7, 14/],
        ["container insights not a boolean", { containerInsights: "yes" }, /'ecs-on-ec2:containerInsights': got "yes"; expected true or false/],
    ];

    for (const [rule, config, message] of refusals) {
        test(rule, async () => {
            const registered: RegisteredResource[] = [];
            await assert.rejects(deploy(config, registered), (error: Error) => {
                assert.ok(error instanceof ConfigError, `${error.name}: ${error.message}`);
                assert.match(error.message, message);
                return true;
            });
            assert.deepEqual(registered.map((r) => r.name), []);
        });
    }
});

describe("config defaults and project files", () => {
    const pulumiYaml = readYaml("Pulumi.yaml");
    const schema = pulumiYaml.config as Record<string, { type: string; default: unknown; description: string; items?: unknown }>;

    test("with nothing set, the stack takes the seed's values", () => {
        const config = parseStackConfig(project, (key) => (key === "aws:region" ? "us-east-1" : undefined));
        const { domainName, hostedZoneId, certificateArn, ...plain } = defaults;
        assert.deepEqual([domainName, hostedZoneId, certificateArn], ["", "", ""], "HTTPS is off by default");
        assert.deepEqual(config, { region: "us-east-1", ...plain, availabilityZones: ["us-east-1a", "us-east-1b"], https: undefined });
        assert.equal(config.desiredCount, 5);
        assert.equal(config.containerPort, 8080);
        assert.equal(config.containerMemory, 128);
    });

    test("Pulumi.yaml: nodejs runtime, main infra/ with its entry point, a typed key with a description for every config value", () => {
        assert.equal(pulumiYaml.name, project);
        assert.equal((pulumiYaml.runtime as { name: string }).name, "nodejs");
        assert.equal(pulumiYaml.main, "infra/");
        assert.ok(fs.existsSync(path.join(root, "infra", "index.ts")));
        assert.deepEqual(Object.keys(schema).sort(), Object.keys(defaults).sort());
        for (const [key, declaration] of Object.entries(schema)) {
            assert.ok(["string", "integer", "boolean", "array"].includes(declaration.type), key);
            assert.ok(declaration.description.length > 20, `${key} has a description`);
            assert.equal(declaration.type === "array", declaration.items !== undefined, `${key}: items go with arrays`);
            assert.deepEqual(declaration.default, defaults[key as keyof typeof defaults], `${key}'s default`);
        }
    });

    test("Pulumi.dev.yaml: us-east-1 and values the program accepts", () => {
        const devConfig = stackConfigFile("dev");
        assert.equal(devConfig["aws:region"], "us-east-1");
        const config = parseStackConfig(project, (key) => devConfig[key]);
        assert.deepEqual(config.availabilityZones, ["us-east-1a", "us-east-1b"]);
        assert.equal(config.desiredCount, 5);
        for (const key of Object.keys(devConfig).filter((k) => k.startsWith(`${project}:`))) {
            assert.ok(key.slice(project.length + 1) in schema, `${key} is declared in Pulumi.yaml`);
        }
    });

    test("tsconfig is strict, and infra/ inherits it where the CLI looks", () => {
        const tsconfig = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8")) as { compilerOptions: { strict: boolean } };
        assert.equal(tsconfig.compilerOptions.strict, true);
        assert.match(fs.readFileSync(path.join(root, "infra", "tsconfig.json"), "utf8"), /"extends": "\.\.\/tsconfig\.json"/);
    });
});
