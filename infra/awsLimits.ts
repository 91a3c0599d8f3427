/**
 * Limits AWS's APIs put on values the stack sends, in one place: the config schema refuses a value past
 * them before anything is registered, and the fake AWS (offline/awsRules) refuses the request AWS would.
 */

/** The values CloudWatch Logs accepts for a log group's retention, in days (PutRetentionPolicy's retentionInDays). */
export const logRetentionDays = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** An AWS WAF rate-based rule's limit: requests per evaluation window (RateBasedStatement.Limit). */
export const wafRateLimit = { min: 10, max: 2_000_000_000 } as const;

/**
 * The characters an ALB path-pattern condition value may hold, and its length
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_PathPatternConditionConfig.html).
 */
export const albPathPattern = { characters: "A-Za-z0-9_\\-.$/~\"'@:+&*?", maxLength: 128 } as const;

/**
 * A security group rule's description: up to 255 characters, of a-z A-Z 0-9, space and ._-:/()#,@[]+=;{}!$*, and
 * `&` too when the rule's other end is a CIDR range. EC2 documents `&` for IpRange and Ipv6Range descriptions but not
 * for UserIdGroupPair (a security group) or PrefixListId ones
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html, API_UserIdGroupPair.html, API_PrefixListId.html).
 */
export const securityGroupRuleDescription = {
    maxLength: 255,
    characters: /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]*$/,
    cidrCharacters: /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/,
} as const;

/**
 * Whether `cidr` is an IPv4 CIDR block written as its network address, as the Terraform provider's cidr_ipv4 validator
 * (IPv4CIDRNetworkAddress: Go's net.ParseCIDR, then no host bits set) requires: 10.0.0.0/16, not 10.0.1.0/16 nor 010.0.0.0/16.
 * A zero-padded prefix length (/08), which Go would also take, is refused here: AWS answers with the canonical form.
 */
export function isIpv4NetworkCidr(cidr: string): boolean {
    const match = /^((?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2}))\/(0|[1-9]\d?)$/.exec(cidr);
    if (match === null) {
        return false;
    }
    const octets = match[1].split(".").map(Number);
    const prefix = Number(match[2]);
    const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
    return octets.every((octet) => octet <= 255) && prefix <= 32 && address % 2 ** (32 - prefix) === 0;
}

/** EC2 resource IDs: the prefix and 8 or 17 lower-case hex digits (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html). */
export const securityGroupIdPattern = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const prefixListIdPattern = /^pl-([0-9a-f]{8}|[0-9a-f]{17})$/;

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html: IAM refuses
// another operator ("Invalid Condition type"); each may take ...IfExists (but Null) and a ForAllValues: or ForAnyValue:
// set qualifier (reference_policies_condition-single-vs-multi-valued-context-keys.html).
const iamConditionOperators = [
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
    "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
    "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
    "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
];
/** An IAM condition operator, with its optional set qualifier and IfExists. */
export const iamConditionOperator = new RegExp(`^((ForAllValues|ForAnyValue):)?((${iamConditionOperators.join("|")})(IfExists)?|Null)$`);

/**
 * The most characters of an inline role policy, white space aside (IAM quotas: "Role policy size cannot exceed
 * 10,240 characters"), https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html.
 */
export const iamRolePolicyMaxCharacters = 10_240;

/**
 * Tags as the tagging APIs take them: at most 50 on a resource (AWS's own `aws:` tags aside), a key of 1-128 and a
 * value of 0-256 characters, of letters, digits, spaces and _ . : / = + - @ (what every service allows; EC2 allows
 * more), and no key starting `aws:`, in any case (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html;
 * botocore's models state the same lengths and characters for ECS's, IAM's, ELB's, CloudWatch Logs', WAF's and ACM's tags).
 */
export const resourceTags = {
    maxPerResource: 50,
    keyMaxLength: 128,
    valueMaxLength: 256,
    characters: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
    charactersText: "letters, digits, spaces and _.:/=+-@",
    reservedPrefix: "aws:",
} as const;
