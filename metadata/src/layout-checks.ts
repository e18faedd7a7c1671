// Cross checks of layout documents: every field, relation and sort named exists, grid cells fit and do not overlap,
// record types name a single picklist and its options.
import { IssueSink } from "./issues";
import {
  isLinesSection,
  LAYOUT_GRID_COLUMNS,
  validateLayout,
  type DetailLayout,
  type GridField,
  type LayoutDefinition,
  type PrintTemplate,
  type RecordTypeLayouts,
} from "./layout";
import { knownFieldNames, type ModelIndex } from "./model-index";
import { optionValue } from "./options";
import { relationsOf } from "./relations";
import type { FieldDefinition, MetadataIssue, ObjectDefinition } from "./types";

/** Platform columns a layout may not show: soft-delete bookkeeping is never returned by the API. */
const UNSHOWABLE = new Set(["deleted_at", "deleted_by"]);
const NUMERIC_TYPES = new Set(["integer", "decimal", "amount", "percent"]);
const NUMERIC_RESULTS = new Set(["integer", "decimal", "amount", "percent"]);
/** Quick filters need a scalar column to compare with. */
const UNFILTERABLE_TYPES = new Set(["address", "attachment", "master_detail", "textarea"]);

interface LayoutContext {
  object: ObjectDefinition;
  index: ModelIndex;
  sink: IssueSink;
  fields: ReadonlySet<string>;
}

/** Fields a layout of `object` may name (declared and platform-added), without master_detail ones. */
export function showableFields(object: ObjectDefinition, index: ModelIndex): Set<string> {
  const names = knownFieldNames(object, index);
  for (const name of UNSHOWABLE) names.delete(name);
  for (const field of object.fields) if (field.type === "master_detail") names.delete(field.name);
  return names;
}

const isNumeric = (field: FieldDefinition | undefined) =>
  field !== undefined && (NUMERIC_TYPES.has(field.type) || (field.type === "formula" && NUMERIC_RESULTS.has(field.resultType ?? "")));

function checkFieldNames(context: LayoutContext, names: readonly string[], path: string, owner = context.object.name, fields = context.fields): void {
  names.forEach((name, position) => {
    if (!fields.has(name)) context.sink.add(`${path}/${position}`, `对象 "${owner}" 没有可显示的字段 "${name}"`, `the object "${owner}" has no showable field "${name}"`);
  });
}

/** The detail object of a master_detail field of the laid-out object, or an issue at `path`. */
function detailObject(context: LayoutContext, field: string, path: string): { name: string; fields: Set<string> } | undefined {
  const definition = context.object.fields.find((candidate) => candidate.name === field);
  if (definition?.type !== "master_detail" || !definition.target) {
    context.sink.add(path, `"${field}" 不是该对象的主从明细字段`, `"${field}" is not a master_detail field of this object`);
    return undefined;
  }
  const child = context.index.objects.get(definition.target);
  return child ? { name: child.name, fields: showableFields(child, context.index) } : undefined;
}

function checkList(context: LayoutContext, layout: LayoutDefinition): void {
  const { sink, fields, object } = context;
  checkFieldNames(context, layout.list.columns.map((column) => column.field), "/list/columns");
  const seen = new Set<string>();
  layout.list.columns.forEach((column, position) => {
    if (seen.has(column.field)) sink.add(`/list/columns/${position}/field`, `列 "${column.field}" 重复`, `the column "${column.field}" appears twice`);
    seen.add(column.field);
  });
  for (const term of layout.list.defaultSort?.split(",") ?? []) {
    const name = term.replace(/^-/, "");
    if (!fields.has(name)) sink.add("/list/defaultSort", `排序字段 "${name}" 不存在`, `the sort field "${name}" does not exist`);
  }
  (layout.list.quickFilters ?? []).forEach((name, position) => {
    const declared = object.fields.find((field) => field.name === name);
    if (!fields.has(name)) sink.add(`/list/quickFilters/${position}`, `筛选字段 "${name}" 不存在`, `the filter field "${name}" does not exist`);
    else if (declared && UNFILTERABLE_TYPES.has(declared.type)) {
      sink.add(`/list/quickFilters/${position}`, `字段 "${name}" 不能用作快速筛选`, `the field "${name}" cannot be a quick filter`);
    }
  });
}

const overlaps = (a: GridField, b: GridField) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function checkGrid(context: LayoutContext, cells: readonly GridField[], path: string): void {
  cells.forEach((cell, position) => {
    if (cell.x + cell.w > LAYOUT_GRID_COLUMNS) {
      context.sink.add(`${path}/${position}/w`, `超出 ${LAYOUT_GRID_COLUMNS} 列网格（x + w = ${cell.x + cell.w}）`, `extends past the ${LAYOUT_GRID_COLUMNS}-column grid (x + w = ${cell.x + cell.w})`);
    }
    const earlier = cells.slice(0, position).findIndex((other) => overlaps(other, cell));
    if (earlier !== -1) {
      context.sink.add(`${path}/${position}`, `与第 ${earlier + 1} 个字段 "${cells[earlier].field}" 的位置重叠`, `overlaps the field "${cells[earlier].field}" at position ${earlier}`);
    }
  });
}

/** Checks one detail layout: the layout's own `detail` at "/detail", a record type's at "/recordTypes/variants/<n>/detail". */
function checkDetail(context: LayoutContext, detail: DetailLayout, base: string): void {
  const { sink, object, index } = context;
  const sectionNames = new Set<string>();
  const placed = new Set<string>();
  detail.sections.forEach((section, position) => {
    const path = `${base}/sections/${position}`;
    if (sectionNames.has(section.name)) sink.add(`${path}/name`, `分组名 "${section.name}" 重复`, `the section name "${section.name}" appears twice`);
    sectionNames.add(section.name);
    if (isLinesSection(section)) {
      const child = detailObject(context, section.field, `${path}/field`);
      if (child) checkFieldNames(context, section.columns, `${path}/columns`, child.name, child.fields);
      return;
    }
    checkFieldNames(context, section.fields.map((cell) => cell.field), `${path}/fields`);
    section.fields.forEach((cell, cellPosition) => {
      if (placed.has(cell.field)) sink.add(`${path}/fields/${cellPosition}/field`, `字段 "${cell.field}" 在详情中出现多次`, `the field "${cell.field}" is placed more than once`);
      placed.add(cell.field);
    });
    checkGrid(context, section.fields, `${path}/fields`);
  });
  const relations = relationsOf(object.name, [...index.objects.values()]);
  (detail.related ?? []).forEach((tab, position) => {
    const path = `${base}/related/${position}`;
    const relation = relations.get(tab.relation);
    if (!relation) {
      sink.add(`${path}/relation`, `对象 "${object.name}" 没有相关列表 "${tab.relation}"`, `the object "${object.name}" has no related list "${tab.relation}"`);
      return;
    }
    const related = index.objects.get(relation.object);
    if (related) checkFieldNames(context, tab.columns, `${path}/columns`, related.name, showableFields(related, index));
  });
}

/**
 * The option values of a single picklist of the object; undefined (with an issue) when the field is not one, and an
 * undefined `values` when they are unknown (its option set is missing or invalid, which is reported on the object).
 */
function typeFieldOptions(context: LayoutContext, name: string): { values: ReadonlySet<string> | undefined } | undefined {
  const { object, index, sink } = context;
  const field = object.fields.find((candidate) => candidate.name === name);
  if (!field) {
    sink.add("/recordTypes/field", `对象 "${object.name}" 没有字段 "${name}"`, `the object "${object.name}" has no field "${name}"`);
    return undefined;
  }
  if (field.type !== "picklist") {
    sink.add("/recordTypes/field", `记录类型字段 "${name}" 必须是单选下拉字段`, `the record type field "${name}" must be a single picklist`);
    return undefined;
  }
  const values = field.optionSet !== undefined ? index.optionSets.get(field.optionSet) : (field.options ?? []).map(optionValue);
  return { values: values && new Set(values) };
}

function checkRecordTypes(context: LayoutContext, recordTypes: RecordTypeLayouts): void {
  const { sink } = context;
  const options = typeFieldOptions(context, recordTypes.field);
  const variantOf = new Map<string, number>();
  recordTypes.variants.forEach((variant, position) => {
    const path = `/recordTypes/variants/${position}`;
    variant.values.forEach((value, valuePosition) => {
      const valuePath = `${path}/values/${valuePosition}`;
      if (options?.values && !options.values.has(value)) {
        sink.add(valuePath, `"${value}" 不是字段 "${recordTypes.field}" 的选项`, `"${value}" is not an option of the field "${recordTypes.field}"`);
      }
      const earlier = variantOf.get(value);
      if (earlier !== undefined) {
        sink.add(valuePath, `类型 "${value}" 已属于第 ${earlier + 1} 个变体`, `the type "${value}" already belongs to the variant at position ${earlier}`);
      } else variantOf.set(value, position);
    });
    checkDetail(context, variant.detail, `${path}/detail`);
  });
}

function checkPrintTemplate(context: LayoutContext, template: PrintTemplate, path: string): void {
  const { sink, object } = context;
  checkFieldNames(context, template.header, `${path}/header`);
  checkFieldNames(context, template.notes ?? [], `${path}/notes`);
  if (template.lines) {
    const child = detailObject(context, template.lines.field, `${path}/lines/field`);
    if (child) checkFieldNames(context, template.lines.columns, `${path}/lines/columns`, child.name, child.fields);
    const childDefinition = child && context.index.objects.get(child.name);
    (template.lines.sum ?? []).forEach((name, position) => {
      const field = childDefinition?.fields.find((candidate) => candidate.name === name);
      if (!template.lines!.columns.includes(name) || !isNumeric(field)) {
        sink.add(`${path}/lines/sum/${position}`, `合计列 "${name}" 必须是已打印的数值列`, `the summed column "${name}" must be a printed numeric column`);
      }
    });
  }
  (template.totals ?? []).forEach((total, position) => {
    const field = object.fields.find((candidate) => candidate.name === total.field);
    if (!isNumeric(field)) sink.add(`${path}/totals/${position}/field`, `合计字段 "${total.field}" 必须是数值字段`, `the total "${total.field}" must be a numeric field`);
  });
}

function checkPrint(context: LayoutContext, layout: LayoutDefinition): void {
  const names = new Set<string>();
  (layout.print ?? []).forEach((template, position) => {
    const path = `/print/${position}`;
    if (names.has(template.name)) context.sink.add(`${path}/name`, `打印模板名 "${template.name}" 重复`, `the print template name "${template.name}" appears twice`);
    names.add(template.name);
    checkPrintTemplate(context, template, path);
  });
}

/** The checks of one structurally valid layout against the model; the object must exist. */
export function checkLayout(input: { layout: LayoutDefinition; index: ModelIndex; sink: IssueSink }): void {
  const { layout, index, sink } = input;
  const object = index.objects.get(layout.object);
  if (!object) {
    // An object that exists but is itself invalid already has its issues; say nothing more about it.
    if (!index.objectNames.has(layout.object)) sink.add("/object", `对象 "${layout.object}" 不存在`, `the object "${layout.object}" does not exist`);
    return;
  }
  const context: LayoutContext = { object, index, sink, fields: showableFields(object, index) };
  checkList(context, layout);
  checkDetail(context, layout.detail, "/detail");
  if (layout.recordTypes) checkRecordTypes(context, layout.recordTypes);
  checkPrint(context, layout);
}

/** "layouts/customer"; "layouts/#3" when the document names no object. */
const documentName = (doc: unknown, position: number) => {
  const object = (doc as { object?: unknown } | null)?.object;
  return typeof object === "string" ? `layouts/${object}` : `layouts/#${position}`;
};

/** Every layout of a model: schema, one layout per object, then the cross checks of the valid ones. */
export function checkLayouts(docs: readonly unknown[], index: ModelIndex, issues: MetadataIssue[]): void {
  const sink = new IssueSink(issues);
  const seen = new Set<string>();
  docs.forEach((doc, position) => {
    const document = documentName(doc, position);
    const found = validateLayout(doc, document);
    issues.push(...found);
    if (found.length > 0) return;
    const layout = doc as LayoutDefinition;
    if (seen.has(layout.object)) {
      sink.forDocument(document).add("/object", `对象 "${layout.object}" 已有布局`, `the object "${layout.object}" already has a layout`);
      return;
    }
    seen.add(layout.object);
    checkLayout({ layout, index, sink: sink.forDocument(document) });
  });
}
