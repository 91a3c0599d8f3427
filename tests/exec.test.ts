// `exec: true` on a service: ECS Exec on its ECS service, an init process and a volume for the SSM agent in its
// container (whose root stays read-only), the agent's Session Manager channels and session log on its own task role
// only, and the cluster logging every session to a log group the stack owns. Without it, none of that is there.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { ConfigError } from "../infra/config";
import type { Deployment } from "../offline/run";
import { all, assertRefusedBeforeRegistering, input, Json, one, services, state, T } from "./resources";
import { deployed } from "./shared";

const containerOf = (deployment: Deployment, service: string) =>
    (JSON.parse(String(input(deployment, T.taskDefinition, `${service}-task-definition`).containerDefinitions)) as Json[])[0];
const policyOf = (deployment: Deployment, name: string) => JSON.parse(String(input(deployment, T.rolePolicy, name).policy)) as Json;

describe("a service with exec: true", () => {
    let stack: Deployment;
    // app keeps exec off, api turns it on: only api's service, task and role change.
    const run = deployed(services({ app: {}, api: { pathPatterns: ["/api/*"], exec: true } }));
    before(async () => { stack = await run; });

    test("its ECS service has ECS Exec on; the other service's does not", () => {
        assert.equal(input(stack, T.service, "api-service").enableExecuteCommand, true);
        assert.equal(input(stack, T.service, "app-service").enableExecuteCommand, undefined);
    });

    test("its container runs an init process and mounts a task volume where the SSM agent keeps its state", () => {
        const container = containerOf(stack, "api");
        assert.deepEqual(container.linuxParameters, { initProcessEnabled: true });
        assert.deepEqual(container.mountPoints, [{ sourceVolume: "ssm-agent-state", containerPath: "/var/lib/amazon/ssm", readOnly: false }]);
        assert.deepEqual(input(stack, T.taskDefinition, "api-task-definition").volumes, [{ name: "ssm-agent-state" }]);
        const other = containerOf(stack, "app");
        assert.deepEqual([other.linuxParameters, other.mountPoints], [undefined, undefined]);
        assert.equal(input(stack, T.taskDefinition, "app-task-definition").volumes, undefined);
    });

    test("ECS.5 still passes: the root stays read-only, the agent writes only to its volume", () => {
        assert.equal(containerOf(stack, "api").readonlyRootFilesystem, true);
    });

    test("its task role, and only its, may open Session Manager channels and write the session log", () => {
        const logGroupArn = state(stack, T.logGroup, "exec-session-logs").arn;
        assert.deepEqual(policyOf(stack, "api-task-exec-policy"), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
                    Resource: "*",
                },
                { Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
                { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: `${String(logGroupArn)}:*` },
            ],
        });
        assert.equal(input(stack, T.rolePolicy, "api-task-exec-policy").role, state(stack, T.role, "api-task-role").name);
        assert.deepEqual(all(stack, T.rolePolicy).map((p) => p.name).sort(),
            ["api-task-exec-policy", "api-task-execution-policy", "app-task-execution-policy"], "app's task role gets nothing");
        // A task started before the policy exists could not open a session.
        assert.ok(one(stack, T.taskDefinition, "api-task-definition").explicitDependsOn.includes("api-task-exec-policy"));
    });

    test("the cluster logs every session to a log group the stack owns, kept logRetentionInDays", () => {
        const logGroup = one(stack, T.logGroup, "exec-session-logs");
        assert.equal(logGroup.inputs.name, `/ecs/${String(state(stack, T.cluster).name)}/exec/sessions`);
        assert.equal(logGroup.inputs.retentionInDays, 14);
        assert.deepEqual(input(stack, T.cluster).configuration, {
            executeCommandConfiguration: { logging: "OVERRIDE", logConfiguration: { cloudWatchLogGroupName: logGroup.state.name } },
        });
    });
});

describe("a stack without exec", () => {
    test("has no exec log group, cluster exec configuration, exec policy, init process or volumes", async () => {
        const stack = await deployed();
        assert.deepEqual(all(stack, T.logGroup).map((g) => g.name).sort(), ["app-logs", "container-insights-logs"]);
        assert.equal(input(stack, T.cluster).configuration, undefined);
        assert.equal(input(stack, T.service, "app-service").enableExecuteCommand, undefined);
        assert.deepEqual(all(stack, T.rolePolicy).map((p) => p.name), ["app-task-execution-policy"]);
        assert.equal(containerOf(stack, "app").linuxParameters, undefined);
        assert.equal(input(stack, T.taskDefinition, "app-task-definition").volumes, undefined);
    });
});

describe("exec in config", () => {
    test("a value that is not a boolean is refused before anything is registered, naming the key and the value", () =>
        assertRefusedBeforeRegistering(services({ app: { exec: "yes" } }), ConfigError,
            [/'ecs-on-ec2:services\.app\.exec': got "yes"; expected true or false/]));

    test("a job may not set it: ECS Exec attaches to an ECS service's running tasks, and a job has no ECS service", () =>
        assertRefusedBeforeRegistering(services({ app: {}, nightly: { type: "job", schedule: { expression: "rate(1 day)" }, exec: true } }),
            ConfigError, [/'ecs-on-ec2:services\.nightly\.exec': .*no exec on a job/]));

    test("with exec, taskPolicyStatements leave room for the exec policy in the role's inline policy quota", async () => {
        // 9,300 characters of statements fit IAM's 10,240 alone, not beside the exec policy's reserve.
        const statements = Array.from({ length: 30 }, (_, i) => ({
            Effect: "Allow", Action: ["s3:GetObject"], Resource: `arn:aws:s3:::bucket-${String(i).padStart(2, "0")}/${"k".repeat(250)}`,
        }));
        const size = JSON.stringify({ Version: "2012-10-17", Statement: statements }).length;
        assert.ok(size > 9240 && size <= 10240, `the statements have ${size} characters`);
        await assertRefusedBeforeRegistering(services({ app: { exec: true, taskPolicyStatements: statements } }), ConfigError,
            [/'ecs-on-ec2:services\.app\.taskPolicyStatements'.*at most 9240 characters .* less its ECS Exec policy/]);
    });
});
