// Starts the product's server as a child process on a free port (embedded database in a temporary folder unless
// DATABASE_URL is set) and stops it again: shared by the browser tests (e2e/run.mjs) and bench/ui-list.ts.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
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

/**
 * Starts `server/src/main.ts` in demo mode and waits until it answers /api/health.
 * options: { root, env (extra environment), output (a writable stream for its stdout and stderr), timeoutMs }
 * Resolves to { baseUrl, dataDir, stop() }; stop() ends the server and removes the temporary database folder.
 */
export async function startServer(options) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), "crm-server-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
    cwd: options.root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DEMO: "1", ...(dataDir ? { DATA_DIR: dataDir } : {}), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (options.output) {
    child.stdout.pipe(options.output);
    child.stderr.pipe(options.output);
  } else {
    child.stdout.resume();
    child.stderr.resume();
  }
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)));
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, child, options.timeoutMs ?? 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, dataDir, stop };
}
