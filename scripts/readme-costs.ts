// `npm run -s readme:costs`: rewrites the dev stack's cost estimate and the price table in docs/costs.md, and
// the README's summary of that estimate, from infra/cost/prices.ts for the dev stack's config (Pulumi.yaml's
// defaults and Pulumi.dev.yaml); tests/cost.test.ts fails while either differs from what this writes.
import { estimateCost } from "../infra/cost/estimate";
import { costInputs } from "../infra/cost/inputs";
import { renderCostSummary, renderCostTables } from "../infra/cost/render";
import { fleetOf } from "../infra/models/fleet";
import { stackConfigOf } from "../offline/run";
import { stackConfigFile } from "../offline/stackFiles";
import { GeneratedPart, writeGenerated } from "./generatedParts";

const source = "infra/cost/prices.ts";
export const costTablesPart: GeneratedPart = { file: "docs/costs.md", name: "dev stack estimate and prices", script: "readme:costs", source };
export const costSummaryPart: GeneratedPart = { file: "README.md", name: "cost summary", script: "readme:costs", source };

if (require.main === module) {
    const config = stackConfigOf(stackConfigFile("dev"));
    const estimate = estimateCost(costInputs(config, fleetOf(config)));
    writeGenerated(costTablesPart, renderCostTables(estimate));
    writeGenerated(costSummaryPart, renderCostSummary(estimate));
}
