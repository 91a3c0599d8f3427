// ECR repository and lifecycle policy, the registry token look-up, and the Docker image pushed to it.
import {
    Check, Inputs, TypeRules, Violation, document, int, isRecord, length, numberOf, oneOf, pattern, required, violation,
} from "./check";

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html (repositoryName)
// Path components joined by single separators, or by `__` or any run of `-`: botocore's ecr RepositoryName pattern
// allows `a__b` and `a--b` (the Docker distribution grammar), which the rule refused before.
const repositoryName = [
    length(2, 256),
    pattern(/^(?:[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\/)*[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/,
        "lowercase path components [a-z0-9]+ joined by ., _, __ or hyphens, and /"),
];

export const repository: TypeRules = {
    fields: {
        name: repositoryName,
        // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
        imageTagMutability: oneOf(["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"]),
        // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_EncryptionConfiguration.html
        "encryptionConfigurations.*.encryptionType": oneOf(["AES256", "KMS", "KMS_DSSE"]),
    },
};

export const lifecyclePolicy: TypeRules = {
    fields: {
        repository: repositoryName,
        // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutLifecyclePolicy.html (lifecyclePolicyText 100-30720)
        policy: (v) => typeof v !== "string" ? undefined : length(100, 30720)(v),
        // https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html (selection and action)
        "policy.rules.*.rulePriority": int(1, 2 ** 31 - 1),
        "policy.rules.*.selection.tagStatus": oneOf(["tagged", "untagged", "any"]),
        "policy.rules.*.selection.countType": oneOf(["imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned"]),
        "policy.rules.*.selection.countNumber": int(1, 2 ** 31 - 1),
        "policy.rules.*.action.type": oneOf(["expire", "transition"]),
    },
    relations: (inputs) => [
        ...required(inputs, ["repository", "policy"]),
        ...document(inputs, "policy", lifecycleRules),
    ],
};

// https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
function lifecycleRules(doc: unknown, property: string): Violation[] {
    const rules = isRecord(doc) ? doc.rules : undefined;
    if (!Array.isArray(rules) || rules.length === 0) {
        return violation(`${property}.rules`, rules, "must be a non-empty list of rules");
    }
    const priorities = rules.map((rule) => (isRecord(rule) ? numberOf(rule.rulePriority) : NaN));
    const highest = Math.max(...priorities);
    return rules.flatMap((rule, i) => {
        const path = `${property}.rules.${i}`;
        const anyNotLast = isRecord(rule) && (rule.selection as Inputs | undefined)?.tagStatus === "any" && priorities[i] !== highest;
        return [
            ...lifecycleRule(rule, path),
            ...violation(`${path}.rulePriority`, priorities[i], priorities.indexOf(priorities[i]) !== i ? "must be unique" : undefined),
            ...violation(`${path}.rulePriority`, priorities[i], anyNotLast ? "a tagStatus any rule must have the highest rulePriority" : undefined),
        ];
    });
}

// https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html (selection and action)
function lifecycleRule(rule: unknown, path: string): Violation[] {
    const selection = (isRecord(rule) && isRecord(rule.selection) ? rule.selection : {}) as Inputs;
    const byAge = String(selection.countType).startsWith("sinceImage");
    const tagged = selection.tagStatus === "tagged";
    const lists = ["tagPrefixList", "tagPatternList"].filter((key) => Array.isArray(selection[key]) && (selection[key] as unknown[]).length > 0);
    return [
        ...required(rule, ["rulePriority", "selection.tagStatus", "selection.countType", "selection.countNumber", "action.type"], path),
        ...violation(`${path}.selection.countUnit`, selection.countUnit,
            byAge === (selection.countUnit === undefined) ? `countUnit ${byAge ? "is required with" : "is only allowed with"} an age-based countType` : undefined),
        ...violation(`${path}.selection`, lists, tagged && lists.length !== 1
            ? "tagged selections need exactly one of tagPrefixList or tagPatternList" : undefined),
        ...violation(`${path}.selection`, lists, !tagged && lists.length > 0 ? "tag lists are only allowed with tagStatus tagged" : undefined),
    ];
}

export const getAuthorizationToken: TypeRules = {
    // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAuthorizationToken.html (registryIds)
    fields: { registryId: pattern(/^\d{12}$/, "a 12-digit account ID") },
};

// ---- Docker image references ----

// https://docs.docker.com/reference/cli/docker/image/tag/#description (name components, tag, and the optional registry host)
const host = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::\\d+)?";
const component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const referenceRe = new RegExp(
    `^(?:(${host})/)?(${component}(?:/${component})*)(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

export const imageReference: Check = (v) => {
    if (typeof v !== "string" || !referenceRe.test(v)) {
        return "must be a Docker image reference [host[:port]/]name[:tag][@digest] with a lowercase name";
    }
    const name = v.split(/[@]/)[0].replace(/:[\w][\w.-]{0,127}$/, "");
    return name.length <= 255 ? undefined : "the repository name must be at most 255 characters";
};

/** The registry host an image reference names, as Docker reads it (a first component with . or : or localhost). */
export function registryHost(reference: string): string | undefined {
    const first = reference.split("/")[0];
    return reference.includes("/") && (/[.:]/.test(first) || first === "localhost") ? first : undefined;
}

export const dockerImage: TypeRules = {
    fields: {
        imageName: imageReference,
        // https://www.pulumi.com/registry/packages/docker/api-docs/image/#registry (server, username, password)
        "registry.server": pattern(new RegExp(`^(https?://)?${host}(/.*)?$`), "a registry host[:port], optionally with a path"),
        // https://docs.docker.com/reference/cli/docker/buildx/build/#platform
        "build.platform": pattern(/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?(,[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?)*$/, "os/arch[/variant]"),
    },
    relations: (inputs) => {
        const server = isRecord(inputs.registry) ? inputs.registry.server : undefined;
        const serverHost = typeof server === "string" ? server.replace(/^https?:\/\//, "").split("/")[0] : undefined;
        const imageHost = typeof inputs.imageName === "string" ? registryHost(inputs.imageName) : undefined;
        return [
            ...required(inputs, ["imageName"]),
            // Docker pushes to the registry the image name starts with; credentials for another host do not apply.
            ...violation("imageName", inputs.imageName, serverHost !== undefined && imageHost !== serverHost
                ? `must be in the registry ${serverHost} it is pushed to` : undefined),
            ...credentials(inputs),
        ];
    },
};

function credentials(inputs: Inputs): Violation[] {
    const registry = isRecord(inputs.registry) ? inputs.registry : {};
    const given = ["username", "password"].filter((key) => registry[key] !== undefined);
    // https://docs.docker.com/reference/cli/docker/login/ (a login needs both a username and a password)
    return given.length === 1 ? violation("registry", given, "username and password go together") : [];
}

