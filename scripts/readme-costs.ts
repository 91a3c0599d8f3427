// `npm run -s readme:costs`: rewrites the README's costs section from the price table, for the dev stack's
// config (Pulumi.yaml's defaults and Pulumi.dev.yaml); tests/cost.test.ts fails while the two differ.
import * as fs from "node:fs";
import * as path from "node:path";
import { estimateCost } from "../infra/cost/estimate";
import { renderReadmeCostSection, replaceReadmeCostSection } from "../infra/cost/render";
import { costInputs } from "../infra/cost/inputs";
import { stackConfigOf } from "../offline/run";
import { repoRoot } from "../infra/paths";
import { stackConfigFile } from "../offline/stackFiles";

const readmeFile = path.join(repoRoot, "README.md");
const config = stackConfigOf(stackConfigFile("dev"));
const section = renderReadmeCostSection(estimateCost(costInputs(config)));
fs.writeFileSync(readmeFile, replaceReadmeCostSection(fs.readFileSync(readmeFile, "utf8"), section));
