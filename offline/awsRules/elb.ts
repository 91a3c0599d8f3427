// Elastic Load Balancing v2: load balancer, target group, listeners and listener rules, and the log-delivery account.
import {
    Check, Context, Inputs, Violation, all, arn, bool, checkName, checkSpec, each, int, isRecord, items, join, length, minItems,
    numberOf, oneOf, pattern, required, tags, violation,
} from "./check";
import { securityGroupId, subnetId, vpcId } from "./ec2";
import { bucketName } from "./s3";

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html (Name)
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html (Name)
const elbName: Check[] = [
    length(1, 32),
    pattern(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, "alphanumerics and hyphens, not beginning or ending with a hyphen"),
];

export function loadBalancer(inputs: Inputs, context: Context): Violation[] {
    const type = String(inputs.loadBalancerType ?? "application");
    return [
        ...checkName(inputs, context, [...elbName, (v) => String(v).startsWith("internal-") ? "must not begin with internal-" : undefined]),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
        ...checkSpec(inputs, {
            loadBalancerType: oneOf(["application", "network", "gateway"]),
            ipAddressType: oneOf(["ipv4", "dualstack", "dualstack-without-public-ipv4"]),
            internal: bool,
            securityGroups: each(securityGroupId),
            subnets: each(subnetId),
        }),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html (Subnets: two AZs for an ALB)
        ...(type === "application" && inputs.subnetMappings === undefined
            ? checkSpec(inputs, { subnets: minItems(2) }).concat(required(inputs, ["subnets"])) : []),
        ...applicationOnly(inputs, type),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html
        ...checkSpec(inputs, {
            desyncMitigationMode: oneOf(["monitor", "defensive", "strictest"]),
            idleTimeout: int(1, 4000),
            dropInvalidHeaderFields: bool,
            enableDeletionProtection: bool,
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html (zonal_shift.config.enabled)
            enableZonalShift: bool,
            "accessLogs.bucket": bucketName,
            "accessLogs.prefix": (v) => /AWSLogs/i.test(String(v)) || String(v).startsWith("/") || String(v).endsWith("/")
                ? "must not contain AWSLogs or begin or end with /" : undefined,
        }),
        ...violation("accessLogs.bucket", undefined, isRecord(inputs.accessLogs) && inputs.accessLogs.enabled === true
            && !inputs.accessLogs.bucket ? "is required when access logs are enabled" : undefined),
        ...tags(inputs),
    ];
}

// Attributes only an Application Load Balancer has.
function applicationOnly(inputs: Inputs, type: string): Violation[] {
    if (type === "application") {
        return [];
    }
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html
    return ["desyncMitigationMode", "dropInvalidHeaderFields", "idleTimeout"].flatMap((key) =>
        violation(key, inputs[key], inputs[key] !== undefined ? "applies to application load balancers only" : undefined));
}

const httpProtocols = ["HTTP", "HTTPS"];

export function targetGroup(inputs: Inputs, context: Context): Violation[] {
    const targetType = String(inputs.targetType ?? "instance");
    return [
        ...checkName(inputs, context, elbName),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
        ...(targetType === "lambda" ? [] : required(inputs, ["protocol", "port", "vpcId"])),
        ...checkSpec(inputs, {
            protocol: oneOf(["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"]),
            protocolVersion: oneOf(["HTTP1", "HTTP2", "GRPC"]),
            port: int(1, 65535),
            targetType: oneOf(["instance", "ip", "lambda", "alb"]),
            ipAddressType: oneOf(["ipv4", "ipv6"]),
            vpcId,
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html
            deregistrationDelay: int(0, 3600),
            slowStart: (v) => numberOf(v) === 0 ? undefined : int(30, 900)(v),
            loadBalancingAlgorithmType: oneOf(["round_robin", "least_outstanding_requests", "weighted_random"]),
        }),
        ...healthCheck(inputs),
        ...tags(inputs),
    ];
}

function healthCheck(inputs: Inputs): Violation[] {
    const check = isRecord(inputs.healthCheck) ? inputs.healthCheck : {};
    const protocol = String(check.protocol ?? inputs.protocol ?? "HTTP");
    const grpc = inputs.protocolVersion === "GRPC";
    const interval = numberOf(check.interval ?? 30);
    const timeout = numberOf(check.timeout ?? (httpProtocols.includes(protocol) ? 5 : 10));
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html (HealthCheck*)
    return [
        ...checkSpec(check, {
            interval: int(5, 300),
            timeout: int(2, 120),
            healthyThreshold: int(2, 10),
            unhealthyThreshold: int(2, 10),
            protocol: oneOf(["HTTP", "HTTPS", "TCP"]),
            port: (v) => v === "traffic-port" ? undefined : int(1, 65535)(v),
            path: [length(1, 1024), pattern(/^\//, "a path beginning with /")],
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html
            matcher: grpc ? codes(0, 99) : codes(200, 499),
        }, "healthCheck"),
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

export function listener(inputs: Inputs): Violation[] {
    const protocol = String(inputs.protocol ?? "HTTP");
    const secure = protocol === "HTTPS" || protocol === "TLS";
    return [
        ...required(inputs, ["loadBalancerArn", "defaultActions"]),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html
        ...checkSpec(inputs, {
            loadBalancerArn: arn("elasticloadbalancing", "loadbalancer/"),
            port: int(1, 65535),
            protocol: oneOf(["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"]),
            sslPolicy: oneOf(sslPolicies),
            certificateArn: arn("(acm|iam)"),
            alpnPolicy: oneOf(["HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"]),
        }),
        ...(secure ? required(inputs, ["certificateArn"]) : []),
        ...violation("sslPolicy", inputs.sslPolicy, !secure && inputs.sslPolicy !== undefined ? "applies to HTTPS and TLS listeners only" : undefined),
        ...actions(inputs, "defaultActions"),
        ...tags(inputs),
    ];
}

export function listenerRule(inputs: Inputs): Violation[] {
    return [
        ...required(inputs, ["listenerArn", "actions", "conditions"]),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html
        ...checkSpec(inputs, { listenerArn: arn("elasticloadbalancing", "listener/"), priority: int(1, 50000) }),
        ...actions(inputs, "actions"),
        ...conditions(inputs),
        ...tags(inputs),
    ];
}

// Final action types: each list ends with exactly one of them.
const finalTypes = ["forward", "redirect", "fixed-response"];

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
        ...checkSpec(a, {
            type: oneOf([...finalTypes, "authenticate-cognito", "authenticate-oidc", "jwt-validation"]),
            order: int(1, 50000),
            targetGroupArn: arn("elasticloadbalancing", "targetgroup/"),
        }, path),
        ...violation(join(path, "targetGroupArn"), a.targetGroupArn, type === "forward" && a.targetGroupArn === undefined
            && forwardTargets.length === 0 ? "a forward action needs a target group" : undefined),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ForwardActionConfig.html
        ...items(a, "forward.targetGroups").flatMap(({ item, path: p }) =>
            checkSpec(item, { arn: arn("elasticloadbalancing", "targetgroup/"), weight: int(0, 999) }, join(path, p))),
        ...(type === "redirect" ? redirect(a, path) : []),
        ...(type === "fixed-response" ? fixedResponse(a, path) : []),
    ];
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RedirectActionConfig.html
function redirect(a: Inputs, path: string): Violation[] {
    const prefix = join(path, "redirect");
    return [
        ...required(a, ["redirect.statusCode"], path),
        ...checkSpec(a.redirect, {
            statusCode: oneOf(["HTTP_301", "HTTP_302"]),
            protocol: oneOf(["HTTP", "HTTPS", "#{protocol}"]),
            port: (v) => v === "#{port}" ? undefined : int(1, 65535)(v),
            host: length(1, 128),
            path: [length(1, 128), pattern(/^\//, "a path beginning with /")],
            query: length(0, 128),
        }, prefix),
    ];
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_FixedResponseActionConfig.html
function fixedResponse(a: Inputs, path: string): Violation[] {
    return [
        ...required(a, ["fixedResponse.statusCode"], path),
        ...checkSpec(a.fixedResponse, {
            statusCode: pattern(/^(2|4|5)\d\d$/, "a 2XX, 4XX or 5XX status code"),
            contentType: oneOf(["text/plain", "text/css", "text/html", "application/javascript", "application/json"]),
            messageBody: length(0, 1024),
        }, join(path, "fixedResponse")),
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
    const value128 = length(1, 128);
    const values = conditionValues(c);
    return [
        ...violation(path, kinds, kinds.length === 1 ? undefined : "each condition needs exactly one condition type"),
        ...violation(path, values, values > 3 ? "at most 3 values per condition" : undefined),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_PathPatternConditionConfig.html
        ...checkSpec(c, {
            "pathPattern.values": each(all(value128, pattern(/^[A-Za-z0-9_\-.$/~"'@:+&*?]+$/, "A-Z, a-z, 0-9, _ - . $ / ~ \" ' @ : + & * ?"))),
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HostHeaderConditionConfig.html
            "hostHeader.values": each(all(value128, pattern(/^[A-Za-z0-9\-.*?]+$/, "A-Z, a-z, 0-9, - . * ?"))),
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HttpHeaderConditionConfig.html
            "httpHeader.httpHeaderName": [length(1, 40), pattern(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/, "an HTTP header name")],
            "httpHeader.values": each(value128),
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HttpRequestMethodConditionConfig.html
            "httpRequestMethod.values": each(all(value128, pattern(/^[A-Z_-]+$/, "A-Z, _ and -"))),
            "sourceIp.values": each((v) => /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(String(v)) ? undefined : "must be a CIDR block"),
        }, path),
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_QueryStringKeyValuePair.html
        ...items(c, "queryStrings", path).flatMap(({ item, path: p }) => [
            ...required(item, ["value"], p), ...checkSpec(item, { key: value128, value: value128 }, p),
        ]),
    ];
}

export function getServiceAccount(inputs: Inputs): Violation[] {
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html (ELB account per region)
    return checkSpec(inputs, { region: pattern(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region name such as us-east-1") });
}
