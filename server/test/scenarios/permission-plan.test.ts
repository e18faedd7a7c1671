// The permission goes inside the list query (SPEC C2, C5); over a large table it must still be served by indexes.
// Builds the list query exactly as the API does (runList in server/src/records/read.ts) for typical users of the
// distribution pack, runs EXPLAIN on it, and fails when PostgreSQL plans a sequential scan of the scoped tables.
// Runs on the embedded database and on PostgreSQL (DATABASE_URL=postgres://…).
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMPLOYEE_ARRAYS } from "../support/employee-arrays";
import { startTestServer, type TestServer } from "../support/server";
import { loadAccessContext } from "../../src/access/context";
import { mayPerform } from "../../src/access/permissions";
import { findActiveUserByUsername } from "../../src/auth/users";
import { parseListRequest, shapeFor, type ListParameters, type RecordsContext } from "../../src/records/read";
import { buildCountQuery, buildListQuery } from "../../src/records/list-query";
import { encodeCursor } from "../../src/records/cursor";
import { scopeQuery } from "../../src/records/access-guard";
import type { Model } from "../../src/registry/model";
import { rebuildCustomerScope } from "../../src/access/customer-scope";
import { buildRecordScope } from "../../src/access/record-scope";
import { buildListSteps, LIST_PLANNING, listPlanMode } from "../../src/records/scoped-list";

const CUSTOMERS = 50_000;
/** Two contacts per customer. */
const CONTACTS = 2 * CUSTOMERS;
/** Synthetic salespeople besides the demo people: a company of ~200, where one salesperson owns ~0.5% of the customers. */
const EXTRA_SALESPEOPLE = 183;

let server: TestServer;
let db: Knex;
let model: Model;


beforeAll(async () => {
  server = await startTestServer();
  db = server.database.db;
  model = await server.built.server.registry.current();
  // Salespeople sit in leaf departments (an organisation invariant); spread them over all of them.
  await db.raw(`
    INSERT INTO employee (code, name, department_id, is_salesperson, crm_login_enabled)
    SELECT 'P' || lpad(i::text, 4, '0'), '业务员' || i, leaves.ids[1 + i % cardinality(leaves.ids)], true, false
    FROM generate_series(1, ${EXTRA_SALESPEOPLE}) AS i,
         (SELECT array_agg(d.id ORDER BY d.code) AS ids FROM department d
           WHERE d.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM department c WHERE c.parent_department_id = d.id AND c.deleted_at IS NULL)) AS leaves`);
  // A bulk load builds the secondary indexes afterwards, exactly as they were defined: the state of a table
  // that (auto)vacuum keeps up with. (Inserting with the indexes in place leaves GIN pending lists that make the
  // planner price the related_employee_ids index far higher until the next vacuum.)
  const indexes: { indexname: string; indexdef: string }[] = (
    await db.raw(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('customer', 'contact')
                    AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))`)
  ).rows;
  for (const index of indexes) await db.raw(`DROP INDEX "${index.indexname}"`);
  // Owners spread pseudo-randomly over every employee (department = the owner's, as the records service fills it),
  // one customer in ten with a related employee, one in fifty soft-deleted.
  await db.raw(`
    INSERT INTO customer (code, name, status, owner_id, department_id, related_employee_ids, created_at, updated_at, deleted_at)
    SELECT 'C-PLAN-' || i, '客户 ' || md5(i::text), 'potential',
           e.ids[1 + (hashint4(i) & 2147483647) % e.n], e.departments[1 + (hashint4(i) & 2147483647) % e.n],
           CASE WHEN i % 10 = 0 THEN ARRAY[e.ids[1 + (hashint4(i + 7) & 2147483647) % e.n]] ELSE '{}'::uuid[] END,
           timestamptz '2026-01-01' + make_interval(mins => i), timestamptz '2026-01-01' + make_interval(mins => i),
           CASE WHEN i % 50 = 0 THEN timestamptz '2026-06-01' END
    FROM generate_series(1, ${CUSTOMERS}) AS i, ${EMPLOYEE_ARRAYS}`);
  // Each customer's first contact belongs to its owner, the second to some other employee.
  await db.raw(`
    INSERT INTO contact (name, customer_id, owner_id, department_id, related_employee_ids, is_primary, created_at, updated_at)
    SELECT '联系人 ' || md5(c.id::text || k), c.id,
           CASE WHEN k = 1 THEN c.owner_id ELSE e.ids[1 + (hashtext(c.id::text) & 2147483647) % e.n] END,
           CASE WHEN k = 1 THEN c.department_id ELSE e.departments[1 + (hashtext(c.id::text) & 2147483647) % e.n] END,
           '{}'::uuid[], k = 1, c.created_at, c.created_at
    FROM customer c, generate_series(1, 2) AS k, ${EMPLOYEE_ARRAYS}`);
  // Contacts carry copies of their customer's scope keys (kept by the records service; rebuilt after a bulk load).
  await rebuildCustomerScope(db, model);
  for (const index of indexes) await db.raw(index.indexdef);
  await db.raw("ANALYZE employee, department, customer, contact");
  // The personal keys as autovacuum keeps them (their pages all visible): read index-only, in list order.
  await db.raw(`VACUUM ANALYZE related_keys.customer, related_keys.contact, customer, contact`);
}, 300_000);

afterAll(async () => {
  await server?.close();
});

async function contextOf(username: string): Promise<RecordsContext> {
  const actor = await findActiveUserByUsername(db, username);
  if (!actor) throw new Error(`no user ${username}`);
  return { db, model, actor, access: await loadAccessContext(db, model, actor) };
}

/**
 * The list (or count) query of runList: the user's shape of the object, the parsed request, the record scope inside.
 * Wrapped in an object: a knex builder is thenable, and awaiting it would run it.
 */
async function listQuery(username: string, objectName: string, params: ListParameters & { page?: 2 }, kind: "list" | "count" = "list"): Promise<{ query: Knex.QueryBuilder }> {
  const context = await contextOf(username);
  const object = model.objects.get(objectName)!;
  expect(mayPerform(context.access, object, "view"), `${username} may view ${objectName}`).toBe(true);
  const shape = shapeFor(context, object);
  let request = parseListRequest(shape, params);
  if (params.page === 2) {
    const first = await scopeQuery({ model, access: context.access, object, query: buildListQuery(db, shape, request), action: "view" });
    expect(first.length, "a second page exists").toBeGreaterThan(request.limit);
    request = parseListRequest(shape, { ...params, cursor: encodeCursor(request.sort, first[request.limit - 1]) });
  }
  const base = kind === "count" ? buildCountQuery(db, shape, request) : buildListQuery(db, shape, request);
  return { query: scopeQuery({ model, access: context.access, object, query: base, action: "view" }) };
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Alias?: string;
  "Plan Rows"?: number;
  Plans?: PlanNode[];
}

async function explain(sql: string, bindings: readonly unknown[]): Promise<{ plan: PlanNode; text: string }> {
  const json = await db.raw(`EXPLAIN (FORMAT JSON) ${sql}`, bindings as Knex.RawBinding[]);
  const cell = json.rows[0]["QUERY PLAN"];
  const document = (typeof cell === "string" ? JSON.parse(cell) : cell) as { Plan: PlanNode }[];
  const text = await db.raw(`EXPLAIN ${sql}`, bindings as Knex.RawBinding[]);
  return { plan: document[0].Plan, text: text.rows.map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n") };
}

/** Every sequential scan of one of the tables, anywhere in the plan (sub-plans and init-plans included). */
function sequentialScans(node: PlanNode, tables: readonly string[]): string[] {
  const own = node["Node Type"] === "Seq Scan" && tables.includes(node["Relation Name"] ?? "") ? [`Seq Scan on ${node["Relation Name"]} ${node.Alias ?? ""}`.trim()] : [];
  return [...own, ...(node.Plans ?? []).flatMap((child) => sequentialScans(child, tables))];
}

async function expectNoSequentialScan({ query }: { query: Knex.QueryBuilder }, tables: readonly string[]): Promise<void> {
  const { sql, bindings } = query.toSQL();
  const { plan, text } = await explain(sql, bindings);
  expect(sequentialScans(plan, tables), `${sql}\n\n${text}`).toEqual([]);
}

describe(`list queries over ${CUSTOMERS} customers and ${CONTACTS} contacts use indexes`, () => {
  it("the data set is a realistic company: a salesperson owns well under 1% of the customers", async () => {
    const [{ total }] = await (await listQuery("wanglei", "customer", {}, "count")).query;
    expect(Number(total)).toBeGreaterThan(50);
    expect(Number(total)).toBeLessThan(CUSTOMERS / 100);
  });

  const customerCases: [username: string, role: string][] = [
    ["wanglei", "销售负责 sales_rep: 负责员工 or 相关员工"],
    ["liuyang", "部门经理 department_manager: also 部门范围 (three Tianjin departments)"],
    ["gaoying", "普通客服 customer_service: 部门范围 only"],
  ];
  for (const [username, role] of customerCases) {
    for (const sort of ["", "name"]) {
      it(`customer list of ${username} (${role}), sort "${sort || "default"}": no sequential scan of customer`, async () => {
        await expectNoSequentialScan(await listQuery(username, "customer", { sort }), ["customer"]);
      });
    }
  }

  for (const sort of ["", "name"]) {
    it(`the second page of wanglei's customer list, sort "${sort || "default"}": no sequential scan of customer`, async () => {
      await expectNoSequentialScan(await listQuery("wanglei", "customer", { sort, page: 2 }), ["customer"]);
    });
  }

  it("the count of wanglei's customers: no sequential scan of customer", async () => {
    await expectNoSequentialScan(await listQuery("wanglei", "customer", {}, "count"), ["customer"]);
  });

  describe("contacts, visible through their customer: 负责员工 or 相关员工 or (所属客户 and the other dimensions)", () => {
    it("the contact list runs and its count matches a plain SQL count of the same rule", async () => {
      const employee = (await contextOf("wanglei")).access.employeeId;
      const rows = await (await listQuery("wanglei", "contact", {})).query;
      expect(rows.length).toBe(51);
      const [{ total }] = await (await listQuery("wanglei", "contact", {}, "count")).query;
      const expected = await db.raw(
        `SELECT count(*)::int AS n FROM contact t WHERE t.deleted_at IS NULL AND (t.owner_id = ? OR ? = ANY(t.related_employee_ids)
           OR EXISTS (SELECT 1 FROM customer c WHERE c.id = t.customer_id AND c.deleted_at IS NULL AND (c.owner_id = ? OR ? = ANY(c.related_employee_ids))))`,
        [employee, employee, employee, employee],
      );
      expect(Number(total)).toBe(expected.rows[0].n);
    });

    for (const sort of ["", "-created_at"]) {
      it(`contact list of wanglei, sort "${sort || "default"}": no sequential scan of customer or contact`, async () => {
        await expectNoSequentialScan(await listQuery("wanglei", "contact", { sort }), ["customer", "contact"]);
      });
    }

    // Compiled as `"contact"."customer_id" IN (SELECT … FROM customer …)` inside the OR, the customer term made
    // PostgreSQL run a hashed SubPlan that no index serves, estimated at 50% of the rows: a Seq Scan of contact for
    // the count, and a walk of the whole sort index for the list. The engine now puts the customer's scope keys on
    // the contact (customer_owner_id, customer_department_id, customer_related_ids), so the OR is of indexed columns.
    it("the count of wanglei's contacts: no sequential scan of customer or contact", async () => {
      await expectNoSequentialScan(await listQuery("wanglei", "contact", {}, "count"), ["customer", "contact"]);
    });

    for (const username of ["liuyang", "gaoying"]) {
      it(`contact list of ${username}: no sequential scan of customer or contact`, async () => {
        await expectNoSequentialScan(await listQuery(username, "contact", {}), ["customer", "contact"]);
      });
    }
  });
});

/**
 * The statements the records service runs for a page (records/read.ts: buildListSteps), with their bindings, for a
 * page without filter or search: those it has PostgreSQL plan once per session (db/native-query.ts).
 */
async function serviceSteps(username: string, objectName: string, params: ListParameters & { page?: 2 }): Promise<Knex.QueryBuilder[]> {
  const context = await contextOf(username);
  const object = model.objects.get(objectName)!;
  const shape = shapeFor(context, object);
  let request = parseListRequest(shape, params);
  const predicate = buildRecordScope({ model, context: context.access, object, action: "view" });
  const steps = (page: typeof request) => buildListSteps({ db, model, shape, request: page, predicate }).map((step) => step.query);
  if (params.page === 2) {
    const first: Record<string, unknown>[] = await steps(request)[steps(request).length - 1];
    expect(first.length, "a second page exists").toBeGreaterThan(request.limit);
    request = parseListRequest(shape, { ...params, cursor: encodeCursor(request.sort, first[request.limit - 1]) });
  }
  expect(listPlanMode(shape, request, false)).toBe("generic");
  return steps(request);
}

const literal = (value: unknown) => (typeof value === "number" ? String(value) : `'${String(value).replace(/'/g, "''")}'`);

/** The plan PostgreSQL makes once for every value of the statement's parameters (a generic plan), as JSON. */
async function explainGeneric(query: Knex.QueryBuilder): Promise<{ plan: PlanNode; text: string }> {
  const { sql, bindings } = query.toSQL().toNative();
  return db.transaction(async (trx) => {
    await trx.raw("SET LOCAL plan_cache_mode = force_generic_plan");
    await trx.raw(`PREPARE "plan_check" AS ${sql}`);
    const execute = `EXECUTE "plan_check"${bindings.length ? `(${bindings.map(literal).join(", ")})` : ""}`;
    const json = await trx.raw(`EXPLAIN (FORMAT JSON) ${execute}`);
    const text = await trx.raw(`EXPLAIN ${execute}`);
    await trx.raw(`DEALLOCATE "plan_check"`);
    const cell = json.rows[0]["QUERY PLAN"];
    const document = (typeof cell === "string" ? JSON.parse(cell) : cell) as { Plan: PlanNode }[];
    return { plan: document[0].Plan, text: text.rows.map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n") };
  });
}

const nodesOf = (node: PlanNode, type: string): PlanNode[] => [...(node["Node Type"] === type ? [node] : []), ...(node.Plans ?? []).flatMap((child) => nodesOf(child, type))];

// A statement planned once must be right for every employee, department and cursor: no walk of a whole table, and
// the alternatives of a union merged in list order (read only as far as the page reaches), never all read and sorted.
describe("a page's statements as the service runs them, planned once for every value (a generic plan)", () => {
  const cases: [username: string, objectName: string, params: ListParameters & { page?: 2 }][] = [
    ["wanglei", "customer", {}],
    ["wanglei", "customer", { page: 2 }],
    ["wanglei", "contact", {}],
    ["liuyang", "customer", {}],
    ["liuyang", "customer", { page: 2 }],
    ["liuyang", "contact", {}],
    ["gaoying", "customer", {}],
  ];
  for (const [username, objectName, params] of cases) {
    it(`${objectName} ${params.page === 2 ? "second page" : "page"} of ${username}: no sequential scan, the union's alternatives merged in order`, async () => {
      const steps = await serviceSteps(username, objectName, params);
      for (const step of steps) {
        const { plan, text } = await explainGeneric(step);
        expect(sequentialScans(plan, ["customer", "contact"]), text).toEqual([]);
        if (step.toSQL().sql.includes(" UNION ALL ")) {
          expect(nodesOf(plan, "Merge Append").length, text).toBeGreaterThanOrEqual(1);
          // Only what is bounded by the statement itself is sorted (a walk's window of entries, a page), never a user's rows.
          for (const sort of nodesOf(plan, "Sort")) expect(sort["Plan Rows"]!, text).toBeLessThanOrEqual(LIST_PLANNING.walkWindow);
        }
      }
      // and the statements answer: the page is there
      const rows: unknown[] = await steps[steps.length - 1];
      expect(rows.length).toBeGreaterThan(0);
    });
  }
});
