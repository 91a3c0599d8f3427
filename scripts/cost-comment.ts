// `npx tsx scripts/cost-comment.ts BASE.plan.json HEAD.plan.json`: the pull request's cost comment, from
// two offline plans (`npm run -s plan -- --json`): the change against main, then the PR's whole estimate.
// A missing or cost-less base plan (main before the estimate existed) gives the estimate alone.
import * as fs from "node:fs";
import { CostEstimate } from "../infra/cost/estimate";
import { diffEstimates, renderDiffMarkdown, renderEstimateMarkdown } from "../infra/cost/render";

/** The cost of a plan file, if it has one. */
export function planCost(file: string): CostEstimate | undefined {
    if (!fs.existsSync(file) || fs.statSync(file).size === 0) {
        return undefined;
    }
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { cost?: CostEstimate }).cost;
}

/**
 * The first line of the comment: the pull-request workflow finds the comment to edit by it, so it edits this
 * comment and never another's (Pulumi's preview comment, a reviewer's).
 */
export const costCommentMarker = "<!-- ecs-on-ec2:cost-estimate -->";

/** The comment's markdown. */
export function costComment(base: CostEstimate | undefined, head: CostEstimate): string {
    const heading = `${costCommentMarker}\n### Monthly cost estimate (offline plan of the dev stack)`;
    const change = base === undefined ? "No estimate of main to compare with." : renderDiffMarkdown(diffEstimates(base, head));
    return [heading, "", change, "", "<details><summary>This pull request's estimate</summary>", "", renderEstimateMarkdown(head), "", "</details>", ""].join("\n");
}

if (require.main === module) {
    const [baseFile, headFile] = process.argv.slice(2);
    const head = headFile === undefined ? undefined : planCost(headFile);
    if (baseFile === undefined || head === undefined) {
        process.stderr.write("usage: tsx scripts/cost-comment.ts BASE.plan.json HEAD.plan.json (the head plan must carry a cost)\n");
        process.exitCode = 2;
    } else {
        process.stdout.write(costComment(planCost(baseFile), head));
    }
}
