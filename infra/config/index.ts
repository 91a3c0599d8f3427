export { ConfigError } from "./errors";
export { HttpsConfig } from "./https";
export { defaultServices, serviceDefaults, ServiceConfig } from "./services";
export { loadStackConfig, logRetentionValues, parseStackConfig, StackConfig } from "./stackConfig";
