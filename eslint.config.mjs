import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "cdktf.out/**", "dist/**", ".state/**", "coverage/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // The barrel loads ~1,470 modules (~4x synth time, ~6x memory): deep-import provider classes.
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@cdktf/provider-google",
              message: "Import the resource by deep path, e.g. '@cdktf/provider-google/lib/pubsub-topic'.",
            },
          ],
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // bench/barrel-app deliberately loads the barrel to measure what it costs.
    files: ["bench/synth/barrel-*.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
