import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "app-image/", "dist/", "bench/cdk/node_modules/", "bench/cdk/cdk.out/"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    // The CDK baseline of the benchmark: plain CommonJS that Node runs as it is.
    files: ["bench/**/*.js"],
    languageOptions: { globals: globals.node, sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    rules: {
      // Pulumi's resource constructors register infrastructure as a side effect.
      "no-new": "off",
      // pulumi-aws's index loads all of its ~250 service modules (and tsc reads all their types) where the
      // program uses ~17: import each service's own module instead. (The index also registers the package
      // for rehydrating provider references, which only a program handed one, say by a component from
      // another language, needs.)
      "no-restricted-imports": ["error", {
        patterns: [{ regex: "^@pulumi/aws(/index(\\.js)?)?$", message: "Import the service's module, e.g. `@pulumi/aws/ecs`." }],
      }],
    },
  },
);
