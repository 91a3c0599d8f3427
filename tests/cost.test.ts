import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ecsInstanceCapacity } from "../infra/models/capacity";
import { CostAssumptions, CostEstimate, CostInputs, estimateCost, LineItem } from "../infra/cost/estimate";
import { costInputs } from "../infra/cost/inputs";
import { fleetOf } from "../infra/models/fleet";
import { stackConfigOf } from "../offline/run";
import { stackConfigFile } from "../offline/stackFiles";
import { costComment } from "../scripts/cost-comment";
import { findPrice, hoursPerMonth, prices } from "../infra/cost/prices";
import {
    diffEstimates,
    formatDelta,
    renderDiffLine,
    renderDiffMarkdown,
    renderEstimateMarkdown,
    renderEstimateText,
    renderCostSummary,
    renderCostTables,
} from "../infra/cost/render";
import { findGenerated, readGenerated, replaceGenerated, wrapGenerated } from "../scripts/generatedParts";
import { costSummaryPart, costTablesPart } from "../scripts/readme-costs";

// Pulumi.yaml's cost assumptions: 5 requests/s of 10 KiB, 512 MiB of logs per task and of images per service.
const defaultAssumptions: CostAssumptions = {
    requestsPerSecond: 5,
    averageResponseKiB: 10,
    logGiBPerTaskPerMonth: 0.5,
    imageGiBPerService: 0.5,
    applyAlwaysFreeTier: true,
};

// The dev stack: Pulumi.dev.yaml and the config defaults (2 AZs, 1 host per AZ, ASG max 4,
// one service of 5 tasks scaling to 10, Container Insights and access logs on, 14-day logs).
const dev: CostInputs = {
    region: "us-east-1",
    instanceType: "t3.small",
    hosts: { min: 2, max: 4 },
    rootVolumeGiB: 30,
    availabilityZones: 2,
    services: [{ name: "app", tasks: { min: 5, max: 10 }, web: true }],
    containerInsights: true,
    albAccessLogs: true,
    logRetentionInDays: 14,
    alarms: { singleMetricPerService: 2, metricMathMetricsPerService: [2], targetTrackingPoliciesPerService: 2, targetTrackingPoliciesPerInternalService: 1, singleMetricPerJob: 1 },
    serviceConnect: false,
    dashboards: 1,
    alarmEmail: false,
    assumptions: defaultAssumptions,
};

// A bigger fleet: m5.large, 3 AZs × 2 hosts (ASG 6..10), 50 GiB roots, 12..30 tasks, 50 req/s, 30-day logs.
const bigger: CostInputs = {
    ...dev,
    instanceType: "m5.large",
    hosts: { min: 6, max: 10 },
    rootVolumeGiB: 50,
    availabilityZones: 3,
    services: [{ name: "app", tasks: { min: 12, max: 30 }, web: true }],
    logRetentionInDays: 30,
    alarmEmail: true,
    assumptions: { ...defaultAssumptions, requestsPerSecond: 50 },
};

// HTTPS with a requested certificate and an alias in an existing zone, a second service, and the WAF.
const httpsTwoServices: CostInputs = {
    ...dev,
    services: [{ name: "app", tasks: { min: 5, max: 10 }, web: true }, { name: "api", tasks: { min: 2, max: 6 }, web: true }],
    https: { hostedZone: true, certificateRequested: true },
    waf: { managedRuleGroups: 2, rateBasedRules: 1 },
    alarmEmail: true,
};

const near = (actual: number, expected: number, tolerance = 0.05) =>
    assert.ok(Math.abs(actual - expected) <= tolerance * expected, `${actual} is not within ${tolerance * 100}% of ${expected}`);

const line = (estimate: CostEstimate, point: "min" | "max", service: string, item: RegExp): LineItem => {
    const found = estimate[point].lines.find((l) => l.service === service && item.test(l.item));
    assert.ok(found, `no ${service} line matching ${item}`);
    return found;
};

const cents = (usd: number) => Math.round(usd * 100) / 100;

test("the dev inputs above are what the stack's own config gives (Pulumi.yaml's defaults and Pulumi.dev.yaml)", () => {
    const config = stackConfigOf(stackConfigFile("dev"));
    assert.deepEqual(costInputs(config, fleetOf(config)), { ...dev, https: undefined, waf: undefined });
});

describe("estimateCost against hand computations from AWS's published on-demand prices", () => {
    test("dev stack, us-east-1", () => {
        const e = estimateCost(dev);
        // Minimum fleet, 2 hosts and 5 tasks:
        //   t3.small $0.0208/h × 730 h × 2 hosts                     = $30.37
        //   gp3 $0.08/GB-month × 30 GB × 2 volumes                    = $4.80
        //   IPv4 $0.005/h × 730 h × (2 hosts + 2 ALB nodes)           = $14.60
        //   ALB $0.0225/h × 730 h                                     = $16.43
        //   LCU: 5 new connections/s ÷ 25 = 0.2 LCU × 730 h × $0.008  = $1.17
        //   out: 5 req/s × 2,628,000 s × 10 KiB = 125.32 GB × $0.09   = $11.28
        //   logs: 5 tasks × 0.5 GB = 2.5 GB × $0.50                   = $1.25
        //   stored: 2.5 GB × 14 d ÷ 30.42 d = 1.15 GB × $0.03         = $0.03
        //   Container Insights: (11 + 21) metrics × $0.30             = $9.60
        //   its events: 5 × 43,800 min × 2 KiB = 0.42 GB × $0.50      = $0.21
        //   alarms: 2 + 2 + 2 × 2 = 8 metrics, all in the free 10     = $0.00
        //   dashboard: 1, in the free 3                               = $0.00
        //   ECR: 0.5 GB × $0.10                                       = $0.05
        //   access logs: 13.14 M req × 100 B = 1.22 GB × 14/30.42 = 0.56 GB × $0.023 = $0.01
        //   log objects: 2 nodes × 12/h × 730 h = 17,520 PUTs × $0.005/1,000        = $0.09
        const handMin = 30.37 + 4.80 + 14.60 + 16.43 + 1.17 + 11.28 + 1.25 + 0.03 + 9.60 + 0.21 + 0.05 + 0.01 + 0.09;
        near(e.min.totalUsd, handMin);
        assert.equal(cents(e.min.totalUsd), 89.88);
        assert.equal(cents(line(e, "min", "EC2", /t3\.small/).monthlyUsd), 30.37);
        assert.equal(cents(line(e, "min", "VPC", /IPv4/).monthlyUsd), 14.6);
        // Maximum, 4 hosts and 10 tasks: EC2 $60.74, gp3 $9.60, IPv4 6 × 730 × $0.005 = $21.90,
        // logs 5 GB × $0.50 = $2.50, stored 2.30 GB × $0.03 = $0.07, events 0.84 GB × $0.50 = $0.42;
        // the ALB, traffic, metrics, alarms, ECR and access logs do not scale.
        const handMax = 60.74 + 9.60 + 21.90 + 16.43 + 1.17 + 11.28 + 2.50 + 0.07 + 9.60 + 0.42 + 0.05 + 0.01 + 0.09;
        near(e.max.totalUsd, handMax);
        assert.deepEqual([e.max.hosts, e.max.tasks], [4, 10]);
        assert.equal(e.partial, false);
    });

    test("bigger instance type with more hosts: m5.large, 3 AZs, 6..10 hosts, 50 req/s", () => {
        const e = estimateCost(bigger);
        // Minimum, 6 hosts and 12 tasks:
        //   m5.large $0.096/h × 730 h × 6 hosts                       = $420.48
        //   gp3 $0.08 × 50 GB × 6                                     = $24.00
        //   IPv4 $0.005 × 730 h × (6 + 3)                             = $32.85
        //   ALB $0.0225 × 730                                         = $16.43
        //   LCU: 50/s ÷ 25 = 2 LCU (bytes: 1.72 GB/h) × 730 × $0.008   = $11.68
        //   out: 50 × 2,628,000 × 10 KiB = 1,253.13 GB × $0.09         = $112.78
        //   logs: 12 × 0.5 = 6 GB × $0.50                             = $3.00
        //   stored: 6 × 30/30.42 = 5.92 GB × $0.03                    = $0.18
        //   Container Insights: 32 × $0.30                            = $9.60
        //   its events: 12 × 43,800 × 2 KiB = 1.00 GB × $0.50         = $0.50
        //   ECR $0.05; access logs 12.07 GB × $0.023 = $0.28; 3 × 12 × 730 = 26,280 PUTs = $0.13
        const handMin = 420.48 + 24.00 + 32.85 + 16.43 + 11.68 + 112.78 + 3.00 + 0.18 + 9.60 + 0.50 + 0.05 + 0.28 + 0.13;
        near(e.min.totalUsd, handMin);
        assert.equal(cents(e.min.totalUsd), 631.95);
        // Maximum, 10 hosts and 30 tasks: $0.096 × 730 × 10 = $700.80, gp3 $40.00, IPv4 13 × 730 × $0.005
        // = $47.45, logs 15 GB = $7.50, stored 14.79 GB = $0.44, events 2.51 GB = $1.25.
        const handMax = 700.80 + 40.00 + 47.45 + 16.43 + 11.68 + 112.78 + 7.50 + 0.44 + 9.60 + 1.25 + 0.05 + 0.28 + 0.13;
        near(e.max.totalUsd, handMax);
        assert.equal(cents(line(e, "max", "EC2", /m5\.large/).monthlyUsd), 700.8);
    });

    test("HTTPS with a second service and the WAF", () => {
        const e = estimateCost(httpsTwoServices);
        // Minimum, 2 hosts and 5 + 2 = 7 tasks. As dev for hosts, ALB and traffic ($78.64), then:
        //   logs: 7 × 0.5 = 3.5 GB × $0.50                            = $1.75
        //   stored: 3.5 × 14/30.42 = 1.61 GB × $0.03                  = $0.05
        //   Container Insights: (11 + 21 × 2) = 53 × $0.30            = $15.90
        //   its events: 7 × 43,800 × 2 KiB = 0.58 GB × $0.50          = $0.29
        //   alarms: 8 × 2 = 16 metrics, 10 free, 6 × $0.10            = $0.60
        //   ECR: 2 repositories × 0.5 GB × $0.10                      = $0.10
        //   access logs $0.01 + $0.09
        //   WAF: web ACL $5.00 + 3 rules × $1.00 + 13.14 M requests × $0.60 = $15.88
        //   ACM certificate, alias queries, SNS topic and email: free
        const handMin = 78.64 + 1.75 + 0.05 + 15.90 + 0.29 + 0.60 + 0.10 + 0.01 + 0.09 + 5.00 + 3.00 + 7.88;
        near(e.min.totalUsd, handMin);
        assert.equal(cents(e.min.totalUsd), 113.31);
        assert.equal(cents(line(e, "min", "WAF", /requests/).monthlyUsd), 7.88);
        for (const [service, item] of [["ACM", /certificate/], ["Route 53", /alias/], ["SNS", /email/]] as const) {
            const free = line(e, "min", service, item);
            assert.deepEqual([free.status, free.monthlyUsd], ["free", 0]);
        }
    });

    test("the dev stack in eu-west-1 uses that region's prices", () => {
        const e = estimateCost({ ...dev, region: "eu-west-1" });
        // t3.small $0.0228 × 730 × 2 = $33.29; gp3 $0.088 × 60 = $5.28; IPv4 $14.60; ALB $0.0252 × 730 = $18.40;
        // LCU $1.17; out $11.28; logs 2.5 GB × $0.57 = $1.43; stored $0.03; metrics $9.60;
        // events 0.42 GB × $0.57 = $0.24; ECR $0.05; access logs $0.01 + $0.09.
        const hand = 33.29 + 5.28 + 14.60 + 18.40 + 1.17 + 11.28 + 1.43 + 0.03 + 9.60 + 0.24 + 0.05 + 0.01 + 0.09;
        near(e.min.totalUsd, hand);
        assert.equal(line(e, "min", "EC2", /t3\.small/).unitPriceUsd, 0.0228);
    });
});

describe("estimateCost: what it lists", () => {
    test("a region the table lacks gives 'no price for X in Y' lines and a partial estimate", () => {
        const e = estimateCost({ ...dev, region: "ap-south-1" });
        assert.equal(e.partial, true);
        assert.ok(e.missing.includes("no price for ec2:t3.small in ap-south-1"));
        const ec2 = line(e, "min", "EC2", /t3\.small/);
        assert.deepEqual([ec2.status, ec2.monthlyUsd, ec2.note], ["no price", 0, "no price for ec2:t3.small in ap-south-1"]);
        // Prices the same in every region still count: 4 IPv4 addresses × 730 h × $0.005.
        assert.equal(cents(e.min.totalUsd), 14.6);
        assert.match(renderEstimateText(e), /not priced {2}\(no price for ec2:t3\.small in ap-south-1\)/);
    });

    test("an instance type the table lacks leaves out only the hosts", () => {
        const e = estimateCost({ ...dev, instanceType: "r7i.large" });
        assert.deepEqual(e.missing, ["no price for ec2:r7i.large in us-east-1"]);
        near(e.min.totalUsd, 89.88 - 30.37, 0.001);
    });

    test("free items are listed as free, not left out", () => {
        const e = estimateCost(dev);
        const free = e.min.lines.filter((l) => l.status === "free").map((l) => l.service);
        assert.deepEqual(free, ["SNS", "ECS", "Auto Scaling"]);
        assert.ok(e.min.lines.filter((l) => l.status === "free").every((l) => l.monthlyUsd === 0));
    });

    test("Container Insights and access logs off remove their lines", () => {
        const e = estimateCost({ ...dev, containerInsights: false, albAccessLogs: false });
        assert.equal(e.min.lines.some((l) => /Container Insights/.test(l.item) || l.service === "S3"), false);
        // $89.88 - $9.60 - $0.21 - $0.01 - $0.09
        near(e.min.totalUsd, 79.97, 0.001);
    });

    test("without the always-free allowances, alarms and the dashboard are billed", () => {
        const e = estimateCost({ ...dev, assumptions: { ...defaultAssumptions, applyAlwaysFreeTier: false } });
        // 8 alarm metrics × $0.10 = $0.80; 1 dashboard × $3.00
        assert.equal(cents(line(e, "min", "CloudWatch", /alarm/).monthlyUsd), 0.8);
        assert.equal(line(e, "min", "CloudWatch", /dashboards/).monthlyUsd, 3);
        near(e.min.totalUsd, 89.88 + 3.8, 0.001);
    });

    test("what does not scale is the same at both points", () => {
        const e = estimateCost(dev);
        for (const [service, item] of [["ELB", /Load Balancer/], ["CloudWatch", /alarm/], ["CloudWatch", /metrics/], ["ECR", /image/]] as const) {
            assert.equal(line(e, "max", service, item).monthlyUsd, line(e, "min", service, item).monthlyUsd);
        }
        assert.deepEqual(e.max.lines.map((l) => l.item), e.min.lines.map((l) => l.item));
    });

    test("the estimate is plain JSON, so --json can carry it as `cost`", () => {
        const e = estimateCost(httpsTwoServices);
        assert.deepEqual(JSON.parse(JSON.stringify(e)), e);
    });
});

describe("the price table", () => {
    test("each row has a price, a unit, an AWS pricing page, a read date and its confirmation", () => {
        for (const p of prices) {
            assert.ok(p.usd > 0, p.key);
            assert.ok(p.unit.length > 0, p.key);
            assert.match(p.url, /^https:\/\/aws\.amazon\.com\/[a-z0-9-]+(\/[a-z0-9-]+)*\/$/, p.key);
            assert.match(p.read, /^\d{4}-\d{2}-\d{2}$/, p.key);
            assert.match(p.confirmedBy, /^(secondary|unconfirmed): /, p.key);
        }
    });

    test("one row per price and region, and every price the estimate uses in us-east-1 and eu-west-1", () => {
        const keys = prices.map((p) => `${p.key}@${p.region}`);
        assert.equal(new Set(keys).size, keys.length);
        for (const region of ["us-east-1", "eu-west-1"]) {
            const e = estimateCost({ ...httpsTwoServices, region });
            assert.deepEqual(e.missing, [], region);
        }
        assert.equal(hoursPerMonth, 730);
        assert.equal(findPrice("vpc:public-ipv4", "eu-west-1")?.region, "all");
    });

    test("every instance type the capacity model supports has a us-east-1 price", () => {
        const unpriced = Object.keys(ecsInstanceCapacity).filter((type) => findPrice(`ec2:${type}`, "us-east-1") === undefined);
        assert.deepEqual(unpriced, []);
        // No source showed m7i in eu-west-1: the table says so rather than guess.
        assert.deepEqual(estimateCost({ ...dev, region: "eu-west-1", instanceType: "m7i.large" }).missing,
            ["no price for ec2:m7i.large in eu-west-1"]);
    });
});

describe("rendering", () => {
    test("a host type that is not burstable carries no credit note", () => {
        assert.doesNotMatch(renderEstimateText(estimateCost({ ...dev, instanceType: "m5.large" })), /CPU credits/);
    });

    test("the plan's text shows quantity, unit price and amount for each line at both points", () => {
        const text = renderEstimateText(estimateCost(dev));
        assert.match(text, /^Monthly cost estimate: us-east-1, USD, on-demand list prices, 730 hours a month$/m);
        assert.match(text, /^Minimum fleet \(2 hosts, 5 tasks\): \$89\.88\/month$/m);
        assert.match(text, /^Maximum the config allows \(4 hosts, 10 tasks\): \$\d+\.\d\d\/month$/m);
        assert.match(text, /EC2 +t3\.small hosts +1,460 instance-hours × \$0\.0208 = \$30\.37 {2}\(standard CPU credits: no surplus charge\)$/m);
        assert.match(text, /8 alarm metric-months \(8 free\) × \$0\.10 = \$0\.00/);
        assert.match(text, /ECS +ECS control plane \(EC2 launch type\) +free/);
    });

    test("the markdown table puts both points side by side with a total", () => {
        const md = renderEstimateMarkdown(estimateCost(dev));
        assert.match(md, /^\| EC2 \| t3\.small hosts \(standard CPU credits: no surplus charge\) \| \$0\.0208 \/ instance-hour \(Linux, on-demand\) \| 1,460 instance-hours: \$30\.37 \| 2,920 instance-hours: \$60\.74 \|$/m);
        assert.match(md, /^\| \*\*Total\*\* \| \| \| \*\*\$89\.88\/month\*\* \|/m);
    });

    test("the pull request line and markdown: head against main", () => {
        const base = estimateCost(dev);
        const head = estimateCost({ ...dev, hosts: { min: 4, max: 4 } });
        const diff = diffEstimates(base, head);
        // Two more hosts: t3.small 2 × 730 × $0.0208 = $30.37, gp3 2 × 30 × $0.08 = $4.80, IPv4 2 × 730 × $0.005 = $7.30.
        assert.equal(cents(diff.deltaMinUsd), 42.47);
        assert.equal(cents(diff.deltaMaxUsd), 0);
        assert.equal(renderDiffLine(diff), "Estimated cost: $132.35/month (+$42.47/month vs main), at most $133.84/month (±$0.00/month vs main)");
        const md = renderDiffMarkdown(diff);
        assert.match(md, /^\| EC2 \| t3\.small hosts \| \$30\.37 \| \$60\.74 \| \+\$30\.37 \|$/m);
        assert.deepEqual(diff.changes.map((c) => c.service), ["EC2", "VPC", "EBS"]);
    });

    test("an unchanged stack diffs to nothing; a removed item diffs to its whole amount", () => {
        const e = estimateCost(dev);
        assert.match(renderDiffMarkdown(diffEstimates(e, e)), /No line item changes at the minimum fleet\./);
        const withoutInsights = diffEstimates(e, estimateCost({ ...dev, containerInsights: false }));
        assert.equal(cents(withoutInsights.changes[0].deltaUsd), -9.6);
        assert.equal(formatDelta(-9.6), "-$9.60");
        assert.equal(formatDelta(0.004), "±$0.00");
    });

    test("docs/costs.md's part round-trips through replaceGenerated, the text around its markers kept", () => {
        const tables = renderCostTables(estimateCost(dev));
        assert.ok(tables.startsWith("## The dev stack (us-east-1, on-demand, 730 hours a month)\n"));
        assert.match(tables, /^## Prices\n/m);
        const doc = `# Title\n\n${wrapGenerated(costTablesPart, "old")}\n\n## Layout\n\nrest\n`;
        const updated = replaceGenerated(doc, costTablesPart, tables);
        assert.equal(findGenerated(updated, costTablesPart), wrapGenerated(costTablesPart, tables));
        assert.ok(updated.startsWith("# Title\n\n<!-- BEGIN dev stack estimate and prices: generated by `npm run -s readme:costs`"));
        assert.ok(updated.endsWith("\n<!-- END dev stack estimate and prices -->\n\n## Layout\n\nrest\n"));
        assert.throws(() => replaceGenerated("# Title\n", costTablesPart, tables), /docs\/costs\.md has no '<!-- BEGIN dev stack estimate and prices:/);
    });

    test("docs/costs.md's estimate and price table, and the README's summary, are the ones rendered from the price table for the dev stack", () => {
        const estimate = estimateCost(dev);
        assert.equal(readGenerated(costTablesPart), wrapGenerated(costTablesPart, renderCostTables(estimate)), "regenerate it: npm run -s readme:costs");
        assert.equal(readGenerated(costSummaryPart), wrapGenerated(costSummaryPart, renderCostSummary(estimate)), "regenerate it: npm run -s readme:costs");
    });

    test("the PR comment: the change against main, then the PR's estimate; the estimate alone when main has none", () => {
        const base = estimateCost(dev);
        const head = estimateCost(httpsTwoServices);
        const comment = costComment(base, head);
        assert.match(comment, /^<!-- ecs-on-ec2:cost-estimate -->\n### Monthly cost estimate \(offline plan of the dev stack\)\n\n\*\*Estimated cost: \$[\d.,]+\/month \(\+\$[\d.,]+\/month vs main\)/);
        assert.ok(comment.includes(renderEstimateMarkdown(head)));
        assert.match(costComment(undefined, head), /No estimate of main to compare with\./);
    });
});
