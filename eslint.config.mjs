import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "app-image/", "dist/", "build/", "bench/cdk/node_modules/", "bench/cdk/cdk.out/"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    // Plain-JavaScript build and bench scripts run by Node as they are.
    files: ["**/*.mjs", "**/*.cjs", "bench/**/*.js"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["**/*.cjs", "bench/**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    rules: {
      // Pulumi's resource constructors register infrastructure as a side effect.
      "no-new": "off",
    },
  },
);
