// Approvers read what they approve (issue 5): a pending approval task makes the record visible, read-only, to its
// approver even outside their record scope; the scope is SQL (the record id among their open tasks), so lists agree.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
const as: Record<string, TestClient> = {};

beforeAll(async () => {
  server = await startTestServer();
  for (const username of ["wanglei", "zhaomin", "lina"]) as[username] = await server.login(username);
});

afterAll(async () => {
  await server?.close();
});

const url = (id: string, suffix = "") => `/api/objects/expense_request/records/${id}${suffix}`;
const act = (client: TestClient, id: string, action: string, body: unknown = {}) => client.post(url(id, `/actions/${action}`), body);
const listed = async (client: TestClient, id: string) =>
  (await client.get(`/api/objects/expense_request/records?filter=${encodeURIComponent(JSON.stringify({ "==": [{ var: "id" }, id] }))}&count=true`)).body;

describe("审批人可查看待其审批的记录（只读）", () => {
  it("shows 李娜 王磊's request while her 加签 task is pending, read-only, and no longer once it is decided", async () => {
    const created = await as.wanglei.post("/api/objects/expense_request/records", { expense_type: "travel", amount: 560, purpose: "出差拜访客户" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    // Outside her scope before anything is asked of her.
    expect((await as.lina.get(url(id))).status).toBe(404);
    expect((await act(as.wanglei, id, "submit")).status).toBe(200);
    const added = await act(as.zhaomin, id, "add_approver", { username: "lina", comment: "请李娜一并审核" });
    expect(added.status, JSON.stringify(added.body)).toBe(200);

    const seen = await as.lina.get(url(id));
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body).toMatchObject({ id, purpose: "出差拜访客户", status: "pending" });
    expect(await listed(as.lina, id)).toMatchObject({ total: 1, records: [{ id }] });
    expect((await as.lina.get(url(id, "/workflow"))).body.tasks.some((task: { approver: { username: string }; status: string }) => task.approver.username === "lina" && task.status === "pending")).toBe(true);
    // Read-only: seeing it grants no edit, and no delete.
    const edit = await as.lina.patch(url(id), { version: seen.body.version, purpose: "改掉" });
    expect(edit.status).toBe(403);
    expect((await as.lina.delete(url(id))).status).toBe(403);

    // 或签: her approval decides the step; with no pending task the record leaves her view again.
    expect((await act(as.lina, id, "approve", { comment: "同意" })).status).toBe(200);
    expect((await as.lina.get(url(id))).status).toBe(404);
    expect(await listed(as.lina, id)).toMatchObject({ total: 0, records: [] });
    expect((await as.wanglei.get(url(id))).body.status).toBe("approved");
  });

  it("does not show records of other objects or other people's tasks", async () => {
    const created = await as.wanglei.post("/api/objects/expense_request/records", { expense_type: "travel", amount: 300, purpose: "第二次出差" });
    const id = created.body.id as string;
    await act(as.wanglei, id, "submit");
    // 赵敏's task, not 李娜's: 李娜 still sees nothing.
    expect((await as.lina.get(url(id))).status).toBe(404);
    expect(await listed(as.lina, id)).toMatchObject({ total: 0 });
  });
});
