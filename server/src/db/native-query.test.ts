// Compiled statements on knex's pool: the same rows as knex, prepared once per connection on PostgreSQL, and still
// right after a column's type changes under a prepared statement.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import knex, { type Knex } from "knex";
import { openTestDatabase, type TestDatabase } from "../../test/support/database";
import { attachGenericPlanPool, queryCompiled } from "./native-query";

let database: TestDatabase;
/** One connection, so that what one statement prepared is visible to the next. */
let single: Knex;

beforeAll(async () => {
  database = await openTestDatabase();
  single = database.url ? knex({ client: "pg", connection: database.url, pool: { min: 1, max: 1 } }) : database.db;
  await single.raw(`CREATE TABLE gauge (id int PRIMARY KEY, reading int, label text, taken_at timestamptz)`);
  await single.raw(`INSERT INTO gauge VALUES (1, 10, 'a', '2026-01-02T03:04:05.678Z'), (2, 20, 'b', NULL), (3, 30, 'c', '2026-02-01T00:00:00Z')`);
});

afterAll(async () => {
  if (single !== database?.db) await single?.destroy();
  await database?.close();
});

describe("queryCompiled", () => {
  it("answers the rows knex answers for the same compiled statement, with the same value types", async () => {
    const query = single("gauge").select("id", "reading", "taken_at").where("reading", ">=", 20).orderBy("id");
    const native = query.toSQL().toNative();
    expect(await queryCompiled(single, native.sql, native.bindings)).toEqual(await query);
    expect(await queryCompiled(single, native.sql, [10])).toEqual([
      { id: 1, reading: 10, taken_at: "2026-01-02T03:04:05.678Z" },
      { id: 2, reading: 20, taken_at: null },
      { id: 3, reading: 30, taken_at: "2026-02-01T00:00:00.000Z" },
    ]);
  });

  it.runIf(process.env.DATABASE_URL)("prepares a statement once per connection on PostgreSQL", async () => {
    const sql = `SELECT label FROM gauge WHERE id = $1`;
    expect(await queryCompiled(single, sql, [2])).toEqual([{ label: "b" }]);
    expect(await queryCompiled(single, sql, [3])).toEqual([{ label: "c" }]);
    const prepared = await single.raw(`SELECT statement FROM pg_prepared_statements`);
    expect(prepared.rows.filter((row: { statement: string }) => row.statement === sql)).toHaveLength(1);
  });

  it("still reads a column whose type changed after its statement was prepared", async () => {
    const sql = `SELECT id, reading FROM gauge WHERE id = $1`;
    expect(await queryCompiled(single, sql, [1])).toEqual([{ id: 1, reading: 10 }]);
    await single.raw(`ALTER TABLE gauge ALTER COLUMN reading TYPE numeric(12, 2)`);
    await single.raw(`UPDATE gauge SET reading = 10.5 WHERE id = 1`);
    expect(await queryCompiled(single, sql, [1])).toEqual([{ id: 1, reading: 10.5 }]);
    expect(await queryCompiled(single, sql, [1])).toEqual([{ id: 1, reading: 10.5 }]);
  });

  it("passes errors through and leaves the connection usable", async () => {
    await expect(queryCompiled(single, `SELECT missing FROM gauge`, [])).rejects.toMatchObject({ code: "42703" });
    expect(await queryCompiled(single, `SELECT count(*) AS total FROM gauge`, [])).toEqual([{ total: 3 }]);
  });

  it("refuses to run outside a transaction's own connection", async () => {
    await single.transaction(async (trx) => {
      await expect(queryCompiled(trx, `SELECT 1`, [])).rejects.toThrow(/transaction/);
    });
  });

  it.runIf(process.env.DATABASE_URL)("runs a statement that may be planned once on a generic-plan session, and any other on knex's", async () => {
    // the server's database (db/connect.ts): knex's sessions plan for the values, the generic-plan pool once
    const { db } = database;
    const mode = `SELECT current_setting('plan_cache_mode') AS mode, $1::int AS value`;
    expect(await queryCompiled(db, mode, [1], "generic")).toEqual([{ mode: "force_generic_plan", value: 1 }]);
    expect(await queryCompiled(db, mode, [2], "custom")).toEqual([{ mode: "force_custom_plan", value: 2 }]);
    expect(await queryCompiled(db, mode, [3])).toEqual([{ mode: "force_custom_plan", value: 3 }]);
    // the same prepared statement, later values: planned once, still answering for its values
    expect(await queryCompiled(db, `SELECT label FROM gauge WHERE id = $1`, [3], "generic")).toEqual([{ label: "c" }]);
    expect(await queryCompiled(db, `SELECT label FROM gauge WHERE id = $1`, [1], "generic")).toEqual([{ label: "a" }]);
    await expect(queryCompiled(db, `SELECT missing FROM gauge`, [], "generic")).rejects.toMatchObject({ code: "42703" });
    expect(await queryCompiled(db, mode, [4], "generic")).toEqual([{ mode: "force_generic_plan", value: 4 }]);
  });

  it.runIf(process.env.DATABASE_URL)("runs a generic-plan statement on knex's sessions when the database has no generic-plan pool", async () => {
    const mode = `SELECT current_setting('plan_cache_mode') AS mode`;
    // a knex of its own (not opened by db/connect.ts): its sessions' default, until it is given a pool
    expect(await queryCompiled(single, mode, [], "generic")).toEqual([{ mode: "auto" }]);
    const close = attachGenericPlanPool(single, database.url!, 1);
    expect(await queryCompiled(single, mode, [], "generic")).toEqual([{ mode: "force_generic_plan" }]);
    await close();
    expect(await queryCompiled(single, mode, [], "generic")).toEqual([{ mode: "auto" }]);
  });
});
