// Printing one record: print and view rights, the record within the user's view scope, hidden fields left out, audited.
import type { PrintTemplate } from "@crm/metadata";
import { AppError } from "../errors/errors";
import { assertMayPerform, mayPerform } from "../access/permissions";
import { visibleTemplate } from "../access/layout-visibility";
import { writeAudit } from "../audit/audit";
import { layoutOf } from "../registry/layouts";
import type { CompiledObject } from "../registry/model";
import { maskOf, scopeQuery } from "../records/access-guard";
import { attachChildren, fetchScopedRow, objectOf, recordNotFound, type RecordsContext } from "../records/read";
import type { Locale } from "./format";
import { renderPrintHtml, type PrintedObject } from "./render";

export interface PrintRequest {
  /** A template name of the object's layout; the first template when absent. */
  template?: string;
  locale: Locale;
}

export interface PrintedPage {
  html: string;
  template: string;
}

type Row = Record<string, unknown>;

function chooseTemplate(object: CompiledObject, name: string | undefined): PrintTemplate {
  const templates = layoutOf(object).print ?? [];
  const chosen = name === undefined ? templates[0] : templates.find((template) => template.name === name);
  if (chosen) return chosen;
  const available = templates.map((template) => template.name).join(", ") || "—";
  throw new AppError("PRINT_TEMPLATE_NOT_FOUND", {
    details: [{ path: "/template", message: { "zh-CN": `可用的打印模板：${available}`, en: `Print templates available: ${available}` } }],
  });
}

/** Ids of the records `rows` reference through `columns`, grouped by the referenced object. */
function referencedIds(object: CompiledObject, columns: readonly string[], rows: readonly Row[], into: Map<string, Set<string>>): void {
  for (const name of columns) {
    const target = object.columnByName.get(name)?.references;
    if (!target) continue;
    for (const row of rows) {
      const value = row[name];
      if (typeof value !== "string") continue;
      if (!into.has(target)) into.set(target, new Set());
      into.get(target)!.add(value);
    }
  }
}

/**
 * Display names of referenced records, read under the user's own view scope of each referenced object: a
 * customer or item the user may not see (or whose name field is hidden for them) prints as blank, not as its name.
 */
async function displayNames(context: RecordsContext, references: Map<string, Set<string>>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const [targetName, ids] of references) {
    const target = context.model.objects.get(targetName);
    const nameField = target?.definition.displayField ?? target?.definition.numberField;
    if (!target || !nameField || !mayPerform(context.access, target, "view") || maskOf(context.access, target).hidden.has(nameField)) continue;
    const query = context.db(target.name).select("id", nameField).whereIn("id", [...ids]).whereNull("deleted_at");
    const rows: Row[] = await scopeQuery({ model: context.model, access: context.access, object: target, query, action: "view" });
    for (const row of rows) names.set(row.id as string, String(row[nameField] ?? ""));
  }
  return names;
}

const printedObject = (object: CompiledObject): PrintedObject => ({ label: object.definition.label, fields: object.fieldByName });

export async function printRecord(context: RecordsContext, objectName: string, id: string, request: PrintRequest): Promise<PrintedPage> {
  const object = objectOf(context.model, objectName);
  assertMayPerform(context.access, object, "print");
  assertMayPerform(context.access, object, "view");
  const chosen = chooseTemplate(object, request.template);
  // Read with the user's visible columns only: a hidden field is never fetched, so it cannot be printed.
  const row = await fetchScopedRow(context, { object, id, action: "view" });
  if (!row) throw recordNotFound(object, id);
  const record = await attachChildren(context, context.db, object, row);
  const childOf = (field: string) => context.model.objects.get(object.children.get(field) ?? "");
  const template = visibleTemplate(chosen, maskOf(context.access, object).hidden, (field) => {
    const child = childOf(field);
    return child ? maskOf(context.access, child).hidden : undefined;
  });
  const lineObject = template.lines ? childOf(template.lines.field) : undefined;
  const lines = template.lines && lineObject ? ((record[template.lines.field] as Row[] | undefined) ?? []) : [];
  const references = new Map<string, Set<string>>();
  referencedIds(object, [...template.header, ...(template.notes ?? [])], [record], references);
  if (template.lines && lineObject) referencedIds(lineObject, template.lines.columns, lines, references);
  const names = await displayNames(context, references);
  await writeAudit(context.db, context.actor, [
    { object: object.name, recordId: id, action: "print", context: { template: chosen.name, locale: request.locale, lines: lines.length } },
  ]);
  const html = renderPrintHtml({
    template,
    object: printedObject(object),
    lineObject: lineObject && printedObject(lineObject),
    record,
    lines,
    format: { locale: request.locale, optionSets: context.model.optionSets, displayNames: names },
    printedBy: context.actor.displayName || context.actor.username,
    printedAt: new Date(),
  });
  return { html, template: chosen.name };
}
