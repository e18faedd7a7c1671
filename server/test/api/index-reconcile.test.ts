// A database left by an older platform version gets the current index definitions when the server starts again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectDefinition } from "@crm/metadata";
import { startTestServer, type TestServer } from "../support/server";
import type { Knex } from "../support/database";
import { loadStoredModel } from "../../src/registry/store";
import { desiredIndexes, isPlatformIndexName, normaliseIndexDefinition } from "../../src/schema/index-reconcile";
import { readLiveIndexes, reconcileIndexes } from "../../src/schema/index-reconcile-run";
import { createIndex } from "../../src/schema/ddl";

let server: TestServer;
let db: Knex;
let objects: ObjectDefinition[];

beforeAll(async () => {
  server = await startTestServer();
  db = server.database.db;
  objects = (await loadStoredModel(db)).objects;
});

afterAll(async () => {
  await server?.close();
});

const SCOPE = "sx_customer_owner_id_created_at";
const DEPARTMENT_SCOPE = "sx_customer_department_id_created_at";
const UNIQUE = "ux_customer_code";
const OBSOLETE = "ix_customer_retired_field";
const HAND_MADE = "customer_name_lower_idx";

/** The platform's indexes of every object table: name → normalised definition. */
async function platformIndexes(): Promise<Map<string, string>> {
  const live = await readLiveIndexes(db, objects.map((object) => object.name));
  return new Map(
    live.filter((index) => isPlatformIndexName(index.name, index.table)).map((index) => [index.name, normaliseIndexDefinition(index.definition)]),
  );
}

function derivedIndexes(): Map<string, string> {
  return new Map(desiredIndexes(objects).map((spec) => [spec.name, normaliseIndexDefinition(createIndex(spec).sql)]));
}

async function indexOids(): Promise<Map<string, string>> {
  const { rows } = await db.raw(`SELECT c.relname AS name, c.oid::text AS oid FROM pg_class c WHERE c.relkind = 'i' AND c.relnamespace = 'public'::regnamespace`);
  return new Map((rows as { name: string; oid: string }[]).map((row) => [row.name, row.oid]));
}

/** A copy of a customer under a new id: everything else, its code included, the same. */
const copyCustomer = (id: string) =>
  db.raw(`INSERT INTO "customer" SELECT (jsonb_populate_record(c, jsonb_build_object('id', gen_random_uuid()))).* FROM "customer" c WHERE c."id" = ?`, [id]);

describe("index reconciliation at boot", () => {
  let customerId: string;
  let customerCode: string;

  it("starts with the indexes the code derives", async () => {
    expect(await platformIndexes()).toEqual(derivedIndexes());
    const admin = await server.login("admin");
    const created = await admin.post("/api/objects/customer/records", { name: "索引测试客户" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    customerId = created.body.id;
    customerCode = created.body.code;
    expect(customerCode).toBeTruthy();
  });

  it("creates, rebuilds and drops indexes of an older database on restart, and leaves a hand-made one", async () => {
    await db.raw(`DROP INDEX "public"."${DEPARTMENT_SCOPE}"`);
    // The scope index before it carried the broader scope columns; the unique index before it ignored deleted rows.
    await db.raw(`DROP INDEX "public"."${SCOPE}"`);
    await db.raw(`CREATE INDEX "${SCOPE}" ON "public"."customer" ("owner_id", "created_at", "id") WHERE "deleted_at" IS NULL`);
    await db.raw(`DROP INDEX "public"."${UNIQUE}"`);
    await db.raw(`CREATE UNIQUE INDEX "${UNIQUE}" ON "public"."customer" ("code")`);
    await db.raw(`CREATE INDEX "${OBSOLETE}" ON "public"."customer" ("name")`);
    await db.raw(`CREATE INDEX "${HAND_MADE}" ON "public"."customer" (lower("name"))`);
    const before = await indexOids();

    await server.restart();

    expect(await platformIndexes()).toEqual(derivedIndexes());
    const after = await indexOids();
    expect(after.has(OBSOLETE)).toBe(false);
    expect(after.get(HAND_MADE)).toBe(before.get(HAND_MADE));
    expect(after.get(SCOPE)).not.toBe(before.get(SCOPE));
    expect(after.get(UNIQUE)).not.toBe(before.get(UNIQUE));
    // Untouched indexes are not rebuilt.
    expect(after.get("tx_customer_name")).toBe(before.get("tx_customer_name"));
  });

  it("does nothing on the next start", async () => {
    const before = await indexOids();
    await server.restart();
    expect(await indexOids()).toEqual(before);
    const lines: string[] = [];
    expect(await reconcileIndexes(db, objects, { log: (line) => lines.push(line) })).toEqual({ applied: [], failed: [], conflicts: [], relatedKeys: { applied: [], failed: [] } });
    expect(lines).toEqual([]);
  });

  it("keeps the rebuilt unique index unique", async () => {
    await expect(copyCustomer(customerId)).rejects.toMatchObject({ code: "23505" });
  });

  it("keeps the old unique index when the new one cannot be built, and says so", async () => {
    // An older, weaker definition lets a duplicate code in; the current one cannot be built over it.
    await db.raw(`DROP INDEX "public"."${UNIQUE}"`);
    await db.raw(`CREATE UNIQUE INDEX "${UNIQUE}" ON "public"."customer" ("code", "id")`);
    await copyCustomer(customerId);
    const before = await indexOids();
    const lines: string[] = [];

    const result = await reconcileIndexes(db, objects, { log: (line) => lines.push(line) });

    expect(result.applied).toEqual([]);
    expect(result.failed.map((failure) => failure.step.name)).toEqual([UNIQUE]);
    expect(lines).toEqual([expect.stringContaining(`Rebuild unique index ${UNIQUE}`)]);
    expect(await indexOids()).toEqual(before);

    await db("customer").where({ code: customerCode }).whereNot({ id: customerId }).delete();
    const retried = await reconcileIndexes(db, objects, { log: (line) => lines.push(line) });
    expect(retried.applied.map((step) => [step.type, step.name])).toEqual([["rebuild_index", UNIQUE]]);
    expect(await platformIndexes()).toEqual(derivedIndexes());
    await expect(copyCustomer(customerId)).rejects.toMatchObject({ code: "23505" });
  });
});
