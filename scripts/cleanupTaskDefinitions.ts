// `npx tsx scripts/cleanupTaskDefinitions.ts STACK`: the last step of `npm run destroy` (scripts/stack.sh) and of
// the Destroy workflow, after `pulumi destroy` succeeded. Every task definition has skipDestroy (a replaced or
// destroyed revision stays ACTIVE, so that a rollback always has a revision to return to), so the destroy leaves
// every revision of the stack's families registered: this deregisters each ACTIVE one, then deletes them all
// (DeleteTaskDefinitions takes INACTIVE revisions only, up to 10 a call). Run again, it finds nothing left to do.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeregisterTaskDefinition.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteTaskDefinitions.html
import { commandLineIo, exitWith } from "./operator/command";
import {
    DeleteTaskDefinitionsCommand, DeregisterTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand, TaskDefinitionStatus,
} from "@aws-sdk/client-ecs";
import { stackConfigOf } from "../offline/run";
import { project, stackConfigFile } from "../offline/stackFiles";

/** DeleteTaskDefinitions takes at most this many revisions a call. */
const deleteBatch = 10;

/**
 * The stack's task definition families, by name: the program names each `<project>-<stack>-<service>`
 * (infra/resources/taskDefinition.ts), for the services of the stack's file. Exact names, never a prefix:
 * `ecs-on-ec2-dev-` would also match another stack's `ecs-on-ec2-dev-2-app`, whose revisions a rollback needs.
 */
export function stackFamilies(stack: string, stackConfig: Readonly<Record<string, string>> = stackConfigFile(stack)): string[] {
    return stackConfigOf(stackConfig).services.map((service) => `${project}-${stack}-${service.name}`);
}

/** What was done, and what AWS refused (ARN and reason). */
export interface Cleanup {
    readonly families: readonly string[];
    readonly deregistered: string[];
    readonly deleted: string[];
    readonly failures: { arn: string; reason: string }[];
}

/** Deregisters and deletes every revision of `families` (ListTaskDefinitions's familyPrefix is a full family name). */
export async function cleanupTaskDefinitions(ecs: ECSClient, families: readonly string[],
    log: (line: string) => void = () => undefined): Promise<Cleanup> {
    const revisions = (family: string, status: TaskDefinitionStatus) => listAll(async (nextToken) => {
        const page = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status, nextToken }));
        return { items: page.taskDefinitionArns ?? [], nextToken: page.nextToken };
    });
    const deregistered: string[] = [];
    const inactive: string[] = [];
    for (const family of families) {
        for (const arn of await revisions(family, "ACTIVE")) {
            await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
            log(`deregistered ${arn}`);
            deregistered.push(arn);
        }
        // ECS lists an INACTIVE revision only while something references it: the ones just deregistered are added.
        inactive.push(...await revisions(family, "INACTIVE"));
    }
    const toDelete = [...new Set([...deregistered, ...inactive])];
    const deleted: string[] = [];
    const failures: Cleanup["failures"] = [];
    for (let i = 0; i < toDelete.length; i += deleteBatch) {
        const answer = await ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: toDelete.slice(i, i + deleteBatch) }));
        for (const definition of answer.taskDefinitions ?? []) {
            log(`deleted ${definition.taskDefinitionArn}`);
            deleted.push(String(definition.taskDefinitionArn));
        }
        failures.push(...(answer.failures ?? []).map((failure) => ({ arn: String(failure.arn), reason: `${failure.reason}${failure.detail ? `: ${failure.detail}` : ""}` })));
    }
    return { families, deregistered, deleted, failures };
}

async function listAll(page: (nextToken?: string) => Promise<{ items: string[]; nextToken?: string }>): Promise<string[]> {
    const all: string[] = [];
    let nextToken: string | undefined;
    do {
        const answer = await page(nextToken);
        all.push(...answer.items);
        nextToken = answer.nextToken;
    } while (nextToken);
    return all;
}

/** Cleans up `stack`'s task definitions in its region; 0 when nothing is left, 1 when AWS refused a deletion or a call. */
export async function main(stack: string, io: { out: (line: string) => void; err: (line: string) => void }, region?: string): Promise<number> {
    try {
        const ecs = new ECSClient({ region: region ?? stackConfigFile(stack)["aws:region"] });
        const result = await cleanupTaskDefinitions(ecs, stackFamilies(stack), io.out);
        for (const { arn, reason } of result.failures) {
            io.err(`could not delete ${arn}: ${reason}`);
        }
        if (result.failures.length > 0) {
            io.err(`run it again once nothing uses them: npx tsx scripts/cleanupTaskDefinitions.ts ${stack}`);
        }
        io.out(`${stack}: ${result.deleted.length} task definition revision(s) deleted of ${result.families.length} famil${result.families.length === 1 ? "y" : "ies"}`);
        return result.failures.length > 0 ? 1 : 0;
    } catch (error) {
        io.err(`cleaning up the task definitions of ${stack} failed: ${(error as Error).name}: ${(error as Error).message}`);
        io.err(`run it again: npx tsx scripts/cleanupTaskDefinitions.ts ${stack}`);
        return 1;
    }
}

if (require.main === module) {
    exitWith(main(process.argv[2] ?? "dev", commandLineIo));
}
