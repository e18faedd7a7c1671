// Runs the browser tests end to end: builds the UI when runtime-ui/dist is missing, starts the server on a free
// port with a fresh embedded database (or DATABASE_URL), runs e2e/tests with vitest (JSON report in
// .test-results/e2e.json, screenshots in e2e/screenshots/), then stops the server and removes the database.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not answer ${url}/api/health within ${timeoutMs / 1000} s`);
}

mkdirSync(results, { recursive: true });
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), "crm-e2e-"));
const serverLog = createWriteStream(join(results, "e2e-server.log"));
const server = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
  cwd: root,
  env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DEMO: "1", ...(dataDir ? { DATA_DIR: dataDir } : {}) },
  stdio: ["ignore", "pipe", "pipe"],
});
server.stdout.pipe(serverLog);
server.stderr.pipe(serverLog);

let status = 1;
try {
  const boot = Date.now();
  await waitForHealth(baseUrl, server, 180_000);
  console.log(`server ready on ${baseUrl} in ${seconds(boot)} (${dataDir ? `embedded database in ${dataDir}` : "DATABASE_URL"})`);
  const tests = Date.now();
  const vitest = spawnSync(
    "npx",
    ["vitest", "run", "--config", "e2e/vitest.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${join(results, "e2e.json")}`, ...process.argv.slice(2)],
    { cwd: root, stdio: "inherit", env: { ...process.env, E2E_BASE_URL: baseUrl } },
  );
  status = vitest.status ?? 1;
  console.log(`browser tests ${status === 0 ? "passed" : "FAILED"} in ${seconds(tests)}; whole run ${seconds(started)}`);
} catch (error) {
  console.error(`${error.message}; see .test-results/e2e-server.log`);
} finally {
  server.kill("SIGTERM");
  await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.once("exit", resolve)));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
process.exit(status);
