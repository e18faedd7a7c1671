// The scoped list and count builders (pure): which scopes become a UNION of index ranges, and the SQL they make.
// Their results are checked against a reference on random data in server/test/scenarios/permission-property.test.ts.
import knex from "knex";
import { describe, expect, it } from "vitest";
import type { ObjectDefinition } from "@crm/metadata";
import { compileModel } from "../registry/model";
import type { ScopePredicate } from "../access/record-scope";
import { parseSort } from "./list-query";
import { buildBoundedWalkQuery, buildListSteps, buildScopedCountQuery, buildScopedListQuery, LIST_PLANNING, listPlanMode, MAX_UNION_BRANCHES, RANGES_WITHOUT_WALK, readListSteps, scopeBranches } from "./scoped-list";

const label = { "zh-CN": "客户", en: "Customer" };
const objects: ObjectDefinition[] = [
  { name: "customer", label, ownership: true, defaultSort: "-created_at", fields: [{ name: "name", type: "text", label }] },
  { name: "contact", label, ownership: true, belongsToCustomer: true, defaultSort: "name", fields: [{ name: "name", type: "text", label }] },
];
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
  it("keeps a single index range as one alternative", () => {
    expect(scopeBranches(owner)).toEqual([owner]);
    expect(scopeBranches({ ...departments, values: ["d1"] })).toEqual([{ ...departments, values: ["d1"] }]);
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
    // the limit written in (a statement planned once must know it, db/native-query.ts)
    expect(sql).toMatch(/ limit 51$/);
    expect(bindings).toEqual(["e1"]);
  });

  it("merges each alternative's rows from its own index range and keeps the first distinct ones, with no lookup of a row by its id", () => {
    const { sql, bindings } = buildScopedListQuery(input({ type: "or", items: [owner, departments] })).toSQL();
    const columns = customer.readColumns.map((column) => `"${column}"`).join(", ");
    // the rows: a range per alternative, in list order, limited to the page
    for (const condition of [`"customer"."owner_id" = ?`, `"customer"."department_id" = ?`]) {
      expect(sql).toContain(`(select ${columns} from (select ${columns} from "customer" where "deleted_at" is null and ${condition} order by "created_at" desc, "id" desc limit 51) as "_part")`);
    }
    expect(sql.match(/ UNION ALL /g)).toHaveLength(2);
    // merged, the first distinct rows of the page
    expect(sql).toMatch(new RegExp(`^select ${columns} from \\(select distinct on \\("created_at", "id"\\) ${columns} from \\(\\(select ${columns} from \\(select`));
    expect(sql).toContain(`) as "_parts" order by "created_at" desc, "id" desc limit 51) as "_page" order by "created_at" desc, "id" desc limit 51`);
    expect(sql).not.toContain("cross join lateral");
    expect(sql).toMatch(/\) as "_page" order by "created_at" desc, "id" desc limit 51$/);
    expect(bindings).toEqual(["e1", "d1", "d2"]);
  });

  it("reads one person's own, related and customers' contacts as one range of the personal keys, testing only the relations granted", () => {
    const contact = model.objects.get("contact")!;
    const viaCustomer: ScopePredicate = { type: "via", column: "customer_id", target: "customer", predicate: { type: "or", items: [owner, related] }, origin };
    const predicate: ScopePredicate = { type: "or", items: [owner, viaCustomer] };
    const listInput = { db, model, shape: contact, request: { sort: parseSort(contact, undefined), limit: 50 }, predicate };
    const { sql, bindings } = buildScopedListQuery(listInput).toSQL();
    // own (1), the customer's owner (4) and the customer's related employees (8), not the contact's related (2)
    expect(sql).toContain(
      `(select "_key"."record_id" as "id", "_key"."sort_key" as "name" from "related_keys"."contact" as "_key" ` +
        `where "_key"."employee_id" = ? and ("_key"."relations" & 13) <> 0 order by "_key"."sort_key" asc, "_key"."record_id" asc limit 51) as "_personal"`,
    );
    // each key joined to its row, the sort key and the id kept from the key, in the keys' order
    expect(sql).toMatch(/^select "id", [^]* from \(select "_personal"\."id", "_row"\."version", /);
    expect(sql).toContain(`"_row"."customer_id", "_personal"."name" from (select "_key"."record_id"`);
    expect(sql).toMatch(/cross join lateral \(select "version", [^)]* from "contact" where "id" = "_personal"\."id"\) as "_row" order by "_personal"\."name" asc, "_personal"\."id" asc limit 51\) as "_part"/);
    // one part: no union, nothing to drop twice
    expect(sql).not.toContain(" UNION ");
    expect(sql).not.toContain("distinct");
    expect(sql).toMatch(/\) as "_page" order by "name" asc, "id" asc limit 51$/);
    expect(bindings).toEqual(["e1"]);
    // one's own contacts and one's customers' contacts: no walk of the plain list first
    expect(buildListSteps(listInput)).toHaveLength(1);
  });

  it("reads each department's range and the person's records as parts of a union", () => {
    const { sql, bindings } = buildScopedListQuery(input({ type: "or", items: [owner, related, departments] })).toSQL();
    expect(sql.match(/ UNION ALL /g)).toHaveLength(2);
    expect(sql).toContain(`select distinct on ("created_at", "id") ${customer.readColumns.map((column) => `"${column}"`).join(", ")} from (`);
    // only the person's keys are joined to their rows
    expect(sql.match(/cross join lateral/g)).toHaveLength(1);
    // the customer's personal keys hold owner and related only: asked for both, no test of the relations
    expect(sql).toContain(`from "related_keys"."customer" as "_key" where "_key"."employee_id" = ? order by`);
    expect(bindings).toEqual(["e1", "d1", "d2"]);
    // two employees' records: one part each
    const other: ScopePredicate = { ...owner, value: "e2" };
    const two = buildScopedListQuery(input({ type: "or", items: [owner, related, other, { ...related, value: "e2" }] })).toSQL();
    expect(two.sql.match(/from "related_keys"\."customer" as "_key"/g)).toHaveLength(2);
    expect(two.bindings).toEqual(["e1", "e2"]);
  });

  it("reads a person's records from the personal keys in list order, tested on the record for the list's own conditions", () => {
    const after = { ...request, after: ["2026-01-01T00:00:00.000Z", "00000000-0000-4000-8000-000000000000"] };
    const { sql, bindings } = buildScopedListQuery({ ...input({ type: "or", items: [owner, related] }), request: after, prepare: (query) => query.where("name", "x") }).toSQL();
    expect(sql).not.toContain(`"related_employee_ids" @>`);
    // the relations and the cursor on the keys' index range; not deleted and the caller's condition on the record
    expect(sql).toContain(
      `(select "_key"."record_id" as "id", "_key"."sort_key" as "created_at" from "related_keys"."customer" as "_key" cross join lateral (select "id" from "customer" ` +
        `where "deleted_at" is null and "name" = ? and "id" = "_key"."record_id") as "_page" ` +
        `where "_key"."employee_id" = ? and ("_key"."sort_key", "_key"."record_id") < (?, ?) order by "_key"."sort_key" desc, "_key"."record_id" desc limit 51) as "_personal"`,
    );
    expect(bindings).toEqual(["x", "e1", ...after.after]);
  });

  it("reads the personal keys alone when the list has no conditions of its own", () => {
    const { sql } = buildScopedListQuery(input({ type: "or", items: [owner, related] })).toSQL();
    expect(sql).toContain(
      `(select "_key"."record_id" as "id", "_key"."sort_key" as "created_at" from "related_keys"."customer" as "_key" where "_key"."employee_id" = ? ` +
        `order by "_key"."sort_key" desc, "_key"."record_id" desc limit 51) as "_personal"`,
    );
    const filtered = buildScopedListQuery({ ...input({ type: "or", items: [owner, related] }), request: { ...request, filter: { "==": [{ var: "name" }, "x"] } } }).toSQL().sql;
    expect(filtered).toContain(`cross join lateral (select "id" from "customer" where "deleted_at" is null and `);
  });

  it("reads a scope of one containment from the personal keys too, those of that relation only", () => {
    const { sql } = buildScopedListQuery(input(related)).toSQL();
    expect(sql).toContain(`from "related_keys"."customer" as "_key" where "_key"."employee_id" = ? and ("_key"."relations" & 2) <> 0 order by`);
    expect(sql).not.toContain(" UNION ");
  });

  it("keeps the containment on the GIN index when the personal keys are not in the list's order", () => {
    for (const sorted of [{ ...request, sort: parseSort(customer, "name") }, { ...request, sort: parseSort(customer, "-created_at,name") }]) {
      const { sql } = buildScopedListQuery({ ...input({ type: "or", items: [owner, related] }), request: sorted }).toSQL();
      expect(sql).not.toContain("related_keys");
      expect(sql).toContain(`"customer"."related_employee_ids" @> ARRAY[?]::uuid[] order by`);
    }
    const single = buildScopedListQuery({ ...input(related), request: { ...request, sort: parseSort(customer, "name") } }).toSQL().sql;
    expect(single).not.toContain("related_keys");
  });

  it("applies the caller's extra conditions and the cursor in every alternative", () => {
    const after = { ...request, after: ["2026-01-01T00:00:00.000Z", "00000000-0000-4000-8000-000000000000"] };
    const built = buildScopedListQuery({ ...input({ type: "or", items: [owner, departments] }), request: after, prepare: (query) => query.where("name", "x") }).toSQL();
    expect(built.sql.match(/"name" = \?/g)).toHaveLength(3);
    expect(built.sql.match(/\("created_at", "id"\) < \(\?, \?\)/g)).toHaveLength(3);
  });
});

describe("buildScopedCountQuery", () => {
  it("counts a one-range scope directly", () => {
    const { sql } = buildScopedCountQuery(input(owner)).toSQL();
    expect(sql).toMatch(/^select count\(\*\) as "total" from "customer"/);
  });

  it("adds disjoint counts, broadest alternative first: each without the rows of the ones before it", () => {
    const { sql, bindings } = buildScopedCountQuery(input({ type: "or", items: [owner, related, departments] })).toSQL();
    const parts = sql.slice("SELECT ".length).split(") + (");
    expect(parts).toHaveLength(3);
    // the department range alone (an index-only count), then the owner's rows outside it, then the related rows
    expect(parts[0]).toMatch(/"customer"\."department_id" IN \(\?, \?\)\)?$/);
    expect(parts[1]).toMatch(/"customer"\."owner_id" = \? and \("customer"\."department_id" IN \(\?, \?\)\) IS NOT TRUE/);
    expect(parts[2]).toMatch(/@> ARRAY\[\?\]::uuid\[\] and \("customer"\."department_id" IN \(\?, \?\)\) IS NOT TRUE and \("customer"\."owner_id" = \?\) IS NOT TRUE/);
    expect(bindings).toEqual(["d1", "d2", "e1", "d1", "d2", "e1", "d1", "d2", "e1"]);
  });

  it("counts the customer's visibility on the record's copies of its keys, one alternative per copied key", () => {
    const contact = model.objects.get("contact")!;
    const viaCustomer: ScopePredicate = { type: "via", column: "customer_id", target: "customer", predicate: { type: "or", items: [owner, related, departments] }, origin };
    const request = { sort: parseSort(contact, undefined), limit: 50 };
    const { sql, bindings } = buildScopedCountQuery({ db, model, shape: contact, request, predicate: { type: "or", items: [owner, related, viaCustomer] } }).toSQL();
    const parts = sql.slice("SELECT ".length).split(") + (");
    expect(sql).not.toContain(`"customer_id" IN (SELECT`);
    // the customer's departments (broadest), then the customer owner's contacts (usually a superset of the contacts one
    // owns), then one's own outside them, …
    expect(parts.map((part) => part.match(/and "contact"\."(\w+)" (=|@>|IN)/)?.[1])).toEqual(["customer_department_id", "customer_owner_id", "owner_id", "related_employee_ids", "customer_related_ids"]);
    expect(parts[2]).toContain(`("contact"."customer_owner_id" = ?) IS NOT TRUE`);
    expect(bindings).toHaveLength(2 + 3 + 4 + 5 + 6);
  });

  it("counts one person's records from the personal keys' index, testing only the relations granted", () => {
    const contact = model.objects.get("contact")!;
    const viaCustomer: ScopePredicate = { type: "via", column: "customer_id", target: "customer", predicate: { type: "or", items: [owner, related] }, origin };
    const request = { sort: parseSort(contact, undefined), limit: 50 };
    const countInput = { db, model, shape: contact, request, predicate: { type: "or", items: [owner, viaCustomer] } as ScopePredicate };
    const { sql, bindings } = buildScopedCountQuery(countInput).toSQL();
    expect(sql).toBe(`select count(*) as "total" from "related_keys"."contact" as "_key" where "_key"."employee_id" = ? and ("_key"."relations" & 13) <> 0`);
    expect(bindings).toEqual(["e1"]);
    expect(buildScopedCountQuery(input({ type: "or", items: [owner, related] })).toSQL().sql).toBe(`select count(*) as "total" from "related_keys"."customer" as "_key" where "_key"."employee_id" = ?`);
    // the list's own conditions are on the record: counted there
    const filtered = buildScopedCountQuery({ ...countInput, request: { ...request, filter: { "==": [{ var: "name" }, "x"] } } }).toSQL().sql;
    expect(filtered).not.toContain("related_keys");
    // two people's records are not one range
    expect(buildScopedCountQuery(input({ type: "or", items: [owner, { ...related, value: "e2" }] })).toSQL().sql).not.toContain("related_keys");
  });
});

describe("buildBoundedWalkQuery", () => {
  it("filters a window of the plain list by the scope and keeps the page's order", () => {
    const { sql, bindings } = buildBoundedWalkQuery({ ...input({ type: "or", items: [owner, departments] }), prepare: (query) => query.where("name", "x") }, 2000).toSQL();
    expect(sql).toMatch(/^select .* from \(select \* from "customer" where "deleted_at" is null and "name" = \? order by "created_at" desc, "id" desc limit 2000\) as "customer" where /);
    expect(sql).toContain(`("customer"."owner_id" = ? OR "customer"."department_id" IN (?, ?))`);
    expect(sql).toMatch(/order by "created_at" desc, "id" desc limit 51$/);
    expect(bindings).toEqual(["x", "e1", "d1", "d2"]);
  });

  it("walks the entries of the default order's index alone when they carry every alternative's column", () => {
    const after = { ...request, after: ["2026-01-01T00:00:00.000Z", "00000000-0000-4000-8000-000000000000"] };
    const { sql, bindings } = buildBoundedWalkQuery({ ...input({ type: "or", items: [owner, departments] }), request: after }, 2000).toSQL();
    // the window: keys and the tested columns only (what the index carries), kept for the walk
    expect(sql).toMatch(
      /^with "_window" as materialized \(select "created_at", "id", "owner_id", "department_id" from "customer" where "deleted_at" is null and \("created_at", "id"\) < \(\?, \?\) order by "created_at" desc, "id" desc limit 2000\) /,
    );
    expect(sql).toContain(
      `(select "created_at", "id" from (select "created_at", "id" from "_window" as "customer" where ("customer"."owner_id" = ? OR "customer"."department_id" = ? OR "customer"."department_id" = ?) order by "created_at" desc, "id" desc limit 51) as "_part")`,
    );
    expect(sql).not.toContain(" UNION ");
    expect(bindings).toEqual([...after.after, "e1", "d1", "d2"]);
  });

  it("reads a person's records beside the index walk, from the personal keys up to the window's last entry", () => {
    const { sql, bindings } = buildBoundedWalkQuery(input({ type: "or", items: [departments, owner, related] }), 2000).toSQL();
    expect(sql).toMatch(/^with "_window" as materialized \(select "created_at", "id", "department_id" from "customer" where "deleted_at" is null order by "created_at" desc, "id" desc limit 2000\) /);
    expect(sql).toContain(
      `from "related_keys"."customer" as "_key" where "_key"."employee_id" = ? and ("_key"."sort_key", "_key"."record_id") >= (select "created_at", "id" from "_window" order by "created_at" asc, "id" asc limit 1) order by`,
    );
    expect(sql.match(/ UNION ALL /g)).toHaveLength(1);
    expect(bindings).toEqual(["d1", "d2", "e1"]);
    // what the entries do not carry (a containment with no personal keys in this order, a grant over a field) reads the rows
    const byName = { ...request, sort: parseSort(customer, "name") };
    expect(buildBoundedWalkQuery({ ...input({ type: "or", items: [departments, related] }), request: byName }, 2000).toSQL().sql).toMatch(/^select .* from \(select \* from "customer"/);
  });
});

describe("buildListSteps", () => {
  const manyDepartments = (count: number): ScopePredicate => ({ ...departments, values: Array.from({ length: count }, (_, index) => `d${index}`) });

  it("reads a union of a few index ranges without walking the plain list first", () => {
    const steps = buildListSteps(input({ type: "or", items: [owner, related, departments] }));
    expect(steps).toHaveLength(1);
    expect(steps[0].query.toSQL().sql).not.toContain("_walked");
    expect(steps[0].query.toSQL().sql.match(/ UNION ALL /g)).toHaveLength(2);
  });

  it("walks the plain list first when the scope has many alternatives or one that is not an index range, the union behind it in the same statement", () => {
    const steps = buildListSteps(input({ type: "or", items: [owner, manyDepartments(RANGES_WITHOUT_WALK)] }));
    expect(steps.map((step) => step.rows)).toEqual(["replace"]);
    const { sql } = steps[0].query.toSQL();
    expect(sql).toMatch(/^with "_walked" as materialized \(with "_window" as materialized \(select "created_at", "id", "owner_id", "department_id" from "customer" where "deleted_at" is null order by .*? limit \d+\)/);
    // the union only when the walk found no more than a page
    expect(sql).toContain(`from "_walked" where (select count(*) from "_walked") > 50`);
    expect(sql).toContain(`as "_union" where not (select count(*) from "_walked") > 50`);
    expect(sql).toMatch(/ order by "created_at" desc, "id" desc limit 51$/);
    // a grant over a field: read from the rows
    const grant: ScopePredicate = { type: "filter", expression: { "==": [{ var: "name" }, "x"] }, origin };
    const granted = buildListSteps(input({ type: "or", items: [grant, departments] }))[0].query.toSQL().sql;
    expect(granted).toMatch(/^with "_walked" as materialized \(select .* from \(select \* from "customer" where "deleted_at" is null order by/);
  });

  it("walks twice as many rows as the union would read (one page per alternative), within the limit of the setting", () => {
    const walked = (predicate: ScopePredicate, limit = 50) =>
      Number(/with "_window" as materialized \(select .*? limit (\d+)\)/.exec(buildListSteps({ ...input(predicate), request: { ...request, limit } })[0].query.toSQL().sql)?.[1]);
    // the person's records (one range of the personal keys) and 13 departments: 2 × 14 × 51 rows
    expect(walked({ type: "or", items: [owner, related, manyDepartments(13)] })).toBe(2 * 14 * 51);
    expect(walked({ type: "or", items: [owner, manyDepartments(13)] }, 20)).toBe(2 * 14 * 21);
    expect(walked({ type: "or", items: [owner, manyDepartments(30)] }, 200)).toBe(LIST_PLANNING.walkWindow);
  });

  it("does not walk for a scope of one's own records: the union reads them from a few index ranges", () => {
    const steps = buildListSteps(input({ type: "or", items: [owner, related] }));
    expect(steps).toHaveLength(1);
    expect(steps[0].query.toSQL().sql).toContain(`from "related_keys"."customer"`);
    const twoPeople = buildListSteps(input({ type: "or", items: [owner, { ...related, value: "e2" }] }));
    expect(twoPeople).toHaveLength(1);
    expect(twoPeople[0].query.toSQL().sql).toContain(" UNION ALL ");
  });

  it("reads a one-range scope with one statement", () => {
    const steps = buildListSteps(input(owner));
    expect(steps).toHaveLength(1);
    expect(steps[0].query.toSQL().sql).toContain(`"customer"."owner_id" = ?`);
  });

  it("reads the rows with a NULL sort key after an ascending page on a nullable key, within the scope", () => {
    const sort = parseSort(customer, "name");
    const after = { sort, limit: 50, after: ["m", "00000000-0000-4000-8000-000000000000"] };
    const steps = buildListSteps({ ...input(owner), request: after });
    expect(steps.map((step) => step.rows)).toEqual(["replace", "append"]);
    const tail = steps[1].query.toSQL();
    expect(tail.sql).toContain(`"name" is null`);
    expect(tail.sql).toContain(`"customer"."owner_id" = ?`);
    expect(tail.sql).toMatch(/ limit 51$/);
    expect(tail.bindings).toEqual(["e1"]);
  });
});

describe("readListSteps", () => {
  const run = (answers: Record<string, number[]>) => {
    const ran: string[] = [];
    return { ran, run: async (query: string) => (ran.push(query), answers[query]) };
  };

  it("keeps the walk's rows when they are more than a page", async () => {
    const { ran, run: execute } = run({ walk: [1, 2, 3, 4], union: [9] });
    const rows = await readListSteps([{ query: "walk", rows: "replace" }, { query: "union", rows: "replace" }], 3, execute);
    expect(rows).toEqual([1, 2, 3, 4]);
    expect(ran).toEqual(["walk"]);
  });

  it("replaces a short walk by the per-alternative page and appends a tail while the page is not full", async () => {
    const { ran, run: execute } = run({ walk: [1], union: [1, 2], tail: [7, 8, 9] });
    const steps = [
      { query: "walk", rows: "replace" as const },
      { query: "union", rows: "replace" as const },
      { query: "tail", rows: "append" as const },
    ];
    expect(await readListSteps(steps, 3, execute)).toEqual([1, 2, 7, 8]);
    expect(ran).toEqual(["walk", "union", "tail"]);
  });
});

describe("listPlanMode", () => {
  it("plans a page once per session only when its values are the scope, the cursor and the limit, in the default order", () => {
    expect(listPlanMode(customer, request, false)).toBe("generic");
    expect(listPlanMode(customer, { ...request, after: ["2026-01-01T00:00:00.000Z", "00000000-0000-4000-8000-000000000000"] }, false)).toBe("generic");
    // the default order reversed walks the same indexes backwards
    expect(listPlanMode(customer, { ...request, sort: parseSort(customer, "created_at") }, false)).toBe("generic");
    expect(listPlanMode(customer, { ...request, filter: { "==": [{ var: "name" }, "x"] } }, false)).toBe("custom");
    expect(listPlanMode(customer, { ...request, search: "x" }, false)).toBe("custom");
    expect(listPlanMode(customer, request, true)).toBe("custom");
    // another order: no index range per scope column serves it, the plan depends on how many rows each value has
    expect(listPlanMode(customer, { ...request, sort: parseSort(customer, "name") }, false)).toBe("custom");
    expect(listPlanMode(customer, { ...request, sort: parseSort(customer, "-created_at,name") }, false)).toBe("custom");
    const contact = model.objects.get("contact")!;
    expect(listPlanMode(contact, { sort: parseSort(contact, undefined), limit: 50 }, false)).toBe("generic");
  });
});
