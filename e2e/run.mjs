// Runs the browser tests end to end: builds the UI when runtime-ui/dist is missing, starts the server on a free
// port with a fresh embedded database (or DATABASE_URL), runs e2e/tests with vitest (JSON report in
// .test-results/e2e.json, screenshots in e2e/screenshots/), then stops the server and removes the database.
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../scripts/server-process.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const results = join(root, ".test-results");
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

if (!existsSync("/usr/bin/chromium") && !process.env.CHROMIUM_PATH) {
  console.error("Chromium is missing: apt-get install -y chromium (or set CHROMIUM_PATH).");
  process.exit(2);
}

const build = spawnSync(process.execPath, [join(root, "runtime-ui/scripts/ensure-built.mjs")], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

mkdirSync(results, { recursive: true });
const serverLog = createWriteStream(join(results, "e2e-server.log"));

let status = 1;
let server = null;
try {
  const boot = Date.now();
  server = await startServer({ root, output: serverLog });
  console.log(`server ready on ${server.baseUrl} in ${seconds(boot)} (${server.dataDir ? `embedded database in ${server.dataDir}` : "DATABASE_URL"})`);
  const tests = Date.now();
  const vitest = spawnSync(
    "npx",
    ["vitest", "run", "--config", "e2e/vitest.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${join(results, "e2e.json")}`, ...process.argv.slice(2)],
    { cwd: root, stdio: "inherit", env: { ...process.env, E2E_BASE_URL: server.baseUrl } },
  );
  status = vitest.status ?? 1;
  console.log(`browser tests ${status === 0 ? "passed" : "FAILED"} in ${seconds(tests)}; whole run ${seconds(started)}`);
} catch (error) {
  console.error(`${error.message}; see .test-results/e2e-server.log`);
} finally {
  await server?.stop();
}
process.exit(status);
