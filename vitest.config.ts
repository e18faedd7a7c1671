import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["metadata/src/**/*.test.ts", "server/src/**/*.test.ts", "server/test/**/*.test.ts", "seeds/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
