// The fake AWS's per-field rules against AWS's API models: offline/awsRules/apiConstraints.json (written by
// `npm run aws:constraints` from botocore's models) holds, for each rule that checks an API member, that member's
// length, pattern, range and enum. Each rule is probed at those bounds and must accept exactly what the model
// accepts there, except where the file records a stricter rule AWS documents (with its URL), which it checks instead.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { repoRoot } from "../infra/paths";
import { Check, invokeTypeRules, resourceTypeRules } from "../offline/awsRules";

interface Constraints {
    readonly min?: number;
    readonly max?: number;
    readonly pattern?: string;
    readonly enum?: readonly string[];
}

interface Entry {
    readonly rule: string;
    readonly property: string;
    readonly list: boolean;
    readonly model: { service: string; shape: string; member: string; valueShape: string; type: string };
    readonly constraints: Constraints;
    readonly sample?: string;
    readonly probes?: readonly string[];
    readonly documented?: Constraints & { url: string; why: string };
}

const file = path.join(repoRoot, "offline", "awsRules", "apiConstraints.json");
const { rules: entries } = JSON.parse(fs.readFileSync(file, "utf8")) as { rules: Entry[] };

/** A model pattern (Java regex, matched against the whole value) as a JavaScript RegExp. */
function modelPattern(pattern: string): RegExp {
    const source = pattern
        // Java's \p{Print} is printable ASCII unless UNICODE_CHARACTER_CLASS is set.
        .replace(/\\p\{Print\}/g, "[\\x20-\\x7E]")
        // A surrogate-pair range in a Java class is the supplementary planes.
        .replace(/\\uD800\\uDC00-\\uDBFF\\uDFFF/g, "\\u{10000}-\\u{10FFFF}");
    try {
        return new RegExp(`^(?:${source})$`, "u");
    } catch {
        return new RegExp(`^(?:${source})$`);
    }
}

const numeric = new Set(["integer", "long", "double", "float"]);

/** Whether AWS accepts `value` under `constraints`, the model's with the documented ones over them. */
function awsAccepts(value: unknown, type: string, constraints: Constraints): boolean {
    const { min, max, pattern, enum: values } = constraints;
    if (numeric.has(type)) {
        const integral = type === "integer" || type === "long";
        return typeof value === "number" && (!integral || Number.isInteger(value)) && (min === undefined || value >= min) && (max === undefined || value <= max);
    }
    if (typeof value !== "string") {
        return false;
    }
    const length = [...value].length;
    return (min === undefined || length >= min) && (max === undefined || length <= max)
        && (pattern === undefined || modelPattern(pattern).test(value)) && (values === undefined || values.includes(value));
}

/** `sample` cut or padded (with its last character) to `length` characters. */
function sized(sample: string, length: number): string {
    const chars = [...sample];
    return length <= chars.length ? chars.slice(0, length).join("") : sample + chars[chars.length - 1].repeat(length - chars.length);
}

/** Values at the edges of the constraints: lengths or values min-1, min, max, max+1; each enum value and a stranger. */
function probes(entry: Entry, constraints: Constraints): unknown[] {
    const { min, max, enum: values } = constraints;
    const edges = [min === undefined ? [] : [min - 1, min], max === undefined ? [] : [max, max + 1]].flat().filter((n) => n >= 0 || numeric.has(entry.model.type));
    if (numeric.has(entry.model.type)) {
        return [...edges, ...(min === undefined ? [] : [min + 0.5])];
    }
    const sample = entry.sample;
    return [
        ...(sample === undefined ? [] : [sample, ...edges.map((n) => sized(sample, n))]),
        ...(entry.probes ?? []),
        ...(values ?? []), ...(values === undefined ? [] : ["NOT_A_MEMBER"]),
    ];
}

function ruleCheck(entry: Entry): readonly Check[] {
    const found = resourceTypeRules[entry.rule]?.fields[entry.property] ?? invokeTypeRules[entry.rule]?.fields[entry.property];
    assert.ok(found !== undefined, `${entry.rule} has no field rule for ${entry.property}`);
    return ([] as Check[]).concat(found);
}

function ruleAccepts(checks: readonly Check[], value: unknown, list: boolean): boolean {
    const sent = list ? [value] : value;
    return checks.every((check) => check(sent) === undefined);
}

/** Just the constraints of a documented exception, without its source. */
function constraintsOf({ min, max, pattern, enum: values }: Constraints): Constraints {
    return Object.fromEntries(Object.entries({ min, max, pattern, enum: values }).filter(([, v]) => v !== undefined));
}

/** A documented rule may only narrow the model's. */
function assertNarrows(documented: Constraints, model: Constraints): void {
    assert.ok(documented.min === undefined || documented.min >= (model.min ?? -Infinity), "documented min below the model's");
    assert.ok(documented.max === undefined || documented.max <= (model.max ?? Infinity), "documented max above the model's");
    assert.ok(documented.enum === undefined || model.enum === undefined || documented.enum.every((v) => model.enum?.includes(v)),
        "documented values outside the model's enum");
}

describe("the fake AWS's field rules agree with AWS's API models", () => {
    test("the data file covers rules of the fake", () => {
        assert.ok(entries.length > 50, `only ${entries.length} rules mapped`);
    });
    for (const entry of entries) {
        const { model } = entry;
        test(`${entry.rule} ${entry.property} = ${model.service} ${model.shape}.${model.member} (${model.valueShape})`, () => {
            const checks = ruleCheck(entry);
            const documented = constraintsOf(entry.documented ?? {});
            assertNarrows(documented, entry.constraints);
            const constraints = { ...entry.constraints, ...documented };
            const values = probes(entry, constraints);
            assert.ok(values.length > 0, "no values to probe: give the mapping a sample");
            const disagreements = values.filter((v) => ruleAccepts(checks, v, entry.list) !== awsAccepts(v, model.type, constraints))
                .map((v) => `${JSON.stringify(v)}: AWS ${awsAccepts(v, model.type, constraints) ? "accepts" : "refuses"}`);
            assert.deepEqual(disagreements, [], `the rule disagrees with ${JSON.stringify(constraints)}`);
        });
    }
});
