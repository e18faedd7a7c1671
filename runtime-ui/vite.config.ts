// Vite build of the runtime UI; the server serves dist/ at "/" and the dev server proxies /api to it.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/api": `http://localhost:${process.env.API_PORT ?? 3000}` } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // scripts/check-bundle.mjs reads the entry's static import graph from the manifest.
    manifest: true,
    // The bundle budget is enforced by scripts/check-bundle.mjs on the real entry graph, not by this warning.
    chunkSizeWarningLimit: 2000,
  },
});
