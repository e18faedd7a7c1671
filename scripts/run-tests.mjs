// `npm test`: type checks, the whole vitest suite on the embedded database and, when TEST_DATABASE_URL is set,
// again on that real PostgreSQL; then the runtime UI (type check, unit tests, build, bundle budget) and the
// browser tests. Ends with one "N passed, N failed" line.
//
// Browser tests need Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH). Without it they are skipped with a
// message on a developer machine; under CI (CI=true) a missing browser is a failure.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, existsSync, rmSync } from "node:fs";

const resultsDir = ".test-results";
mkdirSync(resultsDir, { recursive: true });
const extraArgs = process.argv.slice(2);
let passed = 0;
let failed = 0;

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return result.status ?? 1;
}

/** A check that is one pass or one failure (type check, build, bundle budget). */
function check(title, command, args, env = {}) {
  console.log(`\n== ${title}`);
  if (run(command, args, env) === 0) passed += 1;
  else {
    failed += 1;
    console.log(`FAILED: ${title}`);
  }
}

/** Adds a vitest JSON report's counts; a file that fails to load counts as a failure too. */
function countReport(name, output, status) {
  if (!existsSync(output)) {
    console.log(`${name}: wrote no results (exit ${status})`);
    failed += 1;
    return;
  }
  const report = JSON.parse(readFileSync(output, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  const brokenFiles = report.testResults.filter((file) => file.status === "failed" && file.assertionResults.every((test) => test.status !== "failed"));
  failed += brokenFiles.length;
  for (const file of brokenFiles) console.log(`failed to run: ${file.name}: ${String(file.message).split("\n")[0]}`);
  if (status !== 0 && report.numFailedTests === 0 && brokenFiles.length === 0) failed += 1;
  console.log(`${name}: ${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles.length} failed`);
}

check("type check (tsc --noEmit)", "npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]);

const suites = [{ name: "embedded", env: { DATABASE_URL: "" } }];
if (process.env.TEST_DATABASE_URL) suites.push({ name: "postgres", env: { DATABASE_URL: process.env.TEST_DATABASE_URL } });

for (const suite of suites) {
  const output = `${resultsDir}/${suite.name}.json`;
  rmSync(output, { force: true });
  console.log(`\n== vitest on the ${suite.name} database`);
  const status = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${output}`, ...extraArgs], suite.env);
  countReport(suite.name, output, status);
}

// Arguments select server tests; the UI and browser suites run only in a full run.
if (extraArgs.length === 0) {
  check("runtime UI type check", "npx", ["tsc", "-p", "runtime-ui/tsconfig.json", "--noEmit"]);
  check("browser test type check", "npx", ["tsc", "-p", "e2e/tsconfig.json", "--noEmit"]);

  const uiOutput = `${resultsDir}/runtime-ui.json`;
  rmSync(uiOutput, { force: true });
  console.log("\n== runtime UI unit tests");
  const uiStatus = run("npm", ["test", "-w", "runtime-ui", "--", "--reporter=default", "--reporter=json", `--outputFile=${process.cwd()}/${uiOutput}`]);
  countReport("runtime UI", uiOutput, uiStatus);

  // Always a fresh build, so the bundle budget and the browser tests see this commit's UI.
  check("runtime UI build", "npm", ["run", "build", "-w", "runtime-ui"]);
  check("runtime UI initial bundle budget", "node", ["runtime-ui/scripts/check-bundle.mjs"]);

  const browser = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(browser)) {
    if (process.env.CI === "true") {
      console.log(`\nbrowser tests: ${browser} is missing`);
      failed += 1;
    } else console.log(`\nbrowser tests skipped: ${browser} is missing (apt-get install -y chromium)`);
  } else {
    const e2eOutput = `${resultsDir}/e2e.json`;
    rmSync(e2eOutput, { force: true });
    console.log("\n== browser tests (e2e, embedded database)");
    // The embedded database: the browser tests check the screens, the suites above already ran both databases.
    const e2eStatus = run("node", ["e2e/run.mjs"], { DATABASE_URL: "" });
    countReport("browser", e2eOutput, e2eStatus);
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
