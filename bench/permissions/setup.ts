// bench/permissions setup: the generic app on a fresh database with the distribution pack and its demo org,
// generated staff, a skewed bulk load of customers, contacts and activities in SQL, and a login per measured user.
import pg from "pg";
import { buildApp, type BuiltApp } from "../../server/src/app";
import { prepareDatabase } from "../../server/src/packs/boot";

/** The shape of the generated data at a given scale (every row count multiplied by it). */
export interface Plan {
  scale: number;
  customers: number;
  contacts: number;
  activities: number;
  /** Generated employees (on top of the demo people); not scaled: an organisation does not shrink with its data. */
  staff: number;
  /** Customers of the skewed owner (one generated employee), a contiguous recent import in created_at order. */
  skewedOwnerCustomers: number;
  /** Contacts of the one very large customer. */
  megaCustomerContacts: number;
  /** Customers and contacts listing wanglei as a related employee (the skewed related employee). */
  relatedCustomers: number;
  relatedContacts: number;
}

export function planFor(scale: number): Plan {
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  return {
    scale,
    customers: n(1_000_000),
    contacts: n(3_000_000),
    activities: n(5_000_000),
    staff: 520,
    skewedOwnerCustomers: n(100_000),
    megaCustomerContacts: n(50_000),
    relatedCustomers: n(15_000),
    relatedContacts: n(5_000),
  };
}

export const SKEWED_USERNAME = "bench_skewed";

/**
 * Generated staff per demo department code (weights; 510 in all, plus 10 more in 0101 so that the total is
 * 520 with the skewed owner). The director's range (0101, 0202, 0302) is the broadest non-admin scope.
 */
export const STAFF_WEIGHTS: Record<string, number> = {
  "0101": 80,
  "0102": 60,
  "0103": 50,
  "0104": 40,
  "0105": 10,
  "0106": 10,
  "0107": 10,
  "0201": 60,
  "0202": 40,
  "0203": 30,
  "0301": 40,
  "0302": 30,
  "0401": 30,
  "0402": 20,
};
/** Department of the skewed owner: outside both the manager's (Tianjin) and the director's (coatings) range. */
export const SKEWED_DEPARTMENT = "0102";

/** postgres://…/postgres → postgres://…/<name> */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function adminQuery<T extends pg.QueryResultRow = any>(adminUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return (await adminQuery(adminUrl, "SELECT 1 FROM pg_database WHERE datname = $1", [name])).length > 0;
}

export async function recreateDatabase(adminUrl: string, name: string, drop = false): Promise<void> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  if (!drop) await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
}

/**
 * Every new session of the bench database gets this statement timeout, so that a pathological plan (a query that
 * would run for hours) fails its scenario instead of stopping the bench. The load's own session lifts it.
 */
export async function setStatementTimeout(adminUrl: string, name: string, seconds: number): Promise<void> {
  await adminQuery(adminUrl, `ALTER DATABASE "${name}" SET statement_timeout = '${Math.round(seconds * 1000)}ms'`);
}

/** Whether an error is PostgreSQL cancelling a statement for the timeout (directly, or as the API's 500). */
export const isTimeout = (error: unknown) => /statement timeout|canceling statement|57014|: 500 /.test(String((error as Error)?.message ?? error));

/** Boots the generic app (migrates, applies the distribution pack and the demo org on a fresh database). */
export async function bootApp(databaseUrl: string): Promise<{ built: BuiltApp; baseUrl: string }> {
  const built = await buildApp({ databaseUrl });
  await prepareDatabase(built.database.db, { demo: true, registry: built.server.registry });
  const baseUrl = await built.app.listen({ port: 0, host: "127.0.0.1" });
  return { built, baseUrl };
}
