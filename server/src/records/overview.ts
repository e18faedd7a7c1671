// Record overview (客户全貌 for a customer): the record plus, per related list the user may see, its total and latest entries.
import type { LocalizedText } from "@crm/metadata";
import type { CompiledObject, RelationSpec } from "../registry/model";
import { mayPerform } from "../access/permissions";
import type { RecordValues } from "./computed-values";
import { maskOf, scopeQuery } from "./access-guard";
import { getRecord, objectOf, shapeFor, type RecordsContext } from "./read";

/** How many of each related list's records the overview shows. */
export const OVERVIEW_LATEST = 5;

export interface RelatedSummary {
  relation: string;
  kind: RelationSpec["kind"];
  object: string;
  label: LocalizedText;
  /** Related records the user may see (the related list's count). */
  total: number;
  /** Up to OVERVIEW_LATEST of them: newest first (lines in their order). */
  latest: RecordValues[];
}

export interface RecordOverview {
  record: RecordValues;
  related: RelatedSummary[];
}

/** Window column carrying the total next to each row; no field can take this name (fields are snake_case words). */
const TOTAL_COLUMN = "__overview_total";

/**
 * The object's related lists, each once: a lookup is reachable both as `<object>.<field>` and, when it is
 * the only lookup from that object, as plain `<object>`; the overview names it by the shorter name.
 */
export function distinctRelations(object: CompiledObject): RelationSpec[] {
  const byTarget = new Map<string, RelationSpec>();
  for (const relation of object.relations.values()) {
    const key = `${relation.kind}:${relation.object}.${relation.column}`;
    const known = byTarget.get(key);
    if (!known || relation.name.length < known.name.length) byTarget.set(key, relation);
  }
  return [...byTarget.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A master-detail list is named by its field; a lookup list by the related object, plus the field when it has several. */
export function relationLabel(object: CompiledObject, relation: RelationSpec): LocalizedText {
  if (relation.kind === "children") return object.fieldByName.get(relation.name)?.label ?? object.model.objects.get(relation.object)!.definition.label;
  const related = object.model.objects.get(relation.object)!;
  const plural = related.definition.pluralLabel ?? related.definition.label;
  if (!relation.name.includes(".")) return plural;
  const field = related.fieldByName.get(relation.column)?.label;
  if (!field) return plural;
  return { "zh-CN": `${plural["zh-CN"]}（${field["zh-CN"]}）`, en: `${plural.en} (${field.en})` };
}

/** One related list in one query: the visible rows, newest first, with the visible total as a window count. */
async function summarise(context: RecordsContext, object: CompiledObject, relation: RelationSpec, id: string): Promise<RelatedSummary> {
  const related = objectOf(context.model, relation.object);
  const table = related.name;
  const query = context.db(table)
    .select([...shapeFor(context, related).readColumns.map((column) => `${table}.${column}`), context.db.raw("count(*) OVER () AS ??", [TOTAL_COLUMN])])
    .where(`${table}.${relation.column}`, id)
    .whereNull(`${table}.deleted_at`)
    .orderBy(
      relation.kind === "children"
        ? [{ column: `${table}.line_no` }, { column: `${table}.id` }]
        : [{ column: `${table}.created_at`, order: "desc" }, { column: `${table}.id`, order: "desc" }],
    )
    .limit(OVERVIEW_LATEST);
  scopeQuery({ model: context.model, access: context.access, object: related, query, action: "view" });
  const rows: RecordValues[] = await query;
  return {
    relation: relation.name,
    kind: relation.kind,
    object: related.name,
    label: relationLabel(object, relation),
    total: rows.length ? Number(rows[0][TOTAL_COLUMN]) : 0,
    latest: rows.map(({ [TOTAL_COLUMN]: _total, ...record }) => record),
  };
}

/**
 * The record as the user sees it and every related list whose object they may view, counted and listed
 * under the same scope predicates as GET …/related/:relation. A list reached through a lookup column
 * hidden from the user is left out, as the related list refuses it.
 */
export async function recordOverview(context: RecordsContext, objectName: string, id: string): Promise<RecordOverview> {
  const record = await getRecord(context, objectName, id);
  const object = objectOf(context.model, objectName);
  const visible = distinctRelations(object).filter((relation) => {
    const related = context.model.objects.get(relation.object);
    return related !== undefined && mayPerform(context.access, related, "view") && !maskOf(context.access, related).hidden.has(relation.column);
  });
  // Sequential: the embedded database has one connection, and a customer has a dozen or so lists.
  const related: RelatedSummary[] = [];
  for (const relation of visible) related.push(await summarise(context, object, relation, id));
  return { record, related };
}
