import { z } from "zod";

/**
 * How the Pulumi CLI carries a config value: Pulumi.yaml's `type` (with `items` for a list), and so how
 * the string the CLI hands the program decodes. Derived from the zod schema, the one home of each key's type.
 */
export type CliType =
    | { readonly type: "string" | "integer" | "boolean" | "object" }
    | { readonly type: "array"; readonly items: CliType };

/** The schema a default, prefault, optional or pipe wraps: the one that says what the value is. */
export function unwrapped(schema: z.core.$ZodType): z.core.$ZodType {
    const def = (schema as z.core.$ZodTypes)._zod.def;
    switch (def.type) {
        case "default":
        case "prefault":
        case "optional":
            return unwrapped(def.innerType);
        case "pipe":
            // A preprocess is a pipe from a transform: the schema it reads with is its out side.
            return unwrapped((def.in as z.core.$ZodTypes)._zod.def.type === "transform" ? def.out : def.in);
        default:
            return schema;
    }
}

/** The config type of a schema field; a field no Pulumi config type can carry is a programming error. */
export function cliTypeOf(schema: z.core.$ZodType): CliType {
    const inner = unwrapped(schema);
    const def = (inner as z.core.$ZodTypes)._zod.def;
    switch (def.type) {
        case "string":
            return { type: "string" };
        case "boolean":
            return { type: "boolean" };
        case "number":
            // Pulumi config has integers only; a fractional number would need a type of its own.
            if (inner instanceof z.ZodNumber && inner.isInt) {
                return { type: "integer" };
            }
            break;
        case "array":
            return { type: "array", items: cliTypeOf(def.element) };
        case "object":
        case "record":
            return { type: "object" };
    }
    throw new Error(`no Pulumi config type for a zod ${def.type}${def.type === "number" ? " that is not an integer" : ""}`);
}

/**
 * The value a config string stands for, by its key's type: lists and maps arrive as JSON. A string that
 * does not decode stays a string, so the schema refuses it with the key's own message.
 */
export function decodeCliString(type: CliType, value: string): unknown {
    switch (type.type) {
        case "integer":
            return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
        case "boolean":
            return value === "true" ? true : value === "false" ? false : value;
        case "array":
        case "object":
            try {
                return JSON.parse(value) as unknown;
            } catch {
                return value;
            }
        case "string":
            return value;
    }
}
