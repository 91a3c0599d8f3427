// Tags as the AWS provider sends them and the tagging APIs take them: a resource type that takes the provider's
// default tags gets them merged under its own (the provider's tags_all), and the merged set must be one AWS accepts.
import * as fs from "node:fs";
import * as path from "node:path";
import { resourceTags } from "../../infra/awsLimits";
import { Inputs, isRecord, length, notPrefixed, violation, Violation } from "./check";

const awsPackage = path.dirname(require.resolve("@pulumi/aws/package.json"));
const takesDefaultTagsByType = new Map<string, boolean>();

/**
 * Whether the provider gives `type` its default tags: the types whose declaration in @pulumi/aws has `tagsAll`, the
 * provider's merge of default and own tags. (An Auto Scaling group, for one, has none: it takes its tags as a list.)
 */
export function takesDefaultTags(type: string): boolean {
    let found = takesDefaultTagsByType.get(type);
    if (found === undefined) {
        // aws:ecs/service:Service is declared in ecs/service.d.ts; aws:index/… at the package's root.
        const module = type.split(":")[1].replace(/^index\//, "");
        const declaration = path.join(awsPackage, `${module}.d.ts`);
        found = fs.existsSync(declaration) && /^\s+readonly tagsAll: /m.test(fs.readFileSync(declaration, "utf8"));
        takesDefaultTagsByType.set(type, found);
    }
    return found;
}

/** The tags AWS gets for a resource: the provider's default tags, then the resource's own, which win. */
export function mergedTags(defaultTags: Readonly<Record<string, string>>, inputs: Inputs): Record<string, string> {
    return { ...defaultTags, ...(isRecord(inputs.tags) ? inputs.tags as Record<string, string> : {}) };
}

// EC2's tags may hold any character; other services' only these (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html).
const anyCharacters = (type: string) => /^aws:(ec2|vpc)\//.test(type);
// IAM takes tag keys regardless of case ("Duplicate tag keys found. Please note that Tag keys are case insensitive.":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html); ECS refuses aws: at the start of a value as of a key
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html).
const caseInsensitiveKeys = (type: string) => type.startsWith("aws:iam/");
const unprefixedValues = (type: string) => type.startsWith("aws:ecs/");

/** What AWS refuses of a resource's tags (`property` names where they came from). */
export function tagViolations(tags: Readonly<Record<string, string>>, property: string, type = ""): Violation[] {
    const characters = (v: string) => anyCharacters(type) || resourceTags.characters.test(v)
        ? undefined : `must hold only ${resourceTags.charactersText}`;
    const prefix = notPrefixed([resourceTags.reservedPrefix], true);
    const own = Object.keys(tags).filter((key) => !key.toLowerCase().startsWith(resourceTags.reservedPrefix));
    const lowerKeys = own.map((key) => key.toLowerCase());
    return [
        ...Object.entries(tags).flatMap(([key, value]) => [
            ...violation(`${property}.${key}`, key, length(1, resourceTags.keyMaxLength)(key) ?? prefix(key) ?? characters(key)),
            ...violation(`${property}.${key}`, value, length(0, resourceTags.valueMaxLength)(value)
                ?? (unprefixedValues(type) ? prefix(value) : undefined) ?? characters(value)),
        ]),
        ...violation(property, tags, own.length > resourceTags.maxPerResource
            ? `must have at most ${resourceTags.maxPerResource} tags (has ${own.length})` : undefined),
        ...violation(property, tags, caseInsensitiveKeys(type) && new Set(lowerKeys).size < lowerKeys.length
            ? "must not hold two keys that differ only in case" : undefined),
    ];
}
