// Keeps a stored layout valid when its object changes: what names a dropped field or relation goes, the rest stays.
import { defaultLayout } from "./default-layout";
import { IssueSink } from "./issues";
import { checkLayout, showableFields } from "./layout-checks";
import { isLinesSection, type DetailLayout, type DetailSection, type LayoutDefinition, type PrintTemplate, type RecordTypeLayouts } from "./layout";
import { buildModelIndex, type ModelIndex } from "./model-index";
import { optionValue } from "./options";
import { relationsOf } from "./relations";
import type { ObjectDefinition } from "./types";

const keep = (names: readonly string[], fields: ReadonlySet<string>) => names.filter((name) => fields.has(name));

/**
 * The layout without references to fields, detail fields and relations the model no longer has. Dropping a field
 * removes it from layouts as it does from records, instead of refusing the object change; a layout left with no
 * list column answers undefined (the object then falls back to its default layout).
 */
export function pruneLayout(layout: LayoutDefinition, index: ModelIndex): LayoutDefinition | undefined {
  const object = index.objects.get(layout.object);
  if (!object) return undefined;
  const fields = showableFields(object, index);
  const childFields = (masterDetail: string): ReadonlySet<string> | undefined => {
    const field = object.fields.find((candidate) => candidate.name === masterDetail && candidate.type === "master_detail");
    const child = field?.target ? index.objects.get(field.target) : undefined;
    return child ? showableFields(child, index) : undefined;
  };
  const columns = layout.list.columns.filter((column) => fields.has(column.field));
  if (columns.length === 0) return undefined;
  const sortValid = (layout.list.defaultSort ?? "").split(",").every((term) => fields.has(term.replace(/^-/, "")));
  const list = {
    ...layout.list,
    columns,
    ...(layout.list.quickFilters ? { quickFilters: keep(layout.list.quickFilters, fields) } : {}),
  };
  if (!sortValid) delete list.defaultSort;
  const relations = relationsOf(object.name, [...index.objects.values()]);
  const pruneDetail = (detail: DetailLayout): DetailLayout | undefined => {
    const sections = detail.sections.flatMap((section): DetailSection[] => {
      if (!isLinesSection(section)) {
        // A section whose every field was dropped goes with them.
        const kept = section.fields.filter((cell) => fields.has(cell.field));
        return kept.length > 0 || section.fields.length === 0 ? [{ ...section, fields: kept }] : [];
      }
      const lineFields = childFields(section.field);
      const lineColumns = lineFields ? keep(section.columns, lineFields) : [];
      return lineColumns.length > 0 ? [{ ...section, columns: lineColumns }] : [];
    });
    if (sections.length === 0) return undefined;
    const related = (detail.related ?? []).flatMap((tab) => {
      const relation = relations.get(tab.relation);
      const target = relation && index.objects.get(relation.object);
      const tabColumns = target ? keep(tab.columns, showableFields(target, index)) : [];
      return tabColumns.length > 0 ? [{ ...tab, columns: tabColumns }] : [];
    });
    return { ...detail, sections, ...(detail.related ? { related } : {}) };
  };
  const detail = pruneDetail(layout.detail);
  if (!detail) return undefined;
  const recordTypes = layout.recordTypes && pruneRecordTypes(layout.recordTypes, object, index, pruneDetail);
  const { recordTypes: _recordTypes, ...shared } = layout;
  const print = layout.print?.map((template): PrintTemplate => {
    const lineFields = template.lines && childFields(template.lines.field);
    const lineColumns = template.lines && lineFields ? keep(template.lines.columns, lineFields) : [];
    const { lines: _lines, ...rest } = template;
    return {
      ...rest,
      header: keep(template.header, fields),
      ...(template.notes ? { notes: keep(template.notes, fields) } : {}),
      ...(template.totals ? { totals: template.totals.filter((total) => fields.has(total.field)) } : {}),
      ...(template.lines && lineColumns.length > 0
        ? { lines: { ...template.lines, columns: lineColumns, ...(template.lines.sum ? { sum: keep(template.lines.sum, new Set(lineColumns)) } : {}) } }
        : {}),
    };
  });
  return { ...shared, list, detail, ...(recordTypes ? { recordTypes } : {}), ...(print ? { print } : {}) };
}

/**
 * Record types that still fit: none when the type field is gone or no longer a single picklist; values no longer
 * among its options dropped (option set values are checked when the index knows them); variants left without a
 * value or a section dropped, and the whole when no variant is left (every record then shows `detail`).
 */
function pruneRecordTypes(
  recordTypes: RecordTypeLayouts,
  object: ObjectDefinition,
  index: ModelIndex,
  pruneDetail: (detail: DetailLayout) => DetailLayout | undefined,
): RecordTypeLayouts | undefined {
  const field = object.fields.find((candidate) => candidate.name === recordTypes.field);
  if (field?.type !== "picklist") return undefined;
  const known = field.optionSet !== undefined ? index.optionSets.get(field.optionSet) : (field.options ?? []).map(optionValue);
  const options = known && new Set(known);
  const variants = recordTypes.variants.flatMap((variant) => {
    const values = options ? variant.values.filter((value) => options.has(value)) : variant.values;
    const detail = values.length > 0 ? pruneDetail(variant.detail) : undefined;
    return detail ? [{ ...variant, values, detail }] : [];
  });
  return variants.length > 0 ? { ...recordTypes, variants } : undefined;
}

/**
 * The layout with the object's own renamed fields (old name → new name; `object` is the renamed definition) called by their new names wherever it names
 * them: list, sort and filters, detail cells and lines sections of every detail layout, the record type field,
 * print templates, and related lists named after a master_detail field or a self-lookup. Run before pruneLayout,
 * which would otherwise take a renamed field for a dropped one.
 */
export function renameLayoutFields(layout: LayoutDefinition, renamed: ReadonlyMap<string, string>, object: ObjectDefinition): LayoutDefinition {
  if (renamed.size === 0) return layout;
  const name = (field: string) => renamed.get(field) ?? field;
  const names = (fields: readonly string[]) => fields.map(name);
  const masterDetails = new Set(object.fields.filter((field) => field.type === "master_detail").map((field) => field.name));
  const relation = (relationName: string) => {
    const [source, column] = relationName.split(".");
    // A plain name is a master_detail field's only when the renamed field still is one; else it names an object.
    if (column === undefined) return masterDetails.has(name(relationName)) ? name(relationName) : relationName;
    return source === layout.object ? `${source}.${name(column)}` : relationName;
  };
  const renameDetail = (detail: DetailLayout): DetailLayout => ({
    ...detail,
    sections: detail.sections.map((section): DetailSection =>
      isLinesSection(section) ? { ...section, field: name(section.field) } : { ...section, fields: section.fields.map((cell) => ({ ...cell, field: name(cell.field) })) },
    ),
    ...(detail.related ? { related: detail.related.map((tab) => ({ ...tab, relation: relation(tab.relation) })) } : {}),
  });
  const { list } = layout;
  return {
    ...layout,
    list: {
      ...list,
      columns: list.columns.map((column) => ({ ...column, field: name(column.field) })),
      ...(list.defaultSort !== undefined
        ? { defaultSort: list.defaultSort.split(",").map((term) => (term.startsWith("-") ? `-${name(term.slice(1))}` : name(term))).join(",") }
        : {}),
      ...(list.quickFilters ? { quickFilters: names(list.quickFilters) } : {}),
    },
    detail: renameDetail(layout.detail),
    ...(layout.recordTypes
      ? {
          recordTypes: {
            ...layout.recordTypes,
            field: name(layout.recordTypes.field),
            variants: layout.recordTypes.variants.map((variant) => ({ ...variant, detail: renameDetail(variant.detail) })),
          },
        }
      : {}),
    ...(layout.print
      ? {
          print: layout.print.map((template) => ({
            ...template,
            header: names(template.header),
            ...(template.notes ? { notes: names(template.notes) } : {}),
            ...(template.totals ? { totals: template.totals.map((total) => ({ ...total, field: name(total.field) })) } : {}),
            ...(template.lines ? { lines: { ...template.lines, field: name(template.lines.field) } } : {}),
          })),
        }
      : {}),
  };
}

/**
 * A stored layout made to fit a changed model: pruned of what no longer exists; when what is left still breaks a
 * check (a total whose field stopped being numeric, say), the object's default layout. Undefined when the object
 * itself is gone.
 */
export function fitLayout(layout: LayoutDefinition, objects: readonly ObjectDefinition[]): LayoutDefinition | undefined {
  const index = buildModelIndex({ validObjects: objects, allObjects: objects, validOptionSets: [], allOptionSets: [] });
  const object = index.objects.get(layout.object);
  if (!object) return undefined;
  const pruned = pruneLayout(layout, index);
  if (pruned) {
    const sink = new IssueSink();
    checkLayout({ layout: pruned, index, sink });
    if (sink.issues.length === 0) return pruned;
  }
  return defaultLayout(object, objects);
}
