// Keeps a stored layout valid when its object changes: what names a dropped field or relation goes, the rest stays.
import { defaultLayout } from "./default-layout";
import { IssueSink } from "./issues";
import { checkLayout, showableFields } from "./layout-checks";
import { isLinesSection, type DetailSection, type LayoutDefinition, type PrintTemplate } from "./layout";
import { buildModelIndex, type ModelIndex } from "./model-index";
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
  const sections = layout.detail.sections.flatMap((section): DetailSection[] => {
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
  const relations = relationsOf(object.name, [...index.objects.values()]);
  const related = (layout.detail.related ?? []).flatMap((tab) => {
    const relation = relations.get(tab.relation);
    const target = relation && index.objects.get(relation.object);
    const tabColumns = target ? keep(tab.columns, showableFields(target, index)) : [];
    return tabColumns.length > 0 ? [{ ...tab, columns: tabColumns }] : [];
  });
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
  return {
    ...layout,
    list,
    detail: { ...layout.detail, sections, ...(layout.detail.related ? { related } : {}) },
    ...(print ? { print } : {}),
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
