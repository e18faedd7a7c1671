// Registers workflow actions with the shared action route: each declared transition, and the approval actions.
import { APPROVAL_ACTIONS } from "@crm/metadata";
import type { ActionHandler, ActionResolver } from "../actions/registry";
import { getRecord } from "../records/read";
import { NotFoundAfterAction } from "./lock";
import { decide, reassignTask, takeTransition, type WorkflowActionInput } from "./service";
import { findTransition } from "./interpreter";
import { workflowView } from "./view";

type Run = (input: WorkflowActionInput) => Promise<void>;

const APPROVAL_HANDLERS: Record<(typeof APPROVAL_ACTIONS)[number], Run> = {
  approve: (input) => decide(input, "approved"),
  reject: (input) => decide(input, "rejected"),
  add_approver: (input) => reassignTask(input, "add_approver"),
  hand_over: (input) => reassignTask(input, "hand_over"),
};

/** Answers with the record's workflow as the caller now sees it, and the record when they still may see it. */
function handlerFor(run: Run): ActionHandler {
  return async ({ context, object: objectName, recordId, action, body }) => {
    const object = context.model.objects.get(objectName)!;
    const workflow = context.model.workflows.get(objectName)!;
    await run({ context, object, workflow, recordId, action, body });
    const record = await getRecord(context, objectName, recordId).catch(NotFoundAfterAction);
    return { status: 200, body: { record, workflow: await workflowView(context, objectName, recordId) } };
  };
}

export const workflowActionResolver: ActionResolver = (model, objectName, action) => {
  const workflow = model.workflows.get(objectName);
  if (!workflow?.stateField) return undefined;
  const approvalAction = APPROVAL_HANDLERS[action as keyof typeof APPROVAL_HANDLERS];
  if (approvalAction) return handlerFor(approvalAction);
  const transition = findTransition(workflow, action);
  return transition ? handlerFor((input) => takeTransition(input, transition)) : undefined;
};
