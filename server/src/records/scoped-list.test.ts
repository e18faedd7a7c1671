// The scoped list and count builders (pure): which scopes become a UNION of index ranges, and the SQL they make.
// Their results are checked against a reference on random data in server/test/scenarios/permission-property.test.ts.
import knex from "knex";
import { describe, expect, it } from "vitest";
import type { ObjectDefinition } from "@crm/metadata";
import { compileModel } from "../registry/model";
import type { ScopePredicate } from "../access/record-scope";
import { parseSort } from "./list-query";
import { buildBoundedWalkQuery, buildScopedCountQuery, buildScopedListQuery, MAX_UNION_BRANCHES, scopeBranches } from "./scoped-list";

const label = { "zh-CN": "客户", en: "Customer" };
const objects: ObjectDefinition[] = [{ name: "customer", label, ownership: true, defaultSort: "-created_at", fields: [{ name: "name", type: "text", label }] }];
const model = compileModel({ version: 1, objects, optionSets: [], roles: [] });
const customer = model.objects.get("customer")!;
const db = knex({ client: "pg" });
const origin = { role: "r", term: "t" };

const owner: ScopePredicate = { type: "equals", column: "owner_id", value: "e1", origin };
const related: ScopePredicate = { type: "contains", column: "related_employee_ids", value: "e1", origin };
const departments: ScopePredicate = { type: "in", column: "department_id", values: ["d1", "d2"], origin };

const request = { sort: parseSort(customer, undefined), limit: 50 };
const input = (predicate: ScopePredicate) => ({ db, model, shape: customer, request, predicate });

describe("scopeBranches", () => {
  it("keeps a single index range as it is", () => {
    expect(scopeBranches(owner)).toBeUndefined();
    expect(scopeBranches({ type: "true" })).toBeUndefined();
    expect(scopeBranches({ ...departments, values: ["d1"] })).toBeUndefined();
  });

  it("splits an OR into its items and an IN list into one equality per value", () => {
    expect(scopeBranches({ type: "or", items: [owner, related, departments] })).toEqual([
      owner,
      related,
      { type: "equals", column: "department_id", value: "d1", origin },
      { type: "equals", column: "department_id", value: "d2", origin },
    ]);
    expect(scopeBranches(departments)).toHaveLength(2);
  });

  it("gives up above the branch limit", () => {
    const values = Array.from({ length: MAX_UNION_BRANCHES + 1 }, (_, index) => `d${index}`);
    expect(scopeBranches({ ...departments, values })).toBeUndefined();
  });
});

describe("buildScopedListQuery", () => {
  it("puts a one-range scope into the plain list query", () => {
    const { sql, bindings } = buildScopedListQuery(input(owner)).toSQL();
    expect(sql).not.toContain("UNION");
    expect(sql).toContain(`"customer"."owner_id" = ?`);
    expect(bindings).toEqual(["e1", 51]);
  });

  it("reads one ordered, limited page per alternative and keeps the first rows of their union", () => {
    const { sql, bindings } = buildScopedListQuery(input({ type: "or", items: [owner, departments] })).toSQL();
    expect(sql.match(/\(select "id", "created_at" from "customer" where/g)).toHaveLength(3);
    expect(sql.match(/ UNION /g)).toHaveLength(2);
    expect(sql).toContain(`ORDER BY "created_at" desc, "id" desc LIMIT ?`);
    expect(sql).toMatch(/order by "created_at" desc, "id" desc$/);
    expect(bindings).toEqual(["e1", 51, "d1", 51, "d2", 51, 51]);
  });

  it("applies the caller's extra conditions and the cursor in every alternative", () => {
    const after = { ...request, after: ["2026-01-01T00:00:00.000Z", "00000000-0000-4000-8000-000000000000"] };
    const built = buildScopedListQuery({ ...input({ type: "or", items: [owner, related] }), request: after, prepare: (query) => query.where("name", "x") }).toSQL();
    expect(built.sql.match(/"name" = \?/g)).toHaveLength(2);
    expect(built.sql.match(/\("created_at", "id"\) < \(\?, \?\)/g)).toHaveLength(2);
  });
});

describe("buildScopedCountQuery", () => {
  it("counts a one-range scope directly", () => {
    const { sql } = buildScopedCountQuery(input(owner)).toSQL();
    expect(sql).toMatch(/^select count\(\*\) as "total" from "customer"/);
  });

  it("adds disjoint counts: each alternative without the rows of the earlier ones", () => {
    const { sql, bindings } = buildScopedCountQuery(input({ type: "or", items: [owner, related, departments] })).toSQL();
    expect(sql.match(/\(select count\(\*\) as "total"/g)).toHaveLength(3);
    expect(sql.match(/IS NOT TRUE/g)).toHaveLength(3);
    expect(bindings).toEqual(["e1", "e1", "e1", "d1", "d2", "e1", "e1"]);
  });
});

describe("buildBoundedWalkQuery", () => {
  it("filters a window of the plain list by the scope and keeps the page's order", () => {
    const { sql, bindings } = buildBoundedWalkQuery(input({ type: "or", items: [owner, departments] }), 2000).toSQL();
    expect(sql).toMatch(/^select .* from \(select \* from "customer" where "deleted_at" is null order by "created_at" desc, "id" desc limit \?\) as "customer" where /);
    expect(sql).toContain(`("customer"."owner_id" = ? OR "customer"."department_id" IN (?, ?))`);
    expect(sql).toMatch(/order by "created_at" desc, "id" desc limit \?$/);
    expect(bindings).toEqual([2000, "e1", "d1", "d2", 51]);
  });
});
