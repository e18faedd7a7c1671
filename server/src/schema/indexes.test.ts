// The record-scope indexes (pure): each scope column in list order, carrying the broader scope columns, so that a
// scoped count can leave out the rows of the broader alternatives from the index entries alone.
import { describe, expect, it } from "vitest";
import { createIndex } from "./ddl";
import { indexesOf, SCOPE_COLUMNS_BROADEST_FIRST } from "./indexes";
import { buildModel } from "./model";
import { field, object } from "./testing";

const customer = object("obj_customer", "customer", [field("fld_name", "name", "text")], { ownership: true });
const contact = object("obj_contact", "contact", [field("fld_contact_name", "name", "text", { indexed: true })], { ownership: true, belongsToCustomer: true, defaultSort: "name" });
const model = buildModel([customer, contact]);
const scopeIndexes = (id: string) => indexesOf(model.tables.get(id)!, (key) => key).filter((index) => index.name.startsWith("sx_"));

describe("record-scope indexes", () => {
  it("carries the broader scope columns of an owned object's own scope columns", () => {
    expect(scopeIndexes("obj_customer").map((index) => createIndex(index).sql)).toEqual([
      `CREATE INDEX "sx_customer_owner_id_created_at" ON "public"."customer" ("owner_id", "created_at", "id") INCLUDE ("department_id") WHERE "deleted_at" IS NULL`,
      `CREATE INDEX "sx_customer_department_id_created_at" ON "public"."customer" ("department_id", "created_at", "id") WHERE "deleted_at" IS NULL`,
    ]);
  });

  it("carries the customer's copied keys on a record that belongs to a customer, in the order of breadth", () => {
    const byColumn = new Map(scopeIndexes("obj_contact").map((index) => [index.columns[0], index]));
    expect([...byColumn.keys()].sort()).toEqual([...SCOPE_COLUMNS_BROADEST_FIRST].sort());
    expect(byColumn.get("department_id")!.include).toBeUndefined();
    expect(byColumn.get("customer_department_id")!.include).toEqual(["department_id"]);
    expect(byColumn.get("customer_owner_id")!.include?.slice().sort()).toEqual(["customer_department_id", "department_id"]);
    expect(byColumn.get("owner_id")!.include?.slice().sort()).toEqual(["customer_department_id", "customer_owner_id", "department_id"]);
    expect(byColumn.get("owner_id")!.columns).toEqual(["owner_id", "name", "id"]);
  });

  it("carries every scope column on the index of the default list order, for a bounded walk of its entries alone", () => {
    const ordered = (id: string, column: string) => indexesOf(model.tables.get(id)!, (key) => key).find((index) => index.name === `ix_${id.slice(4)}_${column}`)!;
    expect(createIndex(ordered("obj_customer", "created_at")).sql).toBe(
      `CREATE INDEX "ix_customer_created_at" ON "public"."customer" ("created_at", "id") INCLUDE ("owner_id", "department_id") WHERE "deleted_at" IS NULL`,
    );
    expect(ordered("obj_customer", "created_at").identity).toMatch(/\|\+[^|]+$/);
    // another sorted column carries nothing
    expect(ordered("obj_customer", "updated_at").include).toBeUndefined();
    // a contact, listed by name: its name index, with the customer's copies too
    expect(ordered("obj_contact", "name").include?.slice().sort()).toEqual([...SCOPE_COLUMNS_BROADEST_FIRST].sort());
  });

  it("names what it carries in the identity, so that a change of it rebuilds the index", () => {
    const owner = scopeIndexes("obj_customer").find((index) => index.columns[0] === "owner_id")!;
    expect(owner.identity).toMatch(/\|\+[^|]+$/);
  });
});
