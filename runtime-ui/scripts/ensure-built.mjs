// Builds the runtime UI when runtime-ui/dist is missing, so `npm install && npm start` serves it on a fresh machine.
// An existing build is left alone: `npm run build:ui` rebuilds on purpose.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const workspace = join(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(join(workspace, "dist", "index.html"))) {
  console.log("runtime-ui/dist is missing: building the UI (vite build) …");
  const result = spawnSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: workspace, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("The UI build failed; the server would start without it.");
    process.exit(result.status ?? 1);
  }
}
