// The standard CRM objects through the generic API: departments, employees, customers, contacts, activities, opportunities.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
let admin: TestClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
});

afterAll(async () => {
  await server?.close();
});

const created = async (object: string, body: unknown) => {
  const response = await admin.post(`/api/objects/${object}/records`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
};

describe("standard objects", () => {
  it("builds a department tree and places employees in it", async () => {
    ids.head = (await created("department", { code: "91", name: "测试总部" })).id;
    ids.coatings = (await created("department", { code: "9101", name: "测试涂料部", parent_department_id: ids.head })).id;
    const employee = await created("employee", { code: "T001", name: "王磊", department_id: ids.coatings, is_salesperson: true, mobile: "13800000001" });
    ids.wanglei = employee.id;
    const children = await admin.get(`/api/objects/department/records/${ids.head}/related/department`);
    expect(children.body.records.map((record: { code: string }) => record.code)).toEqual(["9101"]);
    const duplicate = await admin.post("/api/objects/department/records", { code: "9101", name: "重复" });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.details[0].path).toBe("/code");
  });

  it("defaults an owned record's department to its owner's", async () => {
    const customer = await created("customer", { name: "上海申华化工有限公司", status: "potential", owner_id: ids.wanglei, product_lines: ["coating"] });
    ids.customer = customer.id;
    expect(customer).toMatchObject({ owner_id: ids.wanglei, department_id: ids.coatings, related_employee_ids: [] });
    expect(customer.code).toMatch(/^C-\d{4}-000001$/);
  });

  it("links contacts and activities to the customer and lists them as related", async () => {
    const contact = await created("contact", { customer_id: ids.customer, name: "李经理", birthday: "1980-05-20", mobile: "13900000002" });
    ids.contact = contact.id;
    await created("activity", {
      subject: "拜访客户",
      activity_type: "prospecting",
      customer_id: ids.customer,
      contact_id: ids.contact,
      start_at: "2026-11-20T09:00:00+08:00",
      end_at: "2026-11-20T02:00:00Z",
    });
    const contacts = await admin.get(`/api/objects/customer/records/${ids.customer}/related/contact`);
    expect(contacts.body.records.map((record: { name: string }) => record.name)).toEqual(["李经理"]);
    const activities = await admin.get(`/api/objects/customer/records/${ids.customer}/related/activity?count=true`);
    expect(activities.body.total).toBe(1);
    expect(activities.body.records[0]).toMatchObject({ status: "not_started", start_at: "2026-11-20T01:00:00.000Z" });
  });

  it("applies the validation rules of the standard objects", async () => {
    const backwards = await admin.post("/api/objects/activity/records", {
      subject: "时间颠倒",
      activity_type: "schedule",
      start_at: "2026-11-20T10:00:00+08:00",
      end_at: "2026-11-20T01:59:00Z",
    });
    expect(backwards.status).toBe(422);
    expect(backwards.body.error.details[0].path).toBe("/end_at");
    const lost = await admin.post("/api/objects/opportunity/records", { name: "树脂项目", customer_id: ids.customer, stage: "lost" });
    expect(lost.status).toBe(422);
    expect(lost.body.error.details[0].path).toBe("/lost_reason");
  });

  it("computes the weighted amount of an opportunity", async () => {
    const opportunity = await created("opportunity", { name: "水性涂料替换", customer_id: ids.customer, stage: "proposal", amount: 120000, probability: 40 });
    expect(opportunity.weighted_amount).toBe(48000);
    expect(opportunity.number).toMatch(/^OP-\d{4}-000001$/);
    const updated = await admin.patch(`/api/objects/opportunity/records/${opportunity.id}`, { version: 1, probability: 75 });
    expect(updated.body.weighted_amount).toBe(90000);
  });

  it("filters customers on a multi-picklist and searches by name", async () => {
    const filter = encodeURIComponent(JSON.stringify({ in: ["coating", { var: "product_lines" }] }));
    const byLine = await admin.get(`/api/objects/customer/records?filter=${filter}`);
    expect(byLine.status, JSON.stringify(byLine.body)).toBe(200);
    expect(byLine.body.records.map((record: { id: string }) => record.id)).toEqual([ids.customer]);
    const search = await admin.get(`/api/objects/customer/records?q=${encodeURIComponent("申华")}`);
    expect(search.body.records).toHaveLength(1);
  });

  it("bulk-creates contacts in one transaction, all or nothing", async () => {
    const ok = await admin.post("/api/objects/contact/records/bulk", {
      records: [
        { customer_id: ids.customer, name: "张工" },
        { customer_id: ids.customer, name: "赵会计" },
      ],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.records).toHaveLength(2);
    const bad = await admin.post("/api/objects/contact/records/bulk", {
      records: [
        { customer_id: ids.customer, name: "不会保存" },
        { customer_id: "00000000-0000-4000-8000-000000000000", name: "客户不存在" },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("/records/1/customer_id");
    const names = (await admin.get(`/api/objects/customer/records/${ids.customer}/related/contact?limit=200`)).body.records.map((record: { name: string }) => record.name);
    expect(names).not.toContain("不会保存");
    const updates = await admin.patch("/api/objects/contact/records/bulk", {
      records: ok.body.records.map((record: { id: string; version: number }) => ({ id: record.id, version: record.version, title: "采购" })),
    });
    expect(updates.status, JSON.stringify(updates.body)).toBe(200);
    expect(updates.body.records.map((record: { title: string }) => record.title)).toEqual(["采购", "采购"]);
  });

  it("describes each object with its relations and record schema", async () => {
    const customer = (await admin.get("/api/metadata/objects/customer")).body;
    expect(customer.systemFields).toEqual(expect.arrayContaining(["id", "version", "owner_id", "department_id", "related_employee_ids"]));
    expect(customer.relations.map((relation: { name: string }) => relation.name)).toEqual(expect.arrayContaining(["contact", "activity", "opportunity"]));
    expect(customer.recordSchema.properties.name).toBeDefined();
  });
});
