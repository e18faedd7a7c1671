// Open activities follow a reassigned record (issue 5): when the manager hands 陈静's opportunity to 孙丽, its planned
// activities still open move with it (owner, department, audit), completed ones stay with 陈静 who did them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
const as: Record<string, TestClient> = {};
const employee: Record<string, { id: string; department_id: string }> = {};
let customerId: string;

const settle = () => server.built.jobs.drain();

beforeAll(async () => {
  server = await startTestServer();
  for (const username of ["admin", "liuyang", "chenjing", "zhoujie", "sunli"]) as[username] = await server.login(username);
  const rows = await server.database.db.raw(`SELECT u.username, e.id, e.department_id FROM sys.users u JOIN public.employee e ON e.id = u.employee_id`);
  for (const row of rows.rows) employee[row.username] = { id: row.id, department_id: row.department_id };
  // The manager's own customer: the salespeople see its activities only as their owners.
  const customer = await as.liuyang.post("/api/objects/customer/records", { name: "行动转移测试客户" });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  customerId = customer.body.id;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const activitiesOf = (opportunityId: string) => server.database.db("activity").where({ opportunity_id: opportunityId }).whereNull("deleted_at").orderBy("start_at").select("*");

async function opportunityFor(owner: string, name: string, productLine: string): Promise<Record<string, any>> {
  // One open opportunity per customer and product line (the pack's duplicate rule).
  const created = await as.liuyang.post("/api/objects/opportunity/records", { name, customer_id: customerId, product_line: productLine, stage: "initial", owner_id: employee[owner].id });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await settle();
  return created.body;
}

async function complete(client: TestClient, activity: Record<string, any>): Promise<void> {
  const current = (await client.get(`/api/objects/activity/records/${activity.id}`)).body;
  const done = await client.patch(`/api/objects/activity/records/${activity.id}`, { version: current.version, status: "completed", result: "已拜访" });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  await settle();
}

describe("商机分配 moves the open activities with the opportunity", () => {
  let opportunity: Record<string, any>;
  let first: Record<string, any>;
  let second: Record<string, any>;
  let ownOpen: Record<string, any>;
  let colleagues: Record<string, any>;

  beforeAll(async () => {
    opportunity = await opportunityFor("chenjing", "转移行动商机", "coating");
    [first, second] = await activitiesOf(opportunity.id);
    expect([first.owner_id, second.owner_id]).toEqual([employee.chenjing.id, employee.chenjing.id]);
    await complete(as.chenjing, first);
    // Her own follow-up, in progress, and a colleague's activity on the same opportunity.
    const own = await as.chenjing.post("/api/objects/activity/records", { subject: "寄送样品", activity_type: "opportunity", status: "in_progress", opportunity_id: opportunity.id });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    ownOpen = own.body;
    const other = await as.admin.post("/api/objects/activity/records", { subject: "周杰协助报价", activity_type: "opportunity", opportunity_id: opportunity.id, owner_id: employee.zhoujie.id });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    colleagues = other.body;
  });

  it("hands the open ones to the new owner and her department, in the assignment's transaction, audited as the manager's", async () => {
    const liuyangUserId = (await server.database.db("users").withSchema("sys").where({ username: "liuyang" }).first("id")).id;
    const assigned = await as.liuyang.post(`/api/objects/opportunity/records/${opportunity.id}/actions/assign`, { owner_id: employee.sunli.id });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    const after = new Map((await activitiesOf(opportunity.id)).map((row) => [row.id as string, row]));
    expect(employee.sunli.department_id).not.toBe(employee.chenjing.department_id);
    for (const moved of [second, ownOpen]) {
      expect(after.get(moved.id)).toMatchObject({ owner_id: employee.sunli.id, department_id: employee.sunli.department_id, updated_by: liuyangUserId });
    }
    // Done by 陈静, stays hers; someone else's is not the previous owner's to hand over.
    expect(after.get(first.id)).toMatchObject({ owner_id: employee.chenjing.id, department_id: employee.chenjing.department_id, status: "completed" });
    expect(after.get(colleagues.id)).toMatchObject({ owner_id: employee.zhoujie.id });
    // The customer keys are the customer's (刘洋's) and stay so.
    expect(after.get(second.id)).toMatchObject({ customer_id: customerId, customer_owner_id: employee.liuyang.id });

    const history = (await as.liuyang.get(`/api/objects/activity/records/${second.id}/history`)).body.history;
    expect(history.at(-1)).toMatchObject({ action: "update", username: "liuyang" });
    expect(history.at(-1).changes).toEqual(
      expect.arrayContaining([
        { field: "owner_id", before: employee.chenjing.id, after: employee.sunli.id },
        { field: "department_id", before: employee.chenjing.department_id, after: employee.sunli.department_id },
      ]),
    );
    expect(after.get(second.id)!.version).toBe(second.version + 1);
  });

  it("shows them to the new owner and no longer to the previous one, who keeps what she completed", async () => {
    for (const moved of [second, ownOpen]) {
      expect((await as.sunli.get(`/api/objects/activity/records/${moved.id}`)).status).toBe(200);
      expect((await as.chenjing.get(`/api/objects/activity/records/${moved.id}`)).status).toBe(404);
    }
    expect((await as.chenjing.get(`/api/objects/activity/records/${first.id}`)).status).toBe(200);
  });

  it("lets the new owner finish the stage: completing the moved activity advances the opportunity and plans the next stage for her", async () => {
    await complete(as.sunli, second);
    const advanced = (await as.sunli.get(`/api/objects/opportunity/records/${opportunity.id}`)).body;
    expect(advanced.stage).toBe("qualified");
    const planned = (await activitiesOf(opportunity.id)).filter((row) => row.status === "not_started" && row.id !== colleagues.id);
    expect(planned.map((row) => row.subject).sort()).toEqual(["技术交流与样品确认", "提交解决方案"].sort());
    expect(planned.every((row) => row.owner_id === employee.sunli.id)).toBe(true);
  });
});

describe("an owner change through an ordinary edit moves them too", () => {
  it("follows a manager's edit of 负责员工, and moves nothing when the owner stays", async () => {
    const opportunity = await opportunityFor("chenjing", "编辑负责人商机", "resin");
    const planned = await activitiesOf(opportunity.id);
    const current = (await as.liuyang.get(`/api/objects/opportunity/records/${opportunity.id}`)).body;
    const unchanged = await as.liuyang.patch(`/api/objects/opportunity/records/${opportunity.id}`, { version: current.version, remark: "只改备注" });
    expect(unchanged.status, JSON.stringify(unchanged.body)).toBe(200);
    expect((await activitiesOf(opportunity.id)).map((row) => [row.owner_id, row.version])).toEqual(planned.map((row) => [row.owner_id, row.version]));

    const edited = await as.liuyang.patch(`/api/objects/opportunity/records/${opportunity.id}`, { version: unchanged.body.version, owner_id: employee.zhoujie.id });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const after = await activitiesOf(opportunity.id);
    expect(after.map((row) => [row.owner_id, row.department_id])).toEqual(planned.map(() => [employee.zhoujie.id, employee.zhoujie.department_id]));
    expect((await as.zhoujie.get(`/api/objects/activity/records/${after[0].id}`)).status).toBe(200);
    expect((await as.chenjing.get(`/api/objects/activity/records/${after[0].id}`)).status).toBe(404);
  });
});

describe("线索分配 moves the lead's open activities", () => {
  it("hands 陈静's open follow-up of the lead to 孙丽 and leaves the completed call with 陈静", async () => {
    const lead = await as.chenjing.post("/api/objects/lead/records", { name: "转移线索", company: "天津转移贸易" });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    const call = await as.chenjing.post("/api/objects/activity/records", { subject: "电话初访", activity_type: "prospecting", status: "completed", lead_id: lead.body.id });
    const visit = await as.chenjing.post("/api/objects/activity/records", { subject: "上门拜访", activity_type: "prospecting", lead_id: lead.body.id });
    expect([call.status, visit.status]).toEqual([201, 201]);
    const assigned = await as.liuyang.post(`/api/objects/lead/records/${lead.body.id}/actions/assign`, { owner_id: employee.sunli.id });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    const owners = Object.fromEntries((await server.database.db("activity").where({ lead_id: lead.body.id }).select("subject", "owner_id")).map((row) => [row.subject, row.owner_id]));
    expect(owners).toEqual({ 电话初访: employee.chenjing.id, 上门拜访: employee.sunli.id });
    expect((await as.sunli.get(`/api/objects/activity/records/${visit.body.id}`)).status).toBe(200);
  });
});
