// Actions that change the record itself: close_lost (输单, with a required reason) and make_formal (转正式客户).
import type { CloseLostAction, MakeFormalAction } from "@crm/metadata";
import { updateRecord } from "../records/service";
import type { ActionInterpreter, ActionRun, CreatedRecords } from "./crm-actions";

/** Edited as the user, through the records service: field permissions, rules, audit and workflow locks apply. */
async function setFields(run: ActionRun, values: Record<string, unknown>): Promise<CreatedRecords> {
  await updateRecord(run.context, run.object.name, run.record.id as string, { version: run.record.version, ...values });
  return {};
}

export const closeLost: ActionInterpreter = {
  bodySchema: {
    type: "object",
    required: ["reason"],
    properties: { reason: { type: "string", minLength: 1, maxLength: 2000, pattern: "\\S" } },
    additionalProperties: false,
  },
  run: (run: ActionRun<CloseLostAction, { reason: string }>) =>
    setFields(run, { ...run.action.set, [run.action.reasonField]: run.body.reason.trim() }),
};

export const makeFormal: ActionInterpreter = {
  bodySchema: { type: "object", additionalProperties: false },
  run: (run: ActionRun<MakeFormalAction, object>) => setFields(run, { ...run.action.set }),
};
