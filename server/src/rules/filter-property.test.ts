// The compiled SQL selects exactly the records evaluate() matches: random filters on PGlite and (with DATABASE_URL) PostgreSQL.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { matches } from "./engine";
import { compileFilter } from "./filter-sql";
import { CASE_COLUMNS, CASE_FIELDS, FILTER_CASES, fullRecord } from "./filter-cases";
import { filterArbitrary, rowsArbitrary, type GeneratedRow } from "./filter-arbitraries";

// One seed drives both the rows and the filters: rerun a failure with FILTER_PROPERTY_SEED=<seed>.
const SEED = Number(process.env.FILTER_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROW_COUNT = 60;
const FILTER_RUNS = 300;

interface Target {
  label: string;
  table: string;
  /** Runs SQL with $n parameters; answers the `id` column of the result. */
  ids(sql: string, params?: unknown[]): Promise<number[]>;
  close(): Promise<void>;
}

async function openPGlite(): Promise<Target> {
  const db = new PGlite();
  await db.waitReady;
  return {
    label: "PGlite",
    table: "filter_rows",
    ids: async (sql, params = []) => (await db.query<{ id: number }>(sql, params)).rows.map((row) => row.id),
    close: () => db.close(),
  };
}

async function openPostgres(url: string): Promise<Target> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const table = `filter_rows_${randomBytes(6).toString("hex")}`;
  return {
    label: "PostgreSQL",
    table,
    ids: async (sql, params = []) => (await client.query<{ id: number }>(sql, params)).rows.map((row) => row.id),
    close: async () => {
      try {
        await client.query(`DROP TABLE IF EXISTS "${table}"`);
      } finally {
        await client.end();
      }
    },
  };
}

/** knex-style `?` placeholders → PostgreSQL `$1…` (the compiler never emits a literal `?`). */
const toPositional = (sql: string): string => {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
};

const createTable = (target: Target) =>
  target.ids(`CREATE TABLE "${target.table}" (id integer PRIMARY KEY, ${CASE_COLUMNS.map((c) => `"${c.column}" ${c.sqlType}`).join(", ")})`);

// The database keeps microseconds that the database layer's reader truncates; the row holds what it reads.
const storedValue = (name: string, value: unknown, micros: number): unknown =>
  name === "seen_at" && typeof value === "string" ? value.replace("Z", `${String(micros).padStart(3, "0")}Z`) : value;

async function replaceRows(target: Target, rows: readonly GeneratedRow[]): Promise<void> {
  await target.ids(`DELETE FROM "${target.table}"`);
  const columns = ["id", ...CASE_COLUMNS.map((c) => c.column)].map((column) => `"${column}"`).join(", ");
  const marks = ["id", ...CASE_COLUMNS].map((_, index) => `$${index + 1}`).join(", ");
  for (const { row, seenAtMicros } of rows) {
    const values = [row.id, ...CASE_COLUMNS.map(({ name }) => storedValue(name, row[name], seenAtMicros))];
    await target.ids(`INSERT INTO "${target.table}" (${columns}) VALUES (${marks})`, values);
  }
}

function selectIds(target: Target, filter: unknown): Promise<number[]> {
  const { sql, bindings } = compileFilter(filter, CASE_FIELDS, { tableAlias: "r" });
  return target.ids(`SELECT id FROM "${target.table}" AS r WHERE ${toPositional(sql)} ORDER BY id`, bindings);
}

describe("compiled filters agree with evaluate() in the database", () => {
  const targets: Target[] = [];

  beforeAll(async () => {
    targets.push(await openPGlite());
    if (process.env.DATABASE_URL) targets.push(await openPostgres(process.env.DATABASE_URL));
    for (const target of targets) await createTable(target);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(targets.map((target) => target.close()));
  });

  it("on the shared cases", async () => {
    for (const [description, expression, records] of FILTER_CASES) {
      if (!records) continue;
      const rows = records.map(([record], index) => ({ row: { ...fullRecord(record), id: index + 1 }, seenAtMicros: 456 }));
      const expected = records.flatMap(([, match], index) => (match ? [index + 1] : []));
      const evaluated = rows.flatMap(({ row }) => (matches(expression, row) ? [row.id] : []));
      expect({ description, ids: evaluated }).toEqual({ description, ids: expected });
      for (const target of targets) {
        await replaceRows(target, rows);
        expect({ description, target: target.label, ids: await selectIds(target, expression) }).toEqual({
          description,
          target: target.label,
          ids: expected,
        });
      }
    }
  }, 120_000);

  it(`on ${FILTER_RUNS} random filters over ${ROW_COUNT} random rows (seed ${SEED})`, async () => {
    const rows = fc.sample(rowsArbitrary(ROW_COUNT), { numRuns: 1, seed: SEED })[0]!;
    for (const target of targets) await replaceRows(target, rows);
    const records = rows.map(({ row }) => row);
    let informative = 0;
    await fc.assert(
      fc.asyncProperty(filterArbitrary(records), async (filter) => {
        const expected = records.flatMap((record) => (matches(filter, record) ? [record.id] : []));
        if (expected.length > 0 && expected.length < records.length) informative += 1;
        for (const target of targets) {
          expect({ target: target.label, ids: await selectIds(target, filter) }).toEqual({ target: target.label, ids: expected });
        }
      }),
      { numRuns: FILTER_RUNS, seed: SEED },
    );
    // Guards against a generator that only makes filters matching everything or nothing.
    expect(informative).toBeGreaterThan(FILTER_RUNS / 4);
  }, 300_000);
});
