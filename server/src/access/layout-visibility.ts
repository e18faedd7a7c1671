// A layout as one user may see it: hidden fields, unreadable related lists and (without the print right) templates removed.
import { isLinesSection, type DetailLayout, type DetailSection, type LayoutDefinition, type PrintTemplate, type RelatedTab } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";
import type { AccessContext } from "./context";
import { fieldMask, mayPerform } from "./permissions";

const visible = (names: readonly string[], hidden: ReadonlySet<string>) => names.filter((name) => !hidden.has(name));

/**
 * Pure: the layout minus every field hidden for the user (read-only fields stay; the describe says which they
 * are), sections left empty, related tabs of objects the user may not view or whose link column is hidden for
 * them (the related list would answer 404) — in every record type's detail as in `detail` — and print templates
 * unless the user may print.
 */
export function visibleLayout(input: { layout: LayoutDefinition; object: CompiledObject; access: AccessContext }): LayoutDefinition {
  const { layout, object, access } = input;
  if (access.unrestricted) return layout;
  const hidden = fieldMask(access, object).hidden;
  const childHidden = (masterDetail: string): ReadonlySet<string> | undefined => {
    const child = object.model.objects.get(object.children.get(masterDetail) ?? "");
    return child ? fieldMask(access, child).hidden : undefined;
  };

  const sort = (layout.list.defaultSort ?? "").split(",").filter((term) => term !== "" && !hidden.has(term.replace(/^-/, "")));
  const { defaultSort: _sort, ...listRest } = layout.list;
  const list = {
    ...listRest,
    columns: layout.list.columns.filter((column) => !hidden.has(column.field)),
    ...(sort.length ? { defaultSort: sort.join(",") } : {}),
    ...(layout.list.quickFilters ? { quickFilters: visible(layout.list.quickFilters, hidden) } : {}),
  };

  const visibleDetail = (detail: DetailLayout): DetailLayout => {
    const sections = detail.sections.flatMap((section): DetailSection[] => {
      if (isLinesSection(section)) {
        const lineHidden = childHidden(section.field);
        const columns = lineHidden ? visible(section.columns, lineHidden) : [];
        return columns.length ? [{ ...section, columns }] : [];
      }
      const fields = section.fields.filter((cell) => !hidden.has(cell.field));
      return fields.length ? [{ ...section, fields }] : [];
    });
    const related = (detail.related ?? []).flatMap((tab): RelatedTab[] => {
      const relation = object.relations.get(tab.relation);
      const target = relation && object.model.objects.get(relation.object);
      if (!relation || !target || !mayPerform(access, target, "view")) return [];
      const targetHidden = fieldMask(access, target).hidden;
      if (targetHidden.has(relation.column)) return [];
      const columns = visible(tab.columns, targetHidden);
      return columns.length ? [{ ...tab, columns }] : [];
    });
    return { ...detail, sections, ...(detail.related ? { related } : {}) };
  };
  // Record types go when their field is hidden: records then come without it and every one shows `detail`.
  const { recordTypes, ...shared } = layout;
  const visibleTypes = recordTypes && !hidden.has(recordTypes.field)
    ? { recordTypes: { ...recordTypes, variants: recordTypes.variants.map((variant) => ({ ...variant, detail: visibleDetail(variant.detail) })) } }
    : {};

  const print = mayPerform(access, object, "print") ? (layout.print ?? []).map((template) => visibleTemplate(template, hidden, childHidden)) : [];

  return {
    ...shared,
    list,
    detail: visibleDetail(layout.detail),
    ...visibleTypes,
    ...(layout.print ? { print } : {}),
  };
}

/** A print template without hidden header, note, total and line fields. */
export function visibleTemplate(
  template: PrintTemplate,
  hidden: ReadonlySet<string>,
  childHidden: (masterDetail: string) => ReadonlySet<string> | undefined,
): PrintTemplate {
  const { lines, ...rest } = template;
  const lineHidden = lines && childHidden(lines.field);
  const lineColumns = lines && lineHidden ? visible(lines.columns, lineHidden) : [];
  return {
    ...rest,
    header: visible(template.header, hidden),
    ...(template.notes ? { notes: visible(template.notes, hidden) } : {}),
    ...(template.totals ? { totals: template.totals.filter((total) => !hidden.has(total.field)) } : {}),
    ...(lines && lineColumns.length
      ? { lines: { ...lines, columns: lineColumns, ...(lines.sum ? { sum: lines.sum.filter((name) => lineColumns.includes(name)) } : {}) } }
      : {}),
  };
}
