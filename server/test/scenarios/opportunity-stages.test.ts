// Opportunity stages (issue 5): entering a stage plans its activities for the opportunity's owner; completing the last
// planned activity of the stage advances the opportunity; stage edits and close_lost keep working beside the plan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { runStagePlanJob } from "../../src/workflow/triggers";

let server: TestServer;
let wanglei: TestClient;
const employee: Record<string, string> = {};
let customerId: string;
let robotId: string;

beforeAll(async () => {
  server = await startTestServer();
  wanglei = await server.login("wanglei");
  for (const user of await server.database.db("users").withSchema("sys").select("username", "employee_id")) employee[user.username] = user.employee_id;
  const customer = await wanglei.post("/api/objects/customer/records", { name: "阶段推进测试客户" });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  customerId = customer.body.id;
});

afterAll(async () => {
  await server?.close();
});

const settle = () => server.built.jobs.drain();

const opportunity = async (values: Record<string, unknown>) => {
  const response = await wanglei.post("/api/objects/opportunity/records", { customer_id: customerId, ...values });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  await settle();
  return response.body as { id: string; version: number };
};

const reload = async (id: string) => (await wanglei.get(`/api/objects/opportunity/records/${id}`)).body;

const plannedActivities = async (opportunityId: string) =>
  (await wanglei.get(`/api/objects/activity/records?filter=${encodeURIComponent(JSON.stringify({ "==": [{ var: "opportunity_id" }, opportunityId] }))}&sort=start_at`)).body.records as Array<Record<string, any>>;

const complete = async (activity: Record<string, any>) => {
  const response = await wanglei.patch(`/api/objects/activity/records/${activity.id}`, { version: activity.version, status: "completed", result: "已完成" });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  await settle();
};

describe("商机阶段计划", () => {
  it("plans the first stage's activities for the owner, linked to the opportunity and its customer", async () => {
    const record = await opportunity({ name: "阶段计划商机", product_line: "coating", stage: "initial" });
    const activities = await plannedActivities(record.id);
    expect(activities.map((activity) => activity.subject)).toEqual(["首次拜访客户", "了解客户需求与采购计划"]);
    for (const activity of activities) {
      expect(activity).toMatchObject({ owner_id: employee.wanglei, customer_id: customerId, opportunity_id: record.id, activity_type: "opportunity", status: "not_started" });
    }
    robotId = (await server.database.db("users").withSchema("sys").where({ username: "workflow_robot" }).first("id")).id;
    expect(await server.database.db("activity").whereIn("id", activities.map((activity) => activity.id)).pluck("created_by")).toEqual([robotId, robotId]);
  });

  it("writes the planned subjects in the owner's language: English for 李娜, who reads English", async () => {
    const admin = await server.login("admin");
    expect((await admin.patch("/api/admin/users/lina", { locale: "en" })).status).toBe(200);
    const customer = await admin.post("/api/objects/customer/records", { name: "English owner's customer", owner_id: employee.lina });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    const created = await admin.post("/api/objects/opportunity/records", { customer_id: customer.body.id, name: "English owner", product_line: "resin", stage: "initial", owner_id: employee.lina });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await settle();
    const planned = await server.database.db("activity").where({ opportunity_id: created.body.id }).orderBy("start_at").select("subject", "owner_id");
    expect(planned).toEqual([
      { subject: "First visit to the customer", owner_id: employee.lina },
      { subject: "Learn the customer's needs and purchasing plan", owner_id: employee.lina },
    ]);
  });

  it("plans the activities of an opportunity made by converting a lead, once the conversion has committed", async () => {
    const lead = await wanglei.post("/api/objects/lead/records", { name: "转换线索联系人", company: "转换线索公司", product_line: "coating" });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    const converted = await wanglei.post(`/api/objects/lead/records/${lead.body.id}/actions/convert`, {
      customer: {},
      opportunity: { values: { name: "线索转换商机", stage: "initial" } },
    });
    expect(converted.status, JSON.stringify(converted.body)).toBe(201);
    await settle();
    const activities = await plannedActivities(converted.body.created.opportunity.id);
    expect(activities.map((activity) => activity.subject)).toEqual(["首次拜访客户", "了解客户需求与采购计划"]);
  });

  it("advances when the last planned activity of the stage is completed, and plans the next stage", async () => {
    const record = await opportunity({ name: "推进商机", product_line: "resin", stage: "initial" });
    const [first, second] = await plannedActivities(record.id);
    await complete(first);
    expect((await reload(record.id)).stage).toBe("initial");
    await complete(second);
    const advanced = await reload(record.id);
    expect(advanced.stage).toBe("qualified");
    const subjects = (await plannedActivities(record.id)).filter((activity) => activity.status === "not_started").map((activity) => activity.subject);
    expect(subjects.sort()).toEqual(["技术交流与样品确认", "提交解决方案"].sort());
    // The advance is audited like any edit, on the principal's account.
    const history = (await wanglei.get(`/api/objects/opportunity/records/${record.id}/history`)).body;
    expect(JSON.stringify(history)).toContain("qualified");
  });

  it("ignores an activity completed for a stage the opportunity has already left, and a repeated job", async () => {
    const record = await opportunity({ name: "手动改阶段", product_line: "plastic", stage: "initial" });
    const planned = await plannedActivities(record.id);
    // The salesperson moves the stage by hand: the new stage's plan starts.
    const moved = await wanglei.patch(`/api/objects/opportunity/records/${record.id}`, { version: record.version, stage: "proposal" });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await settle();
    const proposal = (await plannedActivities(record.id)).filter((activity) => activity.subject === "报价跟进");
    expect(proposal).toHaveLength(1);
    for (const activity of planned) await complete(activity);
    expect((await reload(record.id)).stage).toBe("proposal");
    // The same job twice (a retried or duplicated job): the key is taken, nothing is planned again.
    const deps = { db: server.database.db, registry: server.built.server.registry };
    const data = { object: "opportunity", recordId: record.id, stage: "proposal", key: `opportunity:stage:${record.id}:v${moved.body.version}` };
    expect(await runStagePlanJob(deps, "enter", data)).toBe("skipped");
    expect((await plannedActivities(record.id)).filter((activity) => activity.subject === "报价跟进")).toHaveLength(1);
    await complete(proposal[0]);
    expect((await reload(record.id)).stage).toBe("negotiation");
  });

  it("keeps close_lost working: the stage is set by the action, and nothing is planned for lost", async () => {
    const record = await opportunity({ name: "输单商机", product_line: "rubber", stage: "initial" });
    const before = (await plannedActivities(record.id)).length;
    const lost = await wanglei.post(`/api/objects/opportunity/records/${record.id}/actions/close_lost`, { reason: "客户预算取消" });
    expect(lost.status, JSON.stringify(lost.body)).toBe(200);
    expect(lost.body.record.stage).toBe("lost");
    await settle();
    expect(await plannedActivities(record.id)).toHaveLength(before);
    // The opportunity has no state workflow: no workflow view, and the stage stays editable data.
    expect((await wanglei.get(`/api/objects/opportunity/records/${record.id}/workflow`)).status).toBe(404);
  });
});
