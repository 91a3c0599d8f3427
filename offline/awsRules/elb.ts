// Elastic Load Balancing v2: load balancer, target group, listeners and listener rules, and the log-delivery account.
import { albPathPattern } from "../../infra/awsLimits";
import {
    Check, Inputs, TypeRules, Violation, all, arn, bool, checkSpec, each, int, isRecord, items, join, length, minItems,
    numberOf, oneOf, pattern, required, violation,
} from "./check";
import { securityGroupId, subnetId, vpcId } from "./ec2";
import { bucketName } from "./s3";

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html (Name)
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html (Name)
const elbName: Check[] = [
    length(1, 32),
    pattern(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, "alphanumerics and hyphens, not beginning or ending with a hyphen"),
];

export const loadBalancer: TypeRules = {
    fields: {
        name: [...elbName, (v) => String(v).startsWith("internal-") ? "must not begin with internal-" : undefined],
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
        loadBalancerType: oneOf(["application", "network", "gateway"]),
        ipAddressType: oneOf(["ipv4", "dualstack", "dualstack-without-public-ipv4"]),
        internal: bool,
        securityGroups: each(securityGroupId),
        subnets: each(subnetId),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html
        desyncMitigationMode: oneOf(["monitor", "defensive", "strictest"]),
        dropInvalidHeaderFields: bool,
        enableDeletionProtection: bool,
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html (zonal_shift.config.enabled)
        enableZonalShift: bool,
        "accessLogs.bucket": bucketName,
    },
    relations: (inputs) => {
        const type = String(inputs.loadBalancerType ?? "application");
        return [
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html (Subnets: two AZs for an ALB)
            ...(type === "application" && inputs.subnetMappings === undefined
                ? checkSpec(inputs, { subnets: minItems(2) }).concat(required(inputs, ["subnets"])) : []),
            ...applicationOnly(inputs, type),
            ...violation("accessLogs.bucket", undefined, isRecord(inputs.accessLogs) && inputs.accessLogs.enabled === true
                && !inputs.accessLogs.bucket ? "is required when access logs are enabled" : undefined),
        ];
    },
};

// Attributes only an Application Load Balancer has.
function applicationOnly(inputs: Inputs, type: string): Violation[] {
    if (type === "application") {
        return [];
    }
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html
    return ["desyncMitigationMode", "dropInvalidHeaderFields"].flatMap((key) =>
        violation(key, inputs[key], inputs[key] !== undefined ? "applies to application load balancers only" : undefined));
}

const httpProtocols = ["HTTP", "HTTPS"];

export const targetGroup: TypeRules = {
    fields: {
        name: elbName,
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
        protocol: oneOf(["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"]),
        port: int(1, 65535),
        targetType: oneOf(["instance", "ip", "lambda", "alb"]),
        vpcId,
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html
        deregistrationDelay: int(0, 3600),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html (HealthCheck*)
        "healthCheck.interval": int(5, 300),
        "healthCheck.timeout": int(2, 120),
        "healthCheck.healthyThreshold": int(2, 10),
        "healthCheck.unhealthyThreshold": int(2, 10),
        "healthCheck.protocol": oneOf(["HTTP", "HTTPS", "TCP"]),
        "healthCheck.port": (v) => v === "traffic-port" ? undefined : int(1, 65535)(v),
        "healthCheck.path": [length(1, 1024), pattern(/^\//, "a path beginning with /")],
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html (HttpCode 200-499)
        "healthCheck.matcher": codes(200, 499),
    },
    relations: (inputs) => [
        ...(String(inputs.targetType ?? "instance") === "lambda" ? [] : required(inputs, ["protocol", "port", "vpcId"])),
        ...healthCheck(inputs),
    ],
};

function healthCheck(inputs: Inputs): Violation[] {
    const check = isRecord(inputs.healthCheck) ? inputs.healthCheck : {};
    const protocol = String(check.protocol ?? inputs.protocol ?? "HTTP");
    const interval = numberOf(check.interval ?? 30);
    const timeout = numberOf(check.timeout ?? (httpProtocols.includes(protocol) ? 5 : 10));
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html (HealthCheck*)
    return [
        ...violation("healthCheck.timeout", timeout, timeout >= interval ? "must be less than the interval" : undefined),
        ...violation("healthCheck.protocol", check.protocol, httpProtocols.includes(String(inputs.protocol)) && check.protocol === "TCP"
            ? "TCP health checks are not supported for HTTP/HTTPS target groups" : undefined),
    ];
}

/** Matcher codes: single values, comma lists, or ranges, within [min, max]. */
function codes(min: number, max: number): Check {
    return (v) => {
        const parts = String(v).split(",").flatMap((part) => part.split("-"));
        return /^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(String(v)) && parts.every((p) => Number(p) >= min && Number(p) <= max)
            ? undefined : `must be codes from ${min} to ${max} ("200", "200,202" or "200-299")`;
    };
}

// ---- listeners ----

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
const sslPolicies = [
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", "ELBSecurityPolicy-TLS13-1-1-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-2021-06", "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10", "ELBSecurityPolicy-FS-1-2-Res-2019-08", "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-1-2019-08", "ELBSecurityPolicy-FS-2018-06", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS-1-1-2017-01", "ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-2015-05",
];

// Final action types: each list ends with exactly one of them.
const finalTypes = ["forward", "redirect", "fixed-response"];
const actionTypes = [...finalTypes, "authenticate-cognito", "authenticate-oidc", "jwt-validation"];

export const listener: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html
        loadBalancerArn: arn("elasticloadbalancing", "loadbalancer/"),
        port: int(1, 65535),
        protocol: oneOf(["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"]),
        sslPolicy: oneOf(sslPolicies),
        certificateArn: arn("(acm|iam)"),
        "defaultActions.*.type": oneOf(actionTypes),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RedirectActionConfig.html
        "defaultActions.*.redirect.statusCode": oneOf(["HTTP_301", "HTTP_302"]),
        "defaultActions.*.redirect.protocol": oneOf(["HTTP", "HTTPS", "#{protocol}"]),
        "defaultActions.*.redirect.port": (v) => v === "#{port}" ? undefined : int(1, 65535)(v),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_FixedResponseActionConfig.html
        "defaultActions.*.fixedResponse.statusCode": pattern(/^(2|4|5)\d\d$/, "a 2XX, 4XX or 5XX status code"),
        "defaultActions.*.fixedResponse.contentType": oneOf(["text/plain", "text/css", "text/html", "application/javascript", "application/json"]),
        "defaultActions.*.fixedResponse.messageBody": length(0, 1024),
    },
    relations: (inputs) => {
        const secure = ["HTTPS", "TLS"].includes(String(inputs.protocol ?? "HTTP"));
        return [
            ...required(inputs, ["loadBalancerArn", "defaultActions"]),
            ...(secure ? required(inputs, ["certificateArn"]) : []),
            ...violation("sslPolicy", inputs.sslPolicy, !secure && inputs.sslPolicy !== undefined ? "applies to HTTPS and TLS listeners only" : undefined),
            ...actions(inputs, "defaultActions"),
        ];
    },
};

export const listenerRule: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html
        listenerArn: arn("elasticloadbalancing", "listener/"),
        priority: int(1, 50000),
        "actions.*.type": oneOf(actionTypes),
        "actions.*.targetGroupArn": arn("elasticloadbalancing", "targetgroup/"),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_PathPatternConditionConfig.html
        "conditions.*.pathPattern.values": each(all(length(1, albPathPattern.maxLength),
            pattern(new RegExp(`^[${albPathPattern.characters}]+$`), albPathPattern.characters))),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HostHeaderConditionConfig.html
        "conditions.*.hostHeader.values": each(all(length(1, 128), pattern(/^[A-Za-z0-9\-.*?]+$/, "A-Z, a-z, 0-9, - . * ?"))),
    },
    relations: (inputs) => [
        ...required(inputs, ["listenerArn", "actions", "conditions"]),
        ...actions(inputs, "actions"),
        ...conditions(inputs),
    ],
};

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Action.html
function actions(inputs: Inputs, property: string): Violation[] {
    const list = items(inputs, property);
    const finals = list.filter(({ item }) => finalTypes.includes(String((item as Inputs).type)));
    const orders = list.map(({ item }) => (item as Inputs).order).filter((o) => o !== undefined);
    return [
        ...violation(property, inputs[property], list.length > 0 && finals.length !== 1
            ? "must contain exactly one forward, redirect or fixed-response action" : undefined),
        ...violation(property, orders, new Set(orders).size !== orders.length ? "action orders must be unique" : undefined),
        ...list.flatMap(({ item, path }) => action(item as Inputs, path)),
    ];
}

function action(a: Inputs, path: string): Violation[] {
    const type = String(a.type);
    const forwardTargets = isRecord(a.forward) && Array.isArray(a.forward.targetGroups) ? a.forward.targetGroups : [];
    return [
        ...violation(join(path, "targetGroupArn"), a.targetGroupArn, type === "forward" && a.targetGroupArn === undefined
            && forwardTargets.length === 0 ? "a forward action needs a target group" : undefined),
        ...(type === "redirect" ? required(a, ["redirect.statusCode"], path) : []),
        ...(type === "fixed-response" ? required(a, ["fixedResponse.statusCode"], path) : []),
    ];
}

// Condition kinds a rule may have at most once (http-header and query-string may repeat).
const singleConditions = ["hostHeader", "pathPattern", "httpRequestMethod", "sourceIp"];

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RuleCondition.html
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html (3 values per condition, 5 per rule)
function conditions(inputs: Inputs): Violation[] {
    const list = items(inputs, "conditions");
    const count = (key: string) => list.filter(({ item }) => isRecord(item) && item[key] !== undefined).length;
    const values = list.reduce((sum, { item }) => sum + conditionValues(item as Inputs), 0);
    return [
        ...singleConditions.flatMap((key) => violation("conditions", key, count(key) > 1 ? `at most one ${key} condition per rule` : undefined)),
        ...violation("conditions", values, values > 5 ? "at most 5 condition values per rule" : undefined),
        ...list.flatMap(({ item, path }) => condition(item as Inputs, path)),
    ];
}

function conditionValues(c: Inputs): number {
    const listed = [...singleConditions, "httpHeader"].reduce((sum, key) =>
        sum + (isRecord(c[key]) && Array.isArray(c[key].values) ? (c[key].values as unknown[]).length : 0), 0);
    return listed + (Array.isArray(c.queryStrings) ? c.queryStrings.length : 0);
}

function condition(c: Inputs, path: string): Violation[] {
    const kinds = [...singleConditions, "httpHeader", "queryStrings"].filter((key) => c[key] !== undefined);
    const values = conditionValues(c);
    return [
        ...violation(path, kinds, kinds.length === 1 ? undefined : "each condition needs exactly one condition type"),
        ...violation(path, values, values > 3 ? "at most 3 values per condition" : undefined),
    ];
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html (ELB account per region)
// The stack asks for its region's account with no arguments.
export const getServiceAccount: TypeRules = { fields: {} };
