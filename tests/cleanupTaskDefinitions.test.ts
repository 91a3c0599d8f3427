// scripts/cleanupTaskDefinitions.ts, against ECS answers recorded the way the API gives them (aws-sdk-client-mock):
// every revision of the stack's families is deregistered, then deleted; another stack's families are left alone.
import {
    DeleteTaskDefinitionsCommand, DeregisterTaskDefinitionCommand, ECSClient, ListTaskDefinitionFamiliesCommand,
    ListTaskDefinitionsCommand,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { cleanupTaskDefinitions, familyPrefixOf, main, otherStackPrefixes } from "../scripts/cleanupTaskDefinitions";

const arn = (family: string, revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;

describe("cleanupTaskDefinitions", () => {
    let ecs: ReturnType<typeof mockClient>;
    beforeEach(() => { ecs = mockClient(ECSClient); });
    afterEach(() => { ecs.restore(); });

    /** Families and their revisions by status; DeleteTaskDefinitions deletes what it is given. */
    function account(families: Record<string, { ACTIVE?: number[]; INACTIVE?: number[] }>): void {
        ecs.on(ListTaskDefinitionFamiliesCommand).callsFake((input: { familyPrefix?: string; nextToken?: string }) => {
            const names = Object.keys(families).filter((family) => family.startsWith(input.familyPrefix ?? ""));
            // Two pages, as ECS pages a long list.
            return input.nextToken === undefined
                ? { families: names.slice(0, 1), nextToken: names.length > 1 ? "page-2" : undefined }
                : { families: names.slice(1) };
        });
        ecs.on(ListTaskDefinitionsCommand).callsFake((input: { familyPrefix: string; status: "ACTIVE" | "INACTIVE" }) =>
            ({ taskDefinitionArns: (families[input.familyPrefix]?.[input.status] ?? []).map((revision) => arn(input.familyPrefix, revision)) }));
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
        const result = await cleanupTaskDefinitions(new ECSClient({ region: "us-east-1" }), familyPrefixOf("dev"), ["ecs-on-ec2-dev-2-"]);
        assert.deepEqual(result.families, ["ecs-on-ec2-dev-app", "ecs-on-ec2-dev-api"]);
        const expectedActive = [...revisions.map((r) => arn("ecs-on-ec2-dev-app", r)), arn("ecs-on-ec2-dev-api", 3)];
        assert.deepEqual(result.deregistered, expectedActive);
        assert.deepEqual(ecs.commandCalls(DeregisterTaskDefinitionCommand).map((c) => c.args[0].input.taskDefinition), expectedActive);
        const deleteCalls = ecs.commandCalls(DeleteTaskDefinitionsCommand).map((c) => c.args[0].input.taskDefinitions ?? []);
        assert.deepEqual(deleteCalls.map((batch) => batch.length), [10, 5]);
        assert.deepEqual(deleteCalls.flat().sort(), [...expectedActive, arn("ecs-on-ec2-dev-api", 1), arn("ecs-on-ec2-dev-api", 2)].sort());
        assert.deepEqual(result.failures, []);
        // ListTaskDefinitions's familyPrefix is a full family name: asked once per family and status.
        assert.deepEqual(ecs.commandCalls(ListTaskDefinitionsCommand).map((c) => `${c.args[0].input.familyPrefix} ${c.args[0].input.status}`), [
            "ecs-on-ec2-dev-app ACTIVE", "ecs-on-ec2-dev-app INACTIVE", "ecs-on-ec2-dev-api ACTIVE", "ecs-on-ec2-dev-api INACTIVE",
        ]);
        // Every revision is deregistered before any is deleted (DeleteTaskDefinitions takes INACTIVE ones only).
        const calls = ecs.calls().map((c) => c.args[0].constructor.name);
        assert.ok(calls.lastIndexOf("DeregisterTaskDefinitionCommand") < calls.indexOf("DeleteTaskDefinitionsCommand"));
    });

    test("nothing left (a second run): no call but the listing", async () => {
        account({});
        const result = await cleanupTaskDefinitions(new ECSClient({ region: "us-east-1" }), familyPrefixOf("dev"));
        assert.deepEqual(result, { families: [], deregistered: [], deleted: [], failures: [] });
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
        ecs.on(ListTaskDefinitionFamiliesCommand).rejects(Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" }));
        const err: string[] = [];
        const code = await main("dev", { out: () => undefined, err: (line) => err.push(line) }, "us-east-1");
        assert.equal(code, 1);
        assert.match(err[0], /AccessDeniedException: User is not authorized/);
    });

    test("the family prefix is the one the program names families with; another stack's longer prefix is left out", () => {
        assert.equal(familyPrefixOf("dev"), "ecs-on-ec2-dev-");
        // The repo's stack files: dev, microservices, tomcat, two-services. None lies under another's prefix.
        assert.deepEqual(otherStackPrefixes("dev"), []);
        assert.deepEqual(otherStackPrefixes("two"), ["ecs-on-ec2-two-services-"]);
    });
});
