// Unit tests of the runtime UI's pure modules (menu, filters, form helpers, formatting); no browser needed.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
