// Reading records under the user's permissions: list, count, get, related lists, history.
import type { Knex } from "knex";
import type { CompiledObject, Model } from "../registry/model";
import { UUID } from "../registry/columns";
import type { Actor } from "../auth/actor";
import type { AccessContext } from "../access/context";
import { assertMayPerform } from "../access/permissions";
import { forbidden, notFound, validationFailed } from "../errors/errors";
import { findActiveUserByUsername } from "../auth/users";
import { loadAccessContext } from "../access/context";
import { explainAccess } from "../access/explain";
import { readHistory, type HistoryEntry } from "../audit/audit";
import type { RecordValues } from "./computed-values";
import { DEFAULT_LIMIT, MAX_LIMIT, parseSort, type ListRequest } from "./list-query";
import { buildListSteps, buildScopedCountQuery, countRows, listPlanMode, readListSteps, type ListStep, type ScopedQueryInput } from "./scoped-list";
import { bindingsFor, compileWithSlots, slotMarks, TemplateCache, type CompiledStatement } from "./statement-templates";
import { queryCompiled } from "../db/native-query";
import { buildRecordScope } from "../access/record-scope";
import { decodeCursor, encodeCursor } from "./cursor";
import { maskOf, scopeQuery, unrestrictedAccess, visibleShape } from "./access-guard";

export interface RecordsContext {
  db: Knex;
  model: Model;
  actor: Actor;
  access: AccessContext;
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

export function objectOf(model: Model, name: string): CompiledObject {
  const object = model.objects.get(name);
  if (!object) throw notFound({ "zh-CN": `对象 "${name}" 不存在`, en: `Object "${name}" does not exist` });
  return object;
}

export const recordNotFound = (object: CompiledObject, id: string) =>
  notFound({ "zh-CN": `${object.definition.label["zh-CN"]}记录不存在: ${id}`, en: `${object.definition.label.en} record not found: ${id}` });

/** The object as the user sees it (without hidden fields). */
export const shapeFor = (context: RecordsContext, object: CompiledObject) => visibleShape(object, maskOf(context.access, object));

export function parseListRequest(object: CompiledObject, params: ListParameters): ListRequest {
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

/** A related list's condition: the rows whose lookup (or parent) column holds the record's id. */
interface ListLink {
  column: string;
  value: string;
}

const listTemplates = new TemplateCache<ListStep<CompiledStatement>[] | null>();
const getTemplates = new TemplateCache<CompiledStatement | null>();

/** Whose compiled statements these are: the user's access context (scope, field mask), or the model for administrators. */
const templateOwner = (context: RecordsContext): object => (context.access.unrestricted ? context.model : context.access);

/**
 * The list steps compiled once per shape (see statement-templates.ts), the cursor values as slots; null when a step
 * could not be compiled that way (the page is then read by knex, as any other query).
 */
function compileListTemplate(input: ScopedQueryInput): ListStep<CompiledStatement>[] | null {
  const after = input.request.after;
  const marks = slotMarks(after?.length ?? 0);
  const request = { ...input.request, after: after?.map((value, index) => (value === null ? null : marks[index])) };
  const steps = buildListSteps({ ...input, request }).map((step) => ({ rows: step.rows, query: compileWithSlots(step.query, marks) }));
  return steps.every((step) => step.query) ? (steps as ListStep<CompiledStatement>[]) : null;
}

function listTemplateKey(object: CompiledObject, request: ListRequest, link: ListLink | undefined): string {
  const sort = request.sort.map((key) => `${key.descending ? "-" : ""}${key.column}`).join(",");
  const nulls = request.after?.map((value) => (value === null ? "0" : "1")).join("") ?? "";
  const filter = request.filter === undefined ? "" : JSON.stringify(request.filter);
  return [object.name, sort, request.limit, nulls, request.search ?? "", link ? `${link.column}=${link.value}` : "", filter].join("\u0001");
}

async function readPage(
  context: RecordsContext,
  input: { shape: CompiledObject; request: ListRequest; link: ListLink | undefined; scopedInput: () => ScopedQueryInput },
): Promise<RecordValues[]> {
  const { request, scopedInput } = input;
  const steps = context.db.isTransaction
    ? null
    : listTemplates.get(templateOwner(context), listTemplateKey(input.shape, request, input.link), () => compileListTemplate(scopedInput()));
  if (!steps) return readListSteps(buildListSteps(scopedInput()), request.limit, async (query) => await query);
  const values = request.after ?? [];
  const plan = listPlanMode(input.shape, request, input.link !== undefined);
  return readListSteps(steps, request.limit, (statement) => queryCompiled(context.db, statement.sql, bindingsFor(statement, values), plan));
}

async function runList(context: RecordsContext, object: CompiledObject, params: ListParameters, link?: ListLink): Promise<ListResult> {
  assertMayPerform(context.access, object, "view");
  const shape = shapeFor(context, object);
  const request = parseListRequest(shape, params);
  // The scope and the queries are only built when the page's statements are not compiled yet, or for a count.
  const scopedInput = (): ScopedQueryInput => ({
    db: context.db,
    model: context.model,
    shape,
    request,
    predicate: buildRecordScope({ model: context.model, context: context.access, object, action: "view" }),
    prepare: link ? (query: Knex.QueryBuilder) => void query.where(link.column, link.value) : undefined,
  });
  const rows = await readPage(context, { shape, request, link, scopedInput });
  const hasMore = rows.length > request.limit;
  const records = hasMore ? rows.slice(0, request.limit) : rows;
  const result: ListResult = { records, nextCursor: hasMore ? encodeCursor(request.sort, records[records.length - 1]) : null };
  if (params.count) result.total = await countRows(buildScopedCountQuery(scopedInput()));
  return result;
}

export function listRecords(context: RecordsContext, objectName: string, params: ListParameters): Promise<ListResult> {
  return runList(context, objectOf(context.model, objectName), params);
}


/** One live row within the user's scope for the action, or undefined (a record they may not see does not exist). */
export async function fetchScopedRow(
  context: RecordsContext,
  input: { db?: Knex; object: CompiledObject; id: string; action: "view" | "edit"; forUpdate?: boolean; columns?: string[] },
): Promise<RecordValues | undefined> {
  if (!UUID.test(input.id)) return undefined;
  const db = input.db ?? context.db;
  const build = (id: string) => {
    const query = db(input.object.name)
      .select(input.columns ?? shapeFor(context, input.object).readColumns)
      .where({ id })
      .whereNull("deleted_at")
      .first();
    scopeQuery({ model: context.model, access: context.access, object: input.object, query, action: input.action });
    return query;
  };
  if (input.forUpdate) return build(input.id).forUpdate();
  if (db.isTransaction) return build(input.id);
  const key = [input.object.name, input.action, input.columns?.join(",") ?? ""].join("\u0001");
  const statement = getTemplates.get(templateOwner(context), key, () => {
    const marks = slotMarks(1);
    return compileWithSlots(build(marks[0]), marks) ?? null;
  });
  if (!statement) return build(input.id);
  // By primary key: the same plan for every id.
  const [row] = await queryCompiled(db, statement.sql, bindingsFor(statement, [input.id]), "generic");
  return row as RecordValues | undefined;
}

export async function attachChildren(context: RecordsContext, db: Knex, object: CompiledObject, record: RecordValues): Promise<RecordValues> {
  for (const [fieldName, childName] of object.children) {
    const child = shapeFor(context, object.model.objects.get(childName)!);
    record[fieldName] = await db(childName)
      .select(child.readColumns)
      .where({ parent_id: record.id })
      .whereNull("deleted_at")
      .orderBy([{ column: "line_no" }, { column: "id" }]);
  }
  return record;
}

export async function getRecord(context: RecordsContext, objectName: string, id: string): Promise<RecordValues> {
  const object = objectOf(context.model, objectName);
  assertMayPerform(context.access, object, "view");
  const row = await fetchScopedRow(context, { object, id, action: "view" });
  if (!row) throw recordNotFound(object, id);
  return attachChildren(context, context.db, object, row);
}

export async function listRelated(context: RecordsContext, objectName: string, id: string, relationName: string, params: ListParameters): Promise<ListResult> {
  const object = objectOf(context.model, objectName);
  assertMayPerform(context.access, object, "view");
  const relation = object.relations.get(relationName);
  if (!relation) {
    throw notFound({ "zh-CN": `相关列表 "${relationName}" 不存在`, en: `Related list "${relationName}" does not exist` });
  }
  if (!(await fetchScopedRow(context, { object, id, action: "view", columns: ["id"] }))) throw recordNotFound(object, id);
  const related = objectOf(context.model, relation.object);
  // A lookup column hidden from this user must not become a way to filter by it.
  if (maskOf(context.access, related).hidden.has(relation.column)) throw recordNotFound(object, id);
  const ordered = relation.kind === "children" && !params.sort ? { ...params, sort: "line_no" } : params;
  return runList(context, related, ordered, { column: relation.column, value: id });
}

export async function recordHistory(context: RecordsContext, objectName: string, id: string): Promise<HistoryEntry[]> {
  const object = objectOf(context.model, objectName);
  assertMayPerform(context.access, object, "view");
  if (!(await fetchScopedRow(context, { object, id, action: "view", columns: ["id"] }))) throw recordNotFound(object, id);
  const hidden = maskOf(context.access, object).hidden;
  const history = await readHistory(context.db, object.name, id);
  return history.map((entry) => ({ ...entry, changes: entry.changes.filter((change) => !hidden.has(change.field)) }));
}

/**
 * Explains a user's access to a record. Users ask about themselves (and only about records they can
 * see); administrators may ask about anyone, for any existing record.
 */
export async function explainRecordAccess(context: RecordsContext, input: { objectName: string; id: string; username?: string }) {
  const object = objectOf(context.model, input.objectName);
  let subject = context.access;
  if (input.username !== undefined && input.username !== context.actor.username) {
    if (!context.actor.isAdmin) {
      throw forbidden({ "zh-CN": "只有系统管理员可以查看他人的权限", en: "Only administrators may explain another user's access" });
    }
    const actor = await findActiveUserByUsername(context.db, input.username);
    if (!actor) throw notFound({ "zh-CN": `用户 "${input.username}" 不存在`, en: `User "${input.username}" does not exist` });
    subject = actor.isAdmin ? unrestrictedAccess(actor) : await loadAccessContext(context.db, context.model, actor);
  }
  const visibleToCaller = await fetchScopedRow(context, { object, id: input.id, action: "view", columns: object.parent ? ["id", "parent_id"] : ["id"] });
  if (!visibleToCaller) throw recordNotFound(object, input.id);
  // A line has no permissions of its own: the answer is its master's.
  if (object.parent) {
    const master = objectOf(context.model, object.parent);
    return { ...(await explainAccess(context.db, context.model, subject, master, visibleToCaller.parent_id as string)), object: object.name, record: input.id, via: { object: master.name, record: visibleToCaller.parent_id } };
  }
  return explainAccess(context.db, context.model, subject, object, input.id);
}
