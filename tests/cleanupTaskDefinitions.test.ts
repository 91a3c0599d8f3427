// scripts/cleanupTaskDefinitions.ts, against ECS answers recorded the way the API gives them (aws-sdk-client-mock):
// every revision of the stack's families is deregistered, then deleted; another stack's families are left alone.
import {
    DeleteTaskDefinitionsCommand, DeregisterTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { cleanupTaskDefinitions, main, stackFamilies } from "../scripts/cleanupTaskDefinitions";
import { stackConfigFile } from "../offline/stackFiles";
import { all, T } from "./resources";
import { deployed } from "./shared";

const arn = (family: string, revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;

describe("cleanupTaskDefinitions", () => {
    let ecs: ReturnType<typeof mockClient>;
    beforeEach(() => { ecs = mockClient(ECSClient); });
    afterEach(() => { ecs.restore(); });

    /** Families and their revisions by status; DeleteTaskDefinitions deletes what it is given. */
    function account(families: Record<string, { ACTIVE?: number[]; INACTIVE?: number[] }>): void {
        ecs.on(ListTaskDefinitionsCommand).callsFake((input: { familyPrefix: string; status: "ACTIVE" | "INACTIVE"; nextToken?: string }) => {
            const arns = (families[input.familyPrefix]?.[input.status] ?? []).map((revision) => arn(input.familyPrefix, revision));
            // Two pages, as ECS pages a long list.
            return input.nextToken === undefined
                ? { taskDefinitionArns: arns.slice(0, 5), nextToken: arns.length > 5 ? "page-2" : undefined }
                : { taskDefinitionArns: arns.slice(5) };
        });
        ecs.on(DeregisterTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) =>
            ({ taskDefinition: { taskDefinitionArn: input.taskDefinition, status: "INACTIVE" } }));
        ecs.on(DeleteTaskDefinitionsCommand).callsFake((input: { taskDefinitions: string[] }) =>
            ({ taskDefinitions: input.taskDefinitions.map((taskDefinitionArn) => ({ taskDefinitionArn, status: "DELETE_IN_PROGRESS" })), failures: [] }));
    }

    test("deregisters every ACTIVE revision of the stack's families, then deletes them and the INACTIVE ones, 10 a call", async () => {
        const revisions = Array.from({ length: 12 }, (_, i) => i + 1);
        account({
            "ecs-on-ec2-dev-app": { ACTIVE: revisions, INACTIVE: [] },
            "ecs-on-ec2-dev-api": { ACTIVE: [3], INACTIVE: [1, 2] },
            "ecs-on-ec2-dev-2-app": { ACTIVE: [1] },
            "other-project-app": { ACTIVE: [1] },
        });
        const result = await cleanupTaskDefinitions(new ECSClient({ region: "us-east-1" }), ["ecs-on-ec2-dev-app", "ecs-on-ec2-dev-api"]);
        assert.deepEqual(result.families, ["ecs-on-ec2-dev-app", "ecs-on-ec2-dev-api"]);
        const expectedActive = [...revisions.map((r) => arn("ecs-on-ec2-dev-app", r)), arn("ecs-on-ec2-dev-api", 3)];
        assert.deepEqual(result.deregistered, expectedActive);
        assert.deepEqual(ecs.commandCalls(DeregisterTaskDefinitionCommand).map((c) => c.args[0].input.taskDefinition), expectedActive);
        const deleteCalls = ecs.commandCalls(DeleteTaskDefinitionsCommand).map((c) => c.args[0].input.taskDefinitions ?? []);
        assert.deepEqual(deleteCalls.map((batch) => batch.length), [10, 5]);
        assert.deepEqual(deleteCalls.flat().sort(), [...expectedActive, arn("ecs-on-ec2-dev-api", 1), arn("ecs-on-ec2-dev-api", 2)].sort());
        assert.deepEqual(result.failures, []);
        // ListTaskDefinitions's familyPrefix is a full family name: asked per family and status, every page; another
        // stack's family (ecs-on-ec2-dev-2-app) and another project's are never asked about.
        assert.deepEqual(ecs.commandCalls(ListTaskDefinitionsCommand).map((c) => `${c.args[0].input.familyPrefix} ${c.args[0].input.status}`), [
            "ecs-on-ec2-dev-app ACTIVE", "ecs-on-ec2-dev-app ACTIVE", "ecs-on-ec2-dev-app INACTIVE", "ecs-on-ec2-dev-api ACTIVE", "ecs-on-ec2-dev-api INACTIVE",
        ]);
        // Every revision is deregistered before any is deleted (DeleteTaskDefinitions takes INACTIVE ones only).
        const calls = ecs.calls().map((c) => c.args[0].constructor.name);
        assert.ok(calls.lastIndexOf("DeregisterTaskDefinitionCommand") < calls.indexOf("DeleteTaskDefinitionsCommand"));
    });

    test("nothing left (a second run): no call but the listing", async () => {
        account({});
        const result = await cleanupTaskDefinitions(new ECSClient({ region: "us-east-1" }), ["ecs-on-ec2-dev-app"]);
        assert.deepEqual(result, { families: ["ecs-on-ec2-dev-app"], deregistered: [], deleted: [], failures: [] });
        assert.equal(ecs.commandCalls(DeleteTaskDefinitionsCommand).length, 0);
    });

    test("a revision AWS refuses to delete fails the command, naming it and how to run it again", async () => {
        account({ "ecs-on-ec2-dev-app": { ACTIVE: [1] } });
        ecs.on(DeleteTaskDefinitionsCommand).resolves({
            taskDefinitions: [], failures: [{ arn: arn("ecs-on-ec2-dev-app", 1), reason: "TASK_DEFINITION_IN_USE", detail: "a task still runs it" }],
        });
        const out: string[] = [];
        const err: string[] = [];
        const code = await main("dev", { out: (line) => out.push(line), err: (line) => err.push(line) }, "us-east-1");
        assert.equal(code, 1);
        assert.match(err.join("\n"), /could not delete arn:aws:ecs:us-east-1:123456789012:task-definition\/ecs-on-ec2-dev-app:1: TASK_DEFINITION_IN_USE: a task still runs it/);
        assert.match(err.join("\n"), /npx tsx scripts\/cleanupTaskDefinitions.ts dev/);
    });

    test("a refused call fails the command with AWS's error", async () => {
        ecs.on(ListTaskDefinitionsCommand).rejects(Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" }));
        const err: string[] = [];
        const code = await main("dev", { out: () => undefined, err: (line) => err.push(line) }, "us-east-1");
        assert.equal(code, 1);
        assert.match(err[0], /AccessDeniedException: User is not authorized/);
    });

    test("the families are exactly those the program registers for the stack's services, never a prefix", async () => {
        for (const stack of ["dev", "microservices"]) {
            const run = await deployed(stack === "dev" ? {} : stackConfigFile(stack), { stack });
            assert.deepEqual(stackFamilies(stack).sort(), all(run, T.taskDefinition).map((definition) => String(definition.inputs.family)).sort(), stack);
        }
        assert.ok(!stackFamilies("dev").some((family) => family.startsWith("ecs-on-ec2-dev-2-")));
    });
});
