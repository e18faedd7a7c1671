// A small fixed sales data set over the demo org, created through the records API as admin; the report and
// calendar scenarios check hand-computed figures against it. Times are Shanghai local (+08:00).
//
// Customers (owner, department): C1 C2 王磊 (涂料事业部 0101), C3 李娜 (0101), C4 陈静 (天津分公司 0201),
// C5 孙丽 (天津分公司涂料部 0202), C6 周杰 (0201, no sales).
// Orders in March 2026: C1 5000 + 1000, C2 1500, C3 2000, C4 400, C5 100; outside the period or deleted:
// C4 900 (February), C4 700 (March, deleted).
// Activities: see ACTIVITIES; opportunities: see OPPORTUNITIES; leads: see LEADS (created today).
import { expect } from "vitest";
import type { TestClient, TestServer } from "./server";

export const PEOPLE = ["wanglei", "lina", "chenjing", "zhoujie", "sunli", "liuyang", "zhaomin"] as const;
export type Person = (typeof PEOPLE)[number];

export interface SalesFixture {
  employee: Record<string, string>;
  department: Record<string, string>;
  customer: Record<string, string>;
  activity: Record<string, string>;
  opportunity: Record<string, string>;
  lead: Record<string, string>;
}

/** Creates a record through the API and answers it as the server returned it (a failure names the object and why). */
export async function createdRecord(client: TestClient, object: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const response = await client.post(`/api/objects/${object}/records`, body);
  expect(response.status, `${object}: ${JSON.stringify(response.body)}`).toBe(201);
  return response.body;
}

export async function created(client: TestClient, object: string, body: Record<string, unknown>): Promise<string> {
  return (await createdRecord(client, object, body)).id as string;
}

const CUSTOMERS: [string, Person][] = [
  ["C1", "wanglei"],
  ["C2", "wanglei"],
  ["C3", "lina"],
  ["C4", "chenjing"],
  ["C5", "sunli"],
  ["C6", "zhoujie"],
];

const ORDERS: { customer: string; owner: Person; date: string; amount: number; deleted?: boolean }[] = [
  { customer: "C1", owner: "wanglei", date: "2026-03-03", amount: 5000 },
  { customer: "C1", owner: "wanglei", date: "2026-03-31", amount: 1000 },
  { customer: "C2", owner: "wanglei", date: "2026-03-01", amount: 1500 },
  { customer: "C3", owner: "lina", date: "2026-03-15", amount: 2000 },
  { customer: "C4", owner: "chenjing", date: "2026-03-20", amount: 400 },
  { customer: "C4", owner: "chenjing", date: "2026-02-28", amount: 900 },
  { customer: "C4", owner: "chenjing", date: "2026-03-21", amount: 700, deleted: true },
  { customer: "C5", owner: "sunli", date: "2026-03-22", amount: 100 },
];

export const ACTIVITIES: { key: string; owner: Person; customer: string; status: string; start: string; end?: string; related?: Person[] }[] = [
  { key: "A1", owner: "wanglei", customer: "C1", status: "not_started", start: "2026-03-02T09:00:00+08:00", end: "2026-03-02T10:00:00+08:00" },
  { key: "A2", owner: "wanglei", customer: "C1", status: "completed", start: "2026-03-10T14:00:00+08:00", end: "2026-03-12T18:00:00+08:00" },
  { key: "A3", owner: "wanglei", customer: "C2", status: "in_progress", start: "2026-03-20T09:00:00+08:00" },
  { key: "A8", owner: "wanglei", customer: "C4", status: "completed", start: "2026-03-25T10:00:00+08:00", end: "2026-03-25T11:00:00+08:00" },
  { key: "A4", owner: "lina", customer: "C3", status: "completed", start: "2026-03-15T09:00:00+08:00" },
  { key: "A13", owner: "lina", customer: "C1", status: "in_progress", start: "2026-03-11T09:00:00+08:00", related: ["wanglei"] },
  { key: "A5", owner: "chenjing", customer: "C4", status: "not_started", start: "2026-03-03T09:00:00+08:00" },
  { key: "A6", owner: "chenjing", customer: "C4", status: "completed", start: "2026-03-18T09:00:00+08:00" },
  { key: "A9", owner: "chenjing", customer: "C4", status: "not_started", start: "2026-04-02T09:00:00+08:00" },
  { key: "A7", owner: "sunli", customer: "C5", status: "in_progress", start: "2026-03-19T09:00:00+08:00" },
  // March 31 23:00 UTC is April 1 in Shanghai; March 1 01:00 in Shanghai is February 28 in UTC.
  { key: "A10", owner: "zhoujie", customer: "C6", status: "in_progress", start: "2026-04-01T07:00:00+08:00" },
  { key: "A12", owner: "zhoujie", customer: "C6", status: "not_started", start: "2026-03-01T01:00:00+08:00" },
];

export const OPPORTUNITIES: { key: string; owner: Person; customer: string; stage: string; amount: number; probability: number; close: string }[] = [
  { key: "O1", owner: "wanglei", customer: "C1", stage: "initial", amount: 10000, probability: 10, close: "2026-03-10" },
  { key: "O2", owner: "wanglei", customer: "C1", stage: "proposal", amount: 20000, probability: 50, close: "2026-03-20" },
  { key: "O3", owner: "wanglei", customer: "C2", stage: "won", amount: 5000, probability: 100, close: "2026-03-05" },
  { key: "O4", owner: "lina", customer: "C3", stage: "lost", amount: 8000, probability: 0, close: "2026-03-06" },
  { key: "O5", owner: "chenjing", customer: "C4", stage: "won", amount: 3000, probability: 100, close: "2026-03-07" },
  { key: "O6", owner: "chenjing", customer: "C4", stage: "lost", amount: 2000, probability: 20, close: "2026-03-31" },
  { key: "O7", owner: "sunli", customer: "C5", stage: "negotiation", amount: 6000, probability: 80, close: "2026-03-01" },
  { key: "O8", owner: "zhoujie", customer: "C6", stage: "won", amount: 1000, probability: 100, close: "2026-04-15" },
];

export const LEADS: { key: string; owner: Person; source?: string; status?: string; customer?: string; opportunity?: string }[] = [
  { key: "L1", owner: "wanglei", source: "exhibition", status: "converted", customer: "C1" },
  { key: "L2", owner: "wanglei", source: "exhibition" },
  { key: "L3", owner: "wanglei", source: "website", status: "converted", customer: "C2", opportunity: "O2" },
  { key: "L4", owner: "chenjing", source: "exhibition", customer: "C4", opportunity: "O5" },
  { key: "L5", owner: "chenjing", source: "phone" },
  { key: "L6", owner: "sunli", source: "phone", status: "converted" },
  { key: "L7", owner: "zhoujie" },
];

/** Creates records in one all-or-nothing request; their ids in the order given. */
export async function createdAll(client: TestClient, object: string, records: Record<string, unknown>[]): Promise<string[]> {
  const response = await client.post(`/api/objects/${object}/records/bulk`, { records });
  expect(response.status, `${object}: ${JSON.stringify(response.body)}`).toBe(201);
  return response.body.records.map((record: { id: string }) => record.id);
}

/** key → id, for records created in the order of their keys. */
const keyed = (keys: string[], ids: string[]) => Object.fromEntries(keys.map((key, index) => [key, ids[index]]));

export async function buildSalesFixture(server: TestServer, admin: TestClient): Promise<SalesFixture> {
  const fixture: SalesFixture = { employee: {}, department: {}, customer: {}, activity: {}, opportunity: {}, lead: {} };
  for (const user of await server.database.db("users").withSchema("sys").select("username", "employee_id")) fixture.employee[user.username] = user.employee_id;
  for (const department of (await admin.get("/api/objects/department/records?limit=200")).body.records) fixture.department[department.code] = department.id;
  const owner = (person: Person) => fixture.employee[person];
  fixture.customer = keyed(
    CUSTOMERS.map(([key]) => key),
    await createdAll(admin, "customer", CUSTOMERS.map(([key, person]) => ({ name: `${key} 客户`, owner_id: owner(person) }))),
  );
  // An order's total is the sum of its lines (a roll-up): one line of one unit at the order's amount.
  const [itemId] = await createdAll(admin, "inventory", [{ code: "FIXTURE-ITEM", name: "报表测试存货", unit: "件" }]);
  const orderIds = await createdAll(
    admin,
    "sales_order",
    ORDERS.map((order) => ({
      customer_id: fixture.customer[order.customer],
      owner_id: owner(order.owner),
      order_date: order.date,
      lines: [{ inventory_id: itemId, quantity: 1, unit_price: order.amount }],
    })),
  );
  for (const [index, order] of ORDERS.entries()) {
    if (order.deleted) expect((await admin.delete(`/api/objects/sales_order/records/${orderIds[index]}`)).status).toBe(204);
  }
  fixture.activity = keyed(
    ACTIVITIES.map((activity) => activity.key),
    await createdAll(
      admin,
      "activity",
      ACTIVITIES.map((activity) => ({
        subject: `${activity.key} 拜访`,
        activity_type: "prospecting",
        status: activity.status,
        customer_id: fixture.customer[activity.customer],
        owner_id: owner(activity.owner),
        start_at: activity.start,
        ...(activity.end ? { end_at: activity.end } : {}),
        ...(activity.related ? { related_employee_ids: activity.related.map(owner) } : {}),
      })),
    ),
  );
  fixture.opportunity = keyed(
    OPPORTUNITIES.map((opportunity) => opportunity.key),
    await createdAll(
      admin,
      "opportunity",
      OPPORTUNITIES.map((opportunity) => ({
        name: `${opportunity.key} 商机`,
        customer_id: fixture.customer[opportunity.customer],
        owner_id: owner(opportunity.owner),
        stage: opportunity.stage,
        amount: opportunity.amount,
        probability: opportunity.probability,
        expected_close_date: opportunity.close,
        ...(opportunity.stage === "lost" ? { lost_reason: "价格偏高" } : {}),
      })),
    ),
  );
  // The pack's stage plan (workflows/opportunity_stages.json) plans activities for new opportunities in a job; the
  // fixture's activities are exactly ACTIVITIES, so the planned ones are taken out again once the jobs have run.
  await server.built.jobs.drain();
  const planned = await server.database.db("stage_activities").withSchema("sys").pluck("activity_id");
  await server.database.db("activity").whereIn("id", planned).delete();
  await server.database.db("stage_activities").withSchema("sys").whereIn("activity_id", planned).delete();
  fixture.lead = keyed(
    LEADS.map((lead) => lead.key),
    await createdAll(
      admin,
      "lead",
      LEADS.map((lead) => ({
        name: `${lead.key} 线索`,
        owner_id: owner(lead.owner),
        ...(lead.source ? { source: lead.source } : {}),
        ...(lead.status ? { status: lead.status } : {}),
        ...(lead.customer ? { converted_customer_id: fixture.customer[lead.customer] } : {}),
        ...(lead.opportunity ? { converted_opportunity_id: fixture.opportunity[lead.opportunity] } : {}),
      })),
    ),
  );
  return fixture;
}
