// The personal keys: which objects get a side table (pure), and, on a real database (PGlite, or PostgreSQL with
// DATABASE_URL), that the triggers keep it equal to the arrays on every kind of write and that it is filled when it is
// created on a table that has rows, by the schema planner and by the boot-time reconciliation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectDefinition } from "@crm/metadata";
import { openTestDatabase, type Knex } from "../../test/support/database";
import { applySchemaPlan } from "./apply";
import { buildModel } from "./model";
import { planSchemaChange } from "./plan";
import { planRelatedKeysReconcile, RELATED_KEY_TRIGGERS, RELATED_KEYS_SCHEMA, relatedKeysFingerprint, relatedKeysOf, type LiveRelatedKeys, type RelatedKeysSpec } from "./related-keys";
import { desiredRelatedKeys, readLiveRelatedKeys, reconcileRelatedKeys } from "./related-keys-run";
import { field, object } from "./testing";

const account = object("obj_account", "account", [field("fld_account_name", "name", "text")], { ownership: true });
const visit = object("obj_visit", "visit", [field("fld_visit_at", "visit_at", "datetime"), field("fld_visit_customer", "customer_id", "lookup", { target: "customer" })], {
  ownership: true,
  defaultSort: "-visit_at",
});
const customer = object("obj_customer", "customer", [field("fld_customer_name", "name", "text")], { ownership: true });
const note = object("obj_note", "note", [field("fld_note_text", "text", "text")]);

const specOf = (definition: ObjectDefinition, model: ObjectDefinition[] = [definition]) => relatedKeysOf(buildModel(model).tables.get(definition.id!)!);

describe("relatedKeysOf", () => {
  it("derives a side table for objects with related employees, in the first column of their default order", () => {
    expect(specOf(account)).toEqual({
      table: "account",
      name: "account",
      sortColumn: "created_at",
      sortType: "timestamptz(3)",
      sources: [
        { column: "owner_id", kind: "uuid", bit: 1 },
        { column: "related_employee_ids", kind: "uuid_array", bit: 2 },
      ],
    });
    expect(specOf(note)).toBeUndefined();
    expect(specOf({ ...account, defaultSort: "id" })).toBeUndefined();
  });

  it("holds the owner, and the customer's owner and related employees on records that copy them, each its related bit", () => {
    expect(specOf(visit, [customer, visit])).toMatchObject({
      sortColumn: "visit_at",
      sortType: "timestamptz(3)",
      sources: [
        { column: "owner_id", kind: "uuid", bit: 1 },
        { column: "related_employee_ids", kind: "uuid_array", bit: 2 },
        { column: "customer_owner_id", kind: "uuid", bit: 4 },
        { column: "customer_related_ids", kind: "uuid_array", bit: 8 },
      ],
    });
  });

  it("changes its fingerprint with what it is made from", () => {
    const spec = specOf(account)!;
    expect(relatedKeysFingerprint(spec)).toBe(relatedKeysFingerprint({ ...spec }));
    expect(relatedKeysFingerprint({ ...spec, sortColumn: "name", sortType: "text" })).not.toBe(relatedKeysFingerprint(spec));
    expect(relatedKeysFingerprint({ ...spec, table: "client", name: "client" })).not.toBe(relatedKeysFingerprint(spec));
  });
});

describe("planRelatedKeysReconcile", () => {
  const spec = specOf(account)!;
  const live = (entry: Partial<LiveRelatedKeys>): LiveRelatedKeys => ({ table: "account", tableExists: true, triggers: 4, fingerprint: relatedKeysFingerprint(spec), ...entry });
  const plan = (desired: RelatedKeysSpec[], entries: LiveRelatedKeys[]) => planRelatedKeysReconcile(desired, entries).map((step) => `${step.type} ${step.table}`);

  it("leaves side tables made from the current definition alone", () => {
    expect(plan([spec], [live({})])).toEqual([]);
  });

  it("builds missing side tables and rebuilds those of another definition or with a trigger missing", () => {
    expect(plan([spec], [live({ fingerprint: undefined, triggers: 0 })])).toEqual(["create_related_keys account"]);
    expect(plan([spec], [live({ fingerprint: "related keys 0000" })])).toEqual(["create_related_keys account"]);
    expect(plan([spec], [live({ triggers: 3 })])).toEqual(["create_related_keys account"]);
  });

  it("drops side tables and triggers no object derives, and leaves tables that do not exist to the planner", () => {
    expect(plan([], [live({})])).toEqual(["drop_related_keys account"]);
    expect(plan([], [live({ fingerprint: undefined, triggers: 2 })])).toEqual(["drop_related_keys account"]);
    expect(plan([], [live({ fingerprint: undefined, triggers: 0 })])).toEqual([]);
    expect(plan([spec], [])).toEqual([]);
  });
});

describe("personal keys on a database", () => {
  let db: Knex;
  let close: () => Promise<void>;
  const [e1, e2, e3] = ["00000000-0000-4000-8000-0000000000e1", "00000000-0000-4000-8000-0000000000e2", "00000000-0000-4000-8000-0000000000e3"];

  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
  });

  afterAll(async () => {
    await close?.();
  });

  async function change(from: ObjectDefinition[], to: ObjectDefinition[]) {
    const plan = planSchemaChange({ from, to });
    await db.transaction((trx) => applySchemaPlan(trx, plan, { confirmDestructive: true }));
    return plan;
  }

  const RELATION_NAMES = ["owner", "related", "customer-owner", "customer-related"];
  const line = (row: { employee_id: string; relations: number; sort_key: unknown; label: string }) =>
    `${row.employee_id.slice(-2)} ${RELATION_NAMES.filter((_, bit) => row.relations & (1 << bit)).join("+")} ${row.sort_key instanceof Date ? row.sort_key.toISOString() : row.sort_key} ${row.label}`;

  /** The side table's rows, as `employee relations sort record-name` lines. */
  async function keys(table: string, label = "name"): Promise<string[]> {
    const { rows } = await db.raw(
      `SELECT k.employee_id, k.relations, k.sort_key, t.${label} AS label FROM "${RELATED_KEYS_SCHEMA}"."${table}" k LEFT JOIN "${table}" t ON t.id = k.record_id`,
    );
    return rows.map(line).sort();
  }

  /** What the side table should hold: one row per live record and employee it relates to, with every relation's bit. */
  async function expected(table: string, sortColumn: string, label = "name"): Promise<string[]> {
    const copies = table === "visit" ? `UNION ALL SELECT t.id, t.customer_owner_id, 4 FROM "${table}" t UNION ALL SELECT t.id, e, 8 FROM "${table}" t, unnest(t.customer_related_ids) e` : "";
    const { rows } = await db.raw(
      `SELECT s.e AS employee_id, bit_or(s.bit) AS relations, t."${sortColumn}" AS sort_key, t.${label} AS label
         FROM (SELECT t.id, t.owner_id AS e, 1 AS bit FROM "${table}" t UNION ALL SELECT t.id, e, 2 FROM "${table}" t, unnest(t.related_employee_ids) e ${copies}) s
         JOIN "${table}" t ON t.id = s.id
        WHERE t.deleted_at IS NULL AND s.e IS NOT NULL
        GROUP BY s.e, t.id`,
    );
    return rows.map(line).sort();
  }

  it("is created with the object's table and follows inserts, updates, soft deletes, deletes and truncation", async () => {
    const plan = await change([], [account]);
    expect(plan.steps.map((step) => step.type)).toEqual(expect.arrayContaining(["create_table", "create_related_keys"]));
    expect(plan.steps[plan.steps.length - 1].type).toBe("create_related_keys");
    const at = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();
    await db("account").insert([
      { name: "a", created_at: at(1), related_employee_ids: [e1, e2] },
      { name: "b", created_at: at(2), related_employee_ids: [e1, e1] },
      { name: "c", created_at: at(3), related_employee_ids: [] },
    ]);
    expect(await keys("account")).toEqual([`e1 related ${at(1)} a`, `e1 related ${at(2)} b`, `e2 related ${at(1)} a`]);
    await db("account").where({ name: "c" }).update({ related_employee_ids: [e3] });
    await db("account").where({ name: "a" }).update({ related_employee_ids: db.raw("array_remove(related_employee_ids, ?::uuid)", [e1]) });
    await db("account").where({ name: "b" }).update({ deleted_at: at(9) });
    expect(await keys("account")).toEqual([`e2 related ${at(1)} a`, `e3 related ${at(3)} c`]);
    await db("account").where({ name: "b" }).update({ deleted_at: null });
    // An update that does not touch the keys leaves them as they are.
    await db("account").update({ name: db.raw("name || '!'") });
    expect(await keys("account")).toEqual(await expected("account", "created_at"));
    expect(await keys("account")).toHaveLength(3);
    await db("account").where({ name: "c!" }).delete();
    expect(await keys("account")).toEqual([`e1 related ${at(2)} b!`, `e2 related ${at(1)} a!`]);
    await db.raw(`TRUNCATE "account"`);
    expect(await keys("account")).toEqual([]);
  });

  it("holds one row per employee and record with every relation's bit, and follows a changed sort key and owner", async () => {
    await change([], [customer, visit]);
    await db("visit").insert([
      { visit_at: "2026-02-01T00:00:00Z", owner_id: e1, related_employee_ids: [e1], customer_owner_id: e3, customer_related_ids: [e1, e2] },
      { visit_at: null, related_employee_ids: [e2], customer_related_ids: [] },
    ]);
    expect(await keys("visit", "visit_at")).toEqual([
      "e1 owner+related+customer-related 2026-02-01T00:00:00.000Z 2026-02-01T00:00:00.000Z",
      "e2 customer-related 2026-02-01T00:00:00.000Z 2026-02-01T00:00:00.000Z",
      "e2 related null null",
      "e3 customer-owner 2026-02-01T00:00:00.000Z 2026-02-01T00:00:00.000Z",
    ]);
    expect(await keys("visit", "id")).toEqual(await expected("visit", "visit_at", "id"));
    await db("visit").whereNotNull("owner_id").update({ owner_id: e2 });
    expect(await keys("visit", "id")).toEqual(await expected("visit", "visit_at", "id"));
    expect((await keys("visit", "visit_at")).filter((entry) => entry.startsWith("e2 owner+customer-related"))).toHaveLength(1);
    await db("visit").whereNull("visit_at").update({ visit_at: "2026-03-01T00:00:00Z" });
    await db("visit").update({ customer_related_ids: [e3] });
    expect(await keys("visit", "id")).toEqual(await expected("visit", "visit_at", "id"));
    expect((await keys("visit", "id")).filter((entry) => entry.includes("2026-03-01"))).toHaveLength(2);
  });

  it("is rebuilt and filled from the rows when the default order changes", async () => {
    const byName = { ...account, defaultSort: "name" };
    const plan = await change([account], [byName]);
    // First and last: the triggers read the columns that the steps in between may change.
    expect(plan.steps[0].type).toBe("drop_related_keys");
    expect(plan.steps.map((step) => step.type).filter((type) => type.endsWith("related_keys"))).toEqual(["drop_related_keys", "create_related_keys"]);
    expect(plan.steps[plan.steps.length - 1].type).toBe("create_related_keys");
    await db("account").insert([{ name: "x", related_employee_ids: [e1] }, { name: "y", related_employee_ids: [e2, e3] }]);
    expect(await keys("account")).toEqual(["e1 related x x", "e2 related y y", "e3 related y y"]);
    const back = await change([byName], [account]);
    expect(back.steps.map((step) => step.type).filter((type) => type.endsWith("related_keys"))).toEqual(["drop_related_keys", "create_related_keys"]);
    expect(await keys("account")).toEqual(await expected("account", "created_at"));
    expect(await keys("account")).toHaveLength(3);
  });

  it("is built and filled at boot for a table that has rows but no side table, and left alone once it is there", async () => {
    await db.raw(`DROP FUNCTION "${RELATED_KEYS_SCHEMA}"."sync_account"() CASCADE`);
    await db.raw(`DROP TABLE "${RELATED_KEYS_SCHEMA}"."account"`);
    await db("account").insert({ name: "z", related_employee_ids: [e1, e2] });
    const lines: string[] = [];
    const result = await reconcileRelatedKeys(db, [account, customer, visit], { log: (line) => lines.push(line) });
    expect(result.applied.map((step) => `${step.type} ${step.table}`)).toEqual(["create_related_keys account"]);
    expect(lines).toEqual([expect.stringMatching(/^Built the personal keys of account \(\d+\.\d s\)$/)]);
    expect(await keys("account")).toEqual(await expected("account", "created_at"));
    expect(await keys("account")).toHaveLength(5);
    // The triggers are back too.
    await db("account").where({ name: "z" }).update({ related_employee_ids: [] });
    expect(await keys("account")).toHaveLength(3);
    expect(await reconcileRelatedKeys(db, [account, customer, visit])).toEqual({ applied: [], failed: [] });
  });

  it("is rebuilt at boot when one of its triggers was disabled, since its keys may have missed writes", async () => {
    await db.raw(`ALTER TABLE "account" DISABLE TRIGGER "${RELATED_KEY_TRIGGERS.update}"`);
    const [missed] = await db("account").insert({ name: "missed", related_employee_ids: [e3] }).returning("id");
    await db("account").where({ id: missed.id }).update({ related_employee_ids: [e1] });
    expect(await keys("account")).not.toEqual(await expected("account", "created_at"));
    const result = await reconcileRelatedKeys(db, [account, customer, visit]);
    expect(result.applied.map((step) => `${step.type} ${step.table}`)).toEqual(["create_related_keys account"]);
    expect(await keys("account")).toEqual(await expected("account", "created_at"));
    // Its triggers fire again.
    await db("account").where({ id: missed.id }).update({ related_employee_ids: [e2] });
    expect(await keys("account")).toEqual(await expected("account", "created_at"));
    expect(await reconcileRelatedKeys(db, [account, customer, visit])).toEqual({ applied: [], failed: [] });
  });

  it("is dropped with its triggers at boot once the object no longer derives it", async () => {
    const live = await readLiveRelatedKeys(db);
    expect(live.filter((entry) => entry.fingerprint !== undefined).map((entry) => entry.table).sort()).toEqual(["account", "customer", "visit"]);
    const withoutVisit = desiredRelatedKeys([account, customer]);
    expect(withoutVisit.map((spec) => spec.table)).toEqual(["account", "customer"]);
    const result = await reconcileRelatedKeys(db, [account, customer, { ...visit, ownership: false }]);
    expect(result.applied.map((step) => `${step.type} ${step.table}`)).toEqual(["drop_related_keys visit"]);
    const after = (await readLiveRelatedKeys(db)).find((entry) => entry.table === "visit");
    expect(after).toEqual({ table: "visit", tableExists: true, triggers: 0 });
    // Writes to the table work without them.
    await db("visit").insert({ visit_at: "2026-04-01T00:00:00Z", related_employee_ids: [e1] });
  });
});
