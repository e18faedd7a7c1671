// Applies planned schema changes to a real database (PGlite, or PostgreSQL with DATABASE_URL) and checks data survives.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FieldDefinition, ObjectDefinition } from "@crm/metadata";
import { openTestDatabase, type Knex } from "../../test/support/database";
import { applySchemaPlan } from "./apply";
import { planSchemaChange, type SchemaPlan } from "./plan";
import { field, object } from "./testing";

let db: Knex;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
});

afterAll(async () => {
  await close?.();
});

async function change(from: ObjectDefinition[], to: ObjectDefinition[], confirmDestructive = false): Promise<SchemaPlan> {
  const plan = planSchemaChange({ from, to });
  await db.transaction((trx) => applySchemaPlan(trx, plan, { confirmDestructive }));
  return plan;
}

async function columnType(table: string, column: string): Promise<string | undefined> {
  const row = await db("information_schema.columns")
    .where({ table_schema: "public", table_name: table, column_name: column })
    .first("data_type");
  return row?.data_type;
}

const archived = (object: string, field: string) =>
  db("sys.archived_values").where({ object, field }).orderBy("id").select("record_id", "value", "reason");

describe("applySchemaPlan", () => {
  const product = object("obj_product", "product", [field("fld_p_name", "name", "text", { indexed: true }), field("fld_p_code", "code", "text")]);
  const withFields = (base: ObjectDefinition, ...fields: FieldDefinition[]) => ({ ...base, fields: [...base.fields, ...fields] });
  /** product after its code field is dropped below. */
  const nameOnly = { ...product, fields: [product.fields[0]] };
  let ids: string[] = [];

  it("creates a table that takes rows", async () => {
    await change([], [product]);
    const rows = await db("product").insert([{ name: "Tea", code: "12" }, { name: "Rice", code: "7" }]).returning("id");
    ids = rows.map((row: { id: string }) => row.id);
    expect(await db("product").orderBy("name").pluck("name")).toEqual(["Rice", "Tea"]);
  });

  it("adds a field later and keeps the rows", async () => {
    const next = withFields(product, field("fld_p_price", "price", "amount"));
    const plan = await change([product], [next]);
    expect(plan.steps.map((step) => step.type)).toEqual(["add_column"]);
    await db("product").where({ name: "Tea" }).update({ price: 9.5 });
    expect(await db("product").orderBy("name").select("name", "price")).toEqual([
      { name: "Rice", price: null },
      { name: "Tea", price: 9.5 },
    ]);
    await change([next], [product], true);
  });

  it("renames a field and the object, keeping the data, and frees the old names", async () => {
    const renamed = { ...product, name: "goods", fields: [{ ...product.fields[0], name: "title" }, product.fields[1]] };
    await change([product], [renamed]);
    expect(await db("goods").orderBy("title").pluck("title")).toEqual(["Rice", "Tea"]);
    // A new object may take the old name: the primary key and indexes were renamed with the table.
    const fresh = object("obj_product_2", "product", [field("fld_p2_name", "name", "text", { indexed: true })]);
    await change([renamed], [renamed, fresh]);
    await change([renamed, fresh], [product, { ...fresh, name: "product_new" }]);
    expect(await db("product").count({ n: "*" })).toEqual([{ n: 2 }]);
  });

  it("refuses a narrowing change without confirmation and changes nothing", async () => {
    const narrowed = { ...product, fields: [product.fields[0], field("fld_p_code", "code", "integer")] };
    const attempt = change([product], [narrowed]);
    await expect(attempt).rejects.toMatchObject({
      code: "DESTRUCTIVE_CHANGE_NOT_CONFIRMED",
      status: 400,
      details: [{ path: "/objects/product/fields/code", message: { en: expect.stringContaining("text to bigint") } }],
    });
    expect(await columnType("product", "code")).toBe("text");
  });

  it("applies a confirmed narrowing change after archiving the old values", async () => {
    const narrowed = { ...product, fields: [product.fields[0], field("fld_p_code", "code", "integer")] };
    await change([product], [narrowed], true);
    expect(await columnType("product", "code")).toBe("bigint");
    expect(await db("product").orderBy("name").pluck("code")).toEqual([7, 12]);
    const rows = await archived("product", "code");
    expect(rows.map((row) => row.value).sort()).toEqual(["12", "7"]);
    expect(rows.map((row) => row.record_id).sort()).toEqual([...ids].sort());
    expect(rows[0].reason).toBe("alter_column_type text -> bigint");
    await change([narrowed], [product]);
  });

  it("reports a failing cast as SCHEMA_CAST_FAILED and leaves the table unchanged", async () => {
    await db("product").where({ name: "Rice" }).update({ code: "abc" });
    const before = await archived("product", "code");
    const narrowed = { ...product, fields: [product.fields[0], field("fld_p_code", "code", "integer")] };
    await expect(change([product], [narrowed], true)).rejects.toMatchObject({
      code: "SCHEMA_CAST_FAILED",
      details: [{ path: "/objects/product/fields/code" }],
      failure: { object: "product", field: "code", from: "text", to: "bigint" },
    });
    expect(await columnType("product", "code")).toBe("text");
    expect(await db("product").orderBy("name").pluck("code")).toEqual(["abc", "12"]);
    expect(await archived("product", "code")).toEqual(before);
  });

  it("drops a confirmed field after archiving its values", async () => {
    await expect(change([product], [nameOnly])).rejects.toMatchObject({ code: "DESTRUCTIVE_CHANGE_NOT_CONFIRMED" });
    await change([product], [nameOnly], true);
    expect(await columnType("product", "code")).toBeUndefined();
    const rows = (await archived("product", "code")).filter((row) => row.reason === "drop_column");
    expect(rows.map((row) => row.value).sort()).toEqual(["12", "abc"]);
  });

  it("reports existing duplicates under a new unique field as DUPLICATE_VALUE and keeps the old schema", async () => {
    const unique = { ...nameOnly, fields: [{ ...product.fields[0], unique: true }] };
    await db("product").insert({ name: "Tea" });
    await expect(change([nameOnly], [unique])).rejects.toMatchObject({
      code: "DUPLICATE_VALUE",
      details: [{ path: "/objects/product/fields/name" }],
    });
    const indexes = await db("pg_indexes").where({ schemaname: "public", tablename: "product" }).pluck("indexname");
    expect(indexes).toContain("ix_product_name");
    expect(indexes).not.toContain("ux_product_name");
  });

  it("refuses to make an object with rows a master_detail child (its rows would have no master)", async () => {
    const master = object("obj_batch", "batch", [field("fld_b_items", "items", "master_detail", { target: "product" })]);
    await expect(change([nameOnly], [nameOnly, master])).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      details: [{ path: "/objects/product/fields/parent_id" }],
    });
    expect(await columnType("product", "parent_id")).toBeUndefined();
    expect(await columnType("batch", "id")).toBeUndefined();
  });

  it("applies the full plan of a model with lookups, ownership and master-detail, then plans nothing more", async () => {
    const model = [
      object("obj_employee", "employee", [field("fld_e_name", "name", "text")]),
      object("obj_department", "department", [field("fld_d_name", "name", "text")]),
      object("obj_customer", "customer", [
        field("fld_c_name", "name", "text", { searchable: true, unique: true }),
        field("fld_c_tags", "tags", "multi_picklist", { options: ["a", "b"] }),
        field("fld_c_address", "address", "address"),
        field("fld_c_parent", "parent_customer_id", "lookup", { target: "customer" }),
      ]),
      object(
        "obj_order",
        "sales_order",
        [
          field("fld_o_date", "order_date", "date", { indexed: true }),
          field("fld_o_total", "total", "amount"),
          field("fld_o_lines", "lines", "master_detail", { target: "order_line" }),
          field("fld_o_no", "number", "auto_number", { format: "SO-{SEQ:6}" }),
        ],
        { ownership: true, belongsToCustomer: true },
      ),
      object("obj_line", "order_line", [field("fld_l_qty", "qty", "integer"), field("fld_l_done", "done", "boolean")]),
    ];
    await change([], model);
    expect(planSchemaChange({ from: model, to: model }).steps).toEqual([]);
    const [customer] = await db("customer").insert({ name: "Acme", tags: ["a"] }).returning("id");
    const [order] = await db("sales_order").insert({ customer_id: customer.id, order_date: "2024-05-01", total: 10 }).returning("id");
    await db("order_line").insert({ parent_id: order.id, qty: 3 });
    await expect(db("order_line").insert({ qty: 1 })).rejects.toThrow(/parent_id/);
    await expect(db("customer").where({ id: customer.id }).delete()).rejects.toThrow(/foreign key/);
    await db("sales_order").where({ id: order.id }).delete();
    expect(await db("order_line").count({ n: "*" })).toEqual([{ n: 0 }]);
    const indexes = await db("pg_indexes").where({ schemaname: "public", tablename: "customer" }).pluck("indexname");
    expect(indexes).toEqual(expect.arrayContaining(["pk_customer", "ux_customer_name", "tx_customer_name", "gx_customer_tags"]));
  });
});
