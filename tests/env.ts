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

/** An environment in which the AWS SDK's default credential chain finds nothing, without touching AWS. */
export const noCredentials = {
    AWS_PROFILE: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined, AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_CONFIG_FILE: "/nonexistent/aws/config", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws/credentials",
    AWS_EC2_METADATA_DISABLED: "true",
};
