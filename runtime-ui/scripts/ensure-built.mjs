// Builds the runtime UI when runtime-ui/dist is missing or older than its sources, so `npm install && npm start`
// serves it on a fresh machine and a pulled change never runs against a stale bundle. `npm run build:ui` rebuilds
// on purpose.
import { existsSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const workspace = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(workspace, "dist", "index.html");
// The UI imports pure modules of the metadata package by path (default layouts, record types), so they count too.
const sources = [join(workspace, "src"), join(workspace, "index.html"), join(workspace, "vite.config.ts"), join(workspace, "package.json"), join(workspace, "..", "metadata", "src")];

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), 0);
}

const reason = !existsSync(built) ? "is missing" : Math.max(...sources.map(newestChange)) > statSync(built).mtimeMs ? "is older than its sources" : null;
if (reason) {
  console.log(`runtime-ui/dist ${reason}: building the UI (vite build) …`);
  const result = spawnSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: workspace, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("The UI build failed; the server would start without it.");
    process.exit(result.status ?? 1);
  }
}
