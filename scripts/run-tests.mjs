// `npm test`: type check, then the whole vitest suite on the embedded database and, when
// TEST_DATABASE_URL is set, again on that real PostgreSQL; ends with one "N passed, N failed" line.
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

console.log("\n== type check (tsc --noEmit)");
if (run("npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]) === 0) passed += 1;
else failed += 1;

const suites = [{ name: "embedded", env: { DATABASE_URL: "" } }];
if (process.env.TEST_DATABASE_URL) suites.push({ name: "postgres", env: { DATABASE_URL: process.env.TEST_DATABASE_URL } });

for (const suite of suites) {
  const output = `${resultsDir}/${suite.name}.json`;
  rmSync(output, { force: true });
  console.log(`\n== vitest on the ${suite.name} database`);
  const status = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${output}`, ...extraArgs], suite.env);
  if (!existsSync(output)) {
    console.log(`vitest (${suite.name}) wrote no results (exit ${status})`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(output, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A file that fails to load has no failed test but still fails the run.
  const brokenFiles = report.testResults.filter((file) => file.status === "failed" && file.assertionResults.every((test) => test.status !== "failed"));
  failed += brokenFiles.length;
  for (const file of brokenFiles) console.log(`failed to run: ${file.name}: ${String(file.message).split("\n")[0]}`);
  if (status !== 0 && report.numFailedTests === 0 && brokenFiles.length === 0) failed += 1;
  console.log(`${suite.name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
