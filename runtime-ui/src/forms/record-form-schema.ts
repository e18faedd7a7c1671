// The JSON Schema and uiSchema of a record form (@rjsf), built at run time from the object's describe and layout:
// the server's compiled record schema supplies types, formats, enums and lengths; the screen fields decide what is
// shown (hidden fields are absent), what is read-only and which widget edits each field.
import { hashObject, type Experimental_DefaultFormStateBehavior, type RJSFSchema, type UiSchema } from "@rjsf/utils";
import type { FieldType } from "@crm/metadata";
import type { FieldDefinition, LocalizedText, ObjectDescribe } from "../api/types";
import { MULTI_VALUE_FIELDS, type ScreenField } from "../layout/fields";
import type { DetailSection, FieldPlacement } from "../layout/layout-types";

export type FormSection =
  | { kind: "fields"; name: string; title?: string; placements: FieldPlacement[] }
  | { kind: "lines"; name: string; title: string; field: string; columns: string[] };

export interface RecordFormInput {
  describe: Pick<ObjectDescribe, "recordSchema">;
  sections: readonly DetailSection[];
  fields: ReadonlyMap<string, ScreenField>;
  creating: boolean;
  /** Picks a metadata label in the current language. */
  text(label: LocalizedText | undefined, fallback?: string): string;
}

export interface RecordFormSchema {
  schema: RJSFSchema;
  uiSchema: UiSchema;
  /** The layout sections that have something to show, with only the placements of shown fields. */
  sections: FormSection[];
}

/** What the layout template of the root object reads from the root uiSchema ("ui:sections"). */
export const SECTIONS_OPTION = "sections";

/**
 * The form holds the record as loaded: rjsf must not add defaults of its own (an empty address object, an empty
 * array), or saveBody would see changes the user never made.
 */
export const NO_SCHEMA_DEFAULTS: Experimental_DefaultFormStateBehavior = { emptyObjectFields: "skipDefaults", arrayMinItems: { populate: "never" } };

/** rjsf custom fields (object- and table-shaped values have no single widget). */
export const LINES_FIELD = "recordLines";
export const ADDRESS_FIELD = "recordAddress";

/**
 * The JSON type of each field type, used only when the server's record schema lacks a property: rjsf picks its
 * field component by type, and the server validates the value on save anyway.
 */
const JSON_TYPE: Record<FieldType, RJSFSchema> = {
  text: { type: "string" },
  textarea: { type: "string" },
  email: { type: "string" },
  phone: { type: "string" },
  integer: { type: "integer" },
  decimal: { type: "number" },
  amount: { type: "number" },
  percent: { type: "number" },
  date: { type: "string" },
  datetime: { type: "string" },
  boolean: { type: "boolean" },
  picklist: { type: "string" },
  multi_picklist: { type: "array", items: { type: "string" } },
  lookup: { type: "string" },
  employee: { type: "string" },
  department: { type: "string" },
  auto_number: { type: "string" },
  formula: { type: "string" },
  address: { type: "object" },
  attachment: { type: "array", items: { type: "object" } },
  master_detail: { type: "array", items: { type: "object" } },
};

const FORMULA_TYPE: Record<string, RJSFSchema> = { integer: { type: "integer" }, decimal: { type: "number" }, amount: { type: "number" }, percent: { type: "number" }, boolean: { type: "boolean" } };

function fallbackSchema(definition: FieldDefinition): RJSFSchema {
  // Multi-valued system pickers (related_employee_ids) hold arrays of ids whatever their field type says.
  if (MULTI_VALUE_FIELDS.has(definition.name)) return { type: "array", items: { type: "string" } };
  if (definition.type === "formula") return FORMULA_TYPE[definition.resultType ?? "text"] ?? { type: "string" };
  return JSON_TYPE[definition.type] ?? { type: "string" };
}

/** A required field takes no null: the server's write schema is not nullable there (its read schema is). */
function withoutNull(schema: RJSFSchema): RJSFSchema {
  const type = Array.isArray(schema.type) ? schema.type.filter((candidate) => candidate !== "null") : schema.type;
  const next: RJSFSchema = { ...schema, type: Array.isArray(type) && type.length === 1 ? type[0] : type };
  if (schema.enum) next.enum = schema.enum.filter((value) => value !== null);
  return next;
}

/**
 * Lines are checked value by value here; whether a line is complete is the server's call (new lines in full,
 * existing ones as partial updates) and its errors land in the line's cells. Lines also carry columns the form
 * does not edit (version, line_no …), so unknown keys are allowed.
 */
function linesSchema(schema: RJSFSchema): RJSFSchema {
  const items = typeof schema.items === "object" && !Array.isArray(schema.items) ? schema.items : { type: "object" as const };
  const { required: _required, additionalProperties: _additional, ...looseItems } = items;
  return { ...schema, type: "array", items: looseItems };
}

/** A field the user must fill when creating: required, and not left to a server-side expression default. */
export function requiredOnCreate(field: ScreenField): boolean {
  const { definition } = field;
  const expressionDefault = typeof definition.default === "object" && definition.default !== null && !Array.isArray(definition.default);
  return !field.readOnly && definition.required === true && definition.type !== "boolean" && definition.type !== "master_detail" && !expressionDefault;
}

function propertySchema(field: ScreenField, sent: RJSFSchema | undefined, title: string): RJSFSchema {
  const schema: RJSFSchema = { ...(sent ?? fallbackSchema(field.definition)), title };
  if (field.definition.type === "master_detail") return linesSchema(schema);
  return field.definition.required ? withoutNull(schema) : schema;
}

function propertyUiSchema(field: ScreenField, lineColumns: readonly string[] | undefined): UiSchema {
  const { definition } = field;
  const readOnly = field.readOnly ? { "ui:readonly": true } : {};
  if (definition.type === "master_detail") return { "ui:options": { definition, columns: lineColumns ?? [] }, ...readOnly, "ui:field": LINES_FIELD, "ui:label": false };
  const common: UiSchema = { "ui:options": { definition }, ...readOnly };
  if (definition.type === "address") return { ...common, "ui:field": ADDRESS_FIELD };
  // Every other field is edited by the widget registered under its field type (record-widgets.tsx).
  return { ...common, "ui:widget": definition.type };
}

/** The sections with something to show; a new record has no server-filled values yet, so those cells are left out. */
export function formSections(input: Omit<RecordFormInput, "describe">): FormSection[] {
  const shown = (name: string) => {
    const field = input.fields.get(name);
    return field !== undefined && !(input.creating && field.serverFilled);
  };
  return input.sections.flatMap((section): FormSection[] => {
    if (section.kind === "lines") {
      const field = input.fields.get(section.field);
      if (!field || field.definition.type !== "master_detail") return [];
      return [{ kind: "lines", name: section.name, field: section.field, columns: section.columns, title: input.text(section.label ?? field.definition.label, section.field) }];
    }
    const placements = section.fields.filter((placement) => shown(placement.field));
    if (!placements.length) return [];
    return [{ kind: "fields", name: section.name, title: section.label ? input.text(section.label) : undefined, placements }];
  });
}

/** The names a section list shows, in layout order. */
export const sectionFieldNames = (sections: readonly FormSection[]): string[] =>
  sections.flatMap((section) => (section.kind === "lines" ? [section.field] : section.placements.map((placement) => placement.field)));

export function buildRecordForm(input: RecordFormInput): RecordFormSchema {
  const sections = formSections(input);
  const sent = (input.describe.recordSchema?.properties ?? {}) as Record<string, RJSFSchema | boolean>;
  const properties: Record<string, RJSFSchema> = {};
  const uiSchema: UiSchema = { [`ui:${SECTIONS_OPTION}`]: sections, "ui:submitButtonOptions": { norender: true } };
  const required: string[] = [];
  const lineColumns = new Map(sections.flatMap((section) => (section.kind === "lines" ? [[section.field, section.columns] as const] : [])));
  for (const name of sectionFieldNames(sections)) {
    const field = input.fields.get(name)!;
    if (name in properties) continue;
    const serverSchema = sent[name];
    properties[name] = propertySchema(field, typeof serverSchema === "object" ? serverSchema : undefined, input.text(field.definition.label, name));
    uiSchema[name] = propertyUiSchema(field, lineColumns.get(name));
    if (input.creating && requiredOnCreate(field)) required.push(name);
  }
  // No additionalProperties: a record carries columns the form does not show (id, version, created_by …).
  const schema: RJSFSchema = { type: "object", properties, ...(required.length ? { required } : {}) };
  // ajv caches compiled schemas by $id (else by object, and every screen builds a new object): the same form
  // opened again reuses its validator instead of compiling and keeping another one.
  return { schema: { $id: `record-form-${hashObject(schema)}`, ...schema }, uiSchema, sections };
}
