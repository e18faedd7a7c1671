// 相关员工 (SPEC C2: "相关员工可以查看"): a salesperson who is a related employee of thousands of customers reads a page of
// them in list order from the personal keys (server/src/schema/related-keys.ts) instead of sorting every
// customer the GIN index finds. Checks, over 20,000 customers and 40,000 contacts written with SQL (the triggers keep
// the keys), that the keys are in step with the arrays, that wanglei's pages through the API are exactly the rows of
// the plain predicate in order (first page, after a cursor, both directions, after changes), and that the statement
// the service runs reads the keys' index in order: no bitmap scan of the GIN index and no sort of thousands of rows.
// Runs on the embedded database and on PostgreSQL (DATABASE_URL=postgres://…).
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMPLOYEE_ARRAYS } from "../support/employee-arrays";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { loadAccessContext } from "../../src/access/context";
import { buildRecordScope } from "../../src/access/record-scope";
import { rebuildCustomerScope } from "../../src/access/customer-scope";
import { findActiveUserByUsername } from "../../src/auth/users";
import { parseListRequest, shapeFor, type ListParameters } from "../../src/records/read";
import { buildListSteps, LIST_PLANNING } from "../../src/records/scoped-list";
import { scopeQuery } from "../../src/records/access-guard";
import { buildListQuery } from "../../src/records/list-query";
import type { Model } from "../../src/registry/model";

const CUSTOMERS = 20_000;
// wanglei sees one customer in four: a walk of 2,000 rows of the plain list would find his pages without the keys. A short
// walk leaves every page to the per-alternative union, the statement under test.
LIST_PLANNING.walkWindow = 30;

let server: TestServer;
let db: Knex;
let model: Model;
let wanglei: TestClient;
let employeeId: string;


beforeAll(async () => {
  server = await startTestServer();
  db = server.database.db;
  model = await server.built.server.registry.current();
  wanglei = await server.login("wanglei");
  const actor = await findActiveUserByUsername(db, "wanglei");
  employeeId = (await loadAccessContext(db, model, actor!)).employeeId!;
  // Owners spread over every employee; wanglei a related employee of one customer in four (5,000), someone else of
  // one in ten; one customer in fifty soft-deleted. Created a minute apart, a few at the same minute (ties by id).
  await db.raw(
    `INSERT INTO customer (code, name, status, owner_id, department_id, related_employee_ids, created_at, updated_at, deleted_at)
     SELECT 'C-RK-' || i, '客户 ' || md5(i::text), 'potential',
            e.ids[1 + (hashint4(i) & 2147483647) % e.n], e.departments[1 + (hashint4(i) & 2147483647) % e.n],
            CASE WHEN i % 4 = 0 THEN ARRAY[?::uuid] ELSE '{}'::uuid[] END
              || CASE WHEN i % 10 = 0 THEN ARRAY[e.ids[1 + (hashint4(i + 7) & 2147483647) % e.n]] ELSE '{}'::uuid[] END,
            timestamptz '2026-01-01' + make_interval(mins => i - i % 3), timestamptz '2026-01-01',
            CASE WHEN i % 50 = 0 THEN timestamptz '2026-06-01' END
       FROM generate_series(1, ${CUSTOMERS}) AS i, ${EMPLOYEE_ARRAYS}`,
    [employeeId],
  );
  // Two contacts per customer, owned by someone else: wanglei sees them through the customer (its copied keys).
  await db.raw(
    `INSERT INTO contact (name, customer_id, owner_id, department_id, related_employee_ids, is_primary, created_at, updated_at)
     SELECT '联系人 ' || md5(c.id::text || k), c.id, e.ids[1 + (hashtext(c.id::text) & 2147483647) % e.n],
            e.departments[1 + (hashtext(c.id::text) & 2147483647) % e.n], '{}'::uuid[], k = 1, c.created_at, c.created_at
       FROM customer c, generate_series(1, 2) AS k, ${EMPLOYEE_ARRAYS}
      WHERE c.code LIKE 'C-RK-%'`,
  );
  await rebuildCustomerScope(db, model);
  await db.raw("ANALYZE customer, contact");
  await db.raw(`ANALYZE "related_keys"."customer", "related_keys"."contact"`);
}, 300_000);

afterAll(async () => {
  await server?.close();
});

/**
 * The side table's rows against the scope columns: one per live record and employee it relates to, with the bit of each
 * relation (owner 1, related 2, the customer's owner 4, the customer's related 8), and the record's sort key.
 */
async function outOfStep(object: string, sortColumn: string): Promise<number> {
  const copies = object === "customer" ? "" : `UNION ALL SELECT t.id, t.customer_owner_id, 4 FROM "${object}" t UNION ALL SELECT t.id, e, 8 FROM "${object}" t, unnest(t.customer_related_ids) e`;
  const { rows } = await db.raw(
    `WITH relations AS (SELECT t.id, t.owner_id AS e, 1 AS bit FROM "${object}" t UNION ALL SELECT t.id, e, 2 FROM "${object}" t, unnest(t.related_employee_ids) e ${copies}),
          expected AS (SELECT r.e, bit_or(r.bit)::smallint AS relations, t."${sortColumn}" AS sort_key, t.id FROM relations r JOIN "${object}" t ON t.id = r.id
                        WHERE t.deleted_at IS NULL AND r.e IS NOT NULL GROUP BY r.e, t.id),
          actual AS (SELECT employee_id AS e, relations, sort_key, record_id AS id FROM "related_keys"."${object}")
     SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM actual) d)::int
          + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT ALL SELECT * FROM expected) d)::int AS n`,
  );
  return rows[0].n;
}

/** Every row of wanglei's list with the plain predicate (one OR, no union), in list order. */
async function reference(object: string, params: ListParameters): Promise<string[]> {
  const actor = await findActiveUserByUsername(db, "wanglei");
  const access = await loadAccessContext(db, model, actor!);
  const compiled = model.objects.get(object)!;
  const shape = shapeFor({ db, model, actor: actor!, access }, compiled);
  const request = parseListRequest(shape, params);
  const rows = await scopeQuery({ model, access, object: compiled, query: buildListQuery(db, shape, { ...request, limit: 1_000_000 }), action: "view" });
  return rows.map((row: { id: string }) => row.id);
}

async function page(object: string, params: { sort?: string; cursor?: string; limit?: number }): Promise<{ ids: string[]; nextCursor: string | null }> {
  const query = new URLSearchParams({ limit: String(params.limit ?? 50) });
  if (params.sort) query.set("sort", params.sort);
  if (params.cursor) query.set("cursor", params.cursor);
  const response = await wanglei.get(`/api/objects/${object}/records?${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { ids: response.body.records.map((record: { id: string }) => record.id), nextCursor: response.body.nextCursor };
}

/** The first pages of the list through the API, against the reference. */
async function expectPagesAsReference(object: string, sort: string, pages = 3) {
  const expected = await reference(object, { sort });
  expect(expected.length).toBeGreaterThan(pages * 50);
  let cursor: string | undefined;
  for (let index = 0; index < pages; index += 1) {
    const read = await page(object, { sort, cursor });
    expect(read.ids, `${object} sort "${sort}" page ${index + 1}`).toEqual(expected.slice(index * 50, index * 50 + 50));
    cursor = read.nextCursor ?? undefined;
  }
}

describe("personal keys over 20,000 customers and 40,000 contacts", () => {
  it("are in step with the arrays after a bulk insert and a bulk update", async () => {
    const [{ n }] = await db("related_keys.customer").where({ employee_id: employeeId }).whereRaw("relations & 2 <> 0").count({ n: "*" });
    expect(Number(n)).toBeGreaterThanOrEqual(CUSTOMERS / 4 - CUSTOMERS / 100);
    expect(await outOfStep("customer", "created_at")).toBe(0);
    expect(await outOfStep("contact", "name")).toBe(0);
  });

  it("give wanglei's pages in list order, both directions, the same rows as the plain predicate", async () => {
    await expectPagesAsReference("customer", "");
    await expectPagesAsReference("customer", "created_at");
    await expectPagesAsReference("contact", "");
    await expectPagesAsReference("contact", "-name");
  });

  it("give a deep page after a cursor, and follow changes made through the API", async () => {
    const expected = await reference("customer", {});
    const cursorRow = 2_000;
    const first = await page("customer", { limit: 200 });
    let cursor = first.nextCursor!;
    for (let read = 200; read < cursorRow; read += 200) cursor = (await page("customer", { limit: 200, cursor })).nextCursor!;
    expect((await page("customer", { cursor })).ids).toEqual(expected.slice(cursorRow, cursorRow + 50));

    // wanglei is taken off the newest customer he is related to (and not the owner of), and put on an old one.
    const admin = await server.login("admin");
    const newest = await db("customer").whereRaw("related_employee_ids @> ARRAY[?]::uuid[]", [employeeId]).whereNot("owner_id", employeeId).whereNull("deleted_at").orderBy([{ column: "created_at", order: "desc" }, { column: "id", order: "desc" }]).first("id", "version", "related_employee_ids");
    const removed = await admin.patch(`/api/objects/customer/records/${newest.id}`, {
      version: newest.version,
      related_employee_ids: newest.related_employee_ids.filter((id: string) => id !== employeeId),
    });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    const old = await db("customer").where({ code: "C-RK-3" }).first("id", "version");
    const added = await admin.patch(`/api/objects/customer/records/${old.id}`, { version: old.version, related_employee_ids: [employeeId] });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(await outOfStep("customer", "created_at")).toBe(0);
    expect(await outOfStep("contact", "name")).toBe(0);
    const now = await reference("customer", {});
    expect(now).not.toContain(newest.id);
    expect((await page("customer", {})).ids).toEqual(now.slice(0, 50));
    expect((await page("customer", { sort: "created_at" })).ids).toEqual((await reference("customer", { sort: "created_at" })).slice(0, 50));
    expect((await page("customer", { sort: "created_at" })).ids).toContain(old.id);
  });

  interface PlanNode {
    "Node Type": string;
    "Index Name"?: string;
    "Relation Name"?: string;
    "Actual Rows"?: number;
    "Actual Loops"?: number;
    Plans?: PlanNode[];
  }
  const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

  for (const [object, sort] of [
    ["customer", ""],
    ["customer", "created_at"],
    ["contact", ""],
  ] as const) {
    it(`read wanglei's ${object} page (sort "${sort || "default"}") from the keys' index in order: no GIN bitmap scan, no sort of his rows`, async () => {
      const actor = await findActiveUserByUsername(db, "wanglei");
      const access = await loadAccessContext(db, model, actor!);
      const compiled = model.objects.get(object)!;
      const shape = shapeFor({ db, model, actor: actor!, access }, compiled);
      const request = parseListRequest(shape, { sort });
      const predicate = buildRecordScope({ model, context: access, object: compiled, action: "view" });
      const steps = buildListSteps({ db, model, shape, request, predicate });
      const union = steps.map((step) => step.query.toSQL()).find((query) => query.sql.includes(`"related_keys"."${object}"`));
      expect(union, "a step reads the personal keys").toBeDefined();
      const explained = await db.raw(`EXPLAIN (ANALYZE, FORMAT JSON) ${union!.sql}`, union!.bindings as Knex.RawBinding[]);
      const cell = explained.rows[0]["QUERY PLAN"];
      const plan = ((typeof cell === "string" ? JSON.parse(cell) : cell) as { Plan: PlanNode }[])[0].Plan;
      const all = nodes(plan);
      const text = JSON.stringify(plan, null, 1);
      expect(all.filter((node) => node["Node Type"] === "Bitmap Index Scan" && /related/.test(node["Index Name"] ?? "")), text).toEqual([]);
      expect(all.some((node) => /Index/.test(node["Node Type"]) && node["Index Name"] === `walk_${object}`), text).toBe(true);
      // Only the page-sized results of the alternatives are sorted, never all of wanglei's 4,800 customers.
      const branches = (union!.sql.match(/ UNION /g) ?? []).length + 1;
      for (const node of all.filter((candidate) => candidate["Node Type"] === "Sort")) expect(node["Actual Rows"]!, text).toBeLessThanOrEqual(branches * 51);
      // And no scan reads more than a few pages of rows.
      for (const node of all.filter((candidate) => /Scan/.test(candidate["Node Type"]))) expect(node["Actual Rows"]! * node["Actual Loops"]!, text).toBeLessThanOrEqual(1_000);
    });
  }
});
