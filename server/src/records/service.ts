// Generic records service for any object: create, update, soft delete and bulk, under the user's permissions.
import type { Knex } from "knex";
import type { CompiledObject } from "../registry/model";
import { AppError, forbidden, validationFailed } from "../errors/errors";
import { diffRecords, writeAudit, type AuditEntry } from "../audit/audit";
import { assertMayPerform, assertWritableFields } from "../access/permissions";
import { assertValidBody } from "./body-validator";
import { assertValidationRules, assignAutoNumbers, computeFormulas, type RecordValues } from "./computed-values";
import { idsWithinScope, maskOf } from "./access-guard";
import { applyGrantRules, hasGrantRules } from "../access/auto-grants";
import { assertOrgInvariants } from "../access/org-rules";
import { changesCustomerScope, propagateCustomerScope, syncCustomerScope } from "../access/customer-scope";
import { assertInitialState, assertWorkflowAllowsEdit } from "../workflow/lock";
import { transferOpenActivities } from "../workflow/activity-transfer";
import { emitRecordsWritten } from "./events";
import { resolveAttachments } from "../files/attachments";
import { checkDuplicates } from "../actions/duplicates";
import { lineRollupValues, refreshRollups } from "../actions/rollups";
import { attachChildren, fetchScopedRow, objectOf, recordNotFound, shapeFor, type RecordsContext } from "./read";
import {
  assertReferencesExist,
  fillOwnerDepartment,
  normaliseValues,
  prepareNewRow,
  splitChildren,
  stripId,
  toDatabaseRow,
  translateDatabaseError,
  type ReferenceCheck,
} from "./write";

export * from "./read";

/** Automatic grants follow every write of an object they cover; returned rows show the result. */
async function refreshGrants(context: RecordsContext, trx: Knex.Transaction, object: CompiledObject, rows: RecordValues[]): Promise<void> {
  if (!hasGrantRules(context.model, object.name) || rows.length === 0) return;
  const ids = rows.map((row) => row.id as string);
  const result = await applyGrantRules(trx, context.model, { object: object.name, recordIds: ids });
  if (result.granted + result.revoked === 0 || !("related_employee_ids" in rows[0])) return;
  const current = await trx(object.name).whereIn("id", ids).select("id", "related_employee_ids");
  const byId = new Map(current.map((row) => [row.id as string, row.related_employee_ids]));
  for (const row of rows) row.related_employee_ids = byId.get(row.id as string);
}

export const MAX_BULK = 1000;

/** Columns that decide who may see a record: changing them is 分配 (reassign), a permission of its own. */
const ASSIGNMENT_COLUMNS = ["owner_id", "department_id", "related_employee_ids"];

type Prepared = ReturnType<typeof prepareNewRow>;

function referenceCheck(context: RecordsContext, trx: Knex.Transaction): ReferenceCheck {
  return (target, ids) => idsWithinScope({ db: trx, model: context.model, access: context.access, object: target, ids, action: "view" });
}

const outsideScope = () =>
  forbidden({
    "zh-CN": "保存后的记录将超出您的数据权限范围",
    en: "After this change the record would be outside your data permissions",
  });

/** Inserts prepared rows of one object (and their children) inside the caller's transaction. */
async function insertRows(context: RecordsContext, trx: Knex.Transaction, object: CompiledObject, prepared: Prepared[], pathOf: (index: number) => string, parentId?: string): Promise<RecordValues[]> {
  const { actor } = context;
  const rows = prepared.map((item) => item.row);
  await assignAutoNumbers(trx, object, rows);
  await fillOwnerDepartment(trx, object, rows);
  await assertReferencesExist(object, rows, pathOf, referenceCheck(context, trx));
  await resolveAttachments(trx, { object, actor, writes: rows.map((row, index) => ({ values: row, path: pathOf(index) })) });
  const stamped = rows.map((row) => ({
    ...toDatabaseRow(object, row),
    ...(parentId ? { parent_id: parentId, line_no: row.line_no ?? 0 } : {}),
    created_by: actor.userId,
    updated_by: actor.userId,
  }));
  let inserted: RecordValues[];
  try {
    inserted = await trx(object.name).insert(stamped).returning(shapeFor(context, object).readColumns);
  } catch (error) {
    translateDatabaseError(error, object, rows.length === 1 ? pathOf(0) : "");
  }
  await syncCustomerScope(trx, object, inserted.map((row) => row.id as string));
  for (const [index, item] of prepared.entries()) {
    for (const [fieldName, lines] of item.children) {
      const child = object.model.objects.get(object.children.get(fieldName)!)!;
      const linePrepared = lines.map((line, position) => ({ row: { ...stripId(line), line_no: position + 1 }, children: new Map() }));
      inserted[index][fieldName] = await insertRows(context, trx, child, linePrepared, (line) => `${pathOf(index)}/${fieldName}/${line}`, inserted[index].id as string);
    }
  }
  await storeLineRollups(trx, object, inserted);
  await writeAudit(
    trx,
    actor,
    inserted.map((row) => ({ object: object.name, recordId: row.id as string, action: "create", changes: diffRecords(null, row), context: parentId ? { parentId } : {} })),
  );
  return inserted;
}

/** New masters get their line roll-ups (totals over the lines just inserted) as part of their creation. */
async function storeLineRollups(trx: Knex.Transaction, object: CompiledObject, inserted: RecordValues[]): Promise<void> {
  const values = await lineRollupValues(trx, object, inserted.map((row) => row.id as string), { store: true });
  for (const row of inserted) {
    // Only into the columns the caller reads: a total hidden from the user stays out of the answer.
    for (const [name, value] of Object.entries(values.get(row.id as string) ?? {})) if (name in row) row[name] = value;
  }
}

/**
 * Only what an edit changes is checked against the writer's view: a salesperson may edit his contact of
 * a customer he cannot see, as long as he does not point it somewhere he cannot see.
 */
function changedReferences(before: RecordValues, after: RecordValues, changes: { field: string }[]): RecordValues {
  const changed: RecordValues = {};
  for (const { field } of changes) changed[field] = after[field];
  if (Array.isArray(changed.related_employee_ids)) {
    const had = new Set((before.related_employee_ids as string[] | null) ?? []);
    changed.related_employee_ids = (changed.related_employee_ids as string[]).filter((id) => !had.has(id));
  }
  return changed;
}

/** Field permissions of a body and its lines: hidden and read-only fields cannot be written. */
function assertBodyWritable(context: RecordsContext, object: CompiledObject, body: RecordValues, path: string): void {
  assertWritableFields(maskOf(context.access, object), body, path);
  for (const [fieldName, childName] of object.children) {
    const lines = body[fieldName];
    if (!Array.isArray(lines)) continue;
    const childMask = maskOf(context.access, object.model.objects.get(childName)!);
    lines.forEach((line, index) => assertWritableFields(childMask, stripId(line as RecordValues), `${path}/${fieldName}/${index}`));
  }
}

export async function createRecords(context: RecordsContext, objectName: string, bodies: unknown[], pathOf: (index: number) => string): Promise<RecordValues[]> {
  const object = objectOf(context.model, objectName);
  if (object.parent) {
    throw validationFailed([
      { path: "/", message: { "zh-CN": `"${object.name}" 是明细对象，只能随主记录创建`, en: `"${object.name}" is a detail object: create it with its master record` } },
    ]);
  }
  assertMayPerform(context.access, object, "create");
  const prepared = bodies.map((body, index) => {
    const item = prepareNewRow(object, body, context.actor, pathOf(index));
    // Workflow objects: a record starts in the workflow's initial state (server/src/workflow/lock.ts).
    assertInitialState(object, item.row, pathOf(index));
    const values = body as RecordValues;
    assertBodyWritable(context, object, values, pathOf(index));
    // Creating a record for someone else (or in another department) is an assignment.
    const assigns =
      (values.owner_id !== undefined && values.owner_id !== context.actor.employeeId) ||
      values.department_id !== undefined ||
      (Array.isArray(values.related_employee_ids) && values.related_employee_ids.length > 0);
    if (assigns) assertMayPerform(context.access, object, "reassign");
    return item;
  });
  const created = await context.db.transaction(async (trx) => {
    // Duplicate rules (metadata duplicateRules) may refuse a row or flag it before it is written.
    await checkDuplicates(trx, object, prepared.map((item, index) => ({ values: item.row, path: pathOf(index) })));
    const inserted = await insertRows(context, trx, object, prepared, pathOf);
    await assertOrgInvariants(trx, context.model, object.name, inserted.map((row) => row.id as string));
    await refreshGrants(context, trx, object, inserted);
    // Roll-ups (metadata rollups) of the parents these rows feed, written as the system in this transaction.
    await refreshRollups(trx, { model: context.model, actor: context.actor, object, ids: inserted.map((row) => row.id as string), before: [] });
    // Creating a record one could not see afterwards would be a way to write blind into others' data.
    const visible = await idsWithinScope({ db: trx, model: context.model, access: context.access, object, ids: inserted.map((row) => row.id as string), action: "view" });
    if (inserted.some((row) => !visible.has(row.id as string))) throw outsideScope();
    return inserted;
  });
  // After commit: listeners (workflow triggers) enqueue their work.
  await emitRecordsWritten({ context, object: object.name, kind: "create", rows: created.map((after) => ({ after })) });
  return created;
}

export async function createRecord(context: RecordsContext, objectName: string, body: unknown): Promise<RecordValues> {
  const [record] = await createRecords(context, objectName, [body], () => "");
  return record;
}

export interface UpdateInput {
  id: string;
  body: unknown;
}

/** Replaces the children of one master-detail field: lines with an id are updated, others added, missing ones removed. */
async function replaceChildren(context: RecordsContext, trx: Knex.Transaction, object: CompiledObject, parentId: string, fieldName: string, lines: RecordValues[], path: string): Promise<void> {
  const { actor } = context;
  const child = object.model.objects.get(object.children.get(fieldName)!)!;
  const existing: RecordValues[] = await trx(child.name).select(child.readColumns).where({ parent_id: parentId }).whereNull("deleted_at");
  const byId = new Map(existing.map((row) => [row.id as string, row]));
  const keep = new Set(lines.filter((line) => line.id).map((line) => line.id as string));
  const audit: AuditEntry[] = [];
  for (const row of existing) {
    if (keep.has(row.id as string)) continue;
    await trx(child.name).where({ id: row.id }).update({ deleted_at: trx.fn.now(), deleted_by: actor.userId, version: trx.raw("version + 1") });
    audit.push({ object: child.name, recordId: row.id as string, action: "delete", changes: diffRecords(row, null), context: { parentId } });
  }
  const fresh: Prepared[] = [];
  for (const [index, line] of lines.entries()) {
    const before = line.id ? byId.get(line.id as string) : undefined;
    if (line.id && !before) {
      throw validationFailed([{ path: `${path}/${index}/id`, message: { "zh-CN": "明细行不属于该记录", en: "The line does not belong to this record" } }]);
    }
    if (!before) {
      const prepared = prepareNewRow(child, line, actor, `${path}/${index}`);
      fresh.push({ ...prepared, row: { ...prepared.row, line_no: index + 1 } });
      continue;
    }
    const values = normaliseValues(child, stripId(line));
    await resolveAttachments(trx, { object: child, actor, writes: [{ values, before, path: `${path}/${index}` }] });
    const merged: RecordValues = { ...before, ...values, line_no: index + 1 };
    computeFormulas(child, merged);
    assertValidationRules(child, merged, `${path}/${index}`);
    const changes = diffRecords(before, merged);
    if (changes.length === 0) continue;
    await assertReferencesExist(child, [changedReferences(before, merged, changes)], () => `${path}/${index}`, referenceCheck(context, trx));
    const update = Object.fromEntries(changes.map((change) => [change.field, merged[change.field]]));
    await trx(child.name)
      .where({ id: before.id })
      .update({ ...toDatabaseRow(child, update), version: trx.raw("version + 1"), updated_at: trx.fn.now(), updated_by: actor.userId })
      .catch((error) => translateDatabaseError(error, child, `${path}/${index}`));
    audit.push({ object: child.name, recordId: before.id as string, action: "update", changes, context: { parentId } });
  }
  await writeAudit(trx, actor, audit);
  if (fresh.length) await insertRows(context, trx, child, fresh, (index) => `${path}/${index}`, parentId);
}

/** Loads the row to change: invisible → 404 (it does not exist for this user), visible but not editable → 403. */
export async function lockEditableRow(context: RecordsContext, trx: Knex.Transaction, object: CompiledObject, id: string): Promise<RecordValues> {
  const before = await fetchScopedRow(context, { db: trx, object, id, action: "view", forUpdate: true, columns: object.readColumns });
  if (!before) throw recordNotFound(object, id);
  const editable = await idsWithinScope({ db: trx, model: context.model, access: context.access, object, ids: [id], action: "edit" });
  if (!editable.has(id)) {
    throw forbidden({ "zh-CN": "您只能查看该记录，不能修改", en: "You may view this record but not change it" });
  }
  return before;
}

async function updateOne(context: RecordsContext, trx: Knex.Transaction, object: CompiledObject, input: UpdateInput, path: string, written?: Array<{ before: RecordValues; after: RecordValues }>): Promise<RecordValues> {
  const { actor } = context;
  assertValidBody(object, "update", input.body, path);
  const body = input.body as RecordValues;
  assertBodyWritable(context, object, body, path);
  const before = await lockEditableRow(context, trx, object, input.id);
  if (before.version !== body.version) {
    throw new AppError("VERSION_CONFLICT", {
      details: [{ path: `${path}/version`, message: { "zh-CN": `当前版本为 ${before.version}`, en: `The current version is ${before.version}` } }],
    });
  }
  const { own, children } = splitChildren(object, body);
  normaliseValues(object, own);
  await resolveAttachments(trx, { object, actor, writes: [{ values: own, before, path }] });
  for (const [fieldName, lines] of children) {
    const child = object.model.objects.get(object.children.get(fieldName)!)!;
    // Lines are versioned through their master: an existing line is validated as a partial update.
    lines.forEach((line, index) =>
      assertValidBody(child, line.id ? "update" : "create", line.id ? { ...stripId(line), version: 1 } : line, `${path}/${fieldName}/${index}`),
    );
  }
  const merged = { ...before, ...own };
  computeFormulas(object, merged);
  assertValidationRules(object, merged, path);
  await checkDuplicates(trx, object, [{ values: merged, before, path }]);
  let changes = diffRecords(before, merged);
  // Workflow objects: locked states refuse edits, and the state moves only by transitions (server/src/workflow/lock.ts).
  assertWorkflowAllowsEdit(object, before, changes.map((change) => change.field), path);
  const reassigns = changes.some((change) => ASSIGNMENT_COLUMNS.includes(change.field));
  if (reassigns) assertMayPerform(context.access, object, "reassign");
  for (const [fieldName, lines] of children) await replaceChildren(context, trx, object, input.id, fieldName, lines, `${path}/${fieldName}`);
  if (children.size > 0) {
    // Line roll-ups (an order's total) follow the lines just written, as part of this same update.
    Object.assign(merged, (await lineRollupValues(trx, object, [input.id])).get(input.id));
    changes = diffRecords(before, merged);
  }
  const shape = shapeFor(context, object);
  if (changes.length === 0) {
    const unchanged = Object.fromEntries(shape.readColumns.map((name) => [name, before[name]]));
    return attachChildren(context, trx, object, unchanged);
  }
  await assertReferencesExist(object, [changedReferences(before, merged, changes)], () => path, referenceCheck(context, trx));
  const update = Object.fromEntries(changes.map((change) => [change.field, merged[change.field]]));
  let after: RecordValues;
  try {
    [after] = await trx(object.name)
      .where({ id: input.id, version: body.version })
      .update({ ...toDatabaseRow(object, update), version: trx.raw("version + 1"), updated_at: trx.fn.now(), updated_by: actor.userId })
      .returning(shape.readColumns);
  } catch (error) {
    translateDatabaseError(error, object, path);
  }
  await assertOrgInvariants(trx, context.model, object.name, [input.id]);
  await refreshGrants(context, trx, object, [after]);
  if (changes.some((change) => change.field === "customer_id")) await syncCustomerScope(trx, object, [input.id]);
  if (object.name === "customer" && changesCustomerScope(changes.map((change) => change.field))) {
    await propagateCustomerScope(trx, context.model, [input.id]);
  }
  // Editing the fields that decide access must not widen it: the record stays within the edit scope,
  // unless it was handed to someone else by a user allowed to reassign.
  if (!reassigns) {
    const still = await idsWithinScope({ db: trx, model: context.model, access: context.access, object, ids: [input.id], action: "edit" });
    if (!still.has(input.id)) throw outsideScope();
  }
  await writeAudit(trx, actor, [{ object: object.name, recordId: input.id, action: "update", changes }]);
  const ownerChange = changes.find((change) => change.field === "owner_id");
  if (ownerChange) await transferOpenActivities(trx, { actor, model: context.model, object, recordId: input.id, from: ownerChange.before, to: ownerChange.after });
  await refreshRollups(trx, { model: context.model, actor, object, ids: [input.id], before: [before] });
  written?.push({ before, after });
  return attachChildren(context, trx, object, after);
}

export async function updateRecords(context: RecordsContext, objectName: string, inputs: UpdateInput[], pathOf: (index: number) => string): Promise<RecordValues[]> {
  const object = objectOf(context.model, objectName);
  assertMayPerform(context.access, object, "edit");
  const written: Array<{ before: RecordValues; after: RecordValues }> = [];
  const results = await context.db.transaction(async (trx) => {
    const updated: RecordValues[] = [];
    for (const [index, input] of inputs.entries()) updated.push(await updateOne(context, trx, object, input, pathOf(index), written));
    return updated;
  });
  // After commit: listeners (workflow triggers) enqueue their work.
  await emitRecordsWritten({ context, object: object.name, kind: "update", rows: written });
  return results;
}

export async function updateRecord(context: RecordsContext, objectName: string, id: string, body: unknown): Promise<RecordValues> {
  const [record] = await updateRecords(context, objectName, [{ id, body }], () => "");
  return record;
}

/** Soft delete: the row stays (history, references), but every read treats it as gone. */
export async function deleteRecord(context: RecordsContext, objectName: string, id: string, expectedVersion?: number): Promise<void> {
  const object = objectOf(context.model, objectName);
  assertMayPerform(context.access, object, "delete");
  await context.db.transaction(async (trx) => {
    const before = await lockEditableRow(context, trx, object, id);
    assertWorkflowAllowsEdit(object, before, []);
    if (expectedVersion !== undefined && before.version !== expectedVersion) throw new AppError("VERSION_CONFLICT");
    await trx(object.name)
      .where({ id })
      .update({ deleted_at: trx.fn.now(), deleted_by: context.actor.userId, version: trx.raw("version + 1"), updated_at: trx.fn.now(), updated_by: context.actor.userId });
    if (object.name === "customer") await propagateCustomerScope(trx, context.model, [id]);
    await writeAudit(trx, context.actor, [{ object: object.name, recordId: id, action: "delete", changes: diffRecords(before, null) }]);
    await refreshRollups(trx, { model: context.model, actor: context.actor, object, ids: [id], before: [before] });
  });
}
