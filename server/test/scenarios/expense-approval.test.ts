// 费用申请 (SPEC F, issue 5): approved by the owner's manager and nobody else; 加签 and 转办 recorded; locked while pending and once approved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
const as: Record<string, TestClient> = {};

beforeAll(async () => {
  server = await startTestServer();
  for (const username of ["admin", "wanglei", "lina", "zhaomin", "liuyang", "qiankun"]) as[username] = await server.login(username);
});

afterAll(async () => {
  await server?.close();
});

async function expenseRequest(amount: number, purpose: string) {
  const created = await as.wanglei.post("/api/objects/expense_request/records", { expense_type: "entertainment", amount, purpose });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; version: number; number: string };
}

const act = (client: TestClient, id: string, action: string, body: unknown = {}) => client.post(`/api/objects/expense_request/records/${id}/actions/${action}`, body);

describe("费用申请由负责员工的上级审批", () => {
  it("refuses to submit a request without an amount (the transition's guard)", async () => {
    const empty = await expenseRequest(0, "零元申请");
    const refused = await act(as.wanglei, empty.id, "submit");
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "WORKFLOW_TRANSITION_NOT_ALLOWED", details: [{ path: "/action" }] });
    expect(refused.body.error.messages.en).toBeTruthy();
    expect((await as.wanglei.get(`/api/objects/expense_request/records/${empty.id}/workflow`)).body.transitions).toEqual([]);
  });

  it("is approved by 赵敏, the manager of 王磊's department, and by nobody else", async () => {
    const request = await expenseRequest(800, "客户招待");
    const submitted = await act(as.wanglei, request.id, "submit");
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.workflow.tasks.map((task: { approver: { username: string } }) => task.approver.username)).toEqual(["zhaomin"]);
    // 李娜 cannot see 王磊's request; 钱坤 and the administrator can, but are not its approvers.
    expect((await act(as.lina, request.id, "approve")).status).toBe(404);
    expect((await act(as.liuyang, request.id, "approve")).status).toBe(404);
    expect((await act(as.admin, request.id, "approve")).status).toBe(403);
    expect((await act(as.wanglei, request.id, "approve")).status).toBe(403);

    const approved = await act(as.zhaomin, request.id, "approve", { comment: "同意" });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.record.status).toBe("approved");
    const locked = await as.wanglei.patch(`/api/objects/expense_request/records/${request.id}`, { version: approved.body.record.version, amount: 900 });
    expect(locked.status).toBe(423);
    expect((await act(as.zhaomin, request.id, "approve")).status).toBe(422);
    const notices = (await as.wanglei.get("/api/notifications")).body.notifications.map((n: { message: { "zh-CN": string } }) => n.message["zh-CN"]);
    expect(notices).toContain("您的费用申请已批准，可以报销");
    expect((await act(as.wanglei, request.id, "reimburse")).body.record.status).toBe("reimbursed");
  });

  it("records 加签: the added approver may decide for the step (或签)", async () => {
    const request = await expenseRequest(1200, "礼品");
    await act(as.wanglei, request.id, "submit");
    const missing = await act(as.zhaomin, request.id, "add_approver", {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: "/username" })]);
    expect((await act(as.zhaomin, request.id, "add_approver", { username: "nobody" })).status).toBe(400);
    const added = await act(as.zhaomin, request.id, "add_approver", { username: "liuyang", comment: "请刘洋一起看" });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.workflow.tasks).toEqual([
      expect.objectContaining({ approver: expect.objectContaining({ username: "zhaomin" }), status: "pending" }),
      expect.objectContaining({ approver: expect.objectContaining({ username: "liuyang" }), status: "pending", addedBy: "zhaomin" }),
    ]);
    expect((await as.liuyang.get("/api/approvals/inbox")).body.tasks.map((task: { recordId: string }) => task.recordId)).toEqual([request.id]);
    // 刘洋 cannot see the request through his data permissions, but as its approver he sees its workflow.
    expect((await as.liuyang.get(`/api/objects/expense_request/records/${request.id}/workflow`)).body.actions).toContain("approve");
    const approved = await act(as.liuyang, request.id, "approve");
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.record).toBeNull();
    expect(approved.body.workflow.state).toBe("approved");
    expect(approved.body.workflow.tasks.map((task: { status: string }) => task.status)).toEqual(["cancelled", "approved"]);
    // The 加签 stays in the record's history: who added whom, with the comment, at which step.
    const history = approved.body.workflow.history.map((entry: { action: string; actor: { username: string }; target: { username: string } | null; comment: string | null; stepLabel: { "zh-CN": string } | null }) => [
      entry.action,
      entry.actor.username,
      entry.target?.username ?? null,
      entry.comment,
      entry.stepLabel?.["zh-CN"] ?? null,
    ]);
    expect(history).toEqual([
      ["submit", "wanglei", null, null, null],
      ["add_approver", "zhaomin", "liuyang", "请刘洋一起看", "上级领导审批"],
      ["approve", "liuyang", null, null, "上级领导审批"],
      ["approved", "liuyang", null, null, "上级领导审批"],
    ]);
    expect((await as.zhaomin.get("/api/approvals/inbox")).body.tasks).toEqual([]);
  });

  it("records 转办: the task moves, the one who handed it over can no longer decide, and a rejection needs a comment", async () => {
    const request = await expenseRequest(300, "差旅");
    await act(as.wanglei, request.id, "submit");
    const handed = await act(as.zhaomin, request.id, "hand_over", { username: "qiankun", comment: "我出差，请钱坤处理" });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect((await act(as.zhaomin, request.id, "approve")).status).toBe(403);
    const rejected = await act(as.qiankun, request.id, "reject", { comment: "请附发票" });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.workflow.state).toBe("rejected");

    const history = (await as.wanglei.get(`/api/objects/expense_request/records/${request.id}/workflow`)).body.history;
    expect(history.map((entry: { action: string; actor: { username: string }; target: { username: string } | null; comment: string | null }) => [entry.action, entry.actor.username, entry.target?.username ?? null, entry.comment])).toEqual([
      ["submit", "wanglei", null, null],
      ["hand_over", "zhaomin", "qiankun", "我出差，请钱坤处理"],
      ["reject", "qiankun", null, "请附发票"],
      ["rejected", "qiankun", null, null],
    ]);
    // A rejected request can be changed and submitted again, as a new round.
    const record = (await as.wanglei.get(`/api/objects/expense_request/records/${request.id}`)).body;
    expect((await as.wanglei.patch(`/api/objects/expense_request/records/${request.id}`, { version: record.version, purpose: "差旅（附发票）" })).status).toBe(200);
    expect((await act(as.wanglei, request.id, "submit")).body.workflow.approval).toMatchObject({ round: 2, status: "pending" });
  });

  it("rejects an invalid workflow in a pack with the document and JSON path, and applies nothing", async () => {
    const pack = (await as.admin.get("/api/packs/export")).body;
    const flow = pack.workflows.find((workflow: { name: string }) => workflow.name === "expense_request_flow");
    expect(flow).toBeDefined();
    const broken = { ...flow, transitions: [{ ...flow.transitions[0], to: "paid" }, ...flow.transitions.slice(1)] };
    const manifest = { name: "broken_flow", version: "1.0.0", label: { "zh-CN": "坏流程", en: "Broken flow" } };
    const applied = await as.admin.post("/api/packs/apply", { manifest, objects: [], optionSets: [], workflows: [broken] });
    expect(applied.status).toBe(400);
    expect(applied.body.error.code).toBe("INVALID_METADATA");
    expect(applied.body.error.details).toContainEqual(expect.objectContaining({ document: "workflows/expense_request_flow", path: "/transitions/0/to" }));
    const after = (await as.admin.get("/api/packs/export")).body.workflows.find((workflow: { name: string }) => workflow.name === "expense_request_flow");
    expect(after.transitions[0].to).toBe("pending");
  });

  it("answers bad action bodies and unknown actions with the error shape", async () => {
    const request = await expenseRequest(50, "打车");
    const bad = await act(as.wanglei, request.id, "submit", { comment: 42 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: "/comment" }] });
    expect((await act(as.wanglei, request.id, "teleport")).status).toBe(404);
    expect((await as.wanglei.get("/api/objects/customer/records/00000000-0000-4000-8000-000000000000/workflow")).status).toBe(404);
  });
});
