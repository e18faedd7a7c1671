// Index reconciliation (pure): live catalog definitions against the derived ones, and the steps between them.
import { describe, expect, it } from "vitest";
import { createIndex } from "./ddl";
import { desiredIndexes, isPlatformIndexName, normaliseIndexDefinition, planIndexReconcile, sameDefinition, type LiveIndex } from "./index-reconcile";
import type { IndexSpec } from "./indexes";
import { derivedName } from "./sql";
import { field, object } from "./testing";

const customer = object(
  "obj_customer",
  "customer",
  [field("fld_name", "name", "text", { searchable: true, indexed: true }), field("fld_code", "code", "text", { unique: true }), field("fld_tags", "tags", "multi_picklist", { indexed: true })],
  { ownership: true },
);
const desired = desiredIndexes([customer]);
const named = (name: string) => desired.find((spec) => spec.name === name)!;

/** The live index of a spec as the platform created it (ddl.ts text: the normaliser equates it with PostgreSQL's). */
const liveOf = (spec: IndexSpec, extra: Partial<LiveIndex> = {}): LiveIndex => ({
  name: spec.name,
  table: spec.table,
  definition: createIndex(spec).sql,
  valid: true,
  constraint: false,
  ...extra,
});
const primaryKey: LiveIndex = {
  name: "pk_customer",
  table: "customer",
  definition: "CREATE UNIQUE INDEX pk_customer ON public.customer USING btree (id)",
  valid: true,
  constraint: true,
};
const converged = [primaryKey, ...desired.map((spec) => liveOf(spec))];

describe("normaliseIndexDefinition", () => {
  // Left: what pg_get_indexdef prints (PostgreSQL 15 and PGlite alike); right: what ddl.ts writes.
  const same: [string, string][] = [
    [
      "CREATE INDEX sx_customer_owner_id_created_at ON public.customer USING btree (owner_id, created_at, id) INCLUDE (department_id) WHERE (deleted_at IS NULL)",
      `CREATE INDEX "sx_customer_owner_id_created_at" ON "public"."customer" ("owner_id", "created_at", "id") INCLUDE ("department_id") WHERE "deleted_at" IS NULL`,
    ],
    [
      `CREATE UNIQUE INDEX ux_order_select ON public."order" USING btree ("select") WHERE (deleted_at IS NULL)`,
      `CREATE UNIQUE INDEX "ux_order_select" ON "public"."order" ("select") WHERE "deleted_at" IS NULL`,
    ],
    ["CREATE INDEX tx_order_name ON public.\"order\" USING gin (name gin_trgm_ops)", `CREATE INDEX "tx_order_name" ON "public"."order" USING gin ("name" gin_trgm_ops)`],
    ["CREATE INDEX gx_customer_tags ON public.customer USING gin (tags)", `CREATE INDEX "gx_customer_tags" ON "public"."customer" USING gin ("tags")`],
    // The name is not part of the definition: a swapped-in index under its temporary name compares equal.
    ["CREATE INDEX swap_ix_a ON public.customer USING btree (name, id)", "CREATE INDEX ix_a ON customer (name, id)"],
  ];
  it.each(same)("equates %s with ddl.ts's text", (printed, written) => {
    expect(normaliseIndexDefinition(printed)).toBe(normaliseIndexDefinition(written));
  });

  const different: [string, string][] = [
    // An older scope index, before it carried the broader scope columns.
    [
      "CREATE INDEX sx_customer_owner_id_created_at ON public.customer USING btree (owner_id, created_at, id) WHERE (deleted_at IS NULL)",
      `CREATE INDEX "sx_customer_owner_id_created_at" ON "public"."customer" ("owner_id", "created_at", "id") INCLUDE ("department_id") WHERE "deleted_at" IS NULL`,
    ],
    ["CREATE INDEX ix_customer_name ON public.customer USING btree (name)", `CREATE INDEX "ix_customer_name" ON "public"."customer" ("name", "id") WHERE "deleted_at" IS NULL`],
    ["CREATE INDEX ux_customer_code ON public.customer USING btree (code) WHERE (deleted_at IS NULL)", `CREATE UNIQUE INDEX "ux_customer_code" ON "public"."customer" ("code") WHERE "deleted_at" IS NULL`],
    ["CREATE INDEX tx_customer_name ON public.customer USING gin (name gin_trgm_ops)", `CREATE INDEX "tx_customer_name" ON "public"."customer" ("name")`],
    ["CREATE INDEX ix_contact_name ON public.contact USING btree (name, id)", `CREATE INDEX "ix_customer_name" ON "public"."customer" ("name", "id")`],
    ["CREATE INDEX ix_a ON public.customer USING btree (name, id) WHERE ((deleted_at IS NULL) AND (code IS NOT NULL))", "CREATE INDEX ix_a ON customer (name, id) WHERE deleted_at IS NULL"],
  ];
  it.each(different)("tells %s from %s", (a, b) => {
    expect(sameDefinition(a, b)).toBe(false);
  });

  it("keeps the parentheses a predicate needs", () => {
    expect(normaliseIndexDefinition("CREATE INDEX a ON public.t USING btree (x) WHERE ((deleted_at IS NULL) AND (x > 1))")).toBe(
      "CREATE INDEX ON t (x) WHERE (deleted_at IS NULL) AND (x > 1)",
    );
  });
});

describe("isPlatformIndexName", () => {
  it("recognises every derived kind on its own table, cut names included", () => {
    for (const spec of desired) expect(isPlatformIndexName(spec.name, spec.table), spec.name).toBe(true);
    const long = "a_very_long_object_name_that_fills_most_of_an_identifier";
    const cut = derivedName("sx", long, "customer_department_id", "created_at");
    expect(cut).toHaveLength(63);
    expect(isPlatformIndexName(cut, long)).toBe(true);
    expect(isPlatformIndexName(cut, "customer")).toBe(false);
  });

  it("leaves other names alone", () => {
    expect(isPlatformIndexName("pk_customer", "customer")).toBe(false);
    expect(isPlatformIndexName("customer_name_lower_idx", "customer")).toBe(false);
    expect(isPlatformIndexName("ix_contact_name", "customer")).toBe(false);
    expect(isPlatformIndexName("ix_customer_Name", "customer")).toBe(false);
  });
});

describe("planIndexReconcile", () => {
  it("derives the scope, unique, trigram and multi-value indexes", () => {
    expect(desired.map((spec) => spec.name).sort()).toEqual(
      expect.arrayContaining(["gx_customer_tags", "sx_customer_owner_id_created_at", "tx_customer_name", "ux_customer_code"]),
    );
  });

  it("plans nothing when the live indexes match, whatever PostgreSQL prints", () => {
    const owner = named("sx_customer_owner_id_created_at");
    const printed = converged.map((index) =>
      index.name === owner.name
        ? { ...index, definition: `CREATE INDEX ${owner.name} ON public.customer USING btree (owner_id, created_at, id) INCLUDE (department_id) WHERE (deleted_at IS NULL)` }
        : index,
    );
    expect(planIndexReconcile(desired, printed)).toEqual({ steps: [], conflicts: [] });
  });

  it("creates a missing index", () => {
    const missing = named("sx_customer_department_id_created_at");
    const { steps } = planIndexReconcile(desired, converged.filter((index) => index.name !== missing.name));
    expect(steps).toEqual([expect.objectContaining({ type: "create_index", name: missing.name, statements: [createIndex(missing).sql] })]);
  });

  it("rebuilds a changed index under a temporary name, dropping the old one only after the new one exists", () => {
    const owner = named("sx_customer_owner_id_created_at");
    const older = `CREATE INDEX ${owner.name} ON public.customer USING btree (owner_id, created_at, id) WHERE (deleted_at IS NULL)`;
    const { steps } = planIndexReconcile(desired, converged.map((index) => (index.name === owner.name ? { ...index, definition: older } : index)));
    const temporary = `swap_${owner.name}`;
    expect(steps).toEqual([
      expect.objectContaining({
        type: "rebuild_index",
        name: owner.name,
        statements: [
          createIndex({ ...owner, name: temporary }).sql,
          `DROP INDEX "public"."${owner.name}"`,
          `ALTER INDEX "public"."${temporary}" RENAME TO "${owner.name}"`,
        ],
      }),
    ]);
  });

  it("rebuilds a unique index that lost its uniqueness, and an index a failed build left invalid", () => {
    const code = named("ux_customer_code");
    const name = named("tx_customer_name");
    const live = converged.map((index) => {
      if (index.name === code.name) return { ...index, definition: createIndex({ ...code, unique: false }).sql };
      if (index.name === name.name) return { ...index, valid: false };
      return index;
    });
    const { steps } = planIndexReconcile(desired, live);
    expect(steps.map((step) => [step.type, step.name])).toEqual([
      ["rebuild_index", name.name],
      ["rebuild_index", code.name],
    ]);
    expect(steps[1].statements[0]).toMatch(/^CREATE UNIQUE INDEX "swap_ux_customer_code"/);
  });

  it("drops obsolete platform indexes first, and never a primary key, a constraint's index or a hand-made one", () => {
    const obsolete = liveOf({ ...named("tx_customer_name"), name: "ix_customer_retired_field" });
    const handMade = { ...obsolete, name: "customer_name_lower_idx", definition: "CREATE INDEX customer_name_lower_idx ON public.customer USING btree (lower(name))" };
    const constraintOwned = { ...obsolete, name: "ux_customer_legacy_key", constraint: true };
    const missing = named("gx_customer_tags");
    const live = [...converged.filter((index) => index.name !== missing.name), obsolete, handMade, constraintOwned];
    const { steps } = planIndexReconcile(desired, live);
    expect(steps.map((step) => [step.type, step.name])).toEqual([
      ["drop_index", "ix_customer_retired_field"],
      ["create_index", missing.name],
    ]);
    expect(steps[0].statements).toEqual([`DROP INDEX "public"."ix_customer_retired_field"`]);
  });

  it("reports a derived name a constraint holds instead of touching it", () => {
    const code = named("ux_customer_code");
    const live = converged.map((index) => (index.name === code.name ? { ...index, constraint: true, definition: "CREATE UNIQUE INDEX ux_customer_code ON public.customer USING btree (code)" } : index));
    expect(planIndexReconcile(desired, live)).toEqual({ steps: [], conflicts: [{ table: "customer", name: code.name }] });
  });

  it("leaves tables the catalog does not have to the schema planner", () => {
    const other = object("obj_other", "other", [field("fld_other_name", "name", "text", { indexed: true })]);
    expect(planIndexReconcile(desiredIndexes([customer, other]), converged)).toEqual({ steps: [], conflicts: [] });
  });
});
