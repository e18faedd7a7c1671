// Opens the database: real PostgreSQL when a URL is given, embedded PGlite in a data folder otherwise.
import knex, { type Knex } from "knex";
import pg from "pg";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import ClientPgLite from "knex-pglite";
import { bootstrapSystemTables } from "./system-tables";
import { attachGenericPlanPool } from "./native-query";

export type DatabaseMode = "postgres" | "embedded";

export interface Database {
  db: Knex;
  mode: DatabaseMode;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres://… — when set, the embedded database is not used. */
  databaseUrl?: string;
  /** Folder of the embedded database; in memory when omitted. */
  dataDir?: string;
  /** An already created PGlite instance (tests clone a template). */
  pglite?: PGlite;
}

// Both drivers must hand back the same JavaScript values, or every caller would normalise on its own:
// numbers for numeric and bigint (counts), "YYYY-MM-DD" for dates, ISO strings for timestamps.
const toNumber = (value: string) => (value === null ? null : Number(value));
// Sessions run in UTC, so timestamps arrive as "2026-11-26 22:33:54.418+00": rewriting the text is
// exact and several times cheaper than a Date round trip (the fallback covers anything else).
const UTC_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;
const toIsoTimestamp = (value: string) => {
  if (value === null) return null;
  const match = UTC_TIMESTAMP.exec(value);
  if (match) return `${match[1]}T${match[2]}.${(match[3] ?? "").padEnd(3, "0").slice(0, 3)}Z`;
  return new Date(value).toISOString();
};
const keepText = (value: string) => value;

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMP: 1114, TIMESTAMPTZ: 1184, NUMERIC_ARRAY: 1231, INT8_ARRAY: 1016 };

let pgParsersInstalled = false;
function installPgParsers(): void {
  if (pgParsersInstalled) return;
  pgParsersInstalled = true;
  pg.types.setTypeParser(OID.INT8, toNumber);
  pg.types.setTypeParser(OID.NUMERIC, toNumber);
  pg.types.setTypeParser(OID.DATE, keepText);
  pg.types.setTypeParser(OID.TIMESTAMP, toIsoTimestamp);
  pg.types.setTypeParser(OID.TIMESTAMPTZ, toIsoTimestamp);
}

export const pgliteParsers = {
  [OID.INT8]: toNumber,
  [OID.NUMERIC]: toNumber,
  [OID.DATE]: keepText,
  [OID.TIMESTAMP]: toIsoTimestamp,
  [OID.TIMESTAMPTZ]: toIsoTimestamp,
  [OID.NUMERIC_ARRAY]: (value: string) => pgliteTypes.arrayParser(value, toNumber, OID.NUMERIC),
  [OID.INT8_ARRAY]: (value: string) => pgliteTypes.arrayParser(value, toNumber, OID.INT8),
};

export function createPGlite(dataDir?: string): PGlite {
  // The options-object form: new PGlite(undefined, options) silently ignores the options.
  return new PGlite({ dataDir, extensions: { pg_trgm }, parsers: pgliteParsers });
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const database = options.databaseUrl ? openPostgres(options.databaseUrl) : openEmbedded(options);
  try {
    await bootstrapSystemTables(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** Sessions per pool: knex's, and the generic-plan pool of compiled list pages (db/native-query.ts). */
const POOL_SIZE = 10;

function openPostgres(databaseUrl: string): Database {
  installPgParsers();
  const db = knex({
    client: "pg",
    connection: databaseUrl,
    pool: {
      min: 0,
      max: POOL_SIZE,
      afterCreate: (connection: pg.Client, done: (error: Error | null, connection: pg.Client) => void) => {
        // JIT compiles a plan for 50-100 ms once its estimated cost is high, which a count over a large scope
        // reaches; the CRM's queries are short and index-driven, so the compile time is never won back.
        // Prepared statements (db/native-query.ts) are planned for their values every time here: a generic plan made
        // for one value of a filter would be wrong for another. Those that may be planned once have their own pool.
        connection.query("SET TIME ZONE 'UTC'; SET jit = off; SET plan_cache_mode = force_custom_plan").then(() => done(null, connection), (error: Error) => done(error, connection));
      },
    },
  });
  const closeGenericPlanPool = attachGenericPlanPool(db, databaseUrl, POOL_SIZE);
  return {
    db,
    mode: "postgres",
    close: async () => {
      await closeGenericPlanPool();
      await db.destroy();
    },
  };
}

function openEmbedded(options: OpenDatabaseOptions): Database {
  const pglite = options.pglite ?? createPGlite(options.dataDir);
  // PGlite has exactly one connection: knex-pglite fixes the pool to 1, so no pool option here.
  const db = knex({ client: ClientPgLite, dialect: "postgres", connection: () => ({ pglite }) as object });
  return {
    db,
    mode: "embedded",
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
