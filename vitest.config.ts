import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "typed-batch/testing": fileURLToPath(new URL("./src/testing/index.ts", import.meta.url)),
      "typed-batch": fileURLToPath(new URL("./src/index.ts", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI tests spawn dist/cli/main.js: compile once before any test runs.
    globalSetup: ["test/cli/global-setup.ts"],
    testTimeout: 30000,
    hookTimeout: 60000,
  },
});
