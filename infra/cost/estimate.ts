/**
 * Monthly cost estimate of the stack from its validated config: line items with quantity, unit price
 * and amount, at the minimum fleet and at the most the config allows. Pure: no Pulumi, no I/O, so the
 * program, the offline plan and the README generator all get the same figures from the same table.
 */
import { isBurstable } from "../models/capacity";
import { alwaysFree, findPrice, freeItems, hoursPerMonth } from "./prices";

export interface Range {
    readonly min: number;
    readonly max: number;
}

/** What the estimate assumes about use; each has a config key, named here, whose default is below. */
export interface CostAssumptions {
    /** `costRequestsPerSecond`: average requests per second reaching the ALB, all services together. */
    readonly requestsPerSecond: number;
    /** `costAverageResponseKiB`: average size of one request and its response together, in KiB. */
    readonly averageResponseKiB: number;
    /** `costLogGiBPerTaskMonth`: application logs one task writes to CloudWatch Logs in a month. */
    readonly logGiBPerTaskPerMonth: number;
    /** `costImageGiBPerService`: image layers kept in each service's ECR repository (compressed, as ECR bills them). */
    readonly imageGiBPerService: number;
    /** `costApplyFreeTier`: apply AWS's always-free allowances for dashboards and alarm metrics; they are per account. */
    readonly applyAlwaysFreeTier: boolean;
}

/** The alarms the stack makes for each web service, for each backend or worker (no ALB alarms), and for each job. */
export interface AlarmInputs {
    /** Alarms on one metric each (the unhealthy-hosts and target-connection-errors alarms). */
    readonly singleMetricPerService: number;
    /** Metrics each metric-math alarm reads: CloudWatch bills a math alarm per metric in it (5xx rate: 5xx count and request count). */
    readonly metricMathMetricsPerService: readonly number[];
    /** Target tracking policies: Application Auto Scaling makes a high and a low alarm for each, billed like any other. */
    readonly targetTrackingPoliciesPerService: number;
    /** A backend's or worker's target tracking policies; it has no other alarms. */
    readonly targetTrackingPoliciesPerInternalService: number;
    /** A job's alarms, on one metric each (its failed runs); it has no ECS service to scale. */
    readonly singleMetricPerJob: number;
}

export interface CostInputs {
    readonly region: string;
    readonly instanceType: string;
    /** Auto Scaling group size: min is hostsPerAz × AZs, max is asgMaxSize. */
    readonly hosts: Range;
    readonly rootVolumeGiB: number;
    /** AZs the hosts and the ALB span: the ALB has one node, and one public IPv4 address, in each. */
    readonly availabilityZones: number;
    /**
     * Each service's tasks: min is its desired count, max its autoscaling maximum; `web`: the ALB routes to it; `job`:
     * EventBridge Scheduler runs it, its tasks per run counted at both ends as if they ran all month (an upper bound).
     */
    readonly services: readonly { readonly name: string; readonly tasks: Range; readonly web: boolean; readonly job?: boolean }[];
    /** Some service is on Service Connect, in the stack's Cloud Map HTTP namespace. */
    readonly serviceConnect: boolean;
    readonly containerInsights: boolean;
    readonly albAccessLogs: boolean;
    readonly logRetentionInDays: number;
    /** Set when HTTPS is on. */
    readonly https?: {
        /** The alias record goes into a Route 53 zone the account already has. */
        readonly hostedZone: boolean;
        /** The stack requests (and DNS-validates) the certificate rather than using an existing one. */
        readonly certificateRequested: boolean;
    };
    /** Set when the WAF web ACL is on. */
    readonly waf?: { readonly managedRuleGroups: number; readonly rateBasedRules: number };
    readonly alarms: AlarmInputs;
    readonly dashboards: number;
    readonly alarmEmail: boolean;
    readonly assumptions: CostAssumptions;
}

export interface LineItem {
    readonly service: string;
    readonly item: string;
    /** "no price": the table lacks the price, so the amount is 0 and the estimate is partial. */
    readonly status: "priced" | "free" | "no price";
    readonly quantity: number;
    /** Part of the quantity an always-free allowance covers: the amount is (quantity - free) × unit price. */
    readonly freeQuantity: number;
    readonly unit: string;
    readonly unitPriceUsd: number;
    readonly monthlyUsd: number;
    /** The price table row it used or lacked; absent for free items. */
    readonly priceKey?: string;
    readonly note?: string;
}

export interface CostPoint {
    readonly hosts: number;
    readonly tasks: number;
    readonly lines: readonly LineItem[];
    readonly totalUsd: number;
}

export interface CostEstimate {
    readonly region: string;
    readonly currency: "USD";
    readonly hoursPerMonth: number;
    readonly assumptions: CostAssumptions;
    /** The ASG minimum and the services' desired counts. */
    readonly min: CostPoint;
    /** The ASG maximum and the services' autoscaling maximums; what does not scale stays. */
    readonly max: CostPoint;
    /** "no price for X in Y" for each price the table lacks; their items are left out of the totals. */
    readonly missing: readonly string[];
    /** True when something is missing: the totals are then lower bounds. */
    readonly partial: boolean;
}

// ALB capacity units (https://aws.amazon.com/elasticloadbalancing/pricing/): one LCU is 25 new
// connections a second, 3,000 active connections a minute, or 1 GB processed an hour (EC2 targets),
// and the hour bills the largest. Rule evaluations stay in the free first 10 rules here.
const lcu = { newConnectionsPerSecond: 25, activeConnectionsPerMinute: 3000, gibPerHour: 1 };

// Container Insights (standard) metrics, counted from the ECS table in
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html:
// 11 with the ClusterName dimension; per service 13 with ServiceName and 8 with TaskDefinitionFamily.
// The count is ours, not a figure AWS publishes; tasks add no metrics, only performance log events.
const insightsMetrics = { perCluster: 11, perService: 21 };
// Performance log events: about one task and one container event a minute per task, ~1 KiB each.
const insightsLogKiBPerTaskMinute = 2;
// ALB access log entries are ~500 bytes, and the ALB writes them gzipped; 100 bytes each stored.
const accessLogBytesPerRequest = 100;
// The ALB writes one log object per node every 5 minutes: 12 PUTs an hour per node.
const accessLogPutsPerNodeHour = 12;

const secondsPerMonth = hoursPerMonth * 3600;
const minutesPerMonth = hoursPerMonth * 60;
const daysPerMonth = hoursPerMonth / 24;
// AWS's billing "GB" is 2^30 bytes, so GiB quantities price directly.
const kibPerGib = 1024 * 1024;

type Draft = Pick<LineItem, "service" | "item" | "quantity" | "unit" | "note"> & { readonly free?: number };

/** Collects a point's line items, pricing each from the table and noting what the table lacks. */
class Ledger {
    readonly lines: LineItem[] = [];

    constructor(private readonly region: string, private readonly missing: Set<string>) {}

    /** A billed item; `free` is an always-free allowance taken off the quantity before pricing. */
    priced(key: string, draft: Draft): void {
        const { free = 0, ...line } = draft;
        const freeQuantity = Math.min(free, draft.quantity);
        const price = findPrice(key, this.region);
        if (price === undefined) {
            const missing = `no price for ${key} in ${this.region}`;
            this.missing.add(missing);
            this.lines.push({ ...line, status: "no price", freeQuantity, unitPriceUsd: 0, monthlyUsd: 0, priceKey: key, note: missing });
            return;
        }
        const monthlyUsd = (draft.quantity - freeQuantity) * price.usd;
        this.lines.push({ ...line, status: "priced", freeQuantity, unitPriceUsd: price.usd, monthlyUsd, priceKey: key });
    }

    /** An item AWS does not bill, listed so it is seen to be covered. */
    free(service: string, item: string, note: string): void {
        this.lines.push({ service, item, status: "free", quantity: 1, freeQuantity: 1, unit: "resource", unitPriceUsd: 0, monthlyUsd: 0, note });
    }
}

interface Fleet {
    readonly hosts: number;
    readonly tasks: number;
}

/** The estimate at the minimum fleet and at the most the config allows. */
export function estimateCost(inputs: CostInputs): CostEstimate {
    const missing = new Set<string>();
    const point = (fleet: Fleet): CostPoint => {
        const ledger = new Ledger(inputs.region, missing);
        addLines(ledger, inputs, fleet);
        const totalUsd = ledger.lines.reduce((sum, line) => sum + line.monthlyUsd, 0);
        return { ...fleet, lines: ledger.lines, totalUsd };
    };
    const tasks = (bound: keyof Range) => inputs.services.reduce((sum, s) => sum + s.tasks[bound], 0);
    const min = point({ hosts: inputs.hosts.min, tasks: tasks("min") });
    const max = point({ hosts: inputs.hosts.max, tasks: tasks("max") });
    return {
        region: inputs.region,
        currency: "USD",
        hoursPerMonth,
        assumptions: inputs.assumptions,
        min,
        max,
        missing: [...missing],
        partial: missing.size > 0,
    };
}

function addLines(ledger: Ledger, inputs: CostInputs, fleet: Fleet): void {
    addHosts(ledger, inputs, fleet);
    addLoadBalancer(ledger, inputs);
    addLogs(ledger, inputs, fleet);
    addContainerInsights(ledger, inputs, fleet);
    addAlarmsAndDashboards(ledger, inputs);
    addRegistry(ledger, inputs);
    addAccessLogs(ledger, inputs);
    addHttps(ledger, inputs);
    addWaf(ledger, inputs);
    addNotifications(ledger, inputs);
    addJobs(ledger, inputs);
    ledger.free("ECS", freeItems.ecs.item, "no charge beyond the EC2 hosts");
    ledger.free("Auto Scaling", freeItems.autoScaling.item, "no charge; their alarms are under CloudWatch");
    if (inputs.serviceConnect) {
        // Assumed free: an HTTP namespace has no Route 53 hosted zone, Service Connect has no charge of its own, and
        // the proxies' CPU and memory are in the tasks' reservations on the hosts. Cloud Map's list prices ($0.10 per
        // registered instance-month, $1.00 per million discovery calls) are not added for the instances ECS registers.
        ledger.free("Cloud Map", "Service Connect and its HTTP namespace",
            "assumed: no hosted zone, no Service Connect charge; the proxies' CPU and memory are in the tasks' reservations");
    }
}

function addHosts(ledger: Ledger, inputs: CostInputs, fleet: Fleet): void {
    const hostHours = fleet.hosts * hoursPerMonth;
    ledger.priced(`ec2:${inputs.instanceType}`, {
        service: "EC2", item: `${inputs.instanceType} hosts`, quantity: hostHours, unit: "instance-hours",
        // The launch template sets burstable hosts to standard credits (infra/components/ecsCluster.ts): no surplus charge.
        ...(isBurstable(inputs.instanceType) ? { note: "standard CPU credits: no surplus charge" } : {}),
    });
    ledger.priced("ebs:gp3", {
        service: "EBS", item: "gp3 root volumes", quantity: fleet.hosts * inputs.rootVolumeGiB, unit: "GB-months",
        note: `${inputs.rootVolumeGiB} GiB a host`,
    });
    // Each host in a default subnet gets a public IPv4 address, and so does each ALB node.
    const addresses = fleet.hosts + inputs.availabilityZones;
    ledger.priced("vpc:public-ipv4", {
        service: "VPC", item: "public IPv4 addresses", quantity: addresses * hoursPerMonth, unit: "address-hours",
        note: `one a host + ${inputs.availabilityZones} ALB nodes`,
    });
}

/** Monthly GiB through the ALB and out to the internet at the assumed traffic. */
function trafficGiB(assumptions: CostAssumptions): number {
    return (assumptions.requestsPerSecond * secondsPerMonth * assumptions.averageResponseKiB) / kibPerGib;
}

/**
 * LCUs an average hour uses. Every request is taken to open its own connection, the upper bound
 * (clients that keep connections alive use fewer), and to hold it under a minute.
 */
function albCapacityUnits(assumptions: CostAssumptions): number {
    const rps = assumptions.requestsPerSecond;
    const gibPerHour = (rps * 3600 * assumptions.averageResponseKiB) / kibPerGib;
    return Math.max(
        rps / lcu.newConnectionsPerSecond,
        (rps * 60) / lcu.activeConnectionsPerMinute,
        gibPerHour / lcu.gibPerHour,
    );
}

function addLoadBalancer(ledger: Ledger, inputs: CostInputs): void {
    const a = inputs.assumptions;
    ledger.priced("alb:hour", { service: "ELB", item: "Application Load Balancer", quantity: hoursPerMonth, unit: "ALB-hours" });
    ledger.priced("alb:lcu", {
        service: "ELB", item: "ALB capacity units", quantity: albCapacityUnits(a) * hoursPerMonth, unit: "LCU-hours",
        note: `${a.requestsPerSecond} req/s, one new connection each`,
    });
    ledger.priced("dto:internet", {
        service: "Data transfer", item: "responses out to the internet", quantity: trafficGiB(a), unit: "GB",
        note: `${a.requestsPerSecond} req/s × ${a.averageResponseKiB} KiB; the account's 100 GB/month free allowance not applied`,
    });
}

function addLogs(ledger: Ledger, inputs: CostInputs, fleet: Fleet): void {
    const ingested = fleet.tasks * inputs.assumptions.logGiBPerTaskPerMonth;
    ledger.priced("logs:ingest", {
        service: "CloudWatch", item: "task logs ingested", quantity: ingested, unit: "GB",
    });
    // In steady state a group holds `retention` days of logs; stored uncompressed here, an upper bound.
    ledger.priced("logs:store", {
        service: "CloudWatch", item: "task logs stored", quantity: (ingested * inputs.logRetentionInDays) / daysPerMonth,
        unit: "GB-months", note: `${inputs.logRetentionInDays}-day retention`,
    });
}

function addContainerInsights(ledger: Ledger, inputs: CostInputs, fleet: Fleet): void {
    if (!inputs.containerInsights) {
        return;
    }
    const services = inputs.services.length;
    ledger.priced("cw:metric", {
        service: "CloudWatch", item: "Container Insights metrics",
        quantity: insightsMetrics.perCluster + insightsMetrics.perService * services, unit: "metric-months",
        note: `standard, not enhanced: ${insightsMetrics.perCluster} per cluster + ${insightsMetrics.perService} per service, billed as custom metrics`,
    });
    ledger.priced("logs:ingest", {
        service: "CloudWatch", item: "Container Insights performance events",
        quantity: (fleet.tasks * minutesPerMonth * insightsLogKiBPerTaskMinute) / kibPerGib, unit: "GB",
    });
}

function addAlarmsAndDashboards(ledger: Ledger, inputs: CostInputs): void {
    const a = inputs.alarms;
    const perService = a.singleMetricPerService
        + a.metricMathMetricsPerService.reduce((sum, n) => sum + n, 0)
        + 2 * a.targetTrackingPoliciesPerService;
    const perInternal = 2 * a.targetTrackingPoliciesPerInternalService;
    const web = inputs.services.filter((s) => s.web).length;
    const jobs = inputs.services.filter((s) => s.job === true).length;
    const internal = inputs.services.length - web - jobs;
    const perType = (internal === 0 && jobs === 0 ? `${perService} per service, ${2 * a.targetTrackingPoliciesPerService} of them target tracking`
        : `${perService} per web service, ${2 * a.targetTrackingPoliciesPerService} of them target tracking`
            + (internal > 0 ? `; ${perInternal} per backend or worker, CPU target tracking only` : ""))
        + (jobs > 0 ? `; ${a.singleMetricPerJob} per job, on its dead-letter queue` : "");
    // The allowances are per account: applied, they assume no other stack of the account uses them.
    const freeTier = inputs.assumptions.applyAlwaysFreeTier;
    const freeNote = (free: number) => (freeTier ? `; first ${free} free per account` : "");
    ledger.priced("cw:alarm-metric", {
        service: "CloudWatch", item: "alarm metrics", quantity: perService * web + perInternal * internal + a.singleMetricPerJob * jobs, unit: "alarm metric-months",
        note: `${perType}${freeNote(alwaysFree.alarmMetrics)}`,
        ...(freeTier ? { free: alwaysFree.alarmMetrics } : {}),
    });
    ledger.priced("cw:dashboard", {
        service: "CloudWatch", item: "dashboards", quantity: inputs.dashboards, unit: "dashboard-months",
        ...(freeTier ? { free: alwaysFree.dashboards, note: `first ${alwaysFree.dashboards} free per account` } : {}),
    });
}

function addRegistry(ledger: Ledger, inputs: CostInputs): void {
    const repositories = inputs.services.length;
    ledger.priced("ecr:storage", {
        service: "ECR", item: "image storage", quantity: repositories * inputs.assumptions.imageGiBPerService, unit: "GB-months",
        note: `${repositories} ${repositories === 1 ? "repository" : "repositories"} × ${inputs.assumptions.imageGiBPerService} GB`,
    });
}

function addAccessLogs(ledger: Ledger, inputs: CostInputs): void {
    if (!inputs.albAccessLogs) {
        return;
    }
    const writtenGiB = (inputs.assumptions.requestsPerSecond * secondsPerMonth * accessLogBytesPerRequest) / (kibPerGib * 1024);
    ledger.priced("s3:standard", {
        service: "S3", item: "ALB access logs stored", quantity: (writtenGiB * inputs.logRetentionInDays) / daysPerMonth,
        unit: "GB-months", note: `gzipped, expiring after ${inputs.logRetentionInDays} days`,
    });
    ledger.priced("s3:put", {
        service: "S3", item: "ALB access log objects written",
        quantity: (inputs.availabilityZones * accessLogPutsPerNodeHour * hoursPerMonth) / 1000, unit: "thousand PUTs",
    });
}

function addHttps(ledger: Ledger, inputs: CostInputs): void {
    if (inputs.https === undefined) {
        return;
    }
    ledger.free("ACM", freeItems.acm.item, inputs.https.certificateRequested ? "requested and DNS-validated by the stack" : "existing certificate");
    if (inputs.https.hostedZone) {
        // The stack adds records to a zone the account already pays for; it creates no zone.
        const zone = findPrice("route53:zone", inputs.region);
        ledger.free("Route 53", freeItems.aliasQueries.item,
            `alias A record in the existing zone (the zone's own $${zone?.usd ?? "?"}/month is not added by this stack)`);
    }
}

function addWaf(ledger: Ledger, inputs: CostInputs): void {
    if (inputs.waf === undefined) {
        return;
    }
    const rules = inputs.waf.managedRuleGroups + inputs.waf.rateBasedRules;
    ledger.priced("waf:acl", { service: "WAF", item: "web ACL", quantity: 1, unit: "web ACL-months" });
    ledger.priced("waf:rule", {
        service: "WAF", item: "rules", quantity: rules, unit: "rule-months",
        note: `${inputs.waf.managedRuleGroups} AWS managed groups (no subscription fee) + ${inputs.waf.rateBasedRules} rate-based`,
    });
    ledger.priced("waf:requests", {
        service: "WAF", item: "requests inspected",
        quantity: (inputs.assumptions.requestsPerSecond * secondsPerMonth) / 1e6, unit: "million requests",
    });
}

// A cron or rate expression fires at most once a minute: 60 × 730 = 43,800 invocations a month per job, an upper bound.
const maxInvocationsPerJobMonth = 60 * hoursPerMonth;

function addJobs(ledger: Ledger, inputs: CostInputs): void {
    const jobs = inputs.services.filter((s) => s.job === true).length;
    if (jobs === 0) {
        return;
    }
    // Assumed free: the account's other schedules leave the allowance; Scheduler's list price above it is $1.00 per
    // million invocations, not added. A dead-letter queue gets a message per run Scheduler could not start, and the
    // alarm polls nothing (SQS publishes its metrics to CloudWatch itself), far inside SQS's free million requests.
    ledger.free("EventBridge Scheduler", freeItems.scheduler.item,
        `${jobs} ${jobs === 1 ? "schedule" : "schedules"}, at most ${maxInvocationsPerJobMonth.toLocaleString("en-US")} invocations a month each; `
        + `first ${(alwaysFree.schedulerInvocations / 1e6).toFixed(0)} million a month free per account`);
    ledger.free("SQS", freeItems.sqs.item, `first ${(alwaysFree.sqsRequests / 1e6).toFixed(0)} million requests a month free per account; `
        + "a message only for a run Scheduler could not start");
}

function addNotifications(ledger: Ledger, inputs: CostInputs): void {
    ledger.free("SNS", freeItems.snsTopic.item, "publishes from CloudWatch alarms are free");
    if (inputs.alarmEmail) {
        ledger.free("SNS", "alarm email notifications", `first ${alwaysFree.snsEmails} a month free; alarms send far fewer`);
    }
}
