import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "app-image/", "dist/"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      // Pulumi's resource constructors register infrastructure as a side effect.
      "no-new": "off",
    },
  },
);
