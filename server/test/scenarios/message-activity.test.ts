// A sent message is recorded as an activity (issue 5): a workflow's email / SMS notification writes a completed
// 消息 activity on the record's customer and contact, owned by the recipient; in-app notices write none.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkflowDefinition } from "@crm/metadata";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { loggingSender } from "../../src/workflow/notifications";

let server: TestServer;
let wanglei: TestClient;
const employee: Record<string, string> = {};
let customerId: string;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.db;
  for (const user of await db("users").withSchema("sys").select("username", "employee_id")) employee[user.username] = user.employee_id;
  const workflow = JSON.parse(await readFile(new URL("../../../seeds/distribution/workflows/contact_care.json", import.meta.url), "utf8")) as WorkflowDefinition;
  const message = { "zh-CN": "您有一位新联系人，请尽快问候", en: "You have a new contact: say hello soon" };
  workflow.triggers = [
    ...(workflow.triggers ?? []),
    { name: "new_contact_message", on: "create", effects: [{ type: "notify", to: [{ type: "owner" }], message, channels: ["in_app", "email", "sms"] }] },
    { name: "new_contact_notice", on: "create", effects: [{ type: "notify", to: [{ type: "owner" }], message: { "zh-CN": "站内提醒", en: "In-app notice" } }] },
  ];
  await server.mergeModel({ workflows: [workflow] }, "test:message-activity");
  wanglei = await server.login("wanglei");
  customerId = (await wanglei.post("/api/objects/customer/records", { name: "消息记录测试客户" })).body.id;
});

afterAll(async () => {
  await server?.close();
});

describe("发送的邮件和短信记为行动", () => {
  it("records each email and SMS as a completed 消息 activity on the contact and its customer, owned by the recipient", async () => {
    const created = await wanglei.post("/api/objects/contact/records", { customer_id: customerId, name: "孙丽" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await server.built.jobs.drain();
    const sent = loggingSender.sent.filter((message) => message.recordId === created.body.id);
    expect(sent.map((message) => message.channel).sort()).toEqual(["email", "sms"]);
    const activities = await server.database.db("activity").where({ contact_id: created.body.id }).whereNull("deleted_at").orderBy("subject").select("*");
    expect(activities.map((activity) => activity.subject)).toEqual(["[短信] 您有一位新联系人，请尽快问候", "[邮件] 您有一位新联系人，请尽快问候"].sort());
    for (const activity of activities) {
      expect(activity).toMatchObject({ activity_type: "message", status: "completed", customer_id: customerId, owner_id: employee.wanglei });
      expect(activity.plan).toContain("You have a new contact: say hello soon");
    }
    // The in-app notices arrived too, and wrote no activity.
    const notices = (await wanglei.get("/api/notifications")).body.notifications.map((notice: { message: { "zh-CN": string } }) => notice.message["zh-CN"]);
    expect(notices).toEqual(expect.arrayContaining(["站内提醒", "您有一位新联系人，请尽快问候"]));
    // The owner sees them in the contact's activities.
    const listed = await wanglei.get(`/api/objects/activity/records?filter=${encodeURIComponent(JSON.stringify({ "==": [{ var: "contact_id" }, created.body.id] }))}`);
    expect(listed.body.records).toHaveLength(2);
  });
});

describe("in the recipient's language", () => {
  it("writes the message activity's subject in English for 李娜, who reads English", async () => {
    const admin = await server.login("admin");
    expect((await admin.patch("/api/admin/users/lina", { locale: "en" })).status).toBe(200);
    const created = await admin.post("/api/objects/contact/records", { customer_id: customerId, name: "Ms Sun", owner_id: employee.lina });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await server.built.jobs.drain();
    const activities = await server.database.db("activity").where({ contact_id: created.body.id }).whereNull("deleted_at").orderBy("subject").select("subject", "owner_id");
    expect(activities).toEqual([
      { subject: "[Email] You have a new contact: say hello soon", owner_id: employee.lina },
      { subject: "[SMS] You have a new contact: say hello soon", owner_id: employee.lina },
    ]);
  });
});
