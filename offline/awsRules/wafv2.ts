// WAFv2: web ACLs, their rules and visibility configs, and their association with a load balancer.
import { wafRateLimit } from "../../infra/awsLimits";
import {
    Inputs, Spec, TypeRules, Violation, arn, bool, int, isRecord, items, join, length, oneOf, pattern, required, violation,
} from "./check";

// https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html (Name)
const wafName = [length(1, 128), pattern(/^[\w-]+$/, "^[\\w\\-]+$")];

// https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html
function visibilityFields(path: string): Spec {
    return {
        [`${path}.metricName`]: [length(1, 255), pattern(/^[\w#:.\-/]+$/, "^[\\w#:\\.\\-/]+$"),
            (v) => ["All", "Default_Action"].includes(String(v)) ? "All and Default_Action are reserved" : undefined],
        [`${path}.cloudwatchMetricsEnabled`]: bool,
        [`${path}.sampledRequestsEnabled`]: bool,
    };
}

function visibility(config: unknown, path: string): Violation[] {
    return [
        ...required(config, ["metricName"], path),
        ...(isRecord(config) ? required(config, ["cloudwatchMetricsEnabled", "sampledRequestsEnabled"], path) : []),
    ];
}

const rateBasedStatement = "rules.*.statement.rateBasedStatement";

export const webAcl: TypeRules = {
    fields: {
        name: wafName,
        // https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
        scope: oneOf(["REGIONAL", "CLOUDFRONT"]),
        description: [length(1, 256), pattern(/^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$/, "WAF's description characters")],
        ...visibilityFields("visibilityConfig"),
        // https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html
        "rules.*.name": wafName,
        "rules.*.priority": int(0, 2 ** 31 - 1),
        ...visibilityFields("rules.*.visibilityConfig"),
        // https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
        [`${rateBasedStatement}.limit`]: int(wafRateLimit.min, wafRateLimit.max),
        [`${rateBasedStatement}.aggregateKeyType`]: oneOf(["IP", "FORWARDED_IP", "CUSTOM_KEYS", "CONSTANT"]),
        [`${rateBasedStatement}.evaluationWindowSec`]: oneOf([60, 120, 300, 600]),
    },
    relations: (inputs) => {
        const rules = items(inputs, "rules");
        const priorities = rules.map(({ item }) => (item as Inputs).priority);
        const names = rules.map(({ item }) => (item as Inputs).name);
        const defaults = isRecord(inputs.defaultAction) ? Object.keys(inputs.defaultAction).filter((k) => ["allow", "block"].includes(k)) : [];
        return [
            ...required(inputs, ["scope", "defaultAction", "visibilityConfig"]),
            // https://docs.aws.amazon.com/waf/latest/APIReference/API_DefaultAction.html
            ...violation("defaultAction", inputs.defaultAction, inputs.defaultAction !== undefined && defaults.length !== 1
                ? "exactly one of allow or block" : undefined),
            ...visibility(inputs.visibilityConfig, "visibilityConfig"),
            ...violation("rules", priorities, new Set(priorities).size !== priorities.length ? "rule priorities must be unique" : undefined),
            ...violation("rules", names, new Set(names).size !== names.length ? "rule names must be unique" : undefined),
            ...rules.flatMap(({ item, path }) => rule(item as Inputs, path)),
        ];
    },
};

// https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html
function rule(r: Inputs, path: string): Violation[] {
    const statement = isRecord(r.statement) ? r.statement : {};
    const kinds = Object.keys(statement).filter((k) => statement[k] !== undefined);
    const groupReference = kinds.some((k) => k === "managedRuleGroupStatement" || k === "ruleGroupReferenceStatement");
    const actions = ["action", "overrideAction"].filter((k) => r[k] !== undefined);
    return [
        ...required(r, ["name", "priority", "statement", "visibilityConfig"], path),
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
        ...violation(join(path, "forwardedIpConfig"), statement.forwardedIpConfig, statement.aggregateKeyType === "FORWARDED_IP"
            && statement.forwardedIpConfig === undefined ? "is required for FORWARDED_IP" : undefined),
        ...violation(join(path, "customKeys"), statement.customKeys, statement.aggregateKeyType === "CUSTOM_KEYS"
            && !(Array.isArray(statement.customKeys) && statement.customKeys.length > 0) ? "is required for CUSTOM_KEYS" : undefined),
    ];
}

export const webAclAssociation: TypeRules = {
    // https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
    fields: {
        resourceArn: [length(20, 2048), pattern(
            /^arn:aws[a-z-]*:(elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/|apigateway:|appsync:|cognito-idp:|apprunner:|ec2:[a-z0-9-]+:\d{12}:verified-access-instance\/|amplify:)/,
            "the ARN of an ALB, API Gateway stage, AppSync API, Cognito user pool, App Runner service, Verified Access instance or Amplify app")],
        webAclArn: [length(20, 2048), arn("wafv2", "regional/webacl/")],
    },
    relations: (inputs) => required(inputs, ["resourceArn", "webAclArn"]),
};
