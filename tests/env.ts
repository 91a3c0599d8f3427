// Environment variables for the length of one test's body.

/** Sets environment variables (undefined removes one) for the length of `body`, then puts them back. */
export async function withEnv<T>(vars: Record<string, string | undefined>, body: () => Promise<T> | T): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
    // Assigning undefined to process.env would store the string "undefined"; Reflect.deleteProperty unsets.
    const apply = (values: Record<string, string | undefined>) => {
        for (const [key, value] of Object.entries(values)) {
            if (value === undefined) Reflect.deleteProperty(process.env, key); else process.env[key] = value;
        }
    };
    apply(vars);
    try {
        return await body();
    } finally {
        apply(saved);
    }
}
