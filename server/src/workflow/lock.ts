// Edits through the records API on workflow objects: the state moves only by transitions, and locked states refuse edits.
import type { CompiledObject } from "../registry/model";
import { AppError } from "../errors/errors";
import type { RecordValues } from "./interpreter";
import { currentState, initialState, isLockedState } from "./interpreter";
import { stateLabel } from "./labels";

/**
 * Called by the records service before an update or delete (`changes` lists the fields the edit
 * changes; none for a delete). Pure: the state is on the record itself.
 */
export function assertWorkflowAllowsEdit(object: CompiledObject, before: RecordValues, changedFields: readonly string[], path = ""): void {
  const workflow = object.model.workflows.get(object.name);
  // An automation-only workflow (no stateField) leaves edits alone.
  if (!workflow?.stateField) return;
  const state = currentState(workflow, before);
  if (isLockedState(workflow, state)) {
    const label = stateLabel(object, workflow.stateField, state);
    throw new AppError("RECORD_LOCKED", {
      details: [{ path: path || "/", message: { "zh-CN": `记录处于「${label["zh-CN"]}」状态，已锁定`, en: `The record is locked in the state "${label.en}"` } }],
    });
  }
  if (changedFields.includes(workflow.stateField)) throw stateFieldError(workflow.stateField, path);
}

/** A new record starts in the initial state: any other value would skip the workflow. */
export function assertInitialState(object: CompiledObject, values: RecordValues, path = ""): void {
  const workflow = object.model.workflows.get(object.name);
  // An automation-only workflow (no stateField) leaves edits alone.
  if (!workflow?.stateField) return;
  const value = values[workflow.stateField];
  if (value !== undefined && value !== null && value !== initialState(workflow)) throw stateFieldError(workflow.stateField, path);
}

const stateFieldError = (field: string, path: string) =>
  new AppError("WORKFLOW_TRANSITION_NOT_ALLOWED", {
    details: [{ path: `${path}/${field}`, message: { "zh-CN": "状态只能通过工作流操作改变", en: "The state changes only through workflow actions" } }],
  });

/** After a transition the record may have left the caller's view (e.g. handed to someone else): answer without it. */
export const NotFoundAfterAction = (error: unknown): null => {
  if (error instanceof AppError && error.code === "NOT_FOUND") return null;
  throw error;
};
