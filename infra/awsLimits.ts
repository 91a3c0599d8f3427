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
