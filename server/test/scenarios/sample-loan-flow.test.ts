// 样品借用 end to end (SPEC I, issue 5): draft → 待审批 (locked) → approved by the owner's department manager → 借出 → 部分归还 → 已归还,
// a rejection with a comment on the way, the overdue reminder created once however often its job runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { scanDateTriggers, shiftDate } from "../../src/workflow/triggers";
import { today } from "../../src/workflow/service";

let server: TestServer;
const as: Record<string, TestClient> = {};
const employee: Record<string, string> = {};
let loan: { id: string; version: number; number: string; customer_id: string };

beforeAll(async () => {
  server = await startTestServer();
  for (const username of ["admin", "chenjing", "liuyang", "hefang", "zhoujie", "zhaomin"]) as[username] = await server.login(username);
  for (const user of await server.database.db("users").withSchema("sys").select("username", "employee_id")) employee[user.username] = user.employee_id;
  const customer = await as.chenjing.post("/api/objects/customer/records", { name: "天津样品客户", status: "potential" });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const created = await as.chenjing.post("/api/objects/sample_loan/records", { customer_id: customer.body.id, loan_date: "2026-03-01", due_date: "2026-03-20", purpose: "试用水性涂料" });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  loan = created.body;
});

afterAll(async () => {
  await server?.close();
});

const url = (path = "") => `/api/objects/sample_loan/records/${loan.id}${path}`;
const act = (client: TestClient, action: string, body: unknown = {}) => client.post(url(`/actions/${action}`), body);

describe("样品借用审批", () => {
  it("starts in draft with submit offered to the owner", async () => {
    const view = await as.chenjing.get(url("/workflow"));
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ workflow: "sample_loan_flow", state: "draft", stateLabel: { "zh-CN": "草稿" }, locked: false, approval: null });
    expect(view.body.transitions.map((t: { name: string }) => t.name)).toEqual(["submit"]);
  });

  it("lets the state move only through the workflow", async () => {
    const patched = await as.chenjing.patch(url(), { version: loan.version, status: "approved" });
    expect(patched.status).toBe(422);
    expect(patched.body.error).toMatchObject({ code: "WORKFLOW_TRANSITION_NOT_ALLOWED", details: [{ path: "/status" }] });
    const skipped = await act(as.chenjing, "lend");
    expect(skipped.status).toBe(422);
  });

  it("hides the record's workflow and actions from people who cannot see it", async () => {
    expect((await as.zhoujie.get(url("/workflow"))).status).toBe(404);
    expect((await act(as.zhoujie, "submit")).status).toBe(404);
  });

  it("submits for approval to the owner's department manager and locks the record", async () => {
    const submitted = await act(as.chenjing, "submit", { comment: "请审批" });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.record.status).toBe("pending");
    const managerApproval = { "zh-CN": "部门经理审批", en: "Department manager approval" };
    expect(submitted.body.workflow).toMatchObject({
      state: "pending",
      stateLabel: { "zh-CN": "待审批", en: "Pending approval" },
      locked: true,
      approval: { status: "pending", round: 1, step: 0, stepName: "department_manager", stepLabel: managerApproval },
    });
    expect(submitted.body.workflow.tasks).toEqual([expect.objectContaining({ approver: { username: "liuyang", displayName: "刘洋" }, status: "pending", mode: "any", stepLabel: managerApproval })]);

    const locked = await as.chenjing.patch(url(), { version: submitted.body.record.version, purpose: "改一下" });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe("RECORD_LOCKED");
    expect(locked.body.error.messages["zh-CN"]).toContain("锁定");
    // The state by its label, not its internal value.
    expect(locked.body.error.details[0].message).toEqual({ "zh-CN": "记录处于「待审批」状态，已锁定", en: 'The record is locked in the state "Pending approval"' });
    expect((await as.chenjing.delete(url())).status).toBe(423);
    expect((await act(as.chenjing, "submit")).status).toBe(422);
  });

  it("puts the task in the manager's inbox and notifies him", async () => {
    const inbox = await as.liuyang.get("/api/approvals/inbox");
    expect(inbox.status).toBe(200);
    expect(inbox.body.tasks).toEqual([
      expect.objectContaining({
        object: "sample_loan",
        recordId: loan.id,
        title: loan.number,
        stepName: "department_manager",
        // What the inbox shows: the step, the record's state and the workflow by their labels.
        stepLabel: { "zh-CN": "部门经理审批", en: "Department manager approval" },
        state: "pending",
        stateLabel: { "zh-CN": "待审批", en: "Pending approval" },
        workflowLabel: { "zh-CN": "样品借用流程", en: "Sample loan flow" },
        submittedBy: expect.objectContaining({ username: "chenjing" }),
      }),
    ]);
    expect((await as.chenjing.get("/api/approvals/inbox")).body.tasks).toEqual([]);
    const notifications = await as.liuyang.get("/api/notifications?unread=true");
    expect(notifications.body.notifications[0]).toMatchObject({ object: "sample_loan", recordId: loan.id, read: false });
    const read = await as.liuyang.post(`/api/notifications/${notifications.body.notifications[0].id}/read`);
    expect(read.status).toBe(200);
    expect((await as.chenjing.post(`/api/notifications/${notifications.body.notifications[0].id}/read`)).status).toBe(404);
    expect((await as.liuyang.get("/api/notifications?unread=true")).body.notifications).toEqual([]);
  });

  it("refuses the decision to anyone but the approver", async () => {
    // 何芳 (跟单) sees Tianjin's records but is not the approver; 周杰 cannot even see it.
    expect((await as.hefang.get(url("/workflow"))).status).toBe(200);
    const byClerk = await act(as.hefang, "approve");
    expect(byClerk.status).toBe(403);
    expect(byClerk.body.error.code).toBe("FORBIDDEN");
    expect((await act(as.admin, "approve")).status).toBe(403);
    expect((await act(as.zhoujie, "approve")).status).toBe(404);
    expect((await act(as.chenjing, "approve")).status).toBe(403);
  });

  it("rejects with a comment back to draft, and the owner may change and resubmit", async () => {
    const noComment = await act(as.liuyang, "reject", {});
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.details).toEqual([expect.objectContaining({ path: "/comment" })]);
    const rejected = await act(as.liuyang, "reject", { comment: "应还日期太晚" });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.workflow).toMatchObject({ state: "draft", locked: false, approval: { status: "idle", round: 1 } });
    const told = (await as.chenjing.get("/api/notifications")).body.notifications.map((n: { message: { en: string } }) => n.message.en);
    expect(told).toContain("Your sample loan was rejected; change it and submit again");
    // Read all at once: every unread notice of hers, nobody else's.
    const othersUnread = (await as.liuyang.get("/api/notifications?unread=true")).body.notifications.length;
    const readAll = await as.chenjing.post("/api/notifications/read-all");
    expect(readAll.status).toBe(200);
    expect(readAll.body.read).toBeGreaterThanOrEqual(1);
    expect((await as.chenjing.get("/api/notifications?unread=true")).body.notifications).toEqual([]);
    expect((await as.liuyang.get("/api/notifications?unread=true")).body.notifications).toHaveLength(othersUnread);

    const changed = await as.chenjing.patch(url(), { version: rejected.body.record.version, due_date: "2026-03-15" });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await act(as.chenjing, "submit")).body.workflow.approval).toMatchObject({ status: "pending", round: 2 });
  });

  it("approves, then lends, takes back part and all of it", async () => {
    const approved = await act(as.liuyang, "approve", { comment: "同意" });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.record.status).toBe("approved");
    expect((await as.liuyang.get("/api/approvals/inbox")).body.tasks).toEqual([]);
    // A field-change trigger, run as 陈静 who made the change: her manager hears of the new due date once.
    const moved = await as.chenjing.patch(url(), { version: approved.body.record.version, due_date: "2026-03-18" });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await server.built.jobs.drain();
    const heard = (await as.liuyang.get("/api/notifications")).body.notifications.filter((n: { message: { en: string } }) => n.message.en === "An approved sample loan's due date was changed");
    expect(heard).toEqual([expect.objectContaining({ object: "sample_loan", recordId: loan.id })]);
    expect((await act(as.chenjing, "lend")).body.record.status).toBe("on_loan");
    expect((await act(as.chenjing, "return_part")).body.record.status).toBe("partly_returned");
    const returned = await act(as.chenjing, "return_all");
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    expect(returned.body.record).toMatchObject({ status: "returned", return_date: today() });
    expect(returned.body.workflow.transitions).toEqual([]);
  });

  it("keeps the whole history on the record", async () => {
    const view = await as.chenjing.get(url("/workflow"));
    const steps = view.body.history.map((entry: { action: string; actor: { username: string }; comment: string | null; toState: string | null }) => [entry.action, entry.actor.username, entry.comment, entry.toState]);
    expect(steps).toEqual([
      ["submit", "chenjing", "请审批", "pending"],
      ["reject", "liuyang", "应还日期太晚", null],
      ["rejected", "liuyang", null, "draft"],
      ["submit", "chenjing", null, "pending"],
      ["approve", "liuyang", "同意", null],
      ["approved", "liuyang", null, "approved"],
      ["lend", "chenjing", null, "on_loan"],
      ["return_part", "chenjing", null, "partly_returned"],
      ["return_all", "chenjing", null, "returned"],
    ]);
    // Users read states and steps by their labels (the approval tab shows these).
    const labels = view.body.history.map((entry: { fromStateLabel: { en: string } | null; toStateLabel: { en: string } | null; stepLabel: { en: string } | null }) => [
      entry.fromStateLabel?.en ?? null,
      entry.toStateLabel?.en ?? null,
      entry.stepLabel?.en ?? null,
    ]);
    expect(labels.slice(0, 3)).toEqual([
      ["Draft", "Pending approval", null],
      [null, null, "Department manager approval"],
      ["Pending approval", "Draft", "Department manager approval"],
    ]);
    expect(view.body.history.at(-1)).toMatchObject({ fromStateLabel: { "zh-CN": "部分归还" }, toStateLabel: { "zh-CN": "已归还" } });
  });
});

describe("逾期提醒 (a date trigger run as the pack's principal)", () => {
  it("creates one reminder activity for the owner, however often the scan and its jobs run", async () => {
    const customer = await as.chenjing.post("/api/objects/customer/records", { name: "逾期样品客户", status: "potential" });
    const yesterday = shiftDate(today(), -1);
    const created = await as.chenjing.post("/api/objects/sample_loan/records", { customer_id: customer.body.id, loan_date: shiftDate(today(), -10), due_date: yesterday });
    const id = created.body.id;
    const path = `/api/objects/sample_loan/records/${id}/actions`;
    await as.chenjing.post(`${path}/submit`, {});
    await as.liuyang.post(`${path}/approve`, {});
    expect((await as.chenjing.post(`${path}/lend`, {})).body.record.status).toBe("on_loan");

    const deps = { db: server.database.db, registry: server.built.server.registry };
    const jobs = server.built.jobs;
    expect(await scanDateTriggers(deps, jobs)).toBeGreaterThanOrEqual(1);
    await jobs.drain();
    await scanDateTriggers(deps, jobs);
    await jobs.drain();

    const subject = `样品逾期未还，请跟进归还：${created.body.number}`;
    const activities = await server.database.db("activity").where({ subject }).select("owner_id", "customer_id", "created_by");
    expect(activities).toHaveLength(1);
    expect(activities[0]).toMatchObject({ owner_id: employee.chenjing, customer_id: customer.body.id });
    const robot = await server.database.db("users").withSchema("sys").where({ username: "workflow_robot" }).first("id", "is_admin", "active");
    expect(robot).toMatchObject({ id: activities[0].created_by, is_admin: false, active: false });
    const mine = (await as.chenjing.get(`/api/objects/activity/records?filter=${encodeURIComponent(JSON.stringify({ "==": [{ var: "subject" }, subject] }))}`)).body.records;
    expect(mine).toHaveLength(1);
    // Returned loans are past the condition: nothing for the first loan, whose due date is long gone anyway.
    expect(await server.database.db("activity").where("subject", "like", `%${loan.number}`).count({ n: "*" }).first()).toMatchObject({ n: expect.anything() });
    expect(Number((await server.database.db("activity").where("subject", "like", `%${loan.number}`).count({ n: "*" }).first())!.n)).toBe(0);
  });
});
