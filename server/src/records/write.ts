// Turning request bodies into rows: validation, server-computed values, reference checks, database errors.
import type { Knex } from "knex";
import type { CompiledObject } from "../registry/model";
import type { Actor } from "../auth/actor";
import { AppError, validationFailed, type ErrorDetail } from "../errors/errors";
import { assertValidBody } from "./body-validator";
import { applyDefaults, assertValidationRules, computeFormulas, type RecordValues } from "./computed-values";

/** Columns of the object's own table that a body may carry (children travel separately). */
export function splitChildren(object: CompiledObject, body: RecordValues): { own: RecordValues; children: Map<string, RecordValues[]> } {
  const own: RecordValues = {};
  const children = new Map<string, RecordValues[]>();
  for (const [name, value] of Object.entries(body)) {
    if (object.children.has(name)) children.set(name, (value as RecordValues[]) ?? []);
    else if (name !== "version" && name !== "id") own[name] = value;
  }
  return { own, children };
}

/** One spelling per value, so rules and formulas compare like with like (timestamps in UTC ISO form). */
export function normaliseValues(object: CompiledObject, values: RecordValues): RecordValues {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "string" && object.columnByName.get(name)?.kind === "datetime") values[name] = new Date(value).toISOString();
  }
  return values;
}

/** Prepares a new row: defaults, ownership defaults, formulas and rules (auto-numbers come in the transaction). */
export function prepareNewRow(object: CompiledObject, body: unknown, actor: Actor, pathPrefix = ""): { row: RecordValues; children: Map<string, RecordValues[]> } {
  assertValidBody(object, "create", body, pathPrefix);
  const { own, children } = splitChildren(object, body as RecordValues);
  normaliseValues(object, own);
  applyDefaults(object, own);
  if (object.definition.ownership && own.owner_id === undefined && actor.employeeId) own.owner_id = actor.employeeId;
  computeFormulas(object, own);
  assertValidationRules(object, own, pathPrefix);
  for (const [fieldName, lines] of children) {
    const childObject = object.model.objects.get(object.children.get(fieldName)!)!;
    lines.forEach((line, index) => {
      const prepared = prepareNewRow(childObject, stripId(line), actor, `${pathPrefix}/${fieldName}/${index}`);
      lines[index] = { ...prepared.row, ...(line.id ? { id: line.id } : {}) };
    });
  }
  return { row: own, children };
}

export const stripId = (line: RecordValues): RecordValues => {
  const { id: _id, ...rest } = line;
  return rest;
};

/** The department of an owner: an owned record defaults to it (DESIGN: department_id follows the owner). */
export async function fillOwnerDepartment(trx: Knex.Transaction, object: CompiledObject, rows: RecordValues[]): Promise<void> {
  if (!object.definition.ownership || !object.model.objects.get("employee")?.columnByName.has("department_id")) return;
  const owners = [...new Set(rows.filter((row) => row.department_id === undefined && row.owner_id).map((row) => row.owner_id as string))];
  if (owners.length === 0) return;
  const found = await trx("employee").whereIn("id", owners).select("id", "department_id");
  const departmentOf = new Map(found.map((employee) => [employee.id, employee.department_id]));
  for (const row of rows) {
    if (row.department_id === undefined && row.owner_id) row.department_id = departmentOf.get(row.owner_id) ?? null;
  }
}

/** Which of these ids of `target` the writer may reference (live and visible to them). */
export type ReferenceCheck = (target: CompiledObject, ids: string[]) => Promise<Set<string>>;

/**
 * Every lookup value must name a live record of its target that the writer can see: a reference to
 * an invisible record answers exactly like one to a missing record.
 */
export async function assertReferencesExist(object: CompiledObject, rows: RecordValues[], pathOf: (index: number) => string, visible: ReferenceCheck): Promise<void> {
  const details: ErrorDetail[] = [];
  const check = async (column: string, target: string, valuesOf: (row: RecordValues) => string[], message: (value: string) => ErrorDetail["message"]) => {
    const targetObject = object.model.objects.get(target);
    const wanted = [...new Set(rows.flatMap(valuesOf))];
    if (!targetObject || wanted.length === 0) return;
    const found = await visible(targetObject, wanted);
    rows.forEach((row, index) => {
      for (const value of valuesOf(row)) if (!found.has(value)) details.push({ path: `${pathOf(index)}/${column}`, message: message(value) });
    });
  };
  for (const column of object.columns) {
    if (!column.references || column.name === "parent_id") continue;
    await check(column.name, column.references, (row) => (typeof row[column.name] === "string" ? [row[column.name] as string] : []), (value) => ({
      "zh-CN": `引用的记录不存在: ${value}`,
      en: `The referenced record does not exist: ${value}`,
    }));
  }
  if (object.definition.ownership) {
    await check("related_employee_ids", "employee", (row) => (Array.isArray(row.related_employee_ids) ? (row.related_employee_ids as string[]) : []), (value) => ({
      "zh-CN": `相关员工不存在: ${value}`,
      en: `The related employee does not exist: ${value}`,
    }));
  }
  if (details.length) throw validationFailed(details);
}

/** JSON columns go to the driver as text; arrays stay arrays (text[] / uuid[]). */
export function toDatabaseRow(object: CompiledObject, row: RecordValues): RecordValues {
  const out: RecordValues = {};
  for (const [name, value] of Object.entries(row)) {
    const column = object.columnByName.get(name);
    if (!column) continue;
    out[name] = column.kind === "json" && value !== null && value !== undefined ? JSON.stringify(value) : value;
  }
  return out;
}

interface DatabaseError {
  code?: string;
  detail?: string;
  constraint?: string;
}

/** Maps a unique violation to the field it concerns; anything else is rethrown untouched. */
export function translateDatabaseError(error: unknown, object: CompiledObject, pathPrefix = ""): never {
  const databaseError = error as DatabaseError;
  if (databaseError?.code === "23505") {
    const column = /Key \(([a-z0-9_]+)\)/.exec(databaseError.detail ?? "")?.[1] ?? "";
    const label = object.fieldByName.get(column)?.label;
    throw new AppError("DUPLICATE_VALUE", {
      details: [
        {
          path: `${pathPrefix}/${column}`,
          message: {
            "zh-CN": `${label?.["zh-CN"] ?? column} 的值已存在，必须唯一`,
            en: `${label?.en ?? column} already exists and must be unique`,
          },
        },
      ],
    });
  }
  if (databaseError?.code === "22003") {
    throw validationFailed([{ path: pathPrefix || "/", message: { "zh-CN": "数值超出范围", en: "A number is out of range" } }]);
  }
  throw error;
}
