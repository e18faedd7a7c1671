// The fields a screen can show: the declared fields the user may see, plus the system fields users work with
// (负责员工, 部门, 相关员工, 客户) described as ordinary fields so that every widget and column handles them alike.
import type { FieldDefinition, ObjectDescribe } from "../api/types";

const SYSTEM_FIELD_DEFINITIONS: FieldDefinition[] = [
  { name: "customer_id", type: "lookup", target: "customer", label: { "zh-CN": "客户", en: "Customer" } },
  { name: "owner_id", type: "employee", target: "employee", label: { "zh-CN": "负责员工", en: "Owner" } },
  { name: "department_id", type: "department", target: "department", label: { "zh-CN": "部门", en: "Department" } },
  { name: "related_employee_ids", type: "employee", target: "employee", label: { "zh-CN": "相关员工", en: "Related employees" } },
  { name: "created_at", type: "datetime", label: { "zh-CN": "创建时间", en: "Created at" } },
  { name: "updated_at", type: "datetime", label: { "zh-CN": "修改时间", en: "Updated at" } },
];

/** Multi-valued pickers: related_employee_ids holds many employees. */
export const MULTI_VALUE_FIELDS = new Set(["related_employee_ids"]);

/** System fields the server fills in and nobody types. */
const SERVER_FILLED = new Set(["created_at", "updated_at"]);

export interface ScreenField {
  definition: FieldDefinition;
  /** A system field (owner, department …) rather than a declared one. */
  system: boolean;
  readOnly: boolean;
  /** Filled by the server (auto numbers, formulas, timestamps): never typed, empty until the record is saved. */
  serverFilled: boolean;
}

/**
 * Every field the user may see on this object, by name; hidden fields are not in the map at all.
 * `writable` says whether the record as a whole may be written (creating, or editing a record in the user's edit scope).
 */
export function screenFields(describe: ObjectDescribe, writable = false): Map<string, ScreenField> {
  const hidden = new Set(describe.access.hidden);
  const readOnly = new Set(describe.access.readOnly);
  // Roll-ups (an order's total of its lines, a customer's last transaction date) are kept by the server like formulas.
  const rolledUp = new Set((describe.rollups ?? []).map((rollup) => rollup.field));
  const fields = new Map<string, ScreenField>();
  const add = (definition: FieldDefinition, system: boolean) => {
    if (hidden.has(definition.name) || fields.has(definition.name)) return;
    const computed = definition.type === "auto_number" || definition.type === "formula" || rolledUp.has(definition.name) || SERVER_FILLED.has(definition.name);
    fields.set(definition.name, { definition, system, serverFilled: computed, readOnly: computed || readOnly.has(definition.name) || !writable });
  };
  for (const definition of describe.fields) add(definition, false);
  for (const definition of SYSTEM_FIELD_DEFINITIONS) {
    if (describe.systemFields.includes(definition.name)) add(definition, true);
  }
  return fields;
}

/** The field that names a record in titles and lookups. */
export function displayFieldOf(describe: Pick<ObjectDescribe, "displayField" | "numberField" | "fields">): string {
  if (describe.displayField) return describe.displayField;
  if (describe.fields.some((field) => field.name === "name")) return "name";
  return describe.numberField ?? describe.fields.find((field) => field.type === "text")?.name ?? "id";
}
