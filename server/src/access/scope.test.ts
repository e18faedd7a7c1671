// The predicate builder as a pure function: (model, access context) → predicate tree → SQL, without a database.
import { describe, expect, it } from "vitest";
import type { ObjectDefinition, RoleDefinition } from "@crm/metadata";
import { compileModel } from "../registry/model";
import type { AccessContext } from "./context";
import { expandSubtrees } from "./context";
import { buildRecordScope } from "./record-scope";
import { compileScope } from "./scope-sql";
import { fieldMask, mayPerform } from "./permissions";

const label = { "zh-CN": "对象", en: "Object" };
const text = (name: string) => ({ name, type: "text" as const, label });
const objects: ObjectDefinition[] = [
  { name: "department", label, fields: [text("code"), { name: "parent_department_id", type: "lookup", target: "department", label }] },
  { name: "employee", label, fields: [text("code"), { name: "department_id", type: "department", label }] },
  { name: "customer", label, ownership: true, fields: [text("name"), text("bank_account"), { name: "category", type: "text", label }] },
  { name: "contact", label, ownership: true, belongsToCustomer: true, fields: [text("name")] },
  { name: "sales_order", label, ownership: true, belongsToCustomer: true, fields: [{ name: "lines", type: "master_detail", target: "order_line", label }] },
  { name: "order_line", label, fields: [text("item")] },
];

const salesRep: RoleDefinition = {
  name: "sales_rep",
  label,
  functions: { customer: ["view", "edit"], contact: ["view", "edit"], sales_order: ["view"] },
  records: {
    customer: { view: { any: ["owner", "related"] }, edit: "owner" },
    contact: { view: { any: ["owner", "related", { all: ["customer", "customer_dimension"] }] } },
    sales_order: { view: { any: ["owner", { all: ["customer"] }] } },
  },
  fields: { customer: { bank_account: "hidden", name: "read_only" } },
  dimensions: { customer: "all" },
};
const manager: RoleDefinition = {
  name: "manager",
  label,
  functions: { "*": ["view", "edit"] },
  records: { "*": { view: "department_range", edit: "department_range" } },
};
const grantedService: RoleDefinition = {
  name: "service",
  label,
  functions: { customer: ["view"] },
  records: { customer: { view: "customer_dimension" } },
  dimensions: { customer: "granted" },
};

const model = compileModel({ version: 1, objects, optionSets: [], roles: [salesRep, manager, grantedService] });
const object = (name: string) => model.objects.get(name)!;

function context(overrides: Partial<AccessContext>): AccessContext {
  return {
    actor: { userId: "u1", username: "u", displayName: "U", employeeId: "e1", roles: [], isAdmin: false, locale: "zh-CN" },
    unrestricted: false,
    employeeId: "e1",
    departmentId: "d1",
    departmentAndBelow: ["d1"],
    departmentRange: [],
    customerGrant: null,
    roles: [],
    ...overrides,
  };
}
const sql = (name: string, access: AccessContext, action: "view" | "edit" = "view") =>
  compileScope(buildRecordScope({ model, context: access, object: object(name), action }), { model, object: name, alias: name });

describe("buildRecordScope", () => {
  it("grants a salesperson own and related customers", () => {
    expect(sql("customer", context({ roles: [salesRep] }))).toEqual({
      sql: `("customer"."owner_id" = ? OR "customer"."related_employee_ids" @> ARRAY[?]::uuid[])`,
      bindings: ["e1", "e1"],
    });
  });

  it("keeps edit within view", () => {
    expect(sql("customer", context({ roles: [salesRep] }), "edit")).toEqual({
      sql: `(("customer"."owner_id" = ? OR "customer"."related_employee_ids" @> ARRAY[?]::uuid[]) AND "customer"."owner_id" = ?)`,
      bindings: ["e1", "e1", "e1"],
    });
  });

  it("lets a contact inherit its customer's visibility: 相关/负责员工 or (所属客户 and 其他维度)", () => {
    // The customer's owner / related keys are copied onto the contact, so no sub-select is needed.
    const compiled = sql("contact", context({ roles: [salesRep] }));
    expect(compiled.sql).toBe(
      `("contact"."owner_id" = ? OR "contact"."related_employee_ids" @> ARRAY[?]::uuid[] OR ` +
        `("contact"."customer_owner_id" = ? OR "contact"."customer_related_ids" @> ARRAY[?]::uuid[]))`,
    );
    expect(compiled.bindings).toEqual(["e1", "e1", "e1", "e1"]);
  });

  it("falls back to a sub-select when the customer's scope reads customer fields", () => {
    const compiled = sql("contact", context({ roles: [salesRep, grantedService], customerGrant: { "==": [{ var: "category" }, "key"] } }));
    expect(compiled.sql).toContain(`"contact"."customer_owner_id" = ?`);
    const withGrantOnly = sql("contact", context({ roles: [{ ...salesRep, records: { contact: { view: "customer" } }, functions: { contact: ["view"], customer: ["view"] } }, grantedService], customerGrant: { "==": [{ var: "category" }, "key"] } }));
    expect(withGrantOnly.sql).toMatch(/"contact"."customer_id" IN \(SELECT "scope_1"."id" FROM "customer" AS "scope_1"/);
  });

  it("denies by default: no employee, no department range, no grant, no role", () => {
    expect(sql("customer", context({ roles: [salesRep], employeeId: null })).sql).toBe("FALSE");
    expect(sql("customer", context({ roles: [manager] })).sql).toBe("FALSE");
    expect(sql("customer", context({ roles: [grantedService] })).sql).toBe("FALSE");
    expect(sql("customer", context({ roles: [] })).sql).toBe("FALSE");
    expect(sql("contact", context({ roles: [grantedService] })).sql).toBe("FALSE");
  });

  it("unions roles and expands department ranges", () => {
    const compiled = sql("customer", context({ roles: [salesRep, manager], departmentRange: ["d2", "d3"] }));
    expect(compiled.sql).toBe(`("customer"."owner_id" = ? OR "customer"."related_employee_ids" @> ARRAY[?]::uuid[] OR "customer"."department_id" IN (?, ?))`);
    expect(compiled.bindings).toEqual(["e1", "e1", "d2", "d3"]);
  });

  it("compiles a person's customer grant as a json-logic filter", () => {
    const compiled = sql("customer", context({ roles: [grantedService], customerGrant: { "==": [{ var: "category" }, "key"] } }));
    expect(compiled).toEqual({ sql: `("customer"."category" IS NOT NULL AND "customer"."category" = ?)`, bindings: ["key"] });
  });

  it("puts master-detail lines under their master's scope", () => {
    const compiled = sql("order_line", context({ roles: [salesRep] }));
    expect(compiled.sql).toMatch(/^"order_line"."parent_id" IN \(SELECT "scope_1"."id" FROM "sales_order" AS "scope_1"/);
    expect(compiled.sql).toContain(`"scope_1"."customer_owner_id" = ?`);
  });

  it("lets administrators see everything", () => {
    expect(sql("contact", context({ unrestricted: true })).sql).toBe("TRUE");
  });
});

describe("function and field permissions", () => {
  it("answers per object and action, with * for every object", () => {
    expect(mayPerform(context({ roles: [salesRep] }), object("customer"), "edit")).toBe(true);
    expect(mayPerform(context({ roles: [salesRep] }), object("customer"), "delete")).toBe(false);
    expect(mayPerform(context({ roles: [manager] }), object("contact"), "edit")).toBe(true);
    expect(mayPerform(context({ roles: [salesRep] }), object("order_line"), "view")).toBe(true);
  });

  it("hides a field only when every role viewing the object hides it", () => {
    expect([...fieldMask(context({ roles: [salesRep] }), object("customer")).hidden]).toEqual(["bank_account"]);
    expect([...fieldMask(context({ roles: [salesRep] }), object("customer")).readOnly]).toEqual(["name"]);
    expect([...fieldMask(context({ roles: [salesRep, manager] }), object("customer")).hidden]).toEqual([]);
  });
});

describe("expandSubtrees", () => {
  const tree = [
    { id: "01", parent_department_id: null },
    { id: "0101", parent_department_id: "01" },
    { id: "010101", parent_department_id: "0101" },
    { id: "02", parent_department_id: null },
  ];
  it("includes every department below the chosen ones, and nothing unknown", () => {
    expect(expandSubtrees(tree, ["01"])).toEqual(["01", "0101", "010101"]);
    expect(expandSubtrees(tree, ["0101", "02", "missing"])).toEqual(["010101", "0101", "02"].sort());
  });
});
