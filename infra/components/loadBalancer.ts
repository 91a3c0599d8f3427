import * as lb from "@pulumi/aws/lb";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { childOptionsOf } from "../aliases";
import { albAccessLogsBucket } from "../resources/albAccessLogs";
import { listenerCertificateArn } from "../resources/certificate";
import { HttpsConfig } from "../config";

// TLS 1.3 and 1.2 only, an ELB.17-recommended policy.
const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerArgs {
    /** Decides which principal writes the access logs. */
    readonly region: string;
    /** One subnet per AZ; the ALB gets a node in each. */
    readonly subnetIds: pulumi.Input<string>[];
    readonly securityGroupId: pulumi.Input<string>;
    /** HTTPS on 443 with HTTP redirecting to it; absent: plain HTTP on 80. */
    readonly https?: HttpsConfig;
    /** Days the access logs bucket keeps its logs; absent: no access logs. */
    readonly accessLogsExpirationDays?: number;
    readonly deletionProtection: boolean;
    /**
     * The default route's target group, which the serving listener's default action forwards to; absent (no service
     * is the default route): it answers 404.
     */
    readonly defaultTargetGroupArn?: pulumi.Input<string>;
}

/**
 * The internet-facing ALB the services share. Its serving listener (HTTPS when a domain is configured,
 * else HTTP) forwards what no rule matches to the default route's service, or answers 404 when there is none;
 * each other web service adds a rule that forwards its routes to its targets.
 */
export class LoadBalancer extends pulumi.ComponentResource {
    public readonly alb: lb.LoadBalancer;
    /** The listener whose rules route requests to the services. */
    public readonly servingListener: lb.Listener;
    /** Every listener: a service must not be created before its target group is behind one. */
    public readonly listeners: lb.Listener[];
    /** What clients call: https://domain, or http:// and the ALB's DNS name. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs-on-ec2:index:LoadBalancer", name, {}, opts);
        const child = childOptionsOf(this, name);

        const accessLogs = args.accessLogsExpirationDays === undefined ? undefined : albAccessLogsBucket(args.region, args.accessLogsExpirationDays, child);
        this.alb = new lb.LoadBalancer("alb", {
            loadBalancerType: "application",
            internal: false,
            ipAddressType: "ipv4",
            subnets: args.subnetIds,
            securityGroups: [args.securityGroupId],
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "defensive",
            // Lets an operator shift traffic away from an impaired AZ with ARC zonal shift.
            enableZonalShift: true,
            enableDeletionProtection: args.deletionProtection,
            accessLogs: accessLogs && { bucket: accessLogs.bucket.bucket, enabled: true },
        // Creating the ALB checks that it may write to the bucket, so the policy must exist first.
        }, child("alb", { dependsOn: accessLogs ? [accessLogs.policy] : [] }));

        const defaultAction = args.defaultTargetGroupArn !== undefined
            ? { type: "forward", targetGroupArn: args.defaultTargetGroupArn }
            : { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "No service routes this request", statusCode: "404" } };
        const http = new lb.Listener("http-listener", {
            loadBalancerArn: this.alb.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [args.https
                ? { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }
                : defaultAction],
        }, child("http-listener"));
        this.listeners = [http];
        this.servingListener = http;
        if (args.https) {
            this.servingListener = new lb.Listener("https-listener", {
                loadBalancerArn: this.alb.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: tlsPolicy,
                certificateArn: listenerCertificateArn(args.https, child),
                defaultActions: [defaultAction],
            }, child("https-listener"));
            this.listeners.push(this.servingListener);
            if (args.https.hostedZoneId !== undefined) {
                new route53.Record("alias-record", {
                    zoneId: args.https.hostedZoneId,
                    name: args.https.domainName,
                    type: "A",
                    aliases: [{ name: this.alb.dnsName, zoneId: this.alb.zoneId, evaluateTargetHealth: true }],
                }, child("alias-record"));
            }
        }
        this.url = args.https ? pulumi.output(`https://${args.https.domainName}`) : pulumi.interpolate`http://${this.alb.dnsName}`;
        this.registerOutputs({ url: this.url });
    }
}
