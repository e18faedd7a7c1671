// The building blocks every report query starts from: a base object's rows within the caller's view
// scope (in SQL), the period and department / owner narrowing, and the checks that guard them.
import type { Knex } from "knex";
import type { LocalizedText, PicklistOption } from "@crm/metadata";
import type { CompiledObject, Model } from "../registry/model";
import type { AccessContext } from "../access/context";
import { assertMayPerform, mayPerform } from "../access/permissions";
import { AppError, notFound } from "../errors/errors";
import { maskOf, scopeQuery } from "../records/access-guard";
import type { CommonParameters } from "./parameters";

export interface ReportScope {
  db: Knex;
  model: Model;
  access: AccessContext;
}

export interface ReportOption {
  value: string;
  label: LocalizedText;
}

/** A picklist field's options in their declared order, with both labels (the value stands in for a missing one). */
export function optionsOf(object: CompiledObject, fieldName: string): ReportOption[] {
  const field = object.fieldByName.get(fieldName);
  const options: PicklistOption[] = field?.options ?? object.model.optionSets.get(field?.optionSet ?? "")?.options ?? [];
  return options.map((option) =>
    typeof option === "string"
      ? { value: option, label: { "zh-CN": option, en: option } }
      : { value: option.value, label: option.label ?? { "zh-CN": option.value, en: option.value } },
  );
}

/** Fields a report reads per object: the ones it always uses plus the department / owner columns when filtered. */
export function fieldsRead(reads: Readonly<Record<string, readonly string[]>>, filtered: string, params: CommonParameters): Record<string, string[]> {
  const result = Object.fromEntries(Object.entries(reads).map(([object, fields]) => [object, [...fields]]));
  if (params.department_id) result[filtered] = [...new Set([...(result[filtered] ?? []), "department_id"])];
  if (params.owner_id) result[filtered] = [...new Set([...(result[filtered] ?? []), "owner_id"])];
  return result;
}

/** Why the caller may not run over these objects and fields: undefined when they may. */
export function readProblem(scope: ReportScope, reads: Readonly<Record<string, readonly string[]>>): "missing" | "forbidden" | "hidden" | undefined {
  for (const [objectName, fields] of Object.entries(reads)) {
    const object = scope.model.objects.get(objectName);
    if (!object || fields.some((field) => !object.columnByName.has(field))) return "missing";
    if (!mayPerform(scope.access, object, "view")) return "forbidden";
    const hidden = maskOf(scope.access, object).hidden;
    if (fields.some((field) => hidden.has(field))) return "hidden";
  }
  return undefined;
}

/**
 * The same decision as readProblem, as the error to answer: 404 when the model lacks an object or field
 * (a changed pack), 403 without the view permission, 403 naming each hidden field (never aggregated).
 */
export function assertReadable(scope: ReportScope, reads: Readonly<Record<string, readonly string[]>>): void {
  for (const [objectName, fields] of Object.entries(reads)) {
    const object = scope.model.objects.get(objectName);
    const missing = fields.filter((field) => !object?.columnByName.has(field));
    if (!object || missing.length) {
      throw notFound({ "zh-CN": `报表所需的对象或字段不存在: ${objectName} ${missing.join(", ")}`, en: `The report needs ${objectName} ${missing.join(", ")}, which does not exist` });
    }
    assertMayPerform(scope.access, object, "view");
    const hidden = maskOf(scope.access, object).hidden;
    const refused = fields.filter((field) => hidden.has(field));
    if (refused.length) {
      throw new AppError("FIELD_HIDDEN", {
        message: {
          "zh-CN": `报表需要的字段对您不可见: ${objectName}.${refused.join(", ")}`,
          en: `The report needs fields hidden from you: ${objectName}.${refused.join(", ")}`,
        },
        details: refused.map((field) => ({
          path: `/${objectName}/${field}`,
          message: { "zh-CN": `字段 ${objectName}.${field} 不可见`, en: `Field ${objectName}.${field} is hidden from you` },
        })),
      });
    }
  }
}

/** Live rows of `objectName` the caller may view, with the given columns; aliased by the caller (`.as(…)`). */
export function scopedRows(scope: ReportScope, objectName: string, columns: readonly string[]): Knex.QueryBuilder {
  const object = scope.model.objects.get(objectName)!;
  const query = scope.db(object.name).whereNull(`${object.name}.deleted_at`).select(columns.map((column) => `${object.name}.${column}`));
  return scopeQuery({ model: scope.model, access: scope.access, object, query, action: "view" });
}

/**
 * id → name of the records the caller may view, or undefined when they may not view the object or its
 * name: labels are decoration, so missing rights blank them instead of refusing the report.
 */
export function visibleNames(scope: ReportScope, objectName: string): Knex.QueryBuilder | undefined {
  const object = scope.model.objects.get(objectName);
  if (!object?.columnByName.has("name") || !mayPerform(scope.access, object, "view")) return undefined;
  if (maskOf(scope.access, object).hidden.has("name")) return undefined;
  return scopedRows(scope, objectName, ["id", "name"]);
}

/** Narrows `objectName` rows (addressed as `alias`) to a department (and, by default, the departments below it) and an owner. */
export function narrowByOwnership(query: Knex.QueryBuilder, scope: ReportScope, alias: string, params: CommonParameters): Knex.QueryBuilder {
  if (params.owner_id) query.where(`${alias}.owner_id`, params.owner_id);
  if (params.department_id) {
    const department = scope.model.objects.get("department");
    if (params.include_subdepartments && department?.columnByName.has("parent_department_id")) {
      // The tree is walked in the same statement; UNION (not UNION ALL) stops at a cycle. Reading the
      // department tree unscoped only resolves the parameter: the rows counted stay within the view scope.
      query.whereRaw(
        `?? IN (WITH RECURSIVE tree(id) AS (SELECT id FROM department WHERE id = ? UNION SELECT child.id FROM department AS child JOIN tree ON child.parent_department_id = tree.id) SELECT id FROM tree)`,
        [`${alias}.department_id`, params.department_id],
      );
    } else {
      query.where(`${alias}.department_id`, params.department_id);
    }
  }
  return query;
}

/** A SQL expression with its bindings: `??` identifiers and `?` values, in order. */
export interface SqlExpression {
  sql: string;
  bindings: readonly Knex.RawBinding[];
}

/** Rows whose timestamp expression falls within the period's local days (in the time_zone parameter). */
export function withinPeriodTimestamps(query: Knex.QueryBuilder, expression: SqlExpression, params: CommonParameters): Knex.QueryBuilder {
  if (params.from) query.whereRaw(`${expression.sql} >= ((?::date)::timestamp AT TIME ZONE ?)`, [...expression.bindings, params.from, params.time_zone]);
  if (params.to) query.whereRaw(`${expression.sql} < ((?::date + 1)::timestamp AT TIME ZONE ?)`, [...expression.bindings, params.to, params.time_zone]);
  return query;
}

/** Rows whose date expression falls within the period, both ends inclusive. */
export function withinPeriodDates(query: Knex.QueryBuilder, expression: SqlExpression, params: CommonParameters): Knex.QueryBuilder {
  if (params.from) query.whereRaw(`${expression.sql} >= ?::date`, [...expression.bindings, params.from]);
  if (params.to) query.whereRaw(`${expression.sql} <= ?::date`, [...expression.bindings, params.to]);
  return query;
}

/** SQL numeric results (sums may be null over no rows) as numbers. */
export const amount = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const rate = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
