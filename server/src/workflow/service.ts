// Workflow actions on a record: declared transitions, and approve / reject / 加签 add_approver / 转办 hand_over.
import type { Knex } from "knex";
import type { WorkflowDefinition, WorkflowTransition } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";
import type { RecordsContext } from "../records/read";
import { fetchScopedRow, recordNotFound } from "../records/read";
import { idsWithinScope } from "../records/access-guard";
import { UUID } from "../registry/columns";
import { mayPerform } from "../access/permissions";
import { AppError, forbidden, validationFailed } from "../errors/errors";
import { approvalProgress, currentState, stateFieldOf, findTransition, stateOf, stepOutcome, transitionRefusal, type ActorFacts, type RecordValues, type TransitionRefusal } from "./interpreter";
import { runEffects, writeFields } from "./effects";
import { addHistory, cancelPending, insertTask, loadInstance, openStep, saveInstance, stepTasks, type InstanceRow } from "./approvals";
import { sendAll, type OutgoingMessage } from "./notifications";

export const today = () => new Date().toISOString().slice(0, 10);

export async function actorFacts(context: RecordsContext, db: Knex, object: CompiledObject, recordId: string): Promise<ActorFacts> {
  const editable = mayPerform(context.access, object, "edit") && (await idsWithinScope({ db, model: context.model, access: context.access, object, ids: [recordId], action: "edit" })).has(recordId);
  return { roles: context.actor.roles, isAdmin: context.actor.isAdmin, mayEdit: editable, today: today(), employeeId: context.actor.employeeId };
}

const refusalError = (refusal: TransitionRefusal, transition: WorkflowTransition) => {
  if (refusal === "role" || refusal === "edit") {
    return forbidden({ "zh-CN": `您不能执行「${transition.label["zh-CN"]}」`, en: `You may not ${transition.label.en}` });
  }
  const reasons: Record<string, { "zh-CN": string; en: string }> = {
    state: { "zh-CN": "记录当前状态不允许该操作", en: "the record's current state does not allow it" },
    guard: { "zh-CN": "不满足该操作的条件", en: "the record does not meet the action's condition" },
    approval_pending: { "zh-CN": "记录正在审批中", en: "the record is under approval" },
  };
  return new AppError("WORKFLOW_TRANSITION_NOT_ALLOWED", { details: [{ path: "/action", message: reasons[refusal] }] });
};

interface EnterState {
  trx: Knex.Transaction;
  context: RecordsContext;
  object: CompiledObject;
  workflow: WorkflowDefinition;
  record: RecordValues;
  to: string;
  effects: WorkflowTransition["effects"];
  outgoing: OutgoingMessage[];
}

/** Writes the new state, then the transition's (or outcome's) effects, then the target state's onEnter effects. */
async function enterState(input: EnterState): Promise<RecordValues> {
  const { trx, context, object, workflow } = input;
  let record = await writeFields({ trx, context, object, record: input.record, values: { [stateFieldOf(workflow)]: input.to } });
  const effects = [...(input.effects ?? []), ...(stateOf(workflow, input.to)?.onEnter ?? [])];
  if (effects.length) {
    const result = await runEffects({ trx, context: { ...context, db: trx }, object, record, effects, today: today() });
    record = result.record;
    input.outgoing.push(...result.outgoing);
  }
  return record;
}

export interface WorkflowActionInput {
  context: RecordsContext;
  object: CompiledObject;
  workflow: WorkflowDefinition;
  recordId: string;
  action: string;
  body: unknown;
}

function parseBody(body: unknown, required: { comment?: boolean; username?: boolean }): { comment: string | null; username: string | null } {
  const values = body === undefined || body === null ? {} : body;
  if (typeof values !== "object" || Array.isArray(values)) throw validationFailed([{ path: "/", message: { "zh-CN": "请求体必须是对象", en: "The body must be an object" } }]);
  const { comment, username } = values as Record<string, unknown>;
  const details = [];
  if (comment !== undefined && comment !== null && (typeof comment !== "string" || comment.length > 2000)) {
    details.push({ path: "/comment", message: { "zh-CN": "意见必须是不超过 2000 字的文本", en: "comment must be text of at most 2000 characters" } });
  } else if (required.comment && (typeof comment !== "string" || comment.trim() === "")) {
    details.push({ path: "/comment", message: { "zh-CN": "请填写意见", en: "a comment is required" } });
  }
  if (required.username && (typeof username !== "string" || username === "")) {
    details.push({ path: "/username", message: { "zh-CN": "请指定人员（用户名）", en: "username is required" } });
  }
  if (details.length) throw validationFailed(details);
  return { comment: typeof comment === "string" && comment.trim() ? comment.trim() : null, username: typeof username === "string" ? username : null };
}

/** A declared transition: checked against state, guard and roles; an approval transition opens its first step. */
export async function takeTransition(input: WorkflowActionInput, transition: WorkflowTransition): Promise<void> {
  const { context, object, workflow, recordId } = input;
  const { comment } = parseBody(input.body, {});
  const outgoing: OutgoingMessage[] = [];
  await context.db.transaction(async (trx) => {
    const record = await fetchScopedRow(context, { db: trx, object, id: recordId, action: "view", forUpdate: true, columns: object.readColumns });
    if (!record) throw recordNotFound(object, recordId);
    const instance = await loadInstance(trx, object.name, recordId, true);
    const facts = await actorFacts(context, trx, object, recordId);
    const refusal = transitionRefusal({ workflow, transition, record, actor: facts, approvalPending: instance?.status === "pending" });
    if (refusal) throw refusalError(refusal, transition);
    const from = currentState(workflow, record);
    const round = (instance?.round ?? 0) + (transition.approval ? 1 : 0);
    const updated = await enterState({ trx, context, object, workflow, record, to: transition.to, effects: transition.effects, outgoing });
    await addHistory(trx, { object: object.name, recordId, round, action: transition.name, actorUserId: context.actor.userId, fromState: from, toState: transition.to, comment });
    const next: InstanceRow = { object: object.name, record_id: recordId, workflow: workflow.name, status: transition.approval ? "pending" : "idle", transition: transition.name, round, step: 0 };
    await saveInstance(trx, { ...next, ...(transition.approval ? { submitted_by: context.actor.userId } : {}) });
    if (transition.approval) await openStep(trx, { workflow, approval: transition.approval, record: updated, round, step: 0 });
  });
  await sendAll(outgoing);
}

interface PendingApproval {
  record: RecordValues;
  instance: InstanceRow;
  transition: WorkflowTransition & { approval: NonNullable<WorkflowTransition["approval"]> };
  myTaskId: string;
}

/** The record, its running approval and the caller's pending task of the current step; 404 / 403 / 422 otherwise. */
async function lockPendingApproval(trx: Knex.Transaction, input: WorkflowActionInput): Promise<PendingApproval> {
  const { context, object, workflow, recordId } = input;
  if (!UUID.test(recordId)) throw recordNotFound(object, recordId);
  const record = await trx(object.name).where({ id: recordId }).whereNull("deleted_at").forUpdate().first(object.readColumns);
  const instance = record ? await loadInstance(trx, object.name, recordId, true) : undefined;
  const transition = instance?.transition ? findTransition(workflow, instance.transition) : undefined;
  const tasks = instance?.status === "pending" ? await stepTasks(trx, { object: object.name, recordId, round: instance.round, step: instance.step }) : [];
  const mine = tasks.find((task) => task.status === "pending" && task.approver_user_id === context.actor.userId);
  if (record && instance && transition?.approval && mine) return { record, instance, transition: transition as PendingApproval["transition"], myTaskId: mine.id };
  // Without a task of their own, the record exists for the caller only if they may see it.
  const visible = record && (await fetchScopedRow(context, { db: trx, object, id: recordId, action: "view", columns: ["id"] }));
  if (!visible) throw recordNotFound(object, recordId);
  if (instance?.status !== "pending") {
    throw new AppError("WORKFLOW_TRANSITION_NOT_ALLOWED", { details: [{ path: "/action", message: { "zh-CN": "记录不在审批中", en: "the record is not under approval" } }] });
  }
  throw forbidden({ "zh-CN": "您不是当前审批步骤的审批人", en: "You are not an approver of the current step" });
}

/** approve / reject: records the decision, then moves to the next step or ends the approval. */
export async function decide(input: WorkflowActionInput, decision: "approved" | "rejected"): Promise<void> {
  const { context, object, workflow, recordId } = input;
  const { comment } = parseBody(input.body, { comment: decision === "rejected" });
  const outgoing: OutgoingMessage[] = [];
  await context.db.transaction(async (trx) => {
    const { record, instance, transition, myTaskId } = await lockPendingApproval(trx, input);
    const approval = transition.approval;
    await trx("approval_tasks").withSchema("sys").where({ id: myTaskId }).update({ status: decision, comment, decided_at: trx.fn.now() });
    await addHistory(trx, { object: object.name, recordId, round: instance.round, step: instance.step, action: decision === "approved" ? "approve" : "reject", actorUserId: context.actor.userId, comment });
    const step = approval.steps[instance.step];
    const tasks = await stepTasks(trx, { object: object.name, recordId, round: instance.round, step: instance.step });
    const progress = approvalProgress(approval, instance.step, stepOutcome(step.mode, tasks));
    if (progress.kind === "wait") return;
    await cancelPending(trx, { object: object.name, recordId, round: instance.round });
    if (progress.kind === "next_step") {
      await saveInstance(trx, { ...instance, step: progress.step });
      await openStep(trx, { workflow, approval, record, round: instance.round, step: progress.step });
      return;
    }
    const from = currentState(workflow, record);
    await saveInstance(trx, { ...instance, status: "idle" });
    await enterState({ trx, context, object, workflow, record, to: progress.to, effects: progress.effects, outgoing });
    await addHistory(trx, { object: object.name, recordId, round: instance.round, step: instance.step, action: progress.result, actorUserId: context.actor.userId, fromState: from, toState: progress.to });
  });
  await sendAll(outgoing);
}

async function activeUserId(db: Knex, username: string): Promise<string> {
  const user = await db("users").withSchema("sys").where({ username, active: true }).first("id");
  if (!user) throw validationFailed([{ path: "/username", message: { "zh-CN": `用户 "${username}" 不存在或已停用`, en: `There is no active user "${username}"` } }]);
  return user.id as string;
}

/** 加签 (add_approver) keeps the caller's task and adds one; 转办 (hand_over) passes the caller's task on. */
export async function reassignTask(input: WorkflowActionInput, kind: "add_approver" | "hand_over"): Promise<void> {
  const { context, object, recordId } = input;
  const { comment, username } = parseBody(input.body, { username: true });
  await context.db.transaction(async (trx) => {
    const { instance, myTaskId } = await lockPendingApproval(trx, input);
    const target = await activeUserId(trx, username!);
    const tasks = await stepTasks(trx, { object: object.name, recordId, round: instance.round, step: instance.step });
    if (tasks.some((task) => task.status === "pending" && task.approver_user_id === target)) {
      throw validationFailed([{ path: "/username", message: { "zh-CN": "该人员已是当前步骤的审批人", en: "This person already approves the current step" } }]);
    }
    const mine = tasks.find((task) => task.id === myTaskId)!;
    if (kind === "hand_over") await trx("approval_tasks").withSchema("sys").where({ id: myTaskId }).update({ status: "handed_over", comment, decided_at: trx.fn.now() });
    await insertTask(trx, {
      object: object.name,
      record_id: recordId,
      round: instance.round,
      step: instance.step,
      step_name: mine.step_name,
      mode: mine.mode,
      approver_user_id: target,
      ...(kind === "add_approver" ? { added_by: context.actor.userId } : { handed_over_from: context.actor.userId }),
    });
    await addHistory(trx, { object: object.name, recordId, round: instance.round, step: instance.step, action: kind, actorUserId: context.actor.userId, targetUserId: target, comment });
  });
}
