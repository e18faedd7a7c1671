// JSON Schemas of record bodies and responses, compiled from an object's metadata (requests, OpenAPI, forms).
import type { FieldDefinition, OptionSetDefinition, PicklistOption } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";

type JsonSchema = Record<string, unknown>;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
export const DEFAULT_TEXT_LENGTH = 255;
export const DEFAULT_TEXTAREA_LENGTH = 10_000;
const UUID = { type: "string", format: "uuid" };

export function optionValues(field: FieldDefinition, optionSets: ReadonlyMap<string, OptionSetDefinition>): string[] {
  const options: PicklistOption[] = field.options ?? optionSets.get(field.optionSet ?? "")?.options ?? [];
  return options.map((option) => (typeof option === "string" ? option : option.value));
}

const ADDRESS = {
  type: "object",
  properties: Object.fromEntries(
    ["country", "province", "city", "district", "street", "postcode"].map((key) => [key, { type: "string", maxLength: 200 }]),
  ),
  additionalProperties: false,
};

/** An uploaded file (server/src/files): the server checks the id and fills name, size and type from the stored file. */
const STORED_FILE = {
  type: "object",
  required: ["fileId"],
  properties: {
    fileId: UUID,
    name: { type: "string", minLength: 1, maxLength: 255 },
    size: { type: "integer", minimum: 0 },
    contentType: { type: "string", maxLength: 255 },
  },
  additionalProperties: false,
};

/** A link typed in before files could be uploaded; existing values keep working. */
const FILE_LINK = {
  type: "object",
  required: ["name", "url"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 255 },
    url: { type: "string", minLength: 1, maxLength: 2000 },
    size: { type: "integer", minimum: 0 },
    contentType: { type: "string", maxLength: 100 },
  },
  additionalProperties: false,
};

// if / then / else rather than oneOf: a wrong item reports the errors of its own kind only.
const ATTACHMENT = {
  type: "array",
  maxItems: 20,
  items: { type: "object", if: { required: ["fileId"] }, then: STORED_FILE, else: FILE_LINK },
};

function numberSchema(field: FieldDefinition, integer: boolean): JsonSchema {
  const scale = field.scale ?? 2;
  // numeric(18, scale) holds at most 18 - scale digits before the point.
  const limit = integer ? MAX_SAFE : 10 ** (18 - scale) - 10 ** -scale;
  return {
    type: integer ? "integer" : "number",
    minimum: field.min ?? -limit,
    maximum: field.max ?? limit,
    ...(integer ? {} : { maxScale: scale }),
  };
}

/** The JSON Schema of one field's value (without null). */
export function fieldValueSchema(field: FieldDefinition, object: CompiledObject, lineSchemas = false): JsonSchema | undefined {
  const optionSets = object.model.optionSets;
  switch (field.type) {
    case "text":
      return { type: "string", maxLength: field.maxLength ?? DEFAULT_TEXT_LENGTH };
    case "textarea":
      return { type: "string", maxLength: field.maxLength ?? DEFAULT_TEXTAREA_LENGTH };
    case "email":
      return { type: "string", format: "email", maxLength: field.maxLength ?? 254 };
    case "phone":
      return { type: "string", pattern: "^[0-9+()\\- ]{3,32}$", maxLength: field.maxLength ?? 32 };
    case "integer":
      return numberSchema(field, true);
    case "decimal":
    case "amount":
    case "percent":
      return numberSchema(field, false);
    case "date":
      return { type: "string", format: "date" };
    case "datetime":
      return { type: "string", format: "date-time" };
    case "boolean":
      return { type: "boolean" };
    case "picklist":
      return { type: "string", enum: optionValues(field, optionSets) };
    case "multi_picklist":
      return { type: "array", uniqueItems: true, maxItems: 100, items: { type: "string", enum: optionValues(field, optionSets) } };
    case "lookup":
    case "employee":
    case "department":
      return UUID;
    case "address":
      return ADDRESS;
    case "attachment":
      return ATTACHMENT;
    case "master_detail": {
      const child = object.model.objects.get(field.target ?? "");
      if (!child) return undefined;
      // Lines are checked one by one by the records service (new lines in full, existing ones as partial updates).
      const line = writeSchema(child, "create");
      return {
        type: "array",
        maxItems: 1000,
        items: lineSchemas ? { ...line, properties: { ...(line.properties as JsonSchema), id: UUID } } : { type: "object" },
      };
    }
    case "auto_number":
    case "formula":
      return undefined;
  }
}

const nullable = (schema: JsonSchema): JsonSchema =>
  schema.enum
    ? { ...schema, type: [schema.type, "null"], enum: [...(schema.enum as unknown[]), null] }
    : { ...schema, type: [schema.type, "null"] };

/** Implicit writable columns: ownership and customer link. */
function implicitProperties(object: CompiledObject): JsonSchema {
  const properties: JsonSchema = {};
  if (object.definition.ownership) {
    properties.owner_id = nullable(UUID);
    properties.department_id = nullable(UUID);
    properties.related_employee_ids = { type: "array", uniqueItems: true, maxItems: 500, items: UUID };
  }
  if (object.implicitCustomer) properties.customer_id = nullable(UUID);
  return properties;
}

/** Fields the server computes (auto numbers, formulas, roll-ups such as an order's total): a body never writes them. */
export function isComputedField(object: CompiledObject, name: string): boolean {
  const type = object.fieldByName.get(name)?.type;
  return type === "auto_number" || type === "formula" || (object.definition.rollups ?? []).some((rollup) => rollup.field === name);
}

/** Request body of a create (required enforced) or a partial update (version required, nothing else). */
export function writeSchema(object: CompiledObject, mode: "create" | "update"): JsonSchema {
  const properties: JsonSchema = implicitProperties(object);
  const required: string[] = [];
  for (const field of object.definition.fields) {
    const schema = isComputedField(object, field.name) ? undefined : fieldValueSchema(field, object);
    if (!schema) continue;
    const isRequired = field.required === true && field.type !== "master_detail";
    properties[field.name] = isRequired || field.type === "master_detail" ? schema : nullable(schema);
    if (isRequired && mode === "create" && field.default === undefined) required.push(field.name);
  }
  if (mode === "update") {
    properties.version = { type: "integer", minimum: 1 };
    required.push("version");
  }
  return { type: "object", properties, required, additionalProperties: false };
}

/** A record as the API returns it (OpenAPI responses). */
export function readSchema(object: CompiledObject): JsonSchema {
  const properties: JsonSchema = {
    id: UUID,
    version: { type: "integer" },
    created_at: { type: "string", format: "date-time" },
    created_by: nullable(UUID),
    updated_at: { type: "string", format: "date-time" },
    updated_by: nullable(UUID),
    ...implicitProperties(object),
  };
  if (object.parent) properties.parent_id = UUID;
  for (const field of object.definition.fields) {
    const schema =
      field.type === "auto_number"
        ? { type: "string" }
        : field.type === "formula"
          ? { type: field.resultType === "boolean" ? "boolean" : ["text", "date"].includes(field.resultType ?? "text") ? "string" : "number" }
          : fieldValueSchema(field, object, true);
    if (schema) properties[field.name] = field.type === "master_detail" ? schema : nullable(schema);
  }
  return { type: "object", properties };
}
