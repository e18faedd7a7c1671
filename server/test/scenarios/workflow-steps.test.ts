// Approval shapes the pack's flows do not use (issue 5): sequential steps, 会签 (every approver of a step must approve)
// with approvers named by employee code, add_related on approval, and a cron-scheduled trigger run once per record and tick.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkflowDefinition } from "@crm/metadata";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { scanScheduledTrigger, syncScheduledTriggers } from "../../src/workflow/triggers";

let server: TestServer;
const as: Record<string, TestClient> = {};
const people: Record<string, { employeeId: string; code: string }> = {};

const packFlow = async (file: string) => JSON.parse(await readFile(new URL(`../../../seeds/distribution/workflows/${file}`, import.meta.url), "utf8")) as WorkflowDefinition;
const overdueNotice = { "zh-CN": "每周检查：样品仍在借出", en: "Weekly check: the sample is still on loan" };

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.db;
  const rows = await db.raw(`SELECT u.username, e.id, e.code FROM sys.users u JOIN public.employee e ON e.id = u.employee_id`);
  for (const row of rows.rows) people[row.username] = { employeeId: row.id, code: row.code };

  const expense = await packFlow("expense_request.json");
  const submit = expense.transitions[0].approval!;
  // After the manager, 钱坤 and 刘洋 both sign (会签); once approved 钱坤 follows the request as a related employee.
  submit.steps.push({
    name: "finance",
    label: { "zh-CN": "财务会签", en: "Finance sign-off" },
    approvers: [{ type: "employee", code: people.qiankun.code }, { type: "employee", code: people.liuyang.code }],
    mode: "all",
  });
  submit.approved.effects = [...(submit.approved.effects ?? []), { type: "add_related", employees: [{ type: "employee", code: people.qiankun.code }] }];

  const loan = await packFlow("sample_loan.json");
  loan.triggers = [
    ...(loan.triggers ?? []),
    { name: "weekly_check", on: "schedule", cron: "0 9 * * 1", condition: { "==": [{ var: "status" }, "on_loan"] }, effects: [{ type: "notify", to: [{ type: "owner" }], message: overdueNotice }] },
  ];

  await server.mergeModel({ workflows: [expense, loan] }, "test:workflow-steps");
  for (const username of ["wanglei", "zhaomin", "qiankun", "liuyang", "chenjing"]) as[username] = await server.login(username);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const act = (client: TestClient, id: string, action: string, body: unknown = {}) => client.post(`/api/objects/expense_request/records/${id}/actions/${action}`, body);

async function submittedRequest(purpose: string): Promise<string> {
  const created = await as.wanglei.post("/api/objects/expense_request/records", { expense_type: "travel", amount: 2400, purpose });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await act(as.wanglei, created.body.id, "submit")).status).toBe(200);
  return created.body.id;
}

describe("sequential steps and 会签", () => {
  it("opens the 会签 step once the manager approves, and approves only when every signer has", async () => {
    const id = await submittedRequest("出差上海");
    expect((await act(as.qiankun, id, "approve")).status).toBe(403);
    const first = await act(as.zhaomin, id, "approve", { comment: "同意" });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.workflow).toMatchObject({ state: "pending", approval: { status: "pending", step: 1, stepName: "finance", stepLabel: { en: "Finance sign-off" } } });
    const signers = first.body.workflow.tasks.filter((task: { step: number }) => task.step === 1);
    expect(signers.map((task: { approver: { username: string }; mode: string }) => [task.approver.username, task.mode]).sort()).toEqual([["liuyang", "all"], ["qiankun", "all"]]);
    for (const username of ["qiankun", "liuyang"]) {
      const inbox = (await as[username].get("/api/approvals/inbox")).body.tasks.filter((task: { recordId: string }) => task.recordId === id);
      expect(inbox).toEqual([expect.objectContaining({ stepLabel: { "zh-CN": "财务会签", en: "Finance sign-off" }, mode: "all" })]);
    }

    const one = await act(as.qiankun, id, "approve");
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.workflow).toMatchObject({ state: "pending", approval: { status: "pending", step: 1 } });
    const all = await act(as.liuyang, id, "approve", { comment: "已核对" });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.workflow).toMatchObject({ state: "approved", approval: { status: "idle" } });
    // The approval's add_related effect: 钱坤 now follows the request.
    const record = await server.database.db("expense_request").where({ id }).first("related_employee_ids");
    expect(record.related_employee_ids).toContain(people.qiankun.employeeId);
    const steps = all.body.workflow.history.map((entry: { action: string; actor: { username: string }; stepLabel: { en: string } | null }) => [entry.action, entry.actor.username, entry.stepLabel?.en ?? null]);
    expect(steps).toEqual([
      ["submit", "wanglei", null],
      ["approve", "zhaomin", "Manager approval"],
      ["approve", "qiankun", "Finance sign-off"],
      ["approve", "liuyang", "Finance sign-off"],
      ["approved", "liuyang", "Finance sign-off"],
    ]);
  });

  it("ends the approval on one signer's rejection and closes the other signer's task", async () => {
    const id = await submittedRequest("出差广州");
    await act(as.zhaomin, id, "approve");
    const rejected = await act(as.liuyang, id, "reject", { comment: "超出标准" });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.workflow.state).toBe("rejected");
    const finance = rejected.body.workflow.tasks.filter((task: { step: number }) => task.step === 1);
    expect(finance.map((task: { approver: { username: string }; status: string }) => [task.approver.username, task.status]).sort()).toEqual([["liuyang", "rejected"], ["qiankun", "cancelled"]]);
    expect((await as.qiankun.get("/api/approvals/inbox")).body.tasks.filter((task: { recordId: string }) => task.recordId === id)).toEqual([]);
    expect((await act(as.qiankun, id, "approve")).status).toBe(422);
  });
});

describe("a cron-scheduled trigger", () => {
  it("runs its effects on the records matching its condition, once per record and tick", async () => {
    const customer = await as.chenjing.post("/api/objects/customer/records", { name: "定时检查客户" });
    const create = (due: string) => as.chenjing.post("/api/objects/sample_loan/records", { customer_id: customer.body.id, loan_date: "2026-03-01", due_date: due });
    const [lent, draft] = [(await create("2026-04-01")).body, (await create("2026-04-02")).body];
    const path = `/api/objects/sample_loan/records/${lent.id}/actions`;
    await as.chenjing.post(`${path}/submit`, {});
    await as.liuyang.post(`${path}/approve`, {});
    expect((await as.chenjing.post(`${path}/lend`, {})).body.record.status).toBe("on_loan");

    const deps = { db: server.database.db, registry: server.built.server.registry };
    const tick = (id: string) => scanScheduledTrigger(deps, server.built.jobs, { object: "sample_loan", trigger: "weekly_check", tick: id });
    expect(await tick("monday-1")).toBeGreaterThanOrEqual(1);
    await tick("monday-1");
    await server.built.jobs.drain();
    const notices = (recordId: string) => server.database.db("notifications").withSchema("sys").where({ record_id: recordId }).whereRaw("message->>'en' = ?", [overdueNotice.en]).count({ n: "*" }).first();
    expect(Number((await notices(lent.id))!.n)).toBe(1);
    expect(Number((await notices(draft.id))!.n)).toBe(0);
    await tick("monday-2");
    await server.built.jobs.drain();
    expect(Number((await notices(lent.id))!.n)).toBe(2);
  });

  it("follows the model: a trigger added later is scheduled, a changed cron re-timed, a removed one unscheduled, without a restart", async () => {
    const jobs = server.built.jobs;
    const registry = server.built.server.registry;
    // Booted before the test model was merged; the minute sync (run here directly) catches up.
    await syncScheduledTriggers(jobs, await registry.current());
    expect(await jobs.scheduleIds()).toContain("workflow:sample_loan:weekly_check");

    const loan = (await registry.current()).workflows.get("sample_loan")!;
    const withoutWeekly = { ...structuredClone(loan), triggers: (loan.triggers ?? []).filter((trigger) => trigger.name !== "weekly_check") };
    await server.mergeModel({ workflows: [withoutWeekly] }, "test:schedule-sync");
    const { removed } = await syncScheduledTriggers(jobs, await registry.current());
    expect(removed).toEqual(["workflow:sample_loan:weekly_check"]);
    expect(await jobs.scheduleIds()).not.toContain("workflow:sample_loan:weekly_check");
    // The other schedules (date scans, the sync itself) are not the triggers' to remove.
    expect(await jobs.scheduleIds()).toEqual(expect.arrayContaining(["workflow-date-scan", "workflow-schedule-sync"]));
  });
});
