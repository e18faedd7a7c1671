// Pure tests of the schema planner on changes to existing objects: fields, indexes, renames and relations.
import { describe, expect, it } from "vitest";
import type { FieldDefinition } from "@crm/metadata";
import { planSchemaChange } from "./plan";
import { customer, field, object, sqlOf, stepsOfType, typesOf } from "./testing";

describe("planSchemaChange: changing fields", () => {
  const withFields = (...fields: FieldDefinition[]) => ({ ...customer, fields: [...customer.fields, ...fields] });

  it("adds a field as one add_column", () => {
    const plan = planSchemaChange({ from: [customer], to: [withFields(field("fld_phone", "phone", "phone"))] });
    expect(sqlOf(plan)).toEqual([`ALTER TABLE "public"."customer" ADD COLUMN "phone" text`]);
    expect(plan.destructive).toEqual([]);
  });

  it("renames a field with the same id, and the indexes on it", () => {
    const renamed = { ...customer, fields: [field("fld_name", "full_name", "text", { searchable: true, indexed: true }), customer.fields[1]] };
    const plan = planSchemaChange({ from: [customer], to: [renamed] });
    expect(sqlOf(plan)).toEqual([
      `ALTER TABLE "public"."customer" RENAME COLUMN "name" TO "full_name"`,
      `ALTER INDEX "public"."ix_customer_name" RENAME TO "ix_customer_full_name"`,
      `ALTER INDEX "public"."tx_customer_name" RENAME TO "tx_customer_full_name"`,
    ]);
  });

  it("swaps two field names through a temporary name", () => {
    const from = object("obj_t", "t", [field("fa", "a", "text"), field("fb", "b", "text")]);
    const to = object("obj_t", "t", [field("fa", "b", "text"), field("fb", "a", "text")]);
    const renames = planSchemaChange({ from: [from], to: [to] }).steps.map((step) => step.type === "rename_column" && `${step.from}->${step.to}`);
    expect(renames).toEqual(["a->_rename_tmp_0", "b->a", "_rename_tmp_0->b"]);
  });

  it("drops a field: a drop_column step and a destructive change", () => {
    const plan = planSchemaChange({ from: [withFields(field("fld_fax", "fax", "text"))], to: [customer] });
    expect(sqlOf(plan)).toEqual([`ALTER TABLE "public"."customer" DROP COLUMN "fax"`]);
    expect(plan.destructive).toMatchObject([{ path: "/objects/customer/fields/fax", kind: "drop_field", object: "customer", field: "fax" }]);
    expect(plan.destructive[0].reason["zh-CN"]).toContain("customer.fax");
  });

  it("drops a field's index before the column and reuses its name for a new field", () => {
    const from = withFields(field("fld_old", "ref", "text", { indexed: true }));
    const to = withFields(field("fld_new", "ref", "integer"));
    expect(typesOf(planSchemaChange({ from: [from], to: [to] }))).toEqual(["drop_index", "drop_column", "add_column"]);
  });

  it("adds and removes unique and indexed", () => {
    const plan = planSchemaChange({
      from: [withFields(field("fld_a", "a", "text"), field("fld_b", "b", "date", { unique: true }))],
      to: [withFields(field("fld_a", "a", "text", { unique: true }), field("fld_b", "b", "date", { indexed: true }))],
    });
    expect(sqlOf(plan)).toEqual([
      `DROP INDEX "public"."ux_customer_b"`,
      `CREATE UNIQUE INDEX "ux_customer_a" ON "public"."customer" ("a") WHERE "deleted_at" IS NULL`,
      `CREATE INDEX "ix_customer_b" ON "public"."customer" ("b", "id") WHERE "deleted_at" IS NULL`,
    ]);
    expect(plan.destructive).toEqual([]);
  });
});

describe("planSchemaChange: declared composite indexes", () => {
  const indexed = { ...customer, indexes: [{ fields: ["name", "code"], unique: true }, { fields: ["code", "name"] }] };

  it("creates them live-only, unique ones on the fields alone, others with id for keyset order", () => {
    const plan = planSchemaChange({ from: [customer], to: [indexed] });
    expect(sqlOf(plan)).toEqual([
      `CREATE UNIQUE INDEX "cu_customer_name_code" ON "public"."customer" ("name", "code") WHERE "deleted_at" IS NULL`,
      `CREATE INDEX "ci_customer_code_name" ON "public"."customer" ("code", "name", "id") WHERE "deleted_at" IS NULL`,
    ]);
  });

  it("renames them with their fields and refuses unknown fields", () => {
    const renamed = { ...indexed, fields: [customer.fields[0], { ...customer.fields[1], name: "ref" }] };
    const withRef = { ...renamed, indexes: [{ fields: ["name", "ref"], unique: true }, { fields: ["ref", "name"] }] };
    expect(typesOf(planSchemaChange({ from: [indexed], to: [withRef] }))).toEqual(["rename_column", "rename_index", "rename_index", "rename_index"]);
    expect(() => planSchemaChange({ from: [indexed], to: [renamed] })).toThrow(expect.objectContaining({ code: "INVALID_METADATA" }));
  });
});

describe("planSchemaChange: objects and relations", () => {
  const order = object("obj_order", "sales_order", [
    field("fld_order_customer", "buyer_id", "lookup", { target: "customer" }),
    field("fld_order_lines", "lines", "master_detail", { target: "order_line" }),
  ]);
  const line = object("obj_line", "order_line", [field("fld_line_qty", "qty", "integer")]);

  it("renames an object: table, primary key, indexes and its own foreign keys; keys pointing at it stay", () => {
    const from = [customer, order, line];
    // Relations name their target: renaming the child means the master's master_detail field names the new name.
    const header = { ...order, name: "order_header", fields: [order.fields[0], { ...order.fields[1], target: "order_item" }] };
    const to = [customer, header, { ...line, name: "order_item" }];
    const plan = planSchemaChange({ from, to });
    expect(typesOf(plan).every((type) => type.startsWith("rename_"))).toBe(true);
    expect(sqlOf(plan)).toEqual(
      expect.arrayContaining([
        `ALTER TABLE "public"."sales_order" RENAME TO "order_header"`,
        `ALTER TABLE "public"."order_item" RENAME CONSTRAINT "fk_order_line_parent_id" TO "fk_order_item_parent_id"`,
        `ALTER TABLE "public"."order_header" RENAME CONSTRAINT "fk_sales_order_buyer_id" TO "fk_order_header_buyer_id"`,
        `ALTER INDEX "public"."pk_sales_order" RENAME TO "pk_order_header"`,
      ]),
    );
    expect(typesOf(plan).indexOf("rename_index")).toBeGreaterThan(typesOf(plan).lastIndexOf("rename_table"));
  });

  it("turns an existing object into a child: nullable parent_id, then NOT NULL, foreign key and index", () => {
    const parentless = object("obj_order", "sales_order", [order.fields[0]]);
    const plan = planSchemaChange({ from: [customer, parentless, line], to: [customer, order, line] });
    // Other implicit detail columns (e.g. a line number) may come along; parent_id's steps are these, in this order.
    expect(sqlOf(plan).filter((sql) => sql.includes("parent_id"))).toEqual([
      `ALTER TABLE "public"."order_line" ADD COLUMN "parent_id" uuid`,
      `ALTER TABLE "public"."order_line" ALTER COLUMN "parent_id" SET NOT NULL`,
      `ALTER TABLE "public"."order_line" ADD CONSTRAINT "fk_order_line_parent_id" FOREIGN KEY ("parent_id") REFERENCES "public"."sales_order" ("id") ON DELETE CASCADE`,
      `CREATE INDEX "ix_order_line_parent_id" ON "public"."order_line" ("parent_id", "id") WHERE "deleted_at" IS NULL`,
    ]);
  });

  it("master_detail → lookup: the master gains a column, the child loses parent_id (destructive)", () => {
    const asLookup = { ...order, fields: [order.fields[0], field("fld_order_lines", "lines", "lookup", { target: "order_line" })] };
    const plan = planSchemaChange({ from: [customer, order, line], to: [customer, asLookup, line] });
    expect([...new Set(typesOf(plan))]).toEqual(["drop_foreign_key", "drop_index", "drop_column", "add_column", "add_foreign_key", "create_index"]);
    expect(stepsOfType(plan, "drop_column")).toContainEqual(expect.objectContaining({ table: "order_line", column: "parent_id" }));
    expect(stepsOfType(plan, "add_column")).toMatchObject([{ table: "sales_order", column: "lines", sqlType: "uuid" }]);
    const parentDrop = plan.destructive.find((change) => change.field === "parent_id");
    expect(parentDrop).toMatchObject({ path: "/objects/order_line/fields/parent_id", kind: "drop_field" });
    expect(parentDrop?.reason.en).toContain("no longer a detail of sales_order");
    expect(plan.destructive.map((change) => change.object)).toEqual(plan.destructive.map(() => "order_line"));
  });

  it("keeps the column when an implicit customer_id becomes a declared field", () => {
    const implicit = object("obj_t", "t", [], { belongsToCustomer: true });
    const declared = object("obj_t", "t", [field("fld_cust", "customer_id", "lookup", { target: "customer" })], { belongsToCustomer: true });
    // Only the ON DELETE rule changes (declared lookups restrict): the constraint is replaced, the column kept.
    expect(typesOf(planSchemaChange({ from: [customer, implicit], to: [customer, declared] }))).toEqual(["drop_foreign_key", "add_foreign_key"]);
  });

  it("leaves objects missing from the target model alone", () => {
    expect(planSchemaChange({ from: [customer, line], to: [customer] })).toEqual({ steps: [], destructive: [] });
  });

  it("orders a mixed change in phases: drops, renames, creates, columns, types, keys, indexes", () => {
    const from = [customer, order, line];
    const to = [
      { ...customer, name: "client", fields: [field("fld_name", "title", "text", { indexed: true }), field("fld_code", "code", "integer")] },
      { ...order, fields: [{ ...order.fields[0], target: "client" }, order.fields[1], field("fld_order_ref", "ref", "text", { unique: true })] },
      line,
      object("obj_new", "visit", [field("fld_visit_client", "client_id", "lookup", { target: "client" })]),
    ];
    const phases = ["drop_index", "rename_table", "rename_column", "rename_index", "create_table", "add_column", "alter_column_type", "add_foreign_key", "create_index"];
    const ranks = typesOf(planSchemaChange({ from, to })).map((type) => phases.indexOf(type === "rename_foreign_key" ? "rename_index" : type));
    expect(ranks).not.toContain(-1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});
