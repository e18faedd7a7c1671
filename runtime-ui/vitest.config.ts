// Unit tests of the runtime UI's pure modules (menu, filters, form helpers, formatting) and of components rendered
// to HTML (the list table); no browser needed.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
