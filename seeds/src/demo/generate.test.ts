// The demo data generator on a fresh database with the distribution pack and its demo org: volumes and ratios,
// referential integrity, server-computed values, visibility through the records API, and numbering afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../../../server/test/support/server";
import { compileModel, type Model } from "../../../server/src/registry/model";
import { loadStoredModel } from "../../../server/src/registry/store";
import { rebuildCustomerScope } from "../../../server/src/access/customer-scope";
import { applyGrantRules } from "../../../server/src/access/auto-grants";
import { generateDemoData, type DemoDataSummary } from "./generate";

const CUSTOMERS = 100;
// "Today" of the data set: the real day, so that the current year's numbers are the ones the API continues.
const ANCHOR = new Date();

let server: TestServer;
let model: Model;
let summary: DemoDataSummary;
const employee: Record<string, string> = {};

const count = async (sql: string, bindings: unknown[] = []): Promise<number> => Number((await server.database.db.raw(sql, bindings as never[])).rows[0].n);

beforeAll(async () => {
  server = await startTestServer();
  // validate: every generated record also passes the API's body validation and the object's validation rules.
  summary = await generateDemoData(server.database.db, { customers: CUSTOMERS, seed: 7, anchor: ANCHOR, validate: true });
  model = compileModel(await loadStoredModel(server.database.db));
  for (const user of await server.database.db("users").withSchema("sys").select("username", "employee_id")) employee[user.username] = user.employee_id;
}, 240_000);

afterAll(async () => {
  await server?.close();
});

describe("volumes and ratios", () => {
  it("reports the rows it wrote, object by object", async () => {
    expect(summary.rows.customer).toBe(CUSTOMERS);
    for (const [object, rows] of Object.entries(summary.rows)) expect(await count(`SELECT count(*) AS n FROM ??`, [object]), object).toBe(rows);
    expect(summary.totalRows).toBe(Object.values(summary.rows).reduce((sum, rows) => sum + rows, 0));
  });

  it("has about 3 contacts, 10 activities and 1 opportunity per customer, and a catalogue of a few hundred items", () => {
    const per = (object: string) => summary.rows[object] / CUSTOMERS;
    expect(per("contact")).toBeGreaterThan(2.5);
    expect(per("contact")).toBeLessThan(3.6);
    expect(per("activity")).toBeGreaterThan(7);
    expect(per("activity")).toBeLessThan(14);
    expect(per("opportunity")).toBeGreaterThan(0.7);
    expect(per("opportunity")).toBeLessThan(1.4);
    expect(summary.rows.inventory).toBeGreaterThanOrEqual(250);
    expect(summary.rows.sample_loan).toBeGreaterThan(0);
    expect(summary.rows.receipt).toBeGreaterThan(0);
  });

  it("spreads values over every option: statuses, stages, types, sources, price kinds, customer kinds", async () => {
    const distinct = async (table: string, column: string) =>
      (await server.database.db(table).distinct(column).whereNotNull(column)).map((row) => row[column]).sort();
    expect(await distinct("activity", "status")).toEqual(["completed", "in_progress", "not_started"]);
    expect(await distinct("activity", "activity_type")).toEqual(["care", "marketing", "opportunity", "prospecting", "schedule"]);
    expect(await distinct("opportunity", "stage")).toEqual(expect.arrayContaining(["initial", "won", "lost", "negotiation"]));
    expect(await distinct("price", "price_type")).toEqual(["customer", "inventory", "salesperson"]);
    expect(await distinct("customer", "status")).toEqual(["formal", "potential"]);
    expect(await distinct("customer", "category")).toEqual(["key", "major", "minor", "normal"]);
    expect((await distinct("lead", "source")).length).toBeGreaterThanOrEqual(4);
    expect(await distinct("lead", "status")).toEqual(expect.arrayContaining(["converted", "disqualified"]));
    expect(await count(`SELECT count(DISTINCT owner_id) AS n FROM customer`)).toBeGreaterThanOrEqual(6);
  });

  it("writes Chinese names, real places and well-formed numbers", async () => {
    const customer = await server.database.db("customer").orderBy("code").first();
    expect(customer.name).toMatch(/^[\u4e00-\u9fff（）]+(有限公司|股份有限公司)$/);
    expect(customer.region).toMatchObject({ country: "中国", province: expect.stringMatching(/(省|市)$/), city: expect.stringMatching(/市$/) });
    expect(customer.tax_number).toMatch(/^91\d{6}[0-9A-Z]{10}$/);
    expect(customer.code).toMatch(/^C-\d{4}-\d{6}$/);
    const contact = await server.database.db("contact").first();
    expect(contact.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
    expect(contact.mobile).toMatch(/^1[3-9]\d{9}$/);
    expect((await server.database.db("sales_order").first("number")).number).toMatch(/^SO-\d{4}-\d{6}$/);
    expect((await server.database.db("shipment").first("number")).number).toMatch(/^FH\d{14}$/);
  });
});

describe("integrity", () => {
  it("points every lookup, employee, department and parent at an existing row", async () => {
    for (const object of Object.keys(summary.rows).map((name) => model.objects.get(name)!)) {
      for (const column of object.columns.filter((candidate) => candidate.references)) {
        const dangling = await count(
          `SELECT count(*) AS n FROM ?? AS t WHERE t.?? IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ?? AS r WHERE r.id = t.??)`,
          [object.name, column.name, column.references, column.name],
        );
        expect(dangling, `${object.name}.${column.name}`).toBe(0);
      }
      if (object.columnByName.has("related_employee_ids")) {
        const unknown = await count(`SELECT count(*) AS n FROM ?? AS t, unnest(t.related_employee_ids) AS e(id) WHERE NOT EXISTS (SELECT 1 FROM employee r WHERE r.id = e.id)`, [object.name]);
        expect(unknown, `${object.name}.related_employee_ids`).toBe(0);
      }
    }
  });

  it("gives every record a UUIDv7 id carrying its creation time, as the server makes them", async () => {
    for (const object of Object.keys(summary.rows)) {
      const rows = await count(`SELECT count(*) AS n FROM ??`, [object]);
      expect(rows, object).toBeGreaterThan(0);
      const wrong = await count(
        `SELECT count(*) AS n FROM ?? t
          WHERE t.id::text !~ '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
             OR left(replace(t.id::text, '-', ''), 12) <> lpad(to_hex((extract(epoch FROM t.created_at) * 1000)::bigint), 12, '0')`,
        [object],
      );
      expect(wrong, object).toBe(0);
    }
  });

  it("gives every owned record its owner's department, and documents totals equal to the sum of their lines", async () => {
    for (const object of Object.keys(summary.rows).filter((name) => model.objects.get(name)!.definition.ownership)) {
      expect(await count(`SELECT count(*) AS n FROM ?? t JOIN employee e ON e.id = t.owner_id WHERE t.department_id IS DISTINCT FROM e.department_id`, [object]), object).toBe(0);
    }
    for (const [document, line] of [["quote", "quote_line"], ["sales_order", "sales_order_line"], ["contract", "contract_line"], ["shipment", "shipment_line"]]) {
      const wrong = await count(`SELECT count(*) AS n FROM ?? d WHERE d.total_amount IS DISTINCT FROM (SELECT sum(l.amount) FROM ?? l WHERE l.parent_id = d.id)`, [document, line]);
      expect(wrong, document).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM ?? d WHERE (SELECT count(*) FROM ?? l WHERE l.parent_id = d.id) NOT BETWEEN 1 AND 5`, [document, line]), document).toBe(0);
    }
  });

  it("holds the values the server computes: formulas, customer scope copies, last transaction dates", async () => {
    expect(await count(`SELECT count(*) AS n FROM sales_order_line WHERE amount <> round(quantity * unit_price, 2)`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM quote_line WHERE amount <> round(quantity * unit_price * (100 - discount) / 100, 2)`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM opportunity WHERE weighted_amount IS DISTINCT FROM round(amount * probability / 100, 2)`)).toBe(0);
    // The server's own rebuild finds nothing to correct in the copies of the customers' scope keys.
    expect(await server.database.db.transaction((trx) => rebuildCustomerScope(trx, model))).toBe(0);
    const lastTransaction = `GREATEST(
      (SELECT max(o.order_date) FROM sales_order o WHERE o.customer_id = c.id),
      (SELECT max(k.sign_date) FROM contract k WHERE k.customer_id = c.id AND k.status IN ('effective', 'completed')),
      (SELECT max(r.receipt_date) FROM receipt r WHERE r.customer_id = c.id))`;
    expect(await count(`SELECT count(*) AS n FROM customer c WHERE c.last_transaction_date IS DISTINCT FROM ${lastTransaction}`)).toBe(0);
    // Potential customers have no orders (an order would have made them formal).
    expect(await count(`SELECT count(*) AS n FROM customer c WHERE c.status = 'potential' AND EXISTS (SELECT 1 FROM sales_order o WHERE o.customer_id = c.id)`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM sys.audit_log WHERE object = 'customer'`)).toBe(0);
  });

  it("makes exactly the automatic grants the rules make: applying the rules again changes nothing", async () => {
    expect(summary.grants).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM sys.auto_grants`)).toBe(summary.grants);
    // The rules' own pass over the loaded rows finds nothing to grant or take back.
    expect(await server.database.db.transaction((trx) => applyGrantRules(trx, model))).toEqual({ granted: 0, revoked: 0 });
    // The scope keys copied from customers include the customers' granted employees.
    expect(await server.database.db.transaction((trx) => rebuildCustomerScope(trx, model))).toBe(0);
  });

  it("links converted leads both ways", async () => {
    const converted = await count(`SELECT count(*) AS n FROM lead WHERE status = 'converted'`);
    expect(converted).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM lead l JOIN customer c ON c.id = l.converted_customer_id WHERE c.source_lead_id = l.id AND l.status = 'converted'`)).toBe(converted);
  });
});

describe("through the records API", () => {
  let admin: TestClient;
  let wanglei: TestClient;
  beforeAll(async () => {
    admin = await server.login("admin");
    wanglei = await server.login("wanglei");
  });

  it("reads a record of every generated object back", async () => {
    // Lines are read with their master (below).
    for (const object of Object.keys(summary.rows).filter((name) => !model.objects.get(name)!.parent)) {
      const row = await server.database.db(object).first("id");
      const response = await admin.get(`/api/objects/${object}/records/${row.id}`);
      expect(response.status, `${object}: ${JSON.stringify(response.body)}`).toBe(200);
      expect(response.body.id).toBe(row.id);
    }
    const order = await server.database.db("sales_order").first("id");
    const read = await admin.get(`/api/objects/sales_order/records/${order.id}`);
    expect(read.body.lines.length).toBeGreaterThan(0);
    expect(read.body.total_amount).toBeCloseTo(read.body.lines.reduce((sum: number, line: { amount: number }) => sum + line.amount, 0), 2);
  });

  it("shows a salesperson exactly the customers they own or are related to, and contacts and activities through them", async () => {
    const me = employee.wanglei;
    const total = async (object: string) => {
      const response = await wanglei.get(`/api/objects/${object}/records?count=true&limit=1`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.total as number;
    };
    const ownCustomers = await count(`SELECT count(*) AS n FROM customer WHERE owner_id = ? OR ? = ANY(related_employee_ids)`, [me, me]);
    expect(ownCustomers).toBeGreaterThan(0);
    expect(await total("customer")).toBe(ownCustomers);
    for (const object of ["contact", "activity"]) {
      const expected = await count(
        `SELECT count(*) AS n FROM ?? t LEFT JOIN customer c ON c.id = t.customer_id
          WHERE t.owner_id = ? OR ? = ANY(t.related_employee_ids) OR c.owner_id = ? OR ? = ANY(c.related_employee_ids)`,
        [object, me, me, me, me],
      );
      expect(await total(object), object).toBe(expected);
    }
    const someoneElses = await server.database.db("customer").whereNot("owner_id", me).whereRaw("NOT (? = ANY(related_employee_ids))", [me]).first("id");
    expect((await wanglei.get(`/api/objects/customer/records/${someoneElses.id}`)).status).toBe(404);
  });

  it("applies the automatic grants: 常务经理 over the people they oversee, 市场专员 over new-product customers", async () => {
    const overseen = [employee.wanglei, employee.lina];
    expect(await count(`SELECT count(*) AS n FROM customer WHERE owner_id IN (?, ?)`, overseen)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM customer WHERE owner_id IN (?, ?) AND NOT (? = ANY(related_employee_ids))`, [...overseen, employee.qiankun])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM activity WHERE owner_id IN (?, ?) AND NOT (? = ANY(related_employee_ids))`, [...overseen, employee.qiankun])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM customer WHERE 'waterborne_coating' = ANY(new_product_categories) AND NOT (? = ANY(related_employee_ids))`, [employee.machao])).toBe(0);
  });

  it("gives a record created afterwards the next auto number", async () => {
    const created = await wanglei.post("/api/objects/customer/records", { name: "上海新建测试机电有限公司" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const prefix = (created.body.code as string).slice(0, -6);
    const generated = await server.database.db("customer").whereNot("id", created.body.id).where("code", "like", `${prefix}%`).max({ code: "code" });
    // Three years of history up to today: this year's customers are there (unless today is the 1st of January).
    const lastGenerated = generated[0].code ? Number(generated[0].code.slice(-6)) : 0;
    expect(Number(created.body.code.slice(-6))).toBe(lastGenerated + 1);
  });
});
