// What a user sees of workflows: a record's state, the transitions open to them and its history; their approval inbox.
import type { Knex } from "knex";
import type { WorkflowDefinition } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";
import type { RecordsContext } from "../records/read";
import { fetchScopedRow, objectOf, recordNotFound } from "../records/read";
import { UUID } from "../registry/columns";
import { notFound } from "../errors/errors";
import { availableTransitions, currentState, isLockedState, stateFieldOf } from "./interpreter";
import { loadInstance } from "./approvals";
import { actorFacts } from "./service";
import { stateLabel, stepLabel } from "./labels";

export function workflowOf(context: RecordsContext, objectName: string): { object: CompiledObject; workflow: WorkflowDefinition } {
  const object = objectOf(context.model, objectName);
  const workflow = context.model.workflows.get(object.name);
  // Automation-only workflows (triggers, stage plans) have no state to show.
  if (!workflow?.stateField) throw notFound({ "zh-CN": `${object.definition.label["zh-CN"]}没有工作流`, en: `${object.definition.label.en} has no workflow` });
  return { object, workflow };
}

/** Users' names for history and task lists (a handful of ids per record). */
async function userNames(db: Knex, ids: Array<string | null>): Promise<Map<string, { username: string; displayName: string }>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  const rows = wanted.length ? await db("users").withSchema("sys").whereIn("id", wanted).select("id", "username", "display_name") : [];
  return new Map(rows.map((row) => [row.id as string, { username: row.username as string, displayName: row.display_name as string }]));
}

/** The record's workflow as the caller sees it; visible to those who may see the record and to its approvers. */
export async function workflowView(context: RecordsContext, objectName: string, id: string) {
  const { object, workflow } = workflowOf(context, objectName);
  if (!UUID.test(id)) throw recordNotFound(object, id);
  const db = context.db;
  const myTasks = await db("approval_tasks").withSchema("sys").where({ object: object.name, record_id: id, approver_user_id: context.actor.userId }).select("id", "round", "step", "status");
  const visible = await fetchScopedRow(context, { object, id, action: "view", columns: object.readColumns });
  const record = visible ?? (myTasks.length ? await db(object.name).where({ id }).whereNull("deleted_at").first(object.readColumns) : undefined);
  if (!record) throw recordNotFound(object, id);
  const instance = await loadInstance(db, object.name, id);
  const pending = instance?.status === "pending";
  const state = currentState(workflow, record);
  const facts = await actorFacts(context, db, object, id);
  const transitions = visible ? availableTransitions({ workflow, record, actor: facts, approvalPending: pending }) : [];
  const tasks = instance ? await db("approval_tasks").withSchema("sys").where({ object: object.name, record_id: id, round: instance.round }).orderBy([{ column: "step" }, { column: "created_at" }]).select("*") : [];
  const history = await db("approval_history").withSchema("sys").where({ object: object.name, record_id: id }).orderBy("id").select("*");
  const names = await userNames(db, [...tasks.map((task) => task.approver_user_id), ...history.flatMap((entry) => [entry.actor_user_id, entry.target_user_id])]);
  const myPending = tasks.find((task) => task.status === "pending" && task.approver_user_id === context.actor.userId && Number(task.step) === instance?.step);
  const stateField = stateFieldOf(workflow);
  const labelOfState = (value: string | null) => (value === null ? null : stateLabel(object, stateField, value));
  // Each round's approval was started by the transition recorded first in it (提交审批).
  const roundTransitions = new Map<number, string>();
  for (const entry of history) {
    if (!roundTransitions.has(Number(entry.round)) && workflow.transitions.some((transition) => transition.name === entry.action && transition.approval)) roundTransitions.set(Number(entry.round), entry.action);
  }
  const currentStep = instance ? workflow.transitions.find((t) => t.name === instance.transition)?.approval?.steps[instance.step] : undefined;
  return {
    workflow: workflow.name,
    state,
    stateLabel: stateLabel(object, stateField, state),
    locked: isLockedState(workflow, state),
    approval: instance ? { status: instance.status, round: instance.round, step: instance.step, stepName: currentStep?.name ?? null, stepLabel: currentStep?.label ?? null } : null,
    transitions: transitions.map((transition) => ({ name: transition.name, label: transition.label, to: transition.to, approval: transition.approval !== undefined })),
    actions: myPending ? ["approve", "reject", "add_approver", "hand_over"] : [],
    tasks: tasks.map((task) => ({
      id: task.id,
      step: Number(task.step),
      stepName: task.step_name,
      stepLabel: stepLabel(workflow, { transition: instance?.transition ?? null, step: Number(task.step), stepName: task.step_name }),
      mode: task.mode,
      approver: names.get(task.approver_user_id) ?? null,
      status: task.status,
      comment: task.comment,
      addedBy: task.added_by ? (names.get(task.added_by)?.username ?? null) : null,
      handedOverFrom: task.handed_over_from ? (names.get(task.handed_over_from)?.username ?? null) : null,
      decidedAt: task.decided_at,
    })),
    history: history.map((entry) => ({
      at: entry.at,
      round: Number(entry.round),
      step: entry.step === null ? null : Number(entry.step),
      stepLabel: entry.step === null ? null : stepLabel(workflow, { transition: roundTransitions.get(Number(entry.round)) ?? null, step: Number(entry.step) }),
      action: entry.action,
      actor: names.get(entry.actor_user_id) ?? null,
      target: entry.target_user_id ? (names.get(entry.target_user_id) ?? null) : null,
      fromState: entry.from_state,
      fromStateLabel: labelOfState(entry.from_state),
      toState: entry.to_state,
      toStateLabel: labelOfState(entry.to_state),
      comment: entry.comment,
    })),
  };
}

/** 我的待审批: pending tasks of the caller's current steps, newest first, with the record's title, state and the step's label. */
export async function approvalInbox(context: RecordsContext) {
  const rows = await context.db("sys.approval_tasks as t")
    .join("sys.workflow_instances as i", function joinInstance() {
      this.on("i.object", "t.object").andOn("i.record_id", "t.record_id").andOn("i.round", "t.round").andOn("i.step", "t.step");
    })
    .where({ "t.approver_user_id": context.actor.userId, "t.status": "pending", "i.status": "pending" })
    .orderBy("t.created_at", "desc")
    .limit(200)
    .select("t.id", "t.object", "t.record_id", "t.step", "t.step_name", "t.mode", "t.created_at", "i.submitted_by", "i.transition");
  const names = await userNames(context.db, rows.map((row) => row.submitted_by));
  const tasks = [];
  for (const row of rows) {
    const object = context.model.objects.get(row.object);
    const workflow = context.model.workflows.get(row.object);
    if (!object || !workflow?.stateField) continue;
    const display = object.definition.displayField;
    const record = await context.db(object.name).where({ id: row.record_id }).first([...new Set([workflow.stateField, ...(display ? [display] : [])])]);
    const state = record ? currentState(workflow, record) : null;
    tasks.push({
      id: row.id,
      object: row.object,
      objectLabel: object.definition.label,
      workflowLabel: workflow.label,
      recordId: row.record_id,
      title: display ? (record?.[display] ?? null) : null,
      state,
      stateLabel: state === null ? null : stateLabel(object, workflow.stateField, state),
      step: Number(row.step),
      stepName: row.step_name,
      stepLabel: stepLabel(workflow, { transition: row.transition, step: Number(row.step), stepName: row.step_name }),
      mode: row.mode,
      submittedBy: names.get(row.submitted_by) ?? null,
      createdAt: row.created_at,
    });
  }
  return { tasks };
}
