// Generic records service for any object: list, get, create, update, soft delete, related lists, bulk.
import type { Knex } from "knex";
import type { CompiledObject, Model } from "../registry/model";
import type { Actor } from "../auth/actor";
import { AppError, notFound, validationFailed } from "../errors/errors";
import { diffRecords, writeAudit, type AuditEntry } from "../audit/audit";
import { assertValidBody } from "./body-validator";
import { assertValidationRules, assignAutoNumbers, computeFormulas, type RecordValues } from "./computed-values";
import { buildCountQuery, buildListQuery, DEFAULT_LIMIT, MAX_LIMIT, parseSort, type ListRequest } from "./list-query";
import { decodeCursor, encodeCursor } from "./cursor";
import {
  assertReferencesExist,
  fillOwnerDepartment,
  normaliseValues,
  prepareNewRow,
  splitChildren,
  stripId,
  toDatabaseRow,
  translateDatabaseError,
} from "./write";

export interface RecordsContext {
  db: Knex;
  model: Model;
  actor: Actor;
}

export interface ListParameters {
  filter?: unknown;
  sort?: string;
  cursor?: string;
  limit?: number;
  q?: string;
  count?: boolean;
}

export interface ListResult {
  records: RecordValues[];
  nextCursor: string | null;
  total?: number;
}

export const MAX_BULK = 1000;

export function objectOf(model: Model, name: string): CompiledObject {
  const object = model.objects.get(name);
  if (!object) throw notFound({ "zh-CN": `对象 "${name}" 不存在`, en: `Object "${name}" does not exist` });
  return object;
}

function listRequest(object: CompiledObject, params: ListParameters): ListRequest {
  const limit = params.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw validationFailed([
      { path: "/limit", message: { "zh-CN": `limit 必须是 1 到 ${MAX_LIMIT} 的整数`, en: `limit must be an integer from 1 to ${MAX_LIMIT}` } },
    ]);
  }
  const sort = parseSort(object, params.sort);
  const search = params.q?.trim();
  if (search && search.length > 200) {
    throw validationFailed([{ path: "/q", message: { "zh-CN": "搜索内容过长", en: "The search text is too long" } }]);
  }
  return { filter: params.filter, sort, limit, search: search || undefined, after: params.cursor ? decodeCursor(sort, params.cursor) : undefined };
}

async function runList(context: RecordsContext, object: CompiledObject, params: ListParameters, scope?: (query: Knex.QueryBuilder) => void): Promise<ListResult> {
  const request = listRequest(object, params);
  const query = buildListQuery(context.db, object, request);
  scope?.(query);
  const rows: RecordValues[] = await query;
  const hasMore = rows.length > request.limit;
  const records = hasMore ? rows.slice(0, request.limit) : rows;
  const result: ListResult = { records, nextCursor: hasMore ? encodeCursor(request.sort, records[records.length - 1]) : null };
  if (params.count) {
    const countQuery = buildCountQuery(context.db, object, request);
    scope?.(countQuery);
    const [{ total }] = await countQuery;
    result.total = Number(total);
  }
  return result;
}

export function listRecords(context: RecordsContext, objectName: string, params: ListParameters): Promise<ListResult> {
  return runList(context, objectOf(context.model, objectName), params);
}

async function fetchRow(db: Knex, object: CompiledObject, id: string, forUpdate = false): Promise<RecordValues | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const query = db(object.name).select(object.readColumns).where({ id }).whereNull("deleted_at").first();
  if (forUpdate) query.forUpdate();
  return query;
}

async function attachChildren(db: Knex, object: CompiledObject, record: RecordValues): Promise<RecordValues> {
  for (const [fieldName, childName] of object.children) {
    const child = object.model.objects.get(childName)!;
    record[fieldName] = await db(childName)
      .select(child.readColumns)
      .where({ parent_id: record.id })
      .whereNull("deleted_at")
      .orderBy([{ column: "line_no" }, { column: "id" }]);
  }
  return record;
}

const recordNotFound = (object: CompiledObject, id: string) =>
  notFound({ "zh-CN": `${object.definition.label["zh-CN"]}记录不存在: ${id}`, en: `${object.definition.label.en} record not found: ${id}` });

export async function getRecord(context: RecordsContext, objectName: string, id: string): Promise<RecordValues> {
  const object = objectOf(context.model, objectName);
  const row = await fetchRow(context.db, object, id);
  if (!row) throw recordNotFound(object, id);
  return attachChildren(context.db, object, row);
}

/** Inserts prepared rows of one object (and their children) inside the caller's transaction. */
async function insertRows(trx: Knex.Transaction, object: CompiledObject, actor: Actor, prepared: ReturnType<typeof prepareNewRow>[], pathOf: (index: number) => string, parentId?: string): Promise<RecordValues[]> {
  const rows = prepared.map((item) => item.row);
  await assignAutoNumbers(trx, object, rows);
  await fillOwnerDepartment(trx, object, rows);
  await assertReferencesExist(trx, object, rows, pathOf);
  const stamped = rows.map((row) => ({
    ...toDatabaseRow(object, row),
    ...(parentId ? { parent_id: parentId, line_no: row.line_no ?? 0 } : {}),
    created_by: actor.userId,
    updated_by: actor.userId,
  }));
  let inserted: RecordValues[];
  try {
    inserted = await trx(object.name).insert(stamped).returning(object.readColumns);
  } catch (error) {
    translateDatabaseError(error, object, rows.length === 1 ? pathOf(0) : "");
  }
  await writeAudit(
    trx,
    actor,
    inserted.map((row) => ({ object: object.name, recordId: row.id as string, action: "create", changes: diffRecords(null, row), context: parentId ? { parentId } : {} })),
  );
  for (const [index, item] of prepared.entries()) {
    for (const [fieldName, lines] of item.children) {
      const child = object.model.objects.get(object.children.get(fieldName)!)!;
      const linePrepared = lines.map((line, position) => ({ row: { ...stripId(line), line_no: position + 1 }, children: new Map() }));
      inserted[index][fieldName] = await insertRows(trx, child, actor, linePrepared, (line) => `${pathOf(index)}/${fieldName}/${line}`, inserted[index].id as string);
    }
  }
  return inserted;
}

export async function createRecords(context: RecordsContext, objectName: string, bodies: unknown[], pathOf: (index: number) => string): Promise<RecordValues[]> {
  const object = objectOf(context.model, objectName);
  if (object.parent) {
    throw validationFailed([
      { path: "/", message: { "zh-CN": `"${object.name}" 是明细对象，只能随主记录创建`, en: `"${object.name}" is a detail object: create it with its master record` } },
    ]);
  }
  const prepared = bodies.map((body, index) => prepareNewRow(object, body, context.actor, pathOf(index)));
  return context.db.transaction((trx) => insertRows(trx, object, context.actor, prepared, pathOf));
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
async function replaceChildren(trx: Knex.Transaction, object: CompiledObject, actor: Actor, parentId: string, fieldName: string, lines: RecordValues[], path: string): Promise<void> {
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
  const fresh: { row: RecordValues; children: Map<string, RecordValues[]> }[] = [];
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
    const merged: RecordValues = { ...before, ...normaliseValues(child, stripId(line)), line_no: index + 1 };
    computeFormulas(child, merged);
    assertValidationRules(child, merged, `${path}/${index}`);
    const changes = diffRecords(before, merged);
    if (changes.length === 0) continue;
    await assertReferencesExist(trx, child, [merged], () => `${path}/${index}`);
    const update = Object.fromEntries(changes.map((change) => [change.field, merged[change.field]]));
    await trx(child.name)
      .where({ id: before.id })
      .update({ ...toDatabaseRow(child, update), version: trx.raw("version + 1"), updated_at: trx.fn.now(), updated_by: actor.userId })
      .catch((error) => translateDatabaseError(error, child, `${path}/${index}`));
    audit.push({ object: child.name, recordId: before.id as string, action: "update", changes, context: { parentId } });
  }
  await writeAudit(trx, actor, audit);
  if (fresh.length) await insertRows(trx, child, actor, fresh, (index) => `${path}/${index}`, parentId);
}

async function updateOne(trx: Knex.Transaction, object: CompiledObject, actor: Actor, input: UpdateInput, path: string): Promise<RecordValues> {
  assertValidBody(object, "update", input.body, path);
  const body = input.body as RecordValues;
  const before = await fetchRow(trx, object, input.id, true);
  if (!before) throw recordNotFound(object, input.id);
  if (before.version !== body.version) {
    throw new AppError("VERSION_CONFLICT", {
      details: [{ path: `${path}/version`, message: { "zh-CN": `当前版本为 ${before.version}`, en: `The current version is ${before.version}` } }],
    });
  }
  const { own, children } = splitChildren(object, body);
  normaliseValues(object, own);
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
  const changes = diffRecords(before, merged);
  for (const [fieldName, lines] of children) await replaceChildren(trx, object, actor, input.id, fieldName, lines, `${path}/${fieldName}`);
  if (changes.length === 0 && children.size === 0) return attachChildren(trx, object, before);
  await assertReferencesExist(trx, object, [merged], () => path);
  const update = Object.fromEntries(changes.map((change) => [change.field, merged[change.field]]));
  let after: RecordValues;
  try {
    [after] = await trx(object.name)
      .where({ id: input.id, version: body.version })
      .update({ ...toDatabaseRow(object, update), version: trx.raw("version + 1"), updated_at: trx.fn.now(), updated_by: actor.userId })
      .returning(object.readColumns);
  } catch (error) {
    translateDatabaseError(error, object, path);
  }
  await writeAudit(trx, actor, [{ object: object.name, recordId: input.id, action: "update", changes }]);
  return attachChildren(trx, object, after);
}

export async function updateRecords(context: RecordsContext, objectName: string, inputs: UpdateInput[], pathOf: (index: number) => string): Promise<RecordValues[]> {
  const object = objectOf(context.model, objectName);
  return context.db.transaction(async (trx) => {
    const results: RecordValues[] = [];
    for (const [index, input] of inputs.entries()) results.push(await updateOne(trx, object, context.actor, input, pathOf(index)));
    return results;
  });
}

export async function updateRecord(context: RecordsContext, objectName: string, id: string, body: unknown): Promise<RecordValues> {
  const [record] = await updateRecords(context, objectName, [{ id, body }], () => "");
  return record;
}

/** Soft delete: the row stays (history, references), but every read treats it as gone. */
export async function deleteRecord(context: RecordsContext, objectName: string, id: string, expectedVersion?: number): Promise<void> {
  const object = objectOf(context.model, objectName);
  await context.db.transaction(async (trx) => {
    const before = await fetchRow(trx, object, id, true);
    if (!before) throw recordNotFound(object, id);
    if (expectedVersion !== undefined && before.version !== expectedVersion) throw new AppError("VERSION_CONFLICT");
    await trx(object.name)
      .where({ id })
      .update({ deleted_at: trx.fn.now(), deleted_by: context.actor.userId, version: trx.raw("version + 1"), updated_at: trx.fn.now(), updated_by: context.actor.userId });
    await writeAudit(trx, context.actor, [{ object: object.name, recordId: id, action: "delete", changes: diffRecords(before, null) }]);
  });
}

export async function listRelated(context: RecordsContext, objectName: string, id: string, relationName: string, params: ListParameters): Promise<ListResult> {
  const object = objectOf(context.model, objectName);
  const relation = object.relations.get(relationName);
  if (!relation) {
    throw notFound({ "zh-CN": `相关列表 "${relationName}" 不存在`, en: `Related list "${relationName}" does not exist` });
  }
  if (!(await fetchRow(context.db, object, id))) throw recordNotFound(object, id);
  const related = objectOf(context.model, relation.object);
  const ordered = relation.kind === "children" && !params.sort ? { ...params, sort: "line_no" } : params;
  return runList(context, related, ordered, (query) => query.where(relation.column, id));
}

export async function recordExists(context: RecordsContext, objectName: string, id: string): Promise<boolean> {
  return (await fetchRow(context.db, objectOf(context.model, objectName), id)) !== undefined;
}
