// Storage of workflow instances, approval tasks and history (sys tables), used by the transition and decision services.
import type { Knex } from "knex";
import type { ApprovalDefinition, LocalizedText, WorkflowDefinition } from "@crm/metadata";
import { AppError } from "../errors/errors";
import type { RecordValues, TaskState } from "./interpreter";
import { resolveParties } from "./parties";
import { notify } from "./notifications";

export interface InstanceRow {
  object: string;
  record_id: string;
  workflow: string;
  /** idle, or pending while an approval runs. */
  status: "idle" | "pending";
  transition: string | null;
  round: number;
  step: number;
}

export interface TaskRow extends TaskState {
  id: string;
  object: string;
  record_id: string;
  round: number;
  step: number;
  step_name: string;
  mode: "all" | "any";
  approver_user_id: string;
}

export async function loadInstance(db: Knex, object: string, recordId: string, forUpdate = false): Promise<InstanceRow | undefined> {
  const query = db("workflow_instances").withSchema("sys").where({ object, record_id: recordId }).first();
  if (forUpdate) query.forUpdate();
  const row = await query;
  return row ? { ...row, round: Number(row.round), step: Number(row.step) } : undefined;
}

export async function saveInstance(trx: Knex.Transaction, row: InstanceRow & { submitted_by?: string | null }): Promise<void> {
  await trx("workflow_instances").withSchema("sys").insert({ ...row, updated_at: trx.fn.now() }).onConflict(["object", "record_id"]).merge();
}

export interface HistoryInput {
  object: string;
  recordId: string;
  round: number;
  step?: number | null;
  action: string;
  actorUserId: string | null;
  targetUserId?: string | null;
  fromState?: string | null;
  toState?: string | null;
  comment?: string | null;
}

export async function addHistory(trx: Knex, entry: HistoryInput): Promise<void> {
  await trx("approval_history").withSchema("sys").insert({
    object: entry.object,
    record_id: entry.recordId,
    round: entry.round,
    step: entry.step ?? null,
    action: entry.action,
    actor_user_id: entry.actorUserId,
    target_user_id: entry.targetUserId ?? null,
    from_state: entry.fromState ?? null,
    to_state: entry.toState ?? null,
    comment: entry.comment ?? null,
  });
}

export async function stepTasks(db: Knex, input: { object: string; recordId: string; round: number; step: number }): Promise<TaskRow[]> {
  const rows = await db("approval_tasks")
    .withSchema("sys")
    .where({ object: input.object, record_id: input.recordId, round: input.round, step: input.step })
    .orderBy("created_at")
    .select("*");
  return rows.map((row) => ({ ...row, round: Number(row.round), step: Number(row.step) }));
}

export async function insertTask(trx: Knex, task: Omit<TaskRow, "id" | "status"> & { added_by?: string | null; handed_over_from?: string | null }): Promise<void> {
  await trx("approval_tasks").withSchema("sys").insert({ ...task, status: "pending" });
}

const approvalRequested = (workflow: WorkflowDefinition, stepLabel: LocalizedText): LocalizedText => ({
  "zh-CN": `您有一条待审批：${workflow.label["zh-CN"]}（${stepLabel["zh-CN"]}）`,
  en: `An approval is waiting for you: ${workflow.label.en} (${stepLabel.en})`,
});

/** Creates the tasks of one approval step for the approvers it names; a step nobody can approve is refused. */
export async function openStep(
  trx: Knex.Transaction,
  input: { workflow: WorkflowDefinition; approval: ApprovalDefinition; record: RecordValues; round: number; step: number },
): Promise<string[]> {
  const { workflow, approval, record, round, step } = input;
  const definition = approval.steps[step];
  const { userIds } = await resolveParties(trx, record, definition.approvers);
  if (userIds.length === 0) {
    throw new AppError("RULE_VIOLATION", {
      message: { "zh-CN": `审批步骤「${definition.label["zh-CN"]}」找不到审批人`, en: `No approver found for the step "${definition.label.en}"` },
      details: [{ path: `/approval/steps/${step}/approvers`, message: { "zh-CN": "找不到审批人", en: "no approver found" } }],
    });
  }
  for (const userId of userIds) {
    await insertTask(trx, { object: workflow.object, record_id: record.id as string, round, step, step_name: definition.name, mode: definition.mode, approver_user_id: userId });
  }
  await notify(trx, { userIds, message: approvalRequested(workflow, definition.label), object: workflow.object, recordId: record.id as string });
  return userIds;
}

/** Closes the remaining pending tasks of a round (或签 decided, or the approval ended). */
export async function cancelPending(trx: Knex, input: { object: string; recordId: string; round: number; step?: number }): Promise<void> {
  const query = trx("approval_tasks").withSchema("sys").where({ object: input.object, record_id: input.recordId, round: input.round, status: "pending" });
  if (input.step !== undefined) query.where({ step: input.step });
  await query.update({ status: "cancelled", decided_at: trx.fn.now() });
}
