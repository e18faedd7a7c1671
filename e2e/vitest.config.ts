// Browser tests: one server (started by e2e/run.mjs), one file at a time, generous timeouts for a shared machine.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/tests/**/*.e2e.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    maxWorkers: 1,
    pool: "forks",
  },
});
