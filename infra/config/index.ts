export { CliType } from "./cliTypes";
export { ConfigError } from "./errors";
export { HttpsConfig } from "./https";
export { appImageDirectory, defaultServices, serviceDefaults, ServiceConfig, serviceSettingDocs } from "./services";
export { clusterCliTypes, loadStackConfig, parseStackConfig, StackConfig } from "./stackConfig";
