// A fresh database per test file: real PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
import { randomBytes } from "node:crypto";
import knex, { type Knex } from "knex";
import { openDatabase, createPGlite, type Database } from "../../src/db/connect";

export interface TestDatabase extends Database {
  /** Connection string of the created database (real PostgreSQL only). */
  url?: string;
}

/** Creates an empty database with the system tables; close() drops it (PostgreSQL) or frees it (PGlite). */
export async function openTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) return openDatabase({ pglite: createPGlite() });

  const name = `crm_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = knex({ client: "pg", connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

export type { Knex };
