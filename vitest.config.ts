import { defineConfig } from "vitest/config";

// Three layers (docs/decisions/003-test-layers.md): unit tests beside the code,
// integration tests against real parts (SQLite, PostgreSQL, the built server over
// HTTP, local fakes of external services), browser tests in Debian's Chromium.
export default defineConfig({
  test: {
    // Once for all projects: integration and browser tests need a current build.
    globalSetup: ["test/support/global-setup.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["app/**/*.test.ts", "app/**/*.test.tsx", "extensions/**/*.test.ts", "scripts/**/*.test.ts"],
          environment: "node",
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
