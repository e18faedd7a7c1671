// Test helpers for the schema planner tests: compact object and field definitions, and plan accessors.
import type { FieldDefinition, FieldType, ObjectDefinition } from "@crm/metadata";
import type { SchemaPlan, SchemaStep } from "./steps";

export const label = { "zh-CN": "标签", en: "Label" };

export function field(id: string, name: string, type: FieldType, extra: Partial<FieldDefinition> = {}): FieldDefinition {
  return { id, name, type, label, ...extra };
}

export function object(id: string, name: string, fields: FieldDefinition[], extra: Partial<ObjectDefinition> = {}): ObjectDefinition {
  return { id, name, label, fields, ...extra };
}

export const typesOf = (plan: SchemaPlan) => plan.steps.map((step) => step.type);
export const sqlOf = (plan: SchemaPlan) => plan.steps.map((step) => step.sql);
export const stepsOfType = <T extends SchemaStep["type"]>(plan: SchemaPlan, type: T) =>
  plan.steps.filter((step): step is Extract<SchemaStep, { type: T }> => step.type === type);

export const customer = object("obj_customer", "customer", [
  field("fld_name", "name", "text", { searchable: true, indexed: true }),
  field("fld_code", "code", "text", { unique: true }),
]);
