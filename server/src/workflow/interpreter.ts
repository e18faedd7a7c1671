// The workflow interpreter's pure core: current state, transitions open to an actor, approval steps and their outcome.
import type { ApprovalDefinition, WorkflowDefinition, WorkflowEffect, WorkflowState, WorkflowTransition } from "@crm/metadata";
import { evaluate, matches } from "../rules/engine";

export type RecordValues = Record<string, unknown>;

/** What the decision needs to know about the acting user (loaded by the caller). */
export interface ActorFacts {
  roles: readonly string[];
  isAdmin: boolean;
  /** The record is within the actor's edit scope and the role allows edit. */
  mayEdit: boolean;
  /** 2026-11-27: the day guards and effect values see as _today. */
  today: string;
  employeeId: string | null;
}

export function initialState(workflow: WorkflowDefinition): string {
  return (workflow.states.find((state) => state.initial) ?? workflow.states[0])?.name ?? "";
}

/** The state field of a workflow with states (transitions exist only there: the validator refuses them elsewhere). */
export function stateFieldOf(workflow: WorkflowDefinition): string {
  if (!workflow.stateField) throw new Error(`workflow "${workflow.name}" has no state field`);
  return workflow.stateField;
}

export function currentState(workflow: WorkflowDefinition, record: RecordValues): string {
  const value = workflow.stateField ? record[workflow.stateField] : undefined;
  return typeof value === "string" && value !== "" ? value : initialState(workflow);
}

export function stateOf(workflow: WorkflowDefinition, name: string): WorkflowState | undefined {
  return workflow.states.find((state) => state.name === name);
}

export function isLockedState(workflow: WorkflowDefinition, name: string): boolean {
  return stateOf(workflow, name)?.locked === true;
}

/** The data json-logic sees: the record's fields plus the context variables (_today, _now, _actor_employee_id). */
export function expressionData(record: RecordValues, actor: Pick<ActorFacts, "today" | "employeeId">): RecordValues {
  return { ...record, _today: actor.today, _now: new Date().toISOString(), _actor_employee_id: actor.employeeId };
}

export type TransitionRefusal = "state" | "guard" | "role" | "edit" | "approval_pending";

/** Why the actor may not take the transition now, or null when they may. */
export function transitionRefusal(input: {
  workflow: WorkflowDefinition;
  transition: WorkflowTransition;
  record: RecordValues;
  actor: ActorFacts;
  approvalPending: boolean;
}): TransitionRefusal | null {
  const { workflow, transition, record, actor } = input;
  if (input.approvalPending) return "approval_pending";
  if (!transition.from.includes(currentState(workflow, record))) return "state";
  if (transition.roles && transition.roles.length > 0) {
    if (!actor.isAdmin && !transition.roles.some((role) => actor.roles.includes(role))) return "role";
  } else if (!actor.mayEdit) {
    return "edit";
  }
  if (transition.guard !== undefined && !matches(transition.guard, expressionData(record, actor))) return "guard";
  return null;
}

export function availableTransitions(input: {
  workflow: WorkflowDefinition;
  record: RecordValues;
  actor: ActorFacts;
  approvalPending: boolean;
}): WorkflowTransition[] {
  return input.workflow.transitions.filter((transition) => transitionRefusal({ ...input, transition }) === null);
}

export type Locale = "zh-CN" | "en";

const isLocalizedText = (value: unknown): value is Record<Locale, string> =>
  value !== null && typeof value === "object" && !Array.isArray(value) && typeof (value as Record<string, unknown>)["zh-CN"] === "string";

/** The data in one language: a context variable holding a LocalizedText (a holiday's name) reads as that language's text. */
export function inLocale(data: RecordValues, locale: Locale): RecordValues {
  const localized = Object.entries(data).filter(([name, value]) => name.startsWith("_") && isLocalizedText(value));
  if (localized.length === 0) return data;
  return { ...data, ...Object.fromEntries(localized.map(([name, value]) => [name, (value as Record<Locale, string>)[locale] ?? (value as Record<Locale, string>)["zh-CN"]])) };
}

const isLocalizedValue = (value: unknown): value is { localized: Partial<Record<Locale, unknown>> } =>
  value !== null && typeof value === "object" && !Array.isArray(value) && "localized" in value;

/** Whether any value depends on the language it is written in (then the caller finds the reader's locale). */
export const hasLocalizedValues = (values: Record<string, unknown>): boolean => Object.values(values).some(isLocalizedValue);

/**
 * A literal; `{ "expression": json-logic }` evaluated over the record (context variables in zh-CN); or
 * `{ "localized": { "zh-CN": …, "en": … } }`, the branch of `locale` (zh-CN when it has none), itself a literal or an expression.
 */
export function effectValue(value: unknown, data: RecordValues, locale: Locale = "zh-CN"): unknown {
  if (isLocalizedValue(value)) {
    const branch = value.localized[locale] ?? value.localized["zh-CN"];
    return isLocalizedValue(branch) ? null : effectValue(branch, inLocale(data, locale));
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && "expression" in value) {
    return evaluate((value as { expression: unknown }).expression, inLocale(data, "zh-CN"));
  }
  return value;
}

export function effectValues(values: Record<string, unknown>, data: RecordValues, locale: Locale = "zh-CN"): RecordValues {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, effectValue(value, data, locale)]));
}

/** The state of one approval task as far as the outcome is concerned. */
export interface TaskState {
  status: "pending" | "approved" | "rejected" | "handed_over" | "cancelled";
}

export type StepOutcome = "waiting" | "approved" | "rejected";

/**
 * 会签 (all): every live task must approve; 或签 (any): the first approval decides. A rejection
 * ends the step either way. Handed-over tasks are replaced by their successor and do not count.
 */
export function stepOutcome(mode: "all" | "any", tasks: readonly TaskState[]): StepOutcome {
  const live = tasks.filter((task) => task.status !== "handed_over" && task.status !== "cancelled");
  if (live.some((task) => task.status === "rejected")) return "rejected";
  if (mode === "any") return live.some((task) => task.status === "approved") ? "approved" : "waiting";
  return live.length > 0 && live.every((task) => task.status === "approved") ? "approved" : "waiting";
}

export type ApprovalProgress =
  | { kind: "wait" }
  | { kind: "next_step"; step: number }
  | { kind: "finish"; result: "approved" | "rejected"; to: string; effects: WorkflowEffect[] };

/** What follows a decision on step `step` of the approval. */
export function approvalProgress(approval: ApprovalDefinition, step: number, outcome: StepOutcome): ApprovalProgress {
  if (outcome === "waiting") return { kind: "wait" };
  if (outcome === "rejected") return { kind: "finish", result: "rejected", to: approval.rejected.to, effects: approval.rejected.effects ?? [] };
  if (step + 1 < approval.steps.length) return { kind: "next_step", step: step + 1 };
  return { kind: "finish", result: "approved", to: approval.approved.to, effects: approval.approved.effects ?? [] };
}

export function findTransition(workflow: WorkflowDefinition, name: string): WorkflowTransition | undefined {
  return workflow.transitions.find((transition) => transition.name === name);
}
