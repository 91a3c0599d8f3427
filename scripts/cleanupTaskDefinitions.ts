// `npx tsx scripts/cleanupTaskDefinitions.ts STACK`: the last step of `npm run destroy` (scripts/stack.sh) and of
// the Destroy workflow, after `pulumi destroy` succeeded. Every task definition has skipDestroy (a replaced or
// destroyed revision stays ACTIVE, so that a rollback always has a revision to return to), so the destroy leaves
// every revision of the stack's families registered: this deregisters each ACTIVE one, then deletes them all
// (DeleteTaskDefinitions takes INACTIVE revisions only, up to 10 a call). Run again, it finds nothing left to do.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeregisterTaskDefinition.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteTaskDefinitions.html
import * as fs from "node:fs";
import {
    DeleteTaskDefinitionsCommand, DeregisterTaskDefinitionCommand, ECSClient, ListTaskDefinitionFamiliesCommand,
    ListTaskDefinitionsCommand, TaskDefinitionStatus,
} from "@aws-sdk/client-ecs";
import { repoRoot } from "../infra/paths";
import { project, stackConfigFile } from "../offline/stackFiles";

/** DeleteTaskDefinitions takes at most this many revisions a call. */
const deleteBatch = 10;

/** What a stack's families start with: the program names each `<project>-<stack>-<service>` (infra/components/webService.ts). */
export function familyPrefixOf(stack: string): string {
    return `${project}-${stack}-`;
}

/** What was done, and what AWS refused (ARN and reason). */
export interface Cleanup {
    readonly families: string[];
    readonly deregistered: string[];
    readonly deleted: string[];
    readonly failures: { arn: string; reason: string }[];
}

/**
 * Deregisters and deletes every revision of the families under `familyPrefix`, except those of the families under
 * `otherPrefixes` (another stack's, such as `ecs-on-ec2-dev-2-` beside `ecs-on-ec2-dev-`: ListTaskDefinitionFamilies
 * matches by prefix, and a service name may hold a hyphen). ListTaskDefinitions's familyPrefix is a full family
 * name, so the families are listed first.
 */
export async function cleanupTaskDefinitions(ecs: ECSClient, familyPrefix: string, otherPrefixes: readonly string[] = [],
    log: (line: string) => void = () => undefined): Promise<Cleanup> {
    const families = (await listAll(async (nextToken) => {
        const page = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix, status: "ALL", nextToken }));
        return { items: page.families ?? [], nextToken: page.nextToken };
    })).filter((family) => family.startsWith(familyPrefix) && !otherPrefixes.some((other) => family.startsWith(other)));
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

/** The family prefixes of this project's other stacks (a Pulumi.<stack>.yaml each) that lie under `stack`'s. */
export function otherStackPrefixes(stack: string, dir = repoRoot): string[] {
    const own = familyPrefixOf(stack);
    return fs.readdirSync(dir).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? [])
        .filter((other) => other !== stack).map(familyPrefixOf).filter((prefix) => prefix.startsWith(own));
}

/** Cleans up `stack`'s task definitions in its region; 0 when nothing is left, 1 when AWS refused a deletion or a call. */
export async function main(stack: string, io: { out: (line: string) => void; err: (line: string) => void }, region?: string): Promise<number> {
    try {
        const ecs = new ECSClient({ region: region ?? stackConfigFile(stack)["aws:region"] });
        const result = await cleanupTaskDefinitions(ecs, familyPrefixOf(stack), otherStackPrefixes(stack), io.out);
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
    main(process.argv[2] ?? "dev", { out: (line) => console.log(line), err: (line) => console.error(line) })
        .then((status) => { process.exitCode = status; });
}
