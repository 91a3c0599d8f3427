/**
 * Text and markdown for the cost estimate: the plan's and preview's listing, the pull request's
 * difference from main, docs/costs.md's tables and the README's summary. Pure: strings in, strings out.
 */
import { CostEstimate, CostPoint, LineItem } from "./estimate";
import { findPrice, freeItems, prices } from "./prices";

// Made once: toLocaleString with options builds a new formatter on every call.
const cents = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const listedDigits = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 5 });
const wholeQuantity = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const smallQuantity = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** Dollars to the cent: "$30.37". */
export function formatUsd(usd: number): string {
    return `$${cents.format(usd)}`;
}

/** A unit price with the digits AWS lists: "$0.0208", "$0.005", "$3.00". */
function formatUnitPrice(usd: number): string {
    return `$${listedDigits.format(usd)}`;
}

/** A signed difference: "+$31.00", "-$2.50"; a change under half a cent is none. */
export function formatDelta(usd: number): string {
    const rounded = Math.round(usd * 100) / 100;
    return rounded === 0 ? "±$0.00" : `${rounded > 0 ? "+" : "-"}${formatUsd(Math.abs(rounded))}`;
}

function formatQuantity(quantity: number): string {
    return (quantity >= 100 ? wholeQuantity : smallQuantity).format(quantity);
}

function quantityText(line: LineItem): string {
    const free = line.freeQuantity > 0 ? ` (${formatQuantity(line.freeQuantity)} free)` : "";
    return `${formatQuantity(line.quantity)} ${line.unit}${free}`;
}

function lineAmount(line: LineItem): string {
    switch (line.status) {
        case "free": return "free";
        case "no price": return `${quantityText(line)}: not priced`;
        case "priced": return `${quantityText(line)} × ${formatUnitPrice(line.unitPriceUsd)} = ${formatUsd(line.monthlyUsd)}`;
    }
}

function assumptionsSentence(estimate: CostEstimate): string {
    const a = estimate.assumptions;
    return `Assumes ${a.requestsPerSecond} requests/s of ${a.averageResponseKiB} KiB, `
        + `${a.logGiBPerTaskPerMonth} GiB of logs per task a month, ${a.imageGiBPerService} GiB of images per service; `
        + `AWS always-free allowances ${a.applyAlwaysFreeTier ? "applied" : "not applied"}.`;
}

function pointTitle(label: string, point: CostPoint): string {
    return `${label} (${point.hosts} hosts, ${point.tasks} tasks): ${formatUsd(point.totalUsd)}/month`;
}

function pointText(label: string, point: CostPoint): string[] {
    const width = (pick: (line: LineItem) => string) => Math.max(...point.lines.map((line) => pick(line).length));
    const serviceWidth = width((line) => line.service);
    const itemWidth = width((line) => line.item);
    return [
        pointTitle(label, point),
        ...point.lines.map((line) => {
            const note = line.note === undefined ? "" : `  (${line.note})`;
            return `  ${line.service.padEnd(serviceWidth)}  ${line.item.padEnd(itemWidth)}  ${lineAmount(line)}${note}`;
        }),
    ];
}

/** A blank line and the partial-estimate warning, or nothing. */
function partialNote(estimate: CostEstimate): string[] {
    return estimate.partial
        ? ["", `Partial estimate: infra/cost/prices.ts lacks ${estimate.missing.length} price(s), and the totals leave out their items.`]
        : [];
}

/** The estimate as `npm run plan` and `pulumi preview` print it. */
export function renderEstimateText(estimate: CostEstimate): string {
    return [
        `Monthly cost estimate: ${estimate.region}, ${estimate.currency}, on-demand list prices, ${estimate.hoursPerMonth} hours a month`,
        assumptionsSentence(estimate),
        "",
        ...pointText("Minimum fleet", estimate.min),
        "",
        ...pointText("Maximum the config allows", estimate.max),
        ...partialNote(estimate),
        "",
    ].join("\n");
}

function itemCell(line: LineItem): string {
    return line.note === undefined ? line.item : `${line.item} (${line.note})`;
}

function cell(line: LineItem): string {
    switch (line.status) {
        case "free": return "free";
        case "no price": return `${quantityText(line)}: not priced`;
        case "priced": return `${quantityText(line)}: ${formatUsd(line.monthlyUsd)}`;
    }
}

function unitPriceCell(line: LineItem, region: string): string {
    const price = line.priceKey === undefined ? undefined : findPrice(line.priceKey, region);
    if (price === undefined) {
        return line.status === "free" ? "free" : "no price";
    }
    return `${formatUnitPrice(price.usd)} / ${price.unit}`;
}

/** The estimate as one markdown table, both points side by side. */
export function renderEstimateMarkdown(estimate: CostEstimate): string {
    const { min, max } = estimate;
    const rows = min.lines.map((line, i) =>
        `| ${line.service} | ${itemCell(line)} | ${unitPriceCell(line, estimate.region)} | ${cell(line)} | ${cell(max.lines[i])} |`);
    return [
        `| Service | Item | Unit price | Minimum: ${min.hosts} hosts, ${min.tasks} tasks | Maximum: ${max.hosts} hosts, ${max.tasks} tasks |`,
        "| --- | --- | --- | --- | --- |",
        ...rows,
        `| **Total** | | | **${formatUsd(min.totalUsd)}/month** | **${formatUsd(max.totalUsd)}/month** |`,
        ...partialNote(estimate),
        "",
    ].join("\n");
}

/** The price rows an estimate in `region` can use: the region's own and the all-regions ones. */
export function renderPriceTableMarkdown(region: string): string {
    const rows = prices.filter((p) => p.region === region || p.region === "all").map((p) =>
        `| \`${p.key}\` | ${p.region} | ${formatUnitPrice(p.usd)} | ${p.unit} | ${p.url} | ${p.read} | ${p.confirmedBy} |`);
    return [
        "| Price | Region | USD | Per | AWS pricing page | Read | Confirmed by |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
        "",
    ].join("\n");
}

/** About what the minimum fleet costs a day: "$2.96". */
function dailyAtMinimum(estimate: CostEstimate): string {
    return formatUsd((estimate.min.totalUsd * 24) / estimate.hoursPerMonth);
}

/** docs/costs.md's estimate of the dev stack (`estimate`) and the price table it comes from. */
export function renderCostTables(estimate: CostEstimate): string {
    return [
        `## The dev stack (${estimate.region}, on-demand, ${estimate.hoursPerMonth} hours a month)`,
        "",
        `The dev stack's estimate, as \`npm run plan\` prints it. ${assumptionsSentence(estimate)}`,
        "",
        renderEstimateMarkdown(estimate),
        `About ${dailyAtMinimum(estimate)} a day at the minimum: destroy stacks you are not using.`,
        "",
        "## Prices",
        "",
        "Every figure above comes from this table; AWS's pages could not be read live, so each row says where it was confirmed.",
        "",
        renderPriceTableMarkdown(estimate.region),
        `Free, by AWS's pricing pages: ${Object.values(freeItems).map((f) => `${f.item} (${f.url})`).join(", ")}.`,
        "",
    ].join("\n");
}

/** The README's summary of the dev stack's estimate (`estimate`); docs/costs.md itemizes it. */
export function renderCostSummary(estimate: CostEstimate): string {
    const { min, max } = estimate;
    return [
        `The dev stack costs about **${formatUsd(min.totalUsd)}/month** at its minimum fleet (${min.hosts} hosts, ${min.tasks} tasks) `
            + `and ${formatUsd(max.totalUsd)}/month at the most its config allows (${max.hosts} hosts, ${max.tasks} tasks): `
            + `${estimate.region}, on-demand list prices, ${estimate.hoursPerMonth} hours a month. `
            + `About ${dailyAtMinimum(estimate)} a day at the minimum: destroy stacks you are not using.`,
        ...partialNote(estimate),
        "",
    ].join("\n");
}

export interface CostChange {
    readonly service: string;
    readonly item: string;
    readonly baseUsd: number;
    readonly headUsd: number;
    readonly deltaUsd: number;
}

export interface CostDiff {
    readonly base: { readonly minUsd: number; readonly maxUsd: number };
    readonly head: { readonly minUsd: number; readonly maxUsd: number };
    readonly deltaMinUsd: number;
    readonly deltaMaxUsd: number;
    /** Either estimate lacked a price: the difference may be off by the missing items. */
    readonly partial: boolean;
    /** Line items whose minimum-fleet amount changed by a cent or more, largest change first. */
    readonly changes: readonly CostChange[];
}

const lineKey = (line: LineItem) => `${line.service}\u0000${line.item}`;

/** How `head` (the pull request's stack) differs from `base` (main's). */
export function diffEstimates(base: CostEstimate, head: CostEstimate): CostDiff {
    const amounts = (point: CostPoint) => new Map(point.lines.map((line) => [lineKey(line), line]));
    const before = amounts(base.min);
    const after = amounts(head.min);
    const changes = [...new Set([...before.keys(), ...after.keys()])].map((key) => {
        const line = (after.get(key) ?? before.get(key)) as LineItem;
        const baseUsd = before.get(key)?.monthlyUsd ?? 0;
        const headUsd = after.get(key)?.monthlyUsd ?? 0;
        return { service: line.service, item: line.item, baseUsd, headUsd, deltaUsd: headUsd - baseUsd };
    }).filter((change) => Math.abs(change.deltaUsd) >= 0.005)
        .sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd));
    return {
        base: { minUsd: base.min.totalUsd, maxUsd: base.max.totalUsd },
        head: { minUsd: head.min.totalUsd, maxUsd: head.max.totalUsd },
        deltaMinUsd: head.min.totalUsd - base.min.totalUsd,
        deltaMaxUsd: head.max.totalUsd - base.max.totalUsd,
        partial: base.partial || head.partial,
        changes,
    };
}

/** One line for the pull request comment: "$120.28/month (+$31.00/month vs main), at most ...". */
export function renderDiffLine(diff: CostDiff, baseName = "main"): string {
    const partial = diff.partial ? " (partial: some prices are missing)" : "";
    return `Estimated cost: ${formatUsd(diff.head.minUsd)}/month (${formatDelta(diff.deltaMinUsd)}/month vs ${baseName}), `
        + `at most ${formatUsd(diff.head.maxUsd)}/month (${formatDelta(diff.deltaMaxUsd)}/month vs ${baseName})${partial}`;
}

/** The pull request comment's cost section: the line, then the items that changed. */
export function renderDiffMarkdown(diff: CostDiff, baseName = "main"): string {
    const rows = diff.changes.map((c) =>
        `| ${c.service} | ${c.item} | ${formatUsd(c.baseUsd)} | ${formatUsd(c.headUsd)} | ${formatDelta(c.deltaUsd)} |`);
    const table = rows.length === 0
        ? ["No line item changes at the minimum fleet."]
        : [`| Service | Item | ${baseName} | This PR | Change |`, "| --- | --- | --- | --- | --- |", ...rows];
    return [`**${renderDiffLine(diff, baseName)}**`, "", ...table, ""].join("\n");
}
