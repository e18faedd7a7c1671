// Record overview (客户全貌): the record with every related list the user may see, counted and listed within
// their scope, over the fixed sales data set (server/test/support/sales-fixture.ts) plus a few extra records.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { buildSalesFixture, created, type SalesFixture } from "../support/sales-fixture";

let server: TestServer;
let admin: TestClient;
let wanglei: TestClient;
let liuyang: TestClient;
let gaoying: TestClient;
let fixture: SalesFixture;
const contacts: string[] = [];
let orderWithLines: string;
let linaLeadOnC1: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  [wanglei, liuyang, gaoying] = await Promise.all(["wanglei", "liuyang", "gaoying"].map((username) => server.login(username)));
  fixture = await buildSalesFixture(server, admin);
  // Six contacts on C6, created one after another: the overview shows the newest five.
  for (let index = 1; index <= 6; index++) {
    contacts.push(await created(admin, "contact", { name: `联系人 ${index}`, customer_id: fixture.customer.C6, owner_id: fixture.employee.zhoujie }));
  }
  // A colleague's lead converted into 王磊's customer: 王磊 sees leads by owner only.
  linaLeadOnC1 = await created(admin, "lead", { name: "李娜的线索", owner_id: fixture.employee.lina, converted_customer_id: fixture.customer.C1 });
  const item = await created(admin, "inventory", { code: "TL-01", name: "水性木器漆", unit: "kg", product_line: "coating", list_price: 38.5 });
  orderWithLines = await created(admin, "sales_order", {
    customer_id: fixture.customer.C6,
    owner_id: fixture.employee.zhoujie,
    order_date: "2026-03-05",
    lines: [
      { inventory_id: item, quantity: 2, unit_price: 38.5 },
      { inventory_id: item, quantity: 5, unit_price: 36 },
    ],
  });
});

afterAll(async () => {
  await server?.close();
});

interface RelatedSummary {
  relation: string;
  object: string;
  kind: string;
  label: { "zh-CN": string; en: string };
  total: number;
  latest: Record<string, unknown>[];
}

async function overview(client: TestClient, object: string, id: string) {
  const response = await client.get(`/api/objects/${object}/records/${id}/overview`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const related = new Map<string, RelatedSummary>(response.body.related.map((item: RelatedSummary) => [item.relation, item]));
  return { record: response.body.record, related };
}

const ids = (summary: RelatedSummary | undefined) => summary?.latest.map((record) => record.id);
const sorted = (values: unknown[] | undefined) => [...(values ?? [])].sort();

describe("客户全貌: every related list of a customer", () => {
  it("gives the administrator every list with its total and latest records, newest first", async () => {
    const { record, related } = await overview(admin, "customer", fixture.customer.C4);
    expect(record).toMatchObject({ id: fixture.customer.C4, name: "C4 客户" });
    const activity = related.get("activity")!;
    expect(activity).toMatchObject({ object: "activity", kind: "lookup", total: 4, label: { "zh-CN": "行动", en: "Activities" } });
    // The fixture is created in bulk (one created_at): the newest-first order is checked on C6's contacts below.
    expect(sorted(ids(activity))).toEqual(sorted(["A9", "A6", "A5", "A8"].map((key) => fixture.activity[key])));
    // The deleted order is not counted.
    expect(related.get("sales_order")).toMatchObject({ total: 2 });
    expect(related.get("opportunity")).toMatchObject({ total: 2 });
    expect(sorted(ids(related.get("opportunity")))).toEqual(sorted([fixture.opportunity.O6, fixture.opportunity.O5]));
    // The only lookup from lead to customer (converted_customer_id) goes by the object's name.
    expect(related.get("lead")).toMatchObject({ total: 1, label: { "zh-CN": "线索", en: "Leads" } });
    expect(related.get("contact")).toMatchObject({ total: 0, latest: [] });
    // Each list appears once, under its shorter name.
    expect(related.has("activity.customer_id")).toBe(false);
    const relations = [...related.keys()];
    expect(new Set(relations).size).toBe(relations.length);
  });

  it("shows at most five latest records but counts them all", async () => {
    const { related } = await overview(admin, "customer", fixture.customer.C6);
    expect(related.get("contact")!.total).toBe(6);
    expect(ids(related.get("contact"))).toEqual(contacts.slice(1).reverse());
  });

  it("counts only the activities and orders a department manager may see", async () => {
    // 刘洋 sees Tianjin activities: 王磊's visit A8 on the Tianjin customer C4 is not his to see.
    const { related } = await overview(liuyang, "customer", fixture.customer.C4);
    expect(related.get("activity")!.total).toBe(3);
    expect(sorted(ids(related.get("activity")))).toEqual(sorted(["A9", "A6", "A5"].map((key) => fixture.activity[key])));
    expect(related.get("sales_order")!.total).toBe(2);
    const list = await liuyang.get(`/api/objects/customer/records/${fixture.customer.C4}/related/activity?count=true`);
    expect(list.body.total).toBe(3);
  });

  it("counts only a salesperson's own leads among the leads converted into their customer", async () => {
    expect((await overview(admin, "customer", fixture.customer.C1)).related.get("lead")!.total).toBe(2);
    const { related } = await overview(wanglei, "customer", fixture.customer.C1);
    const leads = related.get("lead")!;
    expect(leads.total).toBe(1);
    expect(ids(leads)).toEqual([fixture.lead.L1]);
    expect(ids(leads)).not.toContain(linaLeadOnC1);
    // Every activity on one's own customer is visible to a salesperson (客户 dimension): 李娜's A13 included.
    expect(related.get("activity")!.total).toBe(3);
  });

  it("leaves out the lists of objects the user may not view, and hides hidden fields", async () => {
    const { record, related } = await overview(gaoying, "customer", fixture.customer.C4);
    expect(record).not.toHaveProperty("bank_account");
    expect(related.get("activity")!.total).toBe(4);
    for (const relation of ["sales_order", "opportunity", "lead", "quote"]) expect(related.has(relation), relation).toBe(false);
  });

  it("answers 404 for a record the user may not see, or an unknown object", async () => {
    expect((await wanglei.get(`/api/objects/customer/records/${fixture.customer.C4}/overview`)).status).toBe(404);
    expect((await admin.get(`/api/objects/customer/records/not-a-uuid/overview`)).status).toBe(404);
    expect((await admin.get(`/api/objects/no_such_object/records/${fixture.customer.C4}/overview`)).status).toBe(404);
    expect((await gaoying.get(`/api/objects/sales_order/records/${orderWithLines}/overview`)).status).toBe(403);
  });
});

describe("overview of any object", () => {
  it("lists a document's lines in their order", async () => {
    const { record, related } = await overview(admin, "sales_order", orderWithLines);
    expect(record.lines).toHaveLength(2);
    const lines = related.get("lines")!;
    expect(lines).toMatchObject({ kind: "children", object: "sales_order_line", total: 2, label: { "zh-CN": "订单明细", en: "Order lines" } });
    expect(lines.latest.map((line) => line.quantity)).toEqual([2, 5]);
  });

  it("works for an opportunity: its activities and the orders made from it", async () => {
    const { related } = await overview(admin, "opportunity", fixture.opportunity.O2);
    expect(related.get("activity")).toMatchObject({ total: 0 });
    expect(related.get("lead")).toMatchObject({ total: 1 });
  });
});
