// The demo data generator is repeatable (same seed, same data, whatever the load path), a later run adds to the
// data without collisions, the indexes and keys set aside for a large load come back, and bad input is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../../server/test/support/database";
import { prepareDatabase } from "../../../server/src/packs/boot";
import { AppError } from "../../../server/src/errors/errors";
import { generateDemoData } from "./generate";

const ANCHOR = new Date("2025-06-15T04:00:00Z");
const SEED = 11;
const databases: TestDatabase[] = [];

async function demoDatabase(): Promise<TestDatabase> {
  const database = await openTestDatabase();
  databases.push(database);
  await prepareDatabase(database.db, { demo: true });
  return database;
}

/** What the data says, with employees by code (their ids differ from one database to the next). */
async function digest(database: TestDatabase): Promise<unknown[]> {
  const { db } = database;
  return [
    await db.raw(`SELECT c.id, c.code, c.name, c.status, c.category, c.created_at, c.last_transaction_date, c.region, e.code AS owner
                    FROM customer c JOIN employee e ON e.id = c.owner_id ORDER BY c.id`),
    await db.raw(`SELECT a.id, a.subject, a.status, a.start_at, a.customer_id, e.code AS owner FROM activity a JOIN employee e ON e.id = a.owner_id ORDER BY a.id`),
    await db.raw(`SELECT id, number, order_date, total_amount, status FROM sales_order ORDER BY id`),
    await db.raw(`SELECT number, total_amount FROM shipment ORDER BY number`),
    await db.raw(`SELECT id, price_type, inventory_id, unit_price FROM price ORDER BY id`),
  ].map((result) => result.rows);
}

const schemaShape = async (database: TestDatabase) =>
  (
    await database.db.raw(`SELECT indexdef AS definition FROM pg_indexes WHERE schemaname = 'public'
                           UNION ALL SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f'
                           ORDER BY 1`)
  ).rows.map((row: { definition: string }) => row.definition);

let first: TestDatabase;
let second: TestDatabase;
let shapeBefore: string[];

beforeAll(async () => {
  [first, second] = [await demoDatabase(), await demoDatabase()];
  shapeBefore = await schemaShape(first);
  // The same data through both load paths: indexes dropped and rebuilt, and indexes maintained row by row.
  await generateDemoData(first.db, { customers: 40, seed: SEED, anchor: ANCHOR, rebuildIndexes: true });
  await generateDemoData(second.db, { customers: 40, seed: SEED, anchor: ANCHOR, rebuildIndexes: false });
}, 240_000);

afterAll(async () => {
  for (const database of databases) await database.close();
});

describe("demo data generator", () => {
  it("makes the same data for the same seed", async () => {
    const [a, b] = [await digest(first), await digest(second)];
    expect((a[0] as unknown[]).length).toBe(40);
    expect(a).toEqual(b);
  });

  it("puts back every index and foreign key it set aside for the load", async () => {
    expect(await schemaShape(first)).toEqual(shapeBefore);
  });

  it("adds to the data on a later run, continuing numbers without collisions", async () => {
    const before = await digest(second);
    const summary = await generateDemoData(second.db, { customers: 25, seed: SEED, anchor: ANCHOR });
    expect(summary.rows.customer).toBe(25);
    // The catalogue is there already: a later run uses it rather than making another one.
    expect(summary.rows.inventory ?? 0).toBe(0);
    const { db } = second;
    const one = async (sql: string) => Number((await db.raw(sql)).rows[0].n);
    expect(await one(`SELECT count(*) AS n FROM customer`)).toBe(65);
    expect(await one(`SELECT count(DISTINCT code) AS n FROM customer`)).toBe(65);
    expect(await one(`SELECT count(DISTINCT number) - count(*) AS n FROM sales_order`)).toBe(0);
    expect(await one(`SELECT count(DISTINCT number) - count(*) AS n FROM receipt`)).toBe(0);
    // Earlier rows are untouched apart from grants and roll-ups: the first run's customers are all still there.
    const earlier = (before[0] as { id: string }[]).map((row) => row.id);
    expect(await db("customer").whereIn("id", earlier).count({ n: "*" })).toEqual([{ n: 40 }]);
    const sequence = await db("sequences").withSchema("sys").where({ object: "customer", field: "code" }).sum({ n: "value" });
    expect(Number(sequence[0].n)).toBe(65);
  });

  it("refuses a bad customer count with the error shape of the API", async () => {
    const error = await generateDemoData(first.db, { customers: -3 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: "/customers" }] });
  });

  it("needs the demo org's salespeople", async () => {
    const bare = await openTestDatabase();
    databases.push(bare);
    await prepareDatabase(bare.db, { demo: false, adminPassword: "not-a-demo" });
    const error = await generateDemoData(bare.db, { customers: 5 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "DEMO_ORG_MISSING", status: 409 });
    expect(await bare.db("customer").count({ n: "*" })).toEqual([{ n: 0 }]);
  });
});
