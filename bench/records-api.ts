// bench/records-api: the generic records API against a hand-written fastify + pg route on the same table.
//
// Loads N rows (default 1,000,000) into a custom object `bench_item` with SQL, starts the generic app
// and a hand-written fastify app (one pg.Pool, the same queries by hand) on 127.0.0.1, and measures over
// real HTTP from this process: first page, filter + sort, deep keyset pages, get by id. Both servers are
// measured alternately per scenario (ABBA rounds) so they share conditions; the load generator, both
// servers and PostgreSQL share the machine's cores, as in the issue. Prints p50/p95/p99, requests/s,
// the ratios, PASS/FAIL against the targets (generic ≤ 1.25× hand; any page < 20 ms p95), then a
// breakdown of where the generic API spends its time. The bench database is dropped at the end.
//
//   npm run bench:records-api -- [--rows 1000000] [--requests 8000] [--concurrency 4] [--warmup 200] [--budget 60]
//   (--budget: seconds per scenario and side after which a very slow scenario stops early; n is then printed)
//   (--requests: 8,000 by default because a p95 over 2,000 requests, 500 per round, moved by ±0.3 ratio points
//   between runs on a quiet machine: the 100 slowest requests are a handful of GC or scheduler stalls)
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (an admin connection; default shown)
import { parseArgs } from "node:util";
import { bulkLoad, OBJECT, recreateDatabase, startGeneric, withDatabase } from "./lib/setup";
import { startHand } from "./lib/hand-route";
import { getJson, run, stats, target, type Stats, type Target } from "./lib/load";
import { buildScenarios, type Scenario } from "./lib/scenarios";
import { printBreakdown } from "./lib/breakdown";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    requests: { type: "string", default: "8000" },
    concurrency: { type: "string", default: "4" },
    warmup: { type: "string", default: "200" },
    budget: { type: "string", default: "60" },
  },
});
const ROWS = Number(args.rows);
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const WARMUP = Number(args.warmup);
const BUDGET_MS = Number(args.budget) * 1000;
const ROUNDS = 4;
const TARGET_RATIO = 1.25;
const TARGET_PAGE_P95_MS = 20;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DATABASE = "crm_bench";

const log = (line: string) => console.log(line);

/** The same logical requests must answer the same records (and, with equal cursors, the same bodies). */
async function checkSame(scenario: Scenario, generic: Target, hand: Target): Promise<string> {
  let identical = true;
  for (let index = 0; index < Math.min(5, scenario.generic.length); index += 1) {
    const [a, b] = [await getJson(generic, scenario.generic[index]), await getJson(hand, scenario.hand[index])];
    const ids = (body: any): string[] => (body.records ?? [body]).map((record: { id: string }) => record.id);
    if (ids(a).join() !== ids(b).join() || ids(a).length === 0) {
      throw new Error(`${scenario.name}: generic and hand answer different ids for ${scenario.generic[index]}`);
    }
    identical &&= JSON.stringify(a) === JSON.stringify(b);
  }
  return identical ? "same ids, identical JSON" : "same ids";
}

/** Warm-up, then ABBA rounds so that drift (caches, JIT, autovacuum) hits both sides alike. */
async function measure(scenario: Scenario, generic: Target, hand: Target): Promise<{ generic: Stats; hand: Stats }> {
  await run(generic, scenario.generic, WARMUP, CONCURRENCY, BUDGET_MS / 10);
  await run(hand, scenario.hand, WARMUP, CONCURRENCY, BUDGET_MS / 10);
  const collected = { generic: { latencies: [] as number[], wallMs: 0 }, hand: { latencies: [] as number[], wallMs: 0 } };
  const perRound = Math.ceil(REQUESTS / ROUNDS);
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? (["generic", "hand"] as const) : (["hand", "generic"] as const);
    for (const side of order) {
      const result = await run(side === "generic" ? generic : hand, scenario[side], perRound, CONCURRENCY, BUDGET_MS / ROUNDS);
      collected[side].latencies.push(...result.latencies);
      collected[side].wallMs += result.wallMs;
    }
  }
  return { generic: stats(collected.generic.latencies, collected.generic.wallMs), hand: stats(collected.hand.latencies, collected.hand.wallMs) };
}

const ms = (value: number) => value.toFixed(2).padStart(6);
const cell = (text: string, width: number) => text.padEnd(width);

function printTable(rows: { scenario: Scenario; generic: Stats; hand: Stats; check: string }[]): boolean {
  let allPass = true;
  log(`\n${ROWS.toLocaleString("en")} rows, ${REQUESTS} requests per side, concurrency ${CONCURRENCY}; latency in ms`);
  log(
    `${cell("scenario", 26)} | ${cell("generic p50/p95/p99", 22)} ${cell("rps", 6)} | ${cell("hand p50/p95/p99", 22)} ${cell("rps", 6)} | ` +
      `p95 ratio  rps ratio | verdict`,
  );
  log("-".repeat(130));
  for (const { scenario, generic, hand, check } of rows) {
    const p95Ratio = generic.p95 / hand.p95;
    const rpsRatio = hand.rps / generic.rps;
    const failures: string[] = [];
    if (p95Ratio > TARGET_RATIO) failures.push(`p95 ${p95Ratio.toFixed(2)}x`);
    if (rpsRatio > TARGET_RATIO) failures.push(`rps ${rpsRatio.toFixed(2)}x`);
    if (scenario.page && generic.p95 >= TARGET_PAGE_P95_MS) failures.push(`p95 ≥ ${TARGET_PAGE_P95_MS} ms`);
    allPass &&= failures.length === 0;
    const counts = generic.count < REQUESTS || hand.count < REQUESTS ? `; n=${generic.count}/${hand.count} within the budget` : "";
    log(
      `${cell(scenario.name, 26)} | ${ms(generic.p50)} ${ms(generic.p95)} ${ms(generic.p99)} ${String(Math.round(generic.rps)).padStart(6)} | ` +
        `${ms(hand.p50)} ${ms(hand.p95)} ${ms(hand.p99)} ${String(Math.round(hand.rps)).padStart(6)} | ` +
        `${p95Ratio.toFixed(2).padStart(8)}x ${rpsRatio.toFixed(2).padStart(8)}x | ${failures.length ? `FAIL (${failures.join(", ")})` : "PASS"}; ${check}${counts}`,
    );
  }
  log(`targets: generic p95 and rps within ${TARGET_RATIO}x of the hand route; every page p95 < ${TARGET_PAGE_P95_MS} ms`);
  return allPass;
}

async function main(): Promise<void> {
  const databaseUrl = withDatabase(ADMIN_URL, DATABASE);
  await recreateDatabase(ADMIN_URL, DATABASE);
  const cleanup: (() => Promise<void>)[] = [() => recreateDatabase(ADMIN_URL, DATABASE, true)];
  try {
    const genericServer = await startGeneric(databaseUrl);
    cleanup.unshift(() => genericServer.built.close());
    await bulkLoad(databaseUrl, ROWS, log);
    const handServer = await startHand(databaseUrl, genericServer.tokenSecret);
    cleanup.unshift(() => handServer.close());
    const generic = target(genericServer.baseUrl, genericServer.token, CONCURRENCY);
    const hand = target(handServer.baseUrl, genericServer.token, CONCURRENCY);
    cleanup.unshift(async () => [generic, hand].forEach((side) => side.agent.destroy()));

    const model = await genericServer.built.server.registry.current();
    const scenarios = await buildScenarios(genericServer.built.database.db, model.objects.get(OBJECT)!, 200);
    // One short pass over everything first, so that the first scenario does not pay for JIT warm-up alone.
    for (const scenario of scenarios) {
      await run(generic, scenario.generic, 50, CONCURRENCY, BUDGET_MS / 20);
      await run(hand, scenario.hand, 50, CONCURRENCY, BUDGET_MS / 20);
    }
    const results = [];
    for (const scenario of scenarios) {
      const check = await checkSame(scenario, generic, hand);
      const measured = await measure(scenario, generic, hand);
      log(`measured ${scenario.name}: generic p95 ${measured.generic.p95.toFixed(2)} ms, hand p95 ${measured.hand.p95.toFixed(2)} ms`);
      results.push({ scenario, ...measured, check });
    }
    const pass = printTable(results);
    await printBreakdown({ built: genericServer.built, databaseUrl, scenarios, log });
    log(pass ? "\nRESULT: PASS" : "\nRESULT: FAIL");
    process.exitCode = pass ? 0 : 1;
  } finally {
    for (const step of cleanup) await step().catch((error) => console.error("cleanup:", error));
  }
}

await main();
