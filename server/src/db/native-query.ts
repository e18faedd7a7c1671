// Running an already compiled statement on one of knex's pooled connections, without knex's query runner.
//
// The records API reads the same few statement shapes over and over (a page of a list, a record by id). Once such a
// statement is compiled (records/statement-templates.ts), building and compiling a knex query again, and going
// through knex's runner (debug hooks, query-config cloning, several promise hops), is a fixed cost per request that
// is a fifth of a hand-written route's CPU. This runs the compiled text on the same pool, with the same type parsers,
// so the rows are exactly what knex would have returned.
//
// On PostgreSQL the statement is also prepared once per connection (a named statement): PostgreSQL then skips parsing
// and analysing it on every later execution. Knex's sessions run with plan_cache_mode = force_custom_plan
// (db/connect.ts), so a prepared statement is still planned for its actual values: a generic plan chosen for one
// value of a filter would be wrong for another. A statement whose best plan is the same for every value it can take
// (see PlanMode) runs instead on a session of the generic-plan pool, where it is planned once per connection: a page
// of a user's list is a union of a few ordered index ranges whose planning (every branch weighs every index of the
// table) costs several times its execution.
import { createHash } from "node:crypto";
import type { Knex } from "knex";
import pg from "pg";

export type Row = Record<string, unknown>;

/**
 * How PostgreSQL plans a compiled statement: for its values on every execution ("custom"), or once per connection
 * ("generic"). Generic only for statements whose values cannot change which plan is best: equalities on the leading
 * column of an index, keyset cursors and limits, never a user's filter or search (a rare status and a common one want
 * different plans) nor a parent's link (a customer with 50,000 contacts and one with three).
 */
export type PlanMode = "custom" | "generic";

/** Sessions that plan prepared statements once (force_generic_plan), one pool per knex instance (db/connect.ts). */
const genericPlanPools = new WeakMap<Knex, pg.Pool>();

/**
 * Gives `db` a pool of generic-plan sessions on the same database, with the settings of its own sessions otherwise:
 * the compiled statements that may be planned once run there. Returns the function that closes it.
 */
export function attachGenericPlanPool(db: Knex, databaseUrl: string, max: number): () => Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, options: "-c TimeZone=UTC -c jit=off -c plan_cache_mode=force_generic_plan" });
  // An idle session that the server drops (a restart) must not take the process down with it.
  pool.on("error", () => undefined);
  genericPlanPools.set(db, pool);
  return async () => {
    genericPlanPools.delete(db);
    await pool.end();
  };
}

/** The generic-plan pool of `db`, if it has one (tests check what its sessions have prepared). */
export const genericPlanPoolOf = (db: Knex): pg.Pool | undefined => genericPlanPools.get(db);

/** Distinct statement texts this process prepares by name; any further text runs unnamed (bounds server memory). */
export const MAX_NAMED_STATEMENTS = 500;
const statementNames = new Map<string, string>();

/** "cached plan must not change result type": a column's type changed under a statement prepared before. */
const CACHED_PLAN_CHANGED = "0A000";

function statementName(sql: string): string | undefined {
  const known = statementNames.get(sql);
  if (known || statementNames.size >= MAX_NAMED_STATEMENTS) return known;
  // The name is the text's hash, so that every connection gives a text the same name and a name one text.
  const name = `crm_${createHash("sha1").update(sql).digest("hex").slice(0, 24)}`;
  statementNames.set(sql, name);
  return name;
}

function forgetPrepared(connection: pg.ClientBase, name: string): Promise<unknown> {
  // pg remembers which names it has prepared on the connection and would reuse the broken one.
  delete (connection as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements[name];
  return connection.query(`DEALLOCATE "${name}"`).catch(() => undefined);
}

/**
 * One execution of the statement. The Query is made from the text (a config object would be copied property by
 * property on every call) and named afterwards; it is submitted as is, so pg adds no promise of its own.
 */
function execute(connection: pg.ClientBase, sql: string, bindings: readonly unknown[], name: string | undefined): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    const query = new pg.Query(sql, bindings as unknown[]) as pg.Query & { name?: string; callback?: (error: Error | null, result: pg.QueryResult) => void };
    query.name = name;
    query.callback = (error, result) => (error ? reject(error) : resolve(result.rows));
    connection.query(query);
  });
}

async function runOnPostgres(connection: pg.ClientBase, sql: string, bindings: readonly unknown[]): Promise<Row[]> {
  const name = statementName(sql);
  try {
    return await execute(connection, sql, bindings, name);
  } catch (error) {
    if (!name || (error as { code?: string }).code !== CACHED_PLAN_CHANGED) throw error;
    await forgetPrepared(connection, name);
    return execute(connection, sql, bindings, name);
  }
}

interface PgliteConnection {
  query(sql: string, params: readonly unknown[]): Promise<{ rows: Row[] }>;
}

/**
 * Rows of a compiled statement (PostgreSQL's `$n` placeholders), read on a connection of `db`'s pool, or of its
 * generic-plan pool when the statement may be planned once and `db` has one. `db` must not be a transaction: its
 * statements belong on its own connection, which only knex knows.
 */
export async function queryCompiled(db: Knex, sql: string, bindings: readonly unknown[], plan: PlanMode = "custom"): Promise<Row[]> {
  if (db.isTransaction) throw new Error("queryCompiled runs on the pool, not in a transaction");
  const genericPool = plan === "generic" ? genericPlanPools.get(db) : undefined;
  if (genericPool) {
    const connection = await genericPool.connect();
    let failure: unknown;
    try {
      return await runOnPostgres(connection, sql, bindings);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // A connection whose protocol state is unknown (a broken socket) is closed, not handed out again.
      connection.release(failure instanceof Error && !("code" in failure) ? failure : undefined);
    }
  }
  const client = db.client as Knex.Client & { acquireConnection(): Promise<unknown>; releaseConnection(connection: unknown): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    if (connection instanceof pg.Client) return await runOnPostgres(connection, sql, bindings);
    return (await (connection as PgliteConnection).query(sql, bindings)).rows;
  } finally {
    await client.releaseConnection(connection);
  }
}
