import * as pulumi from "@pulumi/pulumi";

/** A config value the stack cannot use, named by its full key (`project:key`, `project:services.app.desiredCount`). */
export class ConfigError extends pulumi.RunError {
    constructor(key: string, value: string, allowed: string) {
        super(`Invalid config '${key}': got ${JSON.stringify(value)}; expected ${allowed}.`);
        this.name = "ConfigError";
    }
}
