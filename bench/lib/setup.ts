// Bench setup: a fresh database, the generic app on it, the bench_item object, and a fast SQL bulk load.
import pg from "pg";
import { buildApp, type BuiltApp } from "../../server/src/app";
import { prepareDatabase } from "../../server/src/packs/boot";

export const OBJECT = "bench_item";
export const STATUSES = ["draft", "open", "won", "lost"];
export const REGIONS = ["north", "south", "east", "west", "central", "northeast", "northwest", "southwest"];

const label = (zh: string, en: string) => ({ "zh-CN": zh, en });

export const benchItem = {
  name: OBJECT,
  label: label("压测条目", "Bench item"),
  module: "base",
  displayField: "name",
  defaultSort: "-created_at",
  fields: [
    { name: "name", type: "text", indexed: true, searchable: true, label: label("名称", "Name") },
    { name: "status", type: "picklist", options: STATUSES, indexed: true, label: label("状态", "Status") },
    { name: "price", type: "amount", indexed: true, label: label("价格", "Price") },
    { name: "quantity", type: "integer", label: label("数量", "Quantity") },
    { name: "due_on", type: "date", label: label("到期日", "Due on") },
    { name: "region", type: "text", indexed: true, label: label("区域", "Region") },
  ],
};

/** postgres://…/postgres → postgres://…/<name> */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function recreateDatabase(adminUrl: string, name: string, drop = false): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    if (!drop) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

export interface GenericServer {
  built: BuiltApp;
  baseUrl: string;
  token: string;
  tokenSecret: Buffer;
}

/** Boots the generic app over real HTTP, signs in as admin and defines the bench object. */
export async function startGeneric(databaseUrl: string): Promise<GenericServer> {
  const built = await buildApp({ databaseUrl });
  await prepareDatabase(built.database.db, { demo: true, registry: built.server.registry });
  const address = await built.app.listen({ port: 0, host: "127.0.0.1" });
  const call = async (method: string, path: string, body: unknown, token?: string) => {
    const response = await fetch(`${address}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { token } = (await call("POST", "/api/auth/login", { username: "admin", password: "demo123" })) as { token: string };
  await call("PUT", `/api/metadata/objects/${OBJECT}`, benchItem, token);
  return { built, baseUrl: address, token, tokenSecret: built.server.tokenSecret };
}

/**
 * Loads rows with INSERT … SELECT generate_series in chunks. The table's secondary indexes are dropped
 * first and rebuilt afterwards from their own definitions (the usual bulk-load shape), then VACUUM ANALYZE
 * (statistics, visibility map and hint bits, so that the first measured reads do not write).
 */
export async function bulkLoad(databaseUrl: string, rows: number, log: (line: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    await client.query("SET maintenance_work_mem = '512MB'");
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
       WHERE i.schemaname = 'public' AND i.tablename = $1 AND NOT x.indisprimary`,
      [OBJECT],
    );
    for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
    const chunk = 200_000;
    for (let from = 1; from <= rows; from += chunk) {
      const to = Math.min(rows, from + chunk - 1);
      // Multiplicative hashes of g give repeatable pseudo-random values without random().
      await client.query(
        `INSERT INTO "${OBJECT}" (name, status, price, quantity, due_on, region, created_at, updated_at)
         SELECT 'item ' || lpad(((g * 2654435761) % 1000000007)::text, 10, '0'),
                ($3::text[])[1 + (g * 40503) % 4],
                round((((g * 48271) % 2147483647) % 1000000) / 100.0, 2),
                (g * 69621) % 1000,
                date '2024-01-01' + ((g * 16807) % 730)::int,
                ($4::text[])[1 + (g * 1103515245) % 8],
                t, t
           FROM generate_series($1::bigint, $2::bigint) AS g,
                LATERAL (SELECT timestamptz '2020-01-01' + g * interval '60 seconds' + ((g * 7919) % 60000) * interval '1 ms' AS t) AS ts`,
        [from, to, STATUSES, REGIONS],
      );
    }
    const loaded = performance.now();
    for (const index of indexes) await client.query(index.definition);
    await client.query(`VACUUM (ANALYZE) "${OBJECT}"`);
    await client.query("CHECKPOINT"); // flush the load now rather than during the first measured scenario
    const done = performance.now();
    const seconds = (done - started) / 1000;
    log(
      `loaded ${rows.toLocaleString("en")} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString("en")} rows/s; ` +
        `insert ${((loaded - started) / 1000).toFixed(1)} s, ${indexes.length} indexes + VACUUM ANALYZE ${((done - loaded) / 1000).toFixed(1)} s)`,
    );
  } finally {
    await client.end();
  }
}
