// Timing of one scenario three ways, interleaved: the service's SQL without the predicate and with it (in-process,
// sequential, run the way the service runs it) and the real HTTP request with the user's bearer token (bench/lib/load.ts).
import type { Knex } from "knex";
import pg from "pg";
import { queryCompiled } from "../../server/src/db/native-query";
import { getJson, run, stats, type Stats, type Target } from "../lib/load";
import { readListSteps } from "../../server/src/records/scoped-list";
import type { NativeSql, Scenario, ScopedPlan } from "./scenarios";
import { isTimeout } from "./setup";

export interface MeasureOptions {
  pool: pg.Pool;
  /** The server's database (its pools run a page's compiled statements, db/native-query.ts). */
  db: Knex;
  /** Measured runs per side. */
  iterations: number;
  warmup: number;
  concurrency: number;
  /** Per side and scenario: a pathologically slow side stops early (its n is printed). */
  budgetMs: number;
}

export interface Measured {
  base: Stats;
  scoped: Stats;
  http: Stats;
  check: string;
}

/** A scenario whose query hit the statement timeout: no latencies, only what failed. */
export interface TimedOut {
  error: string;
  /** The SQL without the predicate, which still answers (its latency, for comparison). */
  base?: Stats;
}

const ROUNDS = 4;

/** One timed request of a side: a statement, or the service's steps for a scoped page. */
type Timed = (client: pg.ClientBase) => Promise<unknown>;

/**
 * Rows of one statement as the service runs it: a page's compiled statement on the server's pools, prepared and
 * planned as records/read.ts has it planned; a count unnamed, as knex sends it (here on the bench's own session).
 */
export async function runStatement(db: Knex, client: pg.ClientBase | pg.Pool, query: NativeSql): Promise<pg.QueryResultRow[]> {
  if (query.plan) return queryCompiled(db, query.sql, query.bindings, query.plan);
  return (await client.query(query.sql, query.bindings)).rows;
}

const statement = (db: Knex, query: NativeSql): Timed => (client) => runStatement(db, client, query);
const plan = (db: Knex, scoped: ScopedPlan): Timed => (client) => runPlan(db, client, scoped);

/** The rows of the scoped side, read step after step the way the records service reads them. */
export function runPlan(db: Knex, client: pg.ClientBase | pg.Pool, scoped: ScopedPlan): Promise<pg.QueryResultRow[]> {
  return readListSteps(scoped.steps, scoped.limit, (step) => runStatement(db, client, step));
}

type Timings = { latencies: number[]; wallMs: number };
const noTimings = (): Timings => ({ latencies: [], wallMs: 0 });

async function timeSql(pool: pg.Pool, variants: Timed[], count: number, budgetMs: number): Promise<Timings> {
  const { base } = await timePairs(pool, { base: variants }, count, budgetMs);
  return base;
}

/**
 * The sides timed in turns on one session: iteration i runs each side once, the order turning every iteration, so
 * that a burst of the machine's noise (another process, a page the kernel reclaimed from the file cache, a collection
 * in this process) lands on every side alike instead of on one side's block of runs.
 */
async function timePairs<Side extends string>(pool: pg.Pool, sides: Record<Side, Timed[]>, count: number, budgetMs: number): Promise<Record<Side, Timings>> {
  const names = Object.keys(sides) as Side[];
  const timings = Object.fromEntries(names.map((name) => [name, noTimings()])) as Record<Side, Timings>;
  const client = await pool.connect();
  const started = performance.now();
  try {
    for (let index = 0; index < count && performance.now() - started < budgetMs * names.length; index += 1) {
      for (let turn = 0; turn < names.length; turn += 1) {
        const name = names[(index + turn) % names.length];
        const variants = sides[name];
        const sent = performance.now();
        await variants[index % variants.length](client);
        const elapsed = performance.now() - sent;
        timings[name].latencies.push(elapsed);
        timings[name].wallMs += elapsed;
      }
    }
  } finally {
    client.release();
  }
  return timings;
}

/** The HTTP answer must be what the scoped SQL answers (same ids in the same order, or the same total). */
async function check(scenario: Scenario, db: Knex, pool: pg.Pool, http: Target): Promise<string> {
  const body = await getJson(http, scenario.paths[0]);
  const rows = await runPlan(db, pool, scenario.sql[0].scoped);
  if (scenario.kind === "count") {
    if (Number(rows[0].total) !== body.total) throw new Error(`${scenario.user.username} ${scenario.name}: HTTP total ${body.total}, SQL ${rows[0].total}`);
    return `total ${body.total}`;
  }
  const httpIds = (body.records as { id: string }[]).map((record) => record.id);
  const sqlIds = rows.slice(0, 50).map((row) => String(row.id));
  if (httpIds.join() !== sqlIds.join()) throw new Error(`${scenario.user.username} ${scenario.name}: HTTP and SQL answer different ids`);
  return `${httpIds.length} rows`;
}

export async function measure(scenario: Scenario, http: Target, options: MeasureOptions): Promise<Measured | TimedOut> {
  try {
    return await measureAll(scenario, http, options);
  } catch (error) {
    if (!isTimeout(error)) throw error;
    const base = await timeSql(options.pool, scenario.sql.map((variant) => statement(options.db, variant.base)), 20, options.budgetMs / 4);
    return { error: String((error as Error).message ?? error).slice(0, 160), base: stats(base.latencies, base.wallMs) };
  }
}

async function measureAll(scenario: Scenario, http: Target, options: MeasureOptions): Promise<Measured> {
  const { pool, db, iterations, warmup, concurrency, budgetMs } = options;
  const checked = await check(scenario, db, pool, http);
  const bases = scenario.sql.map((variant) => statement(db, variant.base));
  const scopeds = scenario.sql.map((variant) => plan(db, variant.scoped));
  const perRound = Math.ceil(iterations / ROUNDS);
  await timeSql(pool, bases, warmup, budgetMs / 10);
  await timeSql(pool, scopeds, warmup, budgetMs / 10);
  await run(http, scenario.paths, warmup, concurrency, budgetMs / 10);
  const collected = { base: noTimings(), scoped: noTimings(), http: noTimings() };
  const add = (side: keyof typeof collected, result: Timings) => {
    collected[side].latencies.push(...result.latencies);
    collected[side].wallMs += result.wallMs;
  };
  const sql = async () => {
    const pairs = await timePairs(pool, { base: bases, scoped: scopeds }, perRound, budgetMs / ROUNDS);
    add("base", pairs.base);
    add("scoped", pairs.scoped);
  };
  const requests = async () => add("http", await run(http, scenario.paths, perRound, concurrency, budgetMs / ROUNDS));
  // The two SQL sides in turns (timePairs); the HTTP side in rounds between them, before or after by turns.
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const side of round % 2 === 0 ? [sql, requests] : [requests, sql]) await side();
  }
  return {
    base: stats(collected.base.latencies, collected.base.wallMs),
    scoped: stats(collected.scoped.latencies, collected.scoped.wallMs),
    http: stats(collected.http.latencies, collected.http.wallMs),
    check: checked,
  };
}

/** A binding written as an SQL literal (for EXECUTE's arguments and for SQL to paste into psql). */
export const sqlLiteral = (value: unknown) => (typeof value === "number" ? String(value) : `'${String(value).replace(/'/g, "''")}'`);

/** EXPLAIN of the plan a generic-plan session uses for the statement (the one the service runs), not a custom one. */
async function explainGeneric(pool: pg.Pool, query: NativeSql, options: string): Promise<pg.QueryResult> {
  const client = await pool.connect();
  try {
    await client.query(`SET plan_cache_mode = force_generic_plan`);
    await client.query(`PREPARE "bench_explain" AS ${query.sql}`);
    const values = query.bindings.map(sqlLiteral).join(", ");
    return await client.query(`EXPLAIN (${options}) EXECUTE "bench_explain"${values ? `(${values})` : ""}`);
  } finally {
    await client.query(`DEALLOCATE ALL; RESET plan_cache_mode`).catch(() => undefined);
    client.release();
  }
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of a query, condensed: plan nodes, conditions, rows removed, buffers, timings.
 * A query that cannot finish within the statement timeout gets its plain EXPLAIN (estimates only).
 */
export async function explainSummary(pool: pg.Pool, query: NativeSql, maxLines = 40): Promise<string[]> {
  const explain = (options: string) => (query.plan === "generic" ? explainGeneric(pool, query, options) : pool.query(`EXPLAIN (${options}) ${query.sql}`, query.bindings));
  const { rows } = await explain("ANALYZE, BUFFERS").catch(async (error) => {
    if (!isTimeout(error)) throw error;
    const plain = await explain("COSTS");
    return { rows: [{ "QUERY PLAN": "(EXPLAIN ANALYZE hit the statement timeout: plain EXPLAIN, estimates only)" }, ...plain.rows] };
  });
  const lines = rows.map((row: Record<string, string>) => row["QUERY PLAN"]);
  const kept = lines.filter((line) => !/^\s*(Planning:|Output:|Sort Method:|Worker \d|Heap Blocks:|Buckets:)/.test(line));
  const clipped = kept.map((line) => (line.length > 200 ? `${line.slice(0, 197)}...` : line));
  return clipped.length > maxLines ? [...clipped.slice(0, maxLines - 3), "    …", ...clipped.slice(-2)] : clipped;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of each step of the scoped side the service runs for the request (a page's walk, and
 * its union only when the walk yielded no more than a page), each headed by its SQL with the bindings written in.
 */
export async function explainPlan(db: Knex, pool: pg.Pool, scoped: ScopedPlan, inline: (query: NativeSql) => string, maxLines = 40): Promise<string[]> {
  const lines: string[] = [];
  await readListSteps(scoped.steps, scoped.limit, async (step) => {
    const index = scoped.steps.findIndex((candidate) => candidate.query === step);
    lines.push(`step ${index + 1} of ${scoped.steps.length} (${scoped.steps[index].rows}s the rows so far): ${inline(step)};`);
    lines.push(...(await explainSummary(pool, step, maxLines)));
    return runStatement(db, pool, step);
  });
  return lines;
}
