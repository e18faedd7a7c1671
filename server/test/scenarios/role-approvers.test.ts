// An approval step whose approvers are a role (SPEC H: "approvals (by role, by the owner's manager, multi-step)"):
// every active holder of the role gets the task, anyone else is refused, and the first holder's decision settles a
// 或签 step. The pack's flows approve by the owner's manager; here the 样品借用 flow is changed to the 销售助理 role.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkflowDefinition } from "@crm/metadata";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
const as: Record<string, TestClient> = {};

beforeAll(async () => {
  server = await startTestServer();
  const loan = JSON.parse(await readFile(new URL("../../../seeds/distribution/workflows/sample_loan.json", import.meta.url), "utf8")) as WorkflowDefinition;
  const submit = loan.transitions.find((transition) => transition.name === "submit")!;
  submit.approval!.steps = [{ name: "assistant_review", label: { "zh-CN": "销售助理审核", en: "Sales assistant review" }, approvers: [{ type: "role", role: "sales_assistant" }], mode: "any" }];
  // A consultant naming a role as approvers also lets it read the object (the validator insists, see workflow-checks).
  const model = await server.built.server.registry.current();
  const assistant = structuredClone(model.roles.get("sales_assistant")!);
  assistant.functions = { ...assistant.functions, sample_loan: ["view"] };
  await server.mergeModel({ roles: [assistant], workflows: [loan] }, "test:role-approvers");
  for (const username of ["chenjing", "liuyang", "luolin"]) as[username] = await server.login(username);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("approvers by role", () => {
  it("gives the task to the role's holders only; a holder's approval settles the step", async () => {
    const customer = await as.chenjing.post("/api/objects/customer/records", { name: "角色审批客户" });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    const loan = await as.chenjing.post("/api/objects/sample_loan/records", { customer_id: customer.body.id, loan_date: "2026-11-20", due_date: "2026-12-20" });
    expect(loan.status, JSON.stringify(loan.body)).toBe(201);
    const actions = `/api/objects/sample_loan/records/${loan.body.id}/actions`;
    const submitted = await as.chenjing.post(`${actions}/submit`, {});
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.workflow.tasks.map((task: { approver: { username: string } }) => task.approver.username)).toEqual(["luolin"]);

    // 罗琳 (销售助理) has it in her inbox; the owner's manager, who would approve under the pack's flow, does not.
    const inbox = (await as.luolin.get("/api/approvals/inbox")).body.tasks.filter((task: { recordId: string }) => task.recordId === loan.body.id);
    expect(inbox).toEqual([expect.objectContaining({ stepLabel: { "zh-CN": "销售助理审核", en: "Sales assistant review" }, mode: "any" })]);
    expect((await as.liuyang.get("/api/approvals/inbox")).body.tasks.filter((task: { recordId: string }) => task.recordId === loan.body.id)).toEqual([]);
    expect((await as.liuyang.post(`${actions}/approve`, {})).status).toBe(403);
    expect((await as.chenjing.post(`${actions}/approve`, {})).status).toBe(403);

    // She may read what she approves, and her approval moves the loan on.
    expect((await as.luolin.get(`/api/objects/sample_loan/records/${loan.body.id}`)).status).toBe(200);
    const approved = await as.luolin.post(`${actions}/approve`, { comment: "库存充足" });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.workflow).toMatchObject({ state: "approved", approval: { status: "idle" } });
    expect(approved.body.workflow.history.map((entry: { action: string; actor: { username: string } }) => [entry.action, entry.actor.username])).toEqual([
      ["submit", "chenjing"],
      ["approve", "luolin"],
      ["approved", "luolin"],
    ]);
  });
});
