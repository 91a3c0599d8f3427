import * as wafv2 from "@pulumi/aws/wafv2";
import * as pulumi from "@pulumi/pulumi";

export interface WebAclArgs {
    readonly loadBalancerArn: pulumi.Input<string>;
    /** Requests one client IP may send in any 5 minutes before it is blocked. */
    readonly requestsPerIpPer5Minutes: number;
}

// AWS managed rule groups: OWASP-style common exploits, and request patterns known to be malicious.
const managedRuleGroups = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"];

/** An AWS WAF web ACL on the ALB: the managed rule groups and a per-IP rate limit; everything else is allowed. */
export class WebAcl extends pulumi.ComponentResource {
    constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs-on-ec2:index:WebAcl", name, {}, opts);
        const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
        const webAcl = new wafv2.WebAcl(name, {
            scope: "REGIONAL",
            description: "Managed common and known-bad-input rules, and a per-IP rate limit",
            defaultAction: { allow: {} },
            rules: [
                ...managedRuleGroups.map((ruleGroup, i) => ({
                    name: ruleGroup,
                    priority: i + 1,
                    overrideAction: { none: {} },
                    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: ruleGroup } },
                    visibilityConfig: visibility(ruleGroup),
                })),
                {
                    name: "rate-limit-per-ip",
                    priority: managedRuleGroups.length + 1,
                    action: { block: {} },
                    statement: { rateBasedStatement: { limit: args.requestsPerIpPer5Minutes, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
                    visibilityConfig: visibility("rate-limit-per-ip"),
                },
            ],
            visibilityConfig: visibility(name),
        }, { parent: this });
        new wafv2.WebAclAssociation(`${name}-alb`, { resourceArn: args.loadBalancerArn, webAclArn: webAcl.arn }, { parent: this });
        this.registerOutputs({ webAclArn: webAcl.arn });
    }
}
