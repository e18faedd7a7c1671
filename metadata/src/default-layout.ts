// The layout of an object that has no layout document (e.g. one created at run time): computed from its fields, pure.
import type { DetailSection, GridField, LayoutDefinition, ListColumn, RelatedTab } from "./layout";
import { relationsOf } from "./relations";
import type { FieldDefinition, FieldType, LocalizedText, ObjectDefinition } from "./types";

const HALF = 6;
const FULL = 12;
const MAX_LIST_COLUMNS = 6;
const MAX_QUICK_FILTERS = 3;
const MAX_RELATED_TABS = 6;
const MAX_RELATED_COLUMNS = 4;

/** Types that read badly in a table cell. */
const NOT_IN_LISTS: ReadonlySet<FieldType> = new Set(["textarea", "address", "attachment", "master_detail", "multi_picklist"]);
/** Types that take the whole width of a detail section. */
const FULL_WIDTH: ReadonlySet<FieldType> = new Set(["textarea", "address", "attachment"]);

const WIDTHS: Partial<Record<FieldType, number>> = { text: 200, auto_number: 160, date: 120, datetime: 170, boolean: 90, amount: 140, percent: 100 };

const BASIC: LocalizedText = { "zh-CN": "基本信息", en: "Basic information" };
const DETAILS: LocalizedText = { "zh-CN": "详细说明", en: "Details" };
const SYSTEM: LocalizedText = { "zh-CN": "系统信息", en: "System information" };

/** The field naming a record first (number or display field), then the rest in definition order. */
function fieldsInListOrder(object: ObjectDefinition): FieldDefinition[] {
  const first = [object.numberField, object.displayField].filter((name): name is string => name !== undefined);
  const leading = first.map((name) => object.fields.find((field) => field.name === name)).filter((field): field is FieldDefinition => field !== undefined);
  return [...new Set([...leading, ...object.fields])];
}

function listColumns(object: ObjectDefinition): ListColumn[] {
  const columns: ListColumn[] = fieldsInListOrder(object)
    .filter((field) => !NOT_IN_LISTS.has(field.type))
    .slice(0, MAX_LIST_COLUMNS)
    .map((field) => (WIDTHS[field.type] ? { field: field.name, width: WIDTHS[field.type] } : { field: field.name }));
  if (object.ownership) columns.push({ field: "owner_id", width: 120 });
  // An object of long texts only still lists something.
  return columns.length > 0 ? columns : [{ field: "created_at", width: 170 }];
}

/** Half-width cells two to a row; full-width types on a row of their own. */
function placeOnGrid(names: readonly { name: string; full: boolean }[]): GridField[] {
  const cells: GridField[] = [];
  let x = 0;
  let y = 0;
  for (const { name, full } of names) {
    if (full || x + HALF > FULL) {
      if (x > 0) y += 1;
      x = 0;
    }
    const w = full ? FULL : HALF;
    const h = full ? 2 : 1;
    cells.push({ field: name, x, y, w, h });
    x += w;
    if (x >= FULL) {
      x = 0;
      y += h;
    }
  }
  return cells;
}

function relatedTabs(object: ObjectDefinition, objects: readonly ObjectDefinition[]): RelatedTab[] {
  const byName = new Map(objects.map((candidate) => [candidate.name, candidate]));
  return [...relationsOf(object.name, objects).values()]
    // Plain object names only: one tab per kind of related record; lines are shown as sections.
    .filter((relation) => relation.kind === "lookup" && relation.name === relation.object)
    .slice(0, MAX_RELATED_TABS)
    .map((relation) => {
      const related = byName.get(relation.object)!;
      return { relation: relation.name, label: related.pluralLabel ?? related.label, columns: listColumns(related).slice(0, MAX_RELATED_COLUMNS).map((column) => column.field) };
    });
}

/**
 * A usable layout from the definition alone: list of the first scalar fields (number / name first), picklists
 * and the owner as quick filters; detail with the fields two to a row, long texts below, one lines table per
 * master_detail field, system fields last; related tabs for the objects that look this one up (when given).
 */
export function defaultLayout(object: ObjectDefinition, objects: readonly ObjectDefinition[] = [object]): LayoutDefinition {
  const byName = new Map(objects.map((candidate) => [candidate.name, candidate]));
  const scalar = object.fields.filter((field) => field.type !== "master_detail" && !FULL_WIDTH.has(field.type));
  const long = object.fields.filter((field) => FULL_WIDTH.has(field.type));
  const sections: DetailSection[] = [];
  if (scalar.length > 0) sections.push({ name: "basic", label: BASIC, fields: placeOnGrid(scalar.map((field) => ({ name: field.name, full: false }))) });
  if (long.length > 0) sections.push({ name: "details", label: DETAILS, fields: placeOnGrid(long.map((field) => ({ name: field.name, full: true }))) });
  for (const field of object.fields) {
    const child = field.type === "master_detail" && field.target ? byName.get(field.target) : undefined;
    if (!child) continue;
    const columns = child.fields.filter((candidate) => !NOT_IN_LISTS.has(candidate.type)).map((candidate) => candidate.name);
    if (columns.length > 0) sections.push({ name: field.name, kind: "lines", field: field.name, columns });
  }
  const system = [...(object.ownership ? ["owner_id", "department_id"] : []), "created_at", "updated_at"];
  sections.push({ name: "system", label: SYSTEM, fields: placeOnGrid(system.map((name) => ({ name, full: false }))) });
  const quickFilters = [
    ...object.fields.filter((field) => field.type === "picklist").slice(0, MAX_QUICK_FILTERS).map((field) => field.name),
    ...(object.ownership ? ["owner_id"] : []),
  ];
  const related = relatedTabs(object, objects);
  return {
    object: object.name,
    list: { columns: listColumns(object), defaultSort: object.defaultSort ?? "-created_at", ...(quickFilters.length ? { quickFilters } : {}) },
    detail: { sections, ...(related.length ? { related } : {}) },
  };
}
