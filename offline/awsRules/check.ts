// The vocabulary every rule file is written in: a Check reads one value and names the AWS rule it
// breaks, or nothing; the helpers below walk inputs by dotted path and turn failed checks into Violations.

export interface Violation { property: string; value: unknown; rule: string }

/** Undefined when `value` passes, else the rule it breaks, worded as AWS states it. */
export type Check = (value: unknown) => string | undefined;

export type Inputs = Record<string, unknown>;

/**
 * Checks per dotted property path; `*` stands for every item of a list ("rules.*.id"), and a path descends into
 * JSON documents that arrive as strings. A path whose value is absent is skipped (AWS applies its default).
 */
export type Spec = Readonly<Record<string, Check | readonly Check[]>>;

export function isRecord(value: unknown): value is Inputs {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON document's value, when `value` is a string holding one; else `value` itself. */
function parsedJson(value: unknown): unknown {
    if (typeof value !== "string" || !/^\s*[[{]/.test(value)) {
        return value;
    }
    try {
        return JSON.parse(value) as unknown;
    } catch {
        return value;
    }
}

/** The values at a dotted path ("healthCheck.timeout", "rules.*.id"), each with its concrete path; none when a step is missing. */
function valuesAt(value: unknown, path: string, prefix = ""): { path: string; value: unknown }[] {
    const [key, ...rest] = path.split(".");
    const current = parsedJson(value);
    if (!isRecord(current) && !Array.isArray(current)) {
        return [];
    }
    const keys = key === "*" ? (Array.isArray(current) ? current.map((_, i) => String(i)) : []) : [key];
    return keys.flatMap((k) => {
        const next = (current as Record<string, unknown>)[k];
        const nextPath = join(prefix, k);
        return rest.length === 0 ? [{ path: nextPath, value: next }] : valuesAt(next, rest.join("."), nextPath);
    });
}

/** The value at a dotted path without wildcards; undefined when any step is missing. */
function at(value: unknown, path: string): unknown {
    return valuesAt(value, path)[0]?.value;
}

export function join(prefix: string, path: string): string {
    return prefix === "" ? path : `${prefix}.${path}`;
}

/** Runs `spec` on `inputs`, reporting paths under `prefix`. */
export function checkSpec(inputs: unknown, spec: Spec, prefix = ""): Violation[] {
    return Object.entries(spec).flatMap(([path, checks]) => valuesAt(inputs, path, prefix)
        .filter(({ value }) => value !== undefined && value !== null)
        .flatMap(({ path: where, value }) => ([] as Check[]).concat(checks).flatMap((check) => violation(where, value, check(value)))));
}

export function violation(property: string, value: unknown, rule: string | undefined): Violation[] {
    return rule === undefined ? [] : [{ property, value, rule }];
}

/** Paths AWS requires: an absent or empty value is a violation. */
export function required(inputs: unknown, paths: readonly string[], prefix = ""): Violation[] {
    return paths.flatMap((path) => {
        const value = at(inputs, path);
        const missing = value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
        return missing ? violation(join(prefix, path), value, "is required") : [];
    });
}

/** Items of an array input (none when absent or not an array), with the dotted path of each. */
export function items(inputs: unknown, path: string, prefix = ""): { item: unknown; path: string }[] {
    const list = at(inputs, path);
    return Array.isArray(list) ? list.map((item, i) => ({ item, path: join(prefix, `${path}.${i}`) })) : [];
}

/** Numbers may arrive as numeric strings (TF string attributes); anything else is NaN. */
export function numberOf(value: unknown): number {
    if (typeof value === "number") {
        return value;
    }
    return typeof value === "string" && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.trim()) ? Number(value) : NaN;
}

// ---- checks ----

export const str: Check = (v) => typeof v === "string" ? undefined : "must be a string";

export function length(min: number, max: number): Check {
    return (v) => {
        if (typeof v !== "string") {
            return "must be a string";
        }
        const n = [...v].length;
        return n >= min && n <= max ? undefined : `length must be ${min}-${max} characters (is ${n})`;
    };
}

export function pattern(re: RegExp, description: string): Check {
    return (v) => typeof v === "string" && re.test(v) ? undefined : `must match ${description}`;
}

export function notPrefixed(prefixes: readonly string[], caseInsensitive = false): Check {
    return (v) => {
        const s = caseInsensitive ? String(v).toLowerCase() : String(v);
        const hit = prefixes.find((p) => s.startsWith(p));
        return hit === undefined ? undefined : `must not start with "${hit}"`;
    };
}

export function int(min: number, max: number): Check {
    return (v) => {
        const n = numberOf(v);
        return Number.isInteger(n) && n >= min && n <= max ? undefined : `must be an integer from ${min} to ${max}`;
    };
}

export function num(min: number, max: number): Check {
    return (v) => {
        const n = numberOf(v);
        return Number.isFinite(n) && n >= min && n <= max ? undefined : `must be a number from ${min} to ${max}`;
    };
}

export function oneOf(allowed: readonly (string | number)[]): Check {
    return (v) => allowed.includes(v as string | number) ? undefined : `must be one of ${allowed.join(", ")}`;
}

export function maxItems(max: number): Check {
    return (v) => !Array.isArray(v) || v.length <= max ? undefined : `must have at most ${max} items (has ${v.length})`;
}

export function minItems(min: number): Check {
    return (v) => Array.isArray(v) && v.length >= min ? undefined : `must have at least ${min} items`;
}

/** The first rule any of `checks` finds broken. */
export function all(...checks: Check[]): Check {
    return (v) => checks.reduce<string | undefined>((found, check) => found ?? check(v), undefined);
}

/** Applies `check` to each item of an array value. */
export function each(check: Check): Check {
    return (v) => {
        if (!Array.isArray(v)) {
            return "must be a list";
        }
        const bad = v.findIndex((item) => check(item) !== undefined);
        return bad < 0 ? undefined : `item ${bad}: ${String(check(v[bad]))}`;
    };
}

export const bool: Check = (v) => typeof v === "boolean" || v === "true" || v === "false" ? undefined : "must be a boolean";

/** An ARN, optionally of one service (and resource-type prefix). */
export function arn(service?: string, resourcePrefix = ""): Check {
    const svc = service ?? "[a-z0-9-]+";
    const re = new RegExp(`^arn:aws[a-z-]*:${svc}:[a-z0-9-]*:(\\d{12}|aws)?:${escape(resourcePrefix)}.+$`);
    return pattern(re, `an ARN (arn:partition:${service ?? "service"}:region:account:${resourcePrefix}…)`);
}

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

export const ipv4Cidr: Check = (v) => {
    const m = typeof v === "string" ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v) : null;
    const ok = m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
    return ok ? undefined : "must be an IPv4 CIDR block such as 10.0.0.0/16";
};

// ---- JSON documents ----

/** A JSON document input: strings are parsed, objects taken as they are; undefined when not JSON. */
function parseDocument(value: unknown): { ok: true; doc: unknown } | { ok: false } {
    if (typeof value !== "string") {
        return isRecord(value) || Array.isArray(value) ? { ok: true, doc: value } : { ok: false };
    }
    try {
        return { ok: true, doc: JSON.parse(value) as unknown };
    } catch {
        return { ok: false };
    }
}

/** Runs `rules` on a JSON-string input at `property`, or reports that it is not valid JSON. */
export function document(inputs: Inputs, property: string, rules: (doc: unknown, property: string) => Violation[]): Violation[] {
    const value = inputs[property];
    if (value === undefined || value === null) {
        return [];
    }
    const parsed = parseDocument(value);
    return parsed.ok ? rules(parsed.doc, property) : violation(property, value, "must be valid JSON");
}

// ---- names ----

export interface Context { logicalName: string; physicalName?: string }

// ---- one type's rules ----

/**
 * The rules of one resource type or invoke: `fields` checks each property on its own (the name property holds
 * the physical name AWS gets), `relations` checks what depends on several properties or on their presence.
 */
export interface TypeRules {
    readonly fields: Spec;
    readonly relations?: (inputs: Inputs, context: Context) => Violation[];
}
