// The platform's own tables and functions: record ids are UUIDv7 (time first), for new tables and for tables made
// before ids were time-ordered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../test/support/database";
import { bootstrapSystemTables } from "./system-tables";

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Unix milliseconds in a UUIDv7's first 48 bits. */
const millisecondsOf = (id: string) => Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16);

describe("sys.time_ordered_uuid", () => {
  it("makes version-7 UUIDs (variant 10) whose first 48 bits are the current Unix milliseconds", async () => {
    const before = Date.now();
    const { rows } = await database.db.raw("SELECT sys.time_ordered_uuid()::text AS id FROM generate_series(1, 200)");
    const after = Date.now();
    const ids = rows.map((row: { id: string }) => row.id);
    expect(new Set(ids).size).toBe(200);
    for (const id of ids) {
      expect(id).toMatch(UUID_V7);
      // The database's clock and this process's are the same machine's; allow a second either way for PGlite's.
      expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before - 1000);
      expect(millisecondsOf(id)).toBeLessThanOrEqual(after + 1000);
    }
  });

  it("orders ids made in different milliseconds by time", async () => {
    const ids: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      ids.push((await database.db.raw("SELECT sys.time_ordered_uuid()::text AS id")).rows[0].id);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    expect([...ids].sort()).toEqual(ids);
  });
});

describe("bootstrapSystemTables", () => {
  it("gives the platform's tables time-ordered ids", async () => {
    const { rows } = await database.db.raw("INSERT INTO sys.users (username, display_name, password_hash) VALUES ('v7probe', 'v7', 'x') RETURNING id::text AS id");
    expect(rows[0].id).toMatch(UUID_V7);
  });

  it("moves an id column made with random UUIDs to time-ordered ones at the next start, keeping the ids it has", async () => {
    await database.db.raw(`CREATE TABLE public.legacy_thing (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), label text)`);
    await database.db.raw(`CREATE TABLE public.legacy_other (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), code uuid DEFAULT gen_random_uuid())`);
    const old = (await database.db.raw("INSERT INTO public.legacy_thing (label) VALUES ('old') RETURNING id::text AS id")).rows[0].id;
    expect(old).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);

    await bootstrapSystemTables(database.db);

    const fresh = (await database.db.raw("INSERT INTO public.legacy_thing (label) VALUES ('new') RETURNING id::text AS id")).rows[0].id;
    expect(fresh).toMatch(UUID_V7);
    const kept = await database.db.raw("SELECT id::text AS id FROM public.legacy_thing WHERE label = 'old'");
    expect(kept.rows).toEqual([{ id: old }]);
    // Only columns named id change: another column's default is its owner's business.
    const defaults = await database.db.raw(
      `SELECT column_name, column_default FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'legacy_other' ORDER BY column_name`,
    );
    expect(defaults.rows).toEqual([
      { column_name: "code", column_default: "gen_random_uuid()" },
      { column_name: "id", column_default: "sys.time_ordered_uuid()" },
    ]);
  });
});
