// The resolver of the CRM actions objects declare (metadata `actions`): permission, record scope, availability,
// then the interpreter of the action's kind, all in one transaction.
import type { Knex } from "knex";
import { Ajv, type ValidateFunction } from "ajv";
import { actionPermission, type ActionDefinition, type ActionKind } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";
import { AppError, forbidden, validationFailed } from "../errors/errors";
import { mayPerform } from "../access/permissions";
import { matches } from "../rules/engine";
import { errorsToDetails } from "../records/body-validator";
import { getRecord, lockEditableRow, type RecordsContext } from "../records/service";
import type { RecordValues } from "../records/computed-values";
import type { ActionHandler, ActionInvocation, ActionResolver, ActionResult } from "./registry";
import { convertLead } from "./convert-lead";
import { generateDocument } from "./generate-document";
import { closeLost, makeFormal } from "./update-actions";
import { assign } from "./assign";
import { emitRecordsWritten } from "../records/events";

/** What an interpreter gets: the caller's context bound to the transaction, and the locked record. */
export interface ActionRun<A extends ActionDefinition = ActionDefinition, B = unknown> {
  context: RecordsContext;
  trx: Knex.Transaction;
  object: CompiledObject;
  action: A;
  record: RecordValues;
  body: B;
}

/** Records an action created, by object name. */
export type CreatedRecords = Record<string, RecordValues>;

export interface ActionInterpreter {
  /** JSON Schema of the request body (validated before anything is read). */
  bodySchema: object;
  run(run: ActionRun<never, never>): Promise<CreatedRecords>;
}

const INTERPRETERS: Record<ActionKind, ActionInterpreter> = {
  convert_lead: convertLead,
  generate_document: generateDocument,
  close_lost: closeLost,
  make_formal: makeFormal,
  assign,
};

const ajv = new Ajv({ allErrors: true, strict: false });
const bodyValidators = new Map<ActionKind, ValidateFunction>();

function assertValidActionBody(kind: ActionKind, body: unknown): void {
  let validate = bodyValidators.get(kind);
  if (!validate) bodyValidators.set(kind, (validate = ajv.compile(INTERPRETERS[kind].bodySchema)));
  // A problem of the body as a whole (e.g. empty) points at the body itself.
  if (!validate(body)) throw validationFailed(errorsToDetails(validate.errors ?? []).map((detail) => ({ ...detail, path: detail.path || "/" })));
}

function assertMayRun(context: RecordsContext, object: CompiledObject, action: ActionDefinition): void {
  if (mayPerform(context.access, object, actionPermission(action))) return;
  throw forbidden({
    "zh-CN": `没有${object.definition.label["zh-CN"]}的「${action.label["zh-CN"]}」权限`,
    en: `You may not run "${action.label.en}" on ${object.definition.label.en} records`,
  });
}

const notAvailable = (action: ActionDefinition) =>
  new AppError("RULE_VIOLATION", {
    message: { "zh-CN": `「${action.label["zh-CN"]}」不适用于该记录的当前状态`, en: `"${action.label.en}" does not apply to the record in its current state` },
    details: [{ path: "/", message: { "zh-CN": "记录不满足该操作的适用条件", en: "The record does not meet the action's condition" } }],
  });

/**
 * Function permission first (403 reveals nothing), then the body (400), then the record: invisible → 404,
 * visible but outside the edit scope → 403, locked until commit so two clicks cannot both convert a lead.
 */
async function runAction(invocation: ActionInvocation, object: CompiledObject, action: ActionDefinition): Promise<ActionResult> {
  const { context } = invocation;
  assertMayRun(context, object, action);
  const body = invocation.body ?? {};
  assertValidActionBody(action.kind, body);
  const { before, after, created } = await context.db.transaction(async (trx) => {
    const scoped: RecordsContext = { ...context, db: trx };
    const record = await lockEditableRow(scoped, trx, object, invocation.recordId);
    if (action.availableWhen !== undefined && !matches(action.availableWhen, record)) throw notAvailable(action);
    const interpreter = INTERPRETERS[action.kind];
    const created = await interpreter.run({ context: scoped, trx, object, action, record, body } as ActionRun<never, never>);
    return { before: record, after: await getRecord(scoped, object.name, invocation.recordId), created };
  });
  // The action's writes went through the records service inside this transaction, where they start no triggers
  // (a job could run before the commit). Now that they have committed, they start them as any other write does:
  // an opportunity made by converting a lead gets its stage plan like one created on its own.
  for (const [objectName, row] of Object.entries(created)) await emitRecordsWritten({ context, object: objectName, kind: "create", rows: [{ after: row }] });
  await emitRecordsWritten({ context, object: object.name, kind: "update", rows: [{ before, after }] });
  return { status: Object.keys(created).length > 0 ? 201 : 200, body: { record: after, created } };
}

/** Knows the actions an object declares in its metadata; other (object, action) pairs are left to other resolvers. */
export const crmActionResolver: ActionResolver = (model, objectName, actionName) => {
  const object = model.objects.get(objectName);
  const action = object?.definition.actions?.find((candidate) => candidate.name === actionName);
  if (!object || !action) return undefined;
  const handler: ActionHandler = (invocation) => runAction(invocation, object, action);
  return handler;
};
