import { z } from "zod";
import { resourceTags } from "../awsLimits";
import { hostOwnTagKeys, reservedTagKeys, tagKeys } from "../models/tags";
import { ConfigError } from "./errors";

/**
 * The `aws:` keys the stack's AWS provider is given. The program makes that provider itself, to give it the stack's
 * default tags, and an explicit provider reads no config of its own: each `aws:` key is forwarded here or refused,
 * never silently dropped. Credentials (AWS_PROFILE and the rest) come from the environment, where the provider, the
 * preflight check and the operator commands all read them.
 */
export interface AwsProviderConfig {
    /** `aws:region`. */
    readonly region: string;
    /** `aws:defaultTags`' tags: what every resource carries besides the stack's own; none by default. */
    readonly accountTags: Readonly<Record<string, string>>;
}

const forwardedKeys = ["aws:region", "aws:defaultTags"];

// The hosts carry the most tags of the stack's own (AmazonECSManaged, Name, project, stack): 46 are left to the account.
const maxAccountTags = resourceTags.maxPerResource - hostOwnTagKeys.length - [tagKeys.project, tagKeys.stack].length;
// IAM compares tag keys regardless of case, and ECS refuses `aws:` at the start of a key or a value.
const unprefixed = (text: string) => !text.toLowerCase().startsWith(resourceTags.reservedPrefix);
const tagText = (max: number) => z.string().max(max).regex(resourceTags.characters).refine(unprefixed);
const tagKey = tagText(resourceTags.keyMaxLength).min(1);
const defaultTagsSchema = z.strictObject({ tags: z.record(z.string(), z.string()) });

/** The `aws:` namespace of the stack's config; the first key or value the provider cannot take throws a ConfigError. */
export function parseAwsProviderConfig(config: Readonly<Record<string, string>>): AwsProviderConfig {
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith("aws:") && !forwardedKeys.includes(key)) {
            throw new ConfigError(key, value, `one of the aws: keys the stack's own AWS provider is given (${forwardedKeys.join(", ")}). `
                + "That provider, which tags every resource, reads no other config: set credentials and other provider settings in "
                + "the environment (AWS_PROFILE, AWS_ROLE_ARN and the other AWS_* variables), where the scripts read them too");
        }
    }
    const region = config["aws:region"];
    if (region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
        throw new ConfigError("aws:region", region ?? "", "an AWS region name such as us-east-1");
    }
    return { region, accountTags: accountTagsOf(config["aws:defaultTags"]) };
}

function accountTagsOf(raw: string | undefined): Record<string, string> {
    if (raw === undefined) {
        return {};
    }
    const shape = `an object {"tags": {"<key>": "<value>", ...}}, as the AWS provider's defaultTags`;
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        throw new ConfigError("aws:defaultTags", raw, shape);
    }
    const result = defaultTagsSchema.safeParse(parsed);
    if (!result.success) {
        throw new ConfigError("aws:defaultTags", raw, shape);
    }
    const { tags } = result.data;
    const seen = new Map<string, string>();
    for (const [key, value] of Object.entries(tags)) {
        const where = `aws:defaultTags.tags.${key}`;
        const lower = key.toLowerCase();
        if ([...reservedTagKeys, ...hostOwnTagKeys].some((own) => own.toLowerCase() === lower)) {
            throw new ConfigError(where, key, `a key other than ${[...reservedTagKeys, ...hostOwnTagKeys].join(", ")} in any case: the stack sets those itself`);
        }
        if (seen.has(lower)) {
            throw new ConfigError(where, key, `a key that differs from ${seen.get(lower)} in more than case: IAM takes tag keys regardless of case`);
        }
        seen.set(lower, key);
        if (!tagKey.safeParse(key).success) {
            throw new ConfigError(where, key, `a tag key of 1-${resourceTags.keyMaxLength} ${resourceTags.charactersText}, not starting with aws:`);
        }
        if (!tagText(resourceTags.valueMaxLength).safeParse(value).success) {
            throw new ConfigError(where, value, `a tag value of 0-${resourceTags.valueMaxLength} ${resourceTags.charactersText}, not starting with aws:`);
        }
    }
    if (Object.keys(tags).length > maxAccountTags) {
        throw new ConfigError("aws:defaultTags", raw, `at most ${maxAccountTags} tags: a resource takes ${resourceTags.maxPerResource}, `
            + `and the hosts carry ${[...hostOwnTagKeys, tagKeys.project, tagKeys.stack].join(", ")} besides`);
    }
    return tags;
}
