// 线索分配 / 商机分配 (the declared `assign` action), activities on leads and expense requests on opportunities (issue 4).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPackFolder } from "@crm/metadata/load";
import { distributionPackDir } from "@crm/seeds";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { createdRecord as created } from "../support/sales-fixture";

let server: TestServer;
let admin: TestClient;
const as: Record<string, TestClient> = {};
const employee: Record<string, { id: string; department_id: string }> = {};

const assignUrl = (object: string, id: string) => `/api/objects/${object}/records/${id}/actions/assign`;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  for (const username of ["liuyang", "chenjing", "zhoujie", "sunli", "wanglei"]) as[username] = await server.login(username);
  const rows = await server.database.db.raw(`SELECT u.username, e.id, e.department_id FROM sys.users u JOIN public.employee e ON e.id = u.employee_id`);
  for (const row of rows.rows) employee[row.username] = { id: row.id, department_id: row.department_id };
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("线索分配: the manager hands a lead to another salesperson", () => {
  let lead: Record<string, any>;

  beforeAll(async () => {
    lead = await created(as.chenjing, "lead", { name: "孙经理", company: "天津滨海涂装", source: "exhibition" });
  });

  it("sets the owner, moves the department with him, and audits the change as the manager's", async () => {
    expect((await as.liuyang.get("/api/metadata/objects/lead")).body.access.actions).toContain("assign");
    const response = await as.liuyang.post(assignUrl("lead", lead.id), { owner_id: employee.sunli.id });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.created).toEqual({});
    expect(response.body.record).toMatchObject({ owner_id: employee.sunli.id, department_id: employee.sunli.department_id, version: lead.version + 1 });
    expect(employee.sunli.department_id).not.toBe(employee.chenjing.department_id);
    const { history } = (await as.liuyang.get(`/api/objects/lead/records/${lead.id}/history`)).body;
    const last = history.at(-1);
    expect(last).toMatchObject({ action: "update", username: "liuyang" });
    expect(last.changes).toEqual(
      expect.arrayContaining([
        { field: "owner_id", before: employee.chenjing.id, after: employee.sunli.id },
        { field: "department_id", before: employee.chenjing.department_id, after: employee.sunli.department_id },
      ]),
    );
    // The new owner sees it; the previous one, a plain salesperson, no longer does.
    expect((await as.sunli.get(`/api/objects/lead/records/${lead.id}`)).status).toBe(200);
    expect((await as.chenjing.get(`/api/objects/lead/records/${lead.id}`)).status).toBe(404);
  });

  it("needs the reassign right: a salesperson cannot assign even her own lead (403)", async () => {
    const own = await created(as.chenjing, "lead", { name: "自己的线索" });
    expect((await as.chenjing.get("/api/metadata/objects/lead")).body.access.actions).not.toContain("assign");
    const response = await as.chenjing.post(assignUrl("lead", own.id), { owner_id: employee.zhoujie.id });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("FORBIDDEN");
    expect((await as.chenjing.get(`/api/objects/lead/records/${own.id}`)).body.owner_id).toBe(employee.chenjing.id);
  });

  it("answers 404 for a lead outside the manager's scope and 400 with a path for a bad body or an unknown employee", async () => {
    const elsewhere = await created(as.wanglei, "lead", { name: "上海的线索" });
    expect((await as.liuyang.post(assignUrl("lead", elsewhere.id), { owner_id: employee.zhoujie.id })).status).toBe(404);
    const own = await created(as.zhoujie, "lead", { name: "周杰的线索" });
    const cases: [unknown, string][] = [
      [{}, "/owner_id"],
      [{ owner_id: "nobody" }, "/owner_id"],
      [{ owner_id: employee.sunli.id, department_id: employee.sunli.department_id }, "/department_id"],
      [{ owner_id: "00000000-0000-4000-8000-000000000000" }, "/owner_id"],
    ];
    for (const [body, path] of cases) {
      const response = await as.liuyang.post(assignUrl("lead", own.id), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.details.map((detail: { path: string }) => detail.path), JSON.stringify(body)).toContain(path);
    }
    expect((await as.zhoujie.get(`/api/objects/lead/records/${own.id}`)).body).toMatchObject({ owner_id: employee.zhoujie.id, version: own.version });
  });
});

describe("商机分配: the same action on opportunities", () => {
  it("hands an opportunity to a colleague; its department follows", async () => {
    const customer = await created(as.chenjing, "customer", { name: "天津分配测试客户" });
    const opportunity = await created(as.chenjing, "opportunity", { name: "分配商机", customer_id: customer.id, product_line: "coating" });
    const response = await as.liuyang.post(assignUrl("opportunity", opportunity.id), { owner_id: employee.zhoujie.id });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.record).toMatchObject({ owner_id: employee.zhoujie.id, department_id: employee.zhoujie.department_id });
    expect((await as.zhoujie.get(`/api/objects/opportunity/records/${opportunity.id}`)).body.owner_id).toBe(employee.zhoujie.id);
    expect((await as.chenjing.post(assignUrl("opportunity", opportunity.id), { owner_id: employee.chenjing.id })).status).toBe(403);
  });
});

describe("activities on leads (线索的行动)", () => {
  it("lists a lead's activities as its related list and counts only the visible ones in its overview", async () => {
    const lead = await created(as.chenjing, "lead", { name: "钱总", company: "天津钱氏贸易" });
    await created(as.chenjing, "activity", { subject: "电话初访", activity_type: "prospecting", status: "completed", lead_id: lead.id, start_at: "2026-03-02T02:00:00.000Z" });
    await created(as.chenjing, "activity", { subject: "上门拜访", activity_type: "prospecting", lead_id: lead.id, start_at: "2026-03-09T02:00:00.000Z" });
    // Someone else's activity on the lead, which the salesperson may not see.
    await created(admin, "activity", { subject: "总部回访", activity_type: "care", lead_id: lead.id, owner_id: employee.wanglei.id });
    const related = await as.chenjing.get(`/api/objects/lead/records/${lead.id}/related/activity?count=true`);
    expect(related.status, JSON.stringify(related.body)).toBe(200);
    expect(related.body.total).toBe(2);
    expect(related.body.records.map((activity: { subject: string }) => activity.subject).sort()).toEqual(["上门拜访", "电话初访"]);
    const overview = (await as.chenjing.get(`/api/objects/lead/records/${lead.id}/overview`)).body;
    expect(overview.related.find((list: { object: string }) => list.object === "activity")).toMatchObject({ relation: "activity", total: 2 });
    const adminOverview = (await admin.get(`/api/objects/lead/records/${lead.id}/overview`)).body;
    expect(adminOverview.related.find((list: { object: string }) => list.object === "activity").total).toBe(3);
    expect((await as.chenjing.get("/api/metadata/layouts/lead")).body.layout.detail.related.map((tab: { relation: string }) => tab.relation)).toContain("activity");
  });
});

describe("expense requests (费用申请) linked to the opportunity", () => {
  it("declares the opportunity and customer links, and shows the requests in the opportunity's related list and overview", async () => {
    const definition = (await as.chenjing.get("/api/metadata/objects/expense_request")).body;
    const link = (name: string) => definition.fields.find((field: { name: string }) => field.name === name);
    expect(link("opportunity_id")).toMatchObject({ type: "lookup", target: "opportunity" });
    expect(link("customer_id")).toMatchObject({ type: "lookup", target: "customer" });
    const customer = await created(as.chenjing, "customer", { name: "费用测试客户" });
    const opportunity = await created(as.chenjing, "opportunity", { name: "费用商机", customer_id: customer.id, product_line: "resin" });
    const request = await created(as.chenjing, "expense_request", {
      customer_id: customer.id,
      opportunity_id: opportunity.id,
      expense_type: "entertainment",
      amount: 860,
      expense_date: "2026-03-10",
      purpose: "客户技术交流午餐",
    });
    await created(as.chenjing, "expense_request", { customer_id: customer.id, expense_type: "travel", amount: 300, purpose: "与商机无关的差旅" });
    const related = await as.chenjing.get(`/api/objects/opportunity/records/${opportunity.id}/related/expense_request?count=true`);
    expect(related.status, JSON.stringify(related.body)).toBe(200);
    expect(related.body.total).toBe(1);
    expect(related.body.records[0]).toMatchObject({ id: request.id, amount: 860, status: "draft" });
    const overview = (await as.chenjing.get(`/api/objects/opportunity/records/${opportunity.id}/overview`)).body;
    expect(overview.related.find((list: { object: string }) => list.object === "expense_request")).toMatchObject({ total: 1, latest: [expect.objectContaining({ id: request.id })] });
    const layout = (await as.chenjing.get("/api/metadata/layouts/opportunity")).body.layout;
    expect(layout.detail.related.find((tab: { relation: string }) => tab.relation === "expense_request").columns).toEqual(["number", "expense_type", "amount", "status"]);
  });
});

describe("only to an employee the caller may see", () => {
  it("refuses an owner hidden from the manager like one that does not exist (400, nothing changed)", async () => {
    const pack = await loadPackFolder(distributionPackDir);
    const manager = pack.roles!.find((role) => role.name === "department_manager")!;
    const original = structuredClone(manager.records);
    manager.records = { ...manager.records, employee: { view: "none" } };
    const applied = await admin.post("/api/packs/apply", pack);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const lead = await created(as.zhoujie, "lead", { name: "范围测试线索" });
    const hidden = await as.liuyang.post(assignUrl("lead", lead.id), { owner_id: employee.chenjing.id });
    expect(hidden.status).toBe(400);
    expect(hidden.body.error.details).toEqual([{ path: "/owner_id", message: expect.any(Object) }]);
    expect((await as.zhoujie.get(`/api/objects/lead/records/${lead.id}`)).body).toMatchObject({ owner_id: employee.zhoujie.id, version: lead.version });
    manager.records = original;
    expect((await admin.post("/api/packs/apply", pack)).status).toBe(200);
    const visible = await as.liuyang.post(assignUrl("lead", lead.id), { owner_id: employee.chenjing.id });
    expect(visible.status, JSON.stringify(visible.body)).toBe(200);
  });
});
