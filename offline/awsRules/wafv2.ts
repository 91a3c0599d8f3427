// WAFv2: web ACLs, their rules and visibility configs, and their association with a load balancer.
import {
    Context, Inputs, Violation, arn, bool, checkName, checkSpec, each, int, isRecord, items, join, length, oneOf, pattern,
    required, tags, violation,
} from "./check";

// https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html (Name)
const wafName = [length(1, 128), pattern(/^[\w-]+$/, "^[\\w\\-]+$")];

// https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html
function visibility(config: unknown, path: string): Violation[] {
    return [
        ...required(config, ["metricName"], path),
        ...checkSpec(config, {
            metricName: [length(1, 255), pattern(/^[\w#:.\-/]+$/, "^[\\w#:\\.\\-/]+$"),
                (v) => ["All", "Default_Action"].includes(String(v)) ? "All and Default_Action are reserved" : undefined],
            cloudwatchMetricsEnabled: bool,
            sampledRequestsEnabled: bool,
        }, path),
        ...["cloudwatchMetricsEnabled", "sampledRequestsEnabled"].flatMap((key) =>
            violation(join(path, key), undefined, isRecord(config) && config[key] === undefined ? "is required" : undefined)),
    ];
}

export function webAcl(inputs: Inputs, context: Context): Violation[] {
    const rules = items(inputs, "rules");
    const priorities = rules.map(({ item }) => (item as Inputs).priority);
    const names = rules.map(({ item }) => (item as Inputs).name);
    const defaults = isRecord(inputs.defaultAction) ? Object.keys(inputs.defaultAction).filter((k) => ["allow", "block"].includes(k)) : [];
    return [
        ...checkName(inputs, context, wafName),
        ...required(inputs, ["scope", "defaultAction", "visibilityConfig"]),
        // https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
        ...checkSpec(inputs, {
            scope: oneOf(["REGIONAL", "CLOUDFRONT"]),
            description: [length(1, 256), pattern(/^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$/, "WAF's description characters")],
        }),
        // https://docs.aws.amazon.com/waf/latest/APIReference/API_DefaultAction.html
        ...violation("defaultAction", inputs.defaultAction, inputs.defaultAction !== undefined && defaults.length !== 1
            ? "exactly one of allow or block" : undefined),
        ...visibility(inputs.visibilityConfig, "visibilityConfig"),
        ...violation("rules", priorities, new Set(priorities).size !== priorities.length ? "rule priorities must be unique" : undefined),
        ...violation("rules", names, new Set(names).size !== names.length ? "rule names must be unique" : undefined),
        ...rules.flatMap(({ item, path }) => rule(item as Inputs, path)),
        ...tags(inputs),
    ];
}

// https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html
function rule(r: Inputs, path: string): Violation[] {
    const statement = isRecord(r.statement) ? r.statement : {};
    const kinds = Object.keys(statement).filter((k) => statement[k] !== undefined);
    const groupReference = kinds.some((k) => k === "managedRuleGroupStatement" || k === "ruleGroupReferenceStatement");
    const actions = ["action", "overrideAction"].filter((k) => r[k] !== undefined);
    return [
        ...required(r, ["name", "priority", "statement", "visibilityConfig"], path),
        ...checkSpec(r, { name: wafName, priority: int(0, 2 ** 31 - 1) }, path),
        ...violation(join(path, "statement"), kinds, kinds.length !== 1 ? "exactly one statement type" : undefined),
        // A rule group reference takes overrideAction; every other rule takes action.
        ...violation(path, actions, actions.length !== 1 || (actions[0] === "overrideAction") !== groupReference
            ? (groupReference ? "rule group references need overrideAction, not action" : "rules need action, not overrideAction") : undefined),
        ...violation(join(path, "action"), r.action, isRecord(r.action) && Object.keys(r.action).filter((k) =>
            ["allow", "block", "count", "captcha", "challenge"].includes(k)).length !== 1 ? "exactly one of allow, block, count, captcha, challenge" : undefined),
        ...visibility(r.visibilityConfig, join(path, "visibilityConfig")),
        ...(isRecord(statement.rateBasedStatement) ? rateBased(statement.rateBasedStatement, join(path, "statement.rateBasedStatement")) : []),
        ...(isRecord(statement.managedRuleGroupStatement)
            ? required(statement.managedRuleGroupStatement, ["name", "vendorName"], join(path, "statement.managedRuleGroupStatement")) : []),
    ];
}

// https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
function rateBased(statement: Inputs, path: string): Violation[] {
    return [
        ...required(statement, ["limit", "aggregateKeyType"], path),
        ...checkSpec(statement, {
            limit: int(10, 2000000000),
            aggregateKeyType: oneOf(["IP", "FORWARDED_IP", "CUSTOM_KEYS", "CONSTANT"]),
            evaluationWindowSec: oneOf([60, 120, 300, 600]),
            customKeys: each((v) => isRecord(v) ? undefined : "must be a custom key object"),
        }, path),
        ...violation(join(path, "forwardedIpConfig"), statement.forwardedIpConfig, statement.aggregateKeyType === "FORWARDED_IP"
            && statement.forwardedIpConfig === undefined ? "is required for FORWARDED_IP" : undefined),
        ...violation(join(path, "customKeys"), statement.customKeys, statement.aggregateKeyType === "CUSTOM_KEYS"
            && !(Array.isArray(statement.customKeys) && statement.customKeys.length > 0) ? "is required for CUSTOM_KEYS" : undefined),
    ];
}

export function webAclAssociation(inputs: Inputs): Violation[] {
    // https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
    return [
        ...required(inputs, ["resourceArn", "webAclArn"]),
        ...checkSpec(inputs, {
            resourceArn: [length(20, 2048), pattern(
                /^arn:aws[a-z-]*:(elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/|apigateway:|appsync:|cognito-idp:|apprunner:|ec2:[a-z0-9-]+:\d{12}:verified-access-instance\/|amplify:)/,
                "the ARN of an ALB, API Gateway stage, AppSync API, Cognito user pool, App Runner service, Verified Access instance or Amplify app")],
            webAclArn: [length(20, 2048), arn("wafv2", "regional/webacl/")],
        }),
    ];
}
