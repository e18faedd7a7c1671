// bench/permissions: what record permissions cost on list pages and counts at CRM scale.
//
// Loads 1,000,000 customers, 3,000,000 contacts and 5,000,000 activities (× --scale) over the demo org plus 520
// generated employees, with skew: one owner with 100,000 customers (a contiguous recent import, in a department
// outside the manager's and the director's range), one customer with 50,000 contacts (wanglei's, its contacts
// owned by anyone), wanglei related to 20,000 records (15,000 customers + 5,000 contacts). Then, for a
// salesperson (wanglei), a manager (liuyang, range = Tianjin), a director (zhaomin, coatings), the skewed owner
// and admin, measures a first page of 50, a count and a deep page (cursor ~5,000 rows in) of customers, contacts
// and activities (each object's default sort), three ways, interleaved in the same run:
//   SQL base   — the records service's own list/count SQL (buildListQuery/buildCountQuery) without the predicate,
//   SQL scoped — what the service runs with the user's predicate (loadAccessContext, then records/scoped-list's
//                buildListSteps run by its readListSteps: the union of per-alternative index ranges (a person's own
//                and related records one range of the related_keys side table), behind a bounded walk of the plain list
//                in the same statement when the scope has many alternatives or one that is no index range (fewRanges);
//                buildScopedCountQuery for a count), both timed in-process and run as the service runs them: a
//                page's statements prepared on the server's pools (db/native-query.ts), planned once per session when
//                the page is in the default order without filter, search or link (listPlanMode), a count unnamed,
//   HTTP       — GET /api/objects/:object/records with the user's bearer token (what the user waits for).
// Targets: scoped/base SQL p95 ratio < 1.5x; page HTTP p95 < 30 ms (60 ms for the broadest non-admin user).
// Admin's rows time the same statement on both sides: their ratios show how far the machine's noise alone goes.
// The two SQL sides run in turns, one statement each, the order turning every iteration (measure.ts, timePairs): a
// burst of noise lands on both alike. Timed in blocks of 50 per side and 200 iterations, admin's identical statements
// differed by up to 1.94x at p95 on this machine; in turns and 1,000 iterations, by 0.89–1.06x.
// FAIL rows get the EXPLAIN (ANALYZE, BUFFERS) summary of each scoped statement the service ran for them.
//
//   npm run bench:permissions -- [--scale 1] [--iterations 1000] [--count-iterations 50] [--warmup 20] [--concurrency 1] [--budget 30]
//                                [--deep 5000] [--timeout 20] [--keep] [--reuse] [--explain]
//   --iterations: measured runs per side of a page; counts (tens to hundreds of ms each) get --count-iterations.
//   --timeout: statement_timeout (s) of the bench database: a query slower than that fails its scenario (TIMEOUT).
//   --keep: keep the database crm_bench_permissions afterwards; --reuse: reuse a kept one loaded at the same scale
//           (indexes the code now declares differently are rebuilt first);
//   --explain: no timing, print every scenario's scoped statements (bindings written in) and their EXPLAIN (ANALYZE, BUFFERS)
//              (of the generic plan for a statement the service plans once).
//   --only: the scenarios whose "<username> <scenario>" contains every comma-separated term, e.g. --only "wanglei,contact page"
//           (a few minutes' run while tuning one shape; it prints how many of the scenarios it runs).
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (an admin connection; default shown)
import { parseArgs } from "node:util";
import { cpus, loadavg } from "node:os";
import pg from "pg";
import { target, type Stats } from "./lib/load";
import { bootApp, databaseExists, planFor, recreateDatabase, setStatementTimeout, SKEWED_USERNAME, withDatabase } from "./permissions/setup";
import { alignIndexes, ensureSkewedLogin, loadData, missingColumns, previousLoad } from "./permissions/load";
import { buildScenarios, loadUsers, type Scenario } from "./permissions/scenarios";
import { explainPlan, explainSummary, measure, sqlLiteral, type Measured, type TimedOut } from "./permissions/measure";

const { values: args } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    iterations: { type: "string", default: "1000" },
    "count-iterations": { type: "string", default: "50" },
    warmup: { type: "string", default: "20" },
    concurrency: { type: "string", default: "1" },
    budget: { type: "string", default: "30" },
    deep: { type: "string", default: "5000" },
    keep: { type: "boolean", default: false },
    reuse: { type: "boolean", default: false },
    explain: { type: "boolean", default: false },
    timeout: { type: "string", default: "20" },
    only: { type: "string" },
  },
});
const SCALE = Number(args.scale);
const ITERATIONS = Number(args.iterations);
const COUNT_ITERATIONS = Number(args["count-iterations"]);
const WARMUP = Number(args.warmup);
const CONCURRENCY = Number(args.concurrency);
const BUDGET_MS = Number(args.budget) * 1000;
/** The deep page is as deep in the user's list as 5,000 rows are at full scale (at least 200 rows). */
const DEPTH = Math.max(200, Math.round(Number(args.deep) * Math.min(1, SCALE)));
const OBJECTS = ["customer", "contact", "activity"];
const TARGET_RATIO = 1.5;
const TARGET_PAGE_MS = 30;
const TARGET_BROADEST_PAGE_MS = 60;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DATABASE = "crm_bench_permissions";
const PASSWORD = "demo123";

const log = (line: string) => console.log(line);
/** The SQL with its bindings written in (to paste into psql); the select list shortened. */
const inline = ({ sql, bindings }: { sql: string; bindings: unknown[] }) =>
  sql
    .replace(/^select .*? from/, "select … from")
    .replace(/\$(\d+)/g, (_, index: string) => sqlLiteral(bindings[Number(index) - 1]));
const ms = (value: number) => value.toFixed(2).padStart(7);

interface Row {
  scenario: Scenario;
  measured: Measured | TimedOut;
  failures: string[];
}

function verdicts(results: { scenario: Scenario; measured: Measured | TimedOut }[], broadest: string): Row[] {
  return results.map(({ scenario, measured }) => {
    const failures: string[] = [];
    if ("error" in measured) return { scenario, measured, failures: [`TIMEOUT: a query ran over ${args.timeout} s`] };
    const ratio = measured.scoped.p95 / measured.base.p95;
    if (scenario.user.username !== "admin" && ratio >= TARGET_RATIO) failures.push(`ratio ${ratio.toFixed(2)}x`);
    if (scenario.kind !== "count") {
      const limit = scenario.user.username === broadest ? TARGET_BROADEST_PAGE_MS : TARGET_PAGE_MS;
      if (measured.http.p95 >= limit) failures.push(`HTTP p95 ≥ ${limit} ms`);
    }
    return { scenario, measured, failures };
  });
}

function printTable(rows: Row[], broadest: string): void {
  log(`\n${"user".padEnd(26)} ${"scenario".padEnd(36)} ${"visible".padStart(10)} | SQL base p50    p95 | SQL scoped p50    p95 | ratio p50   p95 | HTTP p50     p95     n | verdict`);
  log("-".repeat(160));
  let previous = "";
  for (const { scenario, measured, failures } of rows) {
    const who = `${scenario.user.username} (${scenario.user.label}${scenario.user.username === broadest ? ", broadest" : ""})`;
    const visible = Number.isNaN(scenario.visible) ? "timeout" : scenario.visible.toLocaleString("en");
    if ("error" in measured) {
      const base = measured.base ? `${ms(measured.base.p50)} ${ms(measured.base.p95)}` : `${"-".padStart(7)} ${"-".padStart(7)}`;
      log(
        `${(who === previous ? "" : who).padEnd(26)} ${scenario.name.padEnd(36)} ${visible.padStart(10)} | ${base} | ` +
          `${`> ${args.timeout} s`.padStart(15)}     | ${"-".padStart(9)} ${"-".padStart(5)} | ${"-".padStart(7)} ${"-".padStart(7)} ${"0".padStart(5)} | FAIL (${failures.join(", ")})`,
      );
      previous = who;
      continue;
    }
    const { base, scoped, http } = measured;
    const n = Math.min(base.count, scoped.count, http.count);
    log(
      `${(who === previous ? "" : who).padEnd(26)} ${scenario.name.padEnd(36)} ${visible.padStart(10)} | ` +
        `${ms(base.p50)} ${ms(base.p95)} | ${ms(scoped.p50)} ${ms(scoped.p95)}     | ${(scoped.p50 / base.p50).toFixed(2).padStart(8)}x ${(scoped.p95 / base.p95).toFixed(2).padStart(5)}x | ` +
        `${ms(http.p50)} ${ms(http.p95)} ${String(n).padStart(5)} | ${failures.length ? `FAIL (${failures.join(", ")})` : "PASS"}`,
    );
    previous = who;
  }
  log(
    `targets: scoped SQL p95 < ${TARGET_RATIO}x the same SQL without the predicate (non-admin users); page and deep page HTTP p95 < ${TARGET_PAGE_MS} ms ` +
      `(${TARGET_BROADEST_PAGE_MS} ms for the broadest non-admin user, ${broadest}); counts are held to the ratio only. Latencies in ms; ` +
      `SQL timed in-process, sequentially, run as the service runs it (a page's statements prepared on the server's pools and ` +
      `planned once per session when it has no filter, search or link; counts unnamed); HTTP with concurrency ${CONCURRENCY}.`,
  );
}

async function main(): Promise<void> {
  const plan = planFor(SCALE);
  const databaseUrl = withDatabase(ADMIN_URL, DATABASE);
  const cleanup: (() => Promise<void>)[] = [];
  if (!args.keep) cleanup.push(() => recreateDatabase(ADMIN_URL, DATABASE, true));
  try {
    let loaded = args.reuse && (await databaseExists(ADMIN_URL, DATABASE)) ? await previousLoad(databaseUrl, SCALE) : null;
    if (!loaded) await recreateDatabase(ADMIN_URL, DATABASE);
    await setStatementTimeout(ADMIN_URL, DATABASE, Number(args.timeout));
    let { built, baseUrl } = await bootApp(databaseUrl);
    if (loaded) {
      const missing = await missingColumns(built.server.db, await built.server.registry.current());
      if (missing.length) {
        log(`the kept database was loaded by older code (missing ${missing.join(", ")}): loading again`);
        await built.close();
        loaded = null;
        await recreateDatabase(ADMIN_URL, DATABASE);
        await setStatementTimeout(ADMIN_URL, DATABASE, Number(args.timeout));
        ({ built, baseUrl } = await bootApp(databaseUrl));
      }
    }
    const app = built;
    cleanup.unshift(() => app.close());
    const db = built.server.db;
    const model = await built.server.registry.current();
    log(
      `bench/permissions at scale ${SCALE}: ${plan.customers.toLocaleString("en")} customers, ${plan.contacts.toLocaleString("en")} contacts, ` +
        `${plan.activities.toLocaleString("en")} activities; skew: owner with ${plan.skewedOwnerCustomers.toLocaleString("en")} customers, customer with ` +
        `${plan.megaCustomerContacts.toLocaleString("en")} contacts, wanglei related to ${(plan.relatedCustomers + plan.relatedContacts).toLocaleString("en")} records`,
    );
    if (loaded) {
      log(`reusing the database loaded earlier (${loaded.rows.toLocaleString("en")} rows, load took ${loaded.seconds.toFixed(1)} s)`);
      await alignIndexes(db, model, log);
    } else loaded = await loadData({ databaseUrl, db, model, plan, log });
    await ensureSkewedLogin(db, loaded.skewedEmployee);

    // Sessions like the server's (db/connect.ts): UTC, no JIT.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, options: "-c jit=off -c TimeZone=UTC" });
    cleanup.unshift(() => pool.end());
    const targets = new Map<string, ReturnType<typeof target>>();
    for (const username of ["wanglei", "liuyang", "zhaomin", SKEWED_USERNAME, "admin"]) {
      const response = await fetch(`${baseUrl}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password: PASSWORD }),
      });
      if (!response.ok) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
      const { token } = (await response.json()) as { token: string };
      targets.set(username, target(baseUrl, token, CONCURRENCY));
    }
    cleanup.unshift(async () => targets.forEach((to) => to.agent.destroy()));

    log(`\nvisible rows per user (deep page = cursor ${DEPTH.toLocaleString("en")} rows into the user's own list):`);
    const users = await loadUsers(db, model);
    const scenarios = await buildScenarios({ db, model, users, objects: OBJECTS, depth: DEPTH, skewedEmployee: loaded.skewedEmployee, log });
    const broadest = scenarios
      .filter((scenario) => scenario.kind === "count" && scenario.object === "customer" && scenario.user.username !== "admin")
      .sort((a, b) => b.visible - a.visible)[0].user.username;

    const terms = args.only ? args.only.split(",").map((term) => term.trim()).filter(Boolean) : [];
    const selected = scenarios.filter((scenario) => terms.every((term) => `${scenario.user.username} ${scenario.name}`.includes(term)));
    if (terms.length > 0) log(`--only ${terms.join(", ")}: ${selected.length} of ${scenarios.length} scenarios`);

    if (args.explain) {
      for (const scenario of selected) {
        const base = await explainSummary(pool, scenario.sql[0].base);
        log(`\n— ${scenario.user.username} ${scenario.name} (without the predicate: ${base[base.length - 1].trim()})`);
        for (const line of await explainPlan(db, pool, scenario.sql[0].scoped, inline, 60)) log(`  ${line}`);
      }
      return;
    }

    const results: { scenario: Scenario; measured: Measured | TimedOut }[] = [];
    log("");
    for (const scenario of selected) {
      const measured = await measure(scenario, targets.get(scenario.user.username)!, {
        pool,
        db,
        iterations: scenario.kind === "count" ? COUNT_ITERATIONS : ITERATIONS,
        warmup: scenario.kind === "count" ? Math.min(WARMUP, 5) : WARMUP,
        concurrency: CONCURRENCY,
        budgetMs: BUDGET_MS,
      });
      const line = (label: string, stats: Stats) => `${label} ${stats.p50.toFixed(2)}/${stats.p95.toFixed(2)}`;
      if ("error" in measured) {
        log(`measured ${scenario.user.username.padEnd(13)} ${scenario.name.padEnd(36)} TIMEOUT (${measured.error})`);
        results.push({ scenario, measured });
        continue;
      }
      log(
        `measured ${scenario.user.username.padEnd(13)} ${scenario.name.padEnd(36)} ${line("base", measured.base)}  ${line("scoped", measured.scoped)}  ` +
          `${line("http", measured.http)} ms (p50/p95; ${measured.check})`,
      );
      results.push({ scenario, measured });
    }
    const rows = verdicts(results, broadest);
    printTable(rows, broadest);

    const failing = rows.filter((row) => row.failures.length > 0);
    for (const { scenario, failures } of failing) {
      log(`\nEXPLAIN (ANALYZE, BUFFERS) — ${scenario.user.username} ${scenario.name}: ${failures.join(", ")}`);
      for (const line of await explainPlan(db, pool, scenario.sql[0].scoped, inline)) log(`  ${line}`);
    }
    log(`\nmachine: ${cpus().length} cores, load average ${loadavg().map((value) => value.toFixed(2)).join(" ")} at the end (other work on the machine shows in the tails)`);
    const pass = failing.length === 0;
    log(pass ? "\nRESULT: PASS" : `\nRESULT: FAIL (${failing.length} of ${rows.length} rows)`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    for (const step of cleanup) await step().catch((error) => console.error("cleanup:", error));
  }
}

await main();
