// IAM: roles, inline and attached policies, instance profiles, and the policy grammar they (and S3) share.
import { iamConditionOperator, iamRolePolicyMaxCharacters } from "../../infra/awsLimits";
import { Inputs, TypeRules, Violation, checkSpec, document, isRecord, length, pattern, required, violation } from "./check";

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
const iamName = (max: number) => [length(1, max), pattern(/^[\w+=,.@-]+$/, "[\\w+=,.@-]+")];
const roleName = iamName(64);

/** Which kind of policy a document is: the statement elements each kind must, or must not, have. */
export type PolicyKind = "identity" | "trust" | "resource";

export const role: TypeRules = {
    fields: {
        name: roleName,
        // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
        description: [length(0, 1000), pattern(/^[\t\n\r\u0020-\u007E\u00A1-\u00FF]*$/, "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*")],
    },
    relations: (inputs) => [
        ...required(inputs, ["assumeRolePolicy"]),
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (role trust policy length: 2,048 characters by default)
        ...policySize(inputs, "assumeRolePolicy", 2048),
        ...document(inputs, "assumeRolePolicy", (doc, property) => policyDocument(doc, property, "trust")),
    ],
};

export const rolePolicy: TypeRules = {
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (PolicyName)
    fields: { name: iamName(128), role: roleName },
    relations: (inputs) => [
        ...required(inputs, ["role", "policy"]),
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (inline role policies: 10,240 characters)
        ...policySize(inputs, "policy", iamRolePolicyMaxCharacters),
        ...document(inputs, "policy", (doc, property) => policyDocument(doc, property, "identity")),
    ],
};

export const rolePolicyAttachment: TypeRules = {
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
    fields: {
        role: roleName,
        policyArn: [length(20, 2048), pattern(/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/(.+\/)?[\w+=,.@-]+$/, "a managed policy ARN")],
    },
    relations: (inputs) => required(inputs, ["role", "policyArn"]),
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html
export const instanceProfile: TypeRules = { fields: { name: iamName(128), role: roleName } };

/** IAM counts a policy's characters without whitespace against its quota. */
function policySize(inputs: Inputs, property: string, max: number): Violation[] {
    const value = inputs[property];
    const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
    const size = text.replace(/\s/g, "").length;
    return size > max ? violation(property, size, `must be at most ${max} characters (without whitespace)`) : [];
}

// ---- the policy grammar ----

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
export function policyDocument(doc: unknown, property: string, kind: PolicyKind): Violation[] {
    if (!isRecord(doc)) {
        return violation(property, doc, "must be a JSON object");
    }
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    const sids = statements.map((s) => (isRecord(s) ? s.Sid : undefined)).filter((sid) => sid !== undefined);
    return [
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
        ...checkSpec(doc, { Version: pattern(/^(2012-10-17|2008-10-17)$/, "2012-10-17 or 2008-10-17") }, property),
        ...required(doc, ["Statement"], property),
        ...violation(`${property}.Statement`, sids, new Set(sids).size !== sids.length ? "Sid values must be unique" : undefined),
        ...(doc.Statement === undefined ? [] : statements.flatMap((s, i) => statement(s, `${property}.Statement.${i}`, kind))),
    ];
}

const elementRules: Readonly<Record<PolicyKind, { needs: readonly [string, string][]; forbids: readonly string[] }>> = {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html (not in identity policies)
    identity: { needs: [["Action", "NotAction"], ["Resource", "NotResource"]], forbids: ["Principal", "NotPrincipal"] },
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html (trust policies have no Resource)
    trust: { needs: [["Action", "NotAction"], ["Principal", "NotPrincipal"]], forbids: ["Resource", "NotResource"] },
    resource: { needs: [["Action", "NotAction"], ["Principal", "NotPrincipal"], ["Resource", "NotResource"]], forbids: [] },
};

function statement(s: unknown, path: string, kind: PolicyKind): Violation[] {
    if (!isRecord(s)) {
        return violation(path, s, "must be a statement object");
    }
    const { needs, forbids } = elementRules[kind];
    return [
        ...required(s, ["Effect"], path),
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
        ...checkSpec(s, {
            Effect: pattern(/^(Allow|Deny)$/, "Allow or Deny"),
            Sid: pattern(/^[A-Za-z0-9]*$/, "ASCII letters and digits"),
            Action: actions,
            NotAction: actions,
            Resource: resources,
            NotResource: resources,
            Principal: principal,
            Condition: condition,
        }, path),
        ...needs.flatMap(([a, b]) => violation(`${path}.${a}`, s[a] ?? s[b],
            (s[a] === undefined) === (s[b] === undefined) ? `exactly one of ${a} or ${b} is required` : undefined)),
        ...forbids.flatMap((key) => violation(`${path}.${key}`, s[key], s[key] !== undefined ? `is not allowed in ${kind} policies` : undefined)),
        ...(kind === "trust" ? trustActions(s, path) : []),
    ];
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
const actionRe = /^(\*|[a-zA-Z0-9-]+:[A-Za-z0-9*?]+)$/;
function actions(v: unknown): string | undefined {
    const list = Array.isArray(v) ? v : [v];
    return list.length > 0 && list.every((a) => typeof a === "string" && actionRe.test(a)) ? undefined : "actions must be service:Action strings or *";
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html and reference-arns.html:
// "*" or arn:partition:service:region:account-id:resource, the service named without wildcards (IAM's "Resource vendor
// must be fully qualified and cannot contain regexes").
const resourceRe = /^(\*|arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):[a-z0-9-]+:[^:]*:[^:]*:.+)$/;
function resources(v: unknown): string | undefined {
    const list = Array.isArray(v) ? v : [v];
    return list.length > 0 && list.every((r) => typeof r === "string" && resourceRe.test(r))
        ? undefined : "resources must be \"*\" or ARNs (arn:partition:service:region:account:resource)";
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
function principal(v: unknown): string | undefined {
    if (v === "*") {
        return undefined;
    }
    const keys = ["AWS", "Service", "Federated", "CanonicalUser"];
    return isRecord(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => keys.includes(k))
        ? undefined : `must be "*" or an object of ${keys.join(", ")}`;
}

// A condition key is prefixed by its service or aws: (IAM's "Actions/Conditions must be prefaced by a vendor").
const conditionKeyRe = /^[A-Za-z0-9-]+:.+$/;
const conditionValue = (value: unknown) => ["string", "number", "boolean"].includes(typeof value);

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html: operator to keys to a
// value or a non-empty list of values.
function condition(v: unknown): string | undefined {
    if (!isRecord(v) || !Object.values(v).every((block) => isRecord(block))) {
        return "must map condition operators to objects of condition keys";
    }
    const operator = Object.keys(v).find((op) => !iamConditionOperator.test(op));
    if (operator !== undefined) {
        return `has an unknown condition operator ${operator}`;
    }
    const entries = Object.values(v).flatMap((block) => Object.entries(block as Inputs));
    const key = entries.find(([k]) => !conditionKeyRe.test(k));
    if (key !== undefined) {
        return `has a condition key without a service prefix: ${key[0]}`;
    }
    const bad = entries.find(([, value]) => !(Array.isArray(value) ? value.length > 0 && value.every(conditionValue) : conditionValue(value)));
    return bad === undefined ? undefined : `condition key ${bad[0]} must have a value or a non-empty list of values`;
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html (trust policies allow sts actions)
function trustActions(s: Inputs, path: string): Violation[] {
    const list = s.Action === undefined ? [] : ([] as unknown[]).concat(s.Action);
    const bad = list.find((a) => typeof a !== "string" || !/^sts:/.test(a));
    return violation(`${path}.Action`, bad, bad !== undefined ? "trust policies allow only sts: actions" : undefined);
}
