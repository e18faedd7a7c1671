// JSON Schemas (draft-07, ajv 8) for the metadata documents: field, object, option set, pack manifest, role.
import { FIELD_TYPES, MANAGED_DIMENSIONS, type FieldType } from "./types";
import { actionDefinitionSchema, duplicateRuleSchema, rollupDefinitionSchema } from "./actions";

/** API names become SQL identifiers: lower snake_case, at most 63 characters (PostgreSQL's limit). */
export const IDENTIFIER_PATTERN = "^[a-z][a-z0-9_]{0,62}$";

export const FORMULA_RESULT_TYPES = ["text", "integer", "decimal", "amount", "percent", "date", "boolean"] as const;

/** Field types grouped by the type-specific properties they accept. */
export const TEXT_LIKE_TYPES: readonly FieldType[] = ["text", "textarea", "email", "phone"];
export const NUMERIC_TYPES: readonly FieldType[] = ["integer", "decimal", "amount", "percent"];
export const SCALED_TYPES: readonly FieldType[] = ["decimal", "amount", "percent", "formula"];
export const PICKLIST_TYPES: readonly FieldType[] = ["picklist", "multi_picklist"];
export const REFERENCE_TYPES: readonly FieldType[] = ["lookup", "master_detail"];
/** Values of these types are produced by the platform (or live elsewhere), so a default makes no sense. */
export const NO_DEFAULT_TYPES: readonly FieldType[] = ["auto_number", "formula", "master_detail", "attachment"];

const identifier = { type: "string", pattern: IDENTIFIER_PATTERN } as const;

/** Server-generated stable ids: opaque, but kept URL- and log-friendly. */
const stableId = { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" } as const;

export const localizedTextSchema = {
  type: "object",
  required: ["zh-CN", "en"],
  properties: {
    "zh-CN": { type: "string", minLength: 1 },
    en: { type: "string", minLength: 1 },
  },
  additionalProperties: false,
} as const;

/** json-logic is kept as plain JSON; null is never a meaningful rule. */
const jsonLogic = { type: ["object", "array", "string", "number", "boolean"] } as const;

/** A picklist option: a bare value, or a value with a label and a display colour. */
export const picklistOptionSchema = {
  if: { type: "string" },
  then: { type: "string", minLength: 1, maxLength: 100 },
  else: {
    type: "object",
    required: ["value"],
    properties: {
      value: { type: "string", minLength: 1, maxLength: 100 },
      label: localizedTextSchema,
      // antd preset names ("green") or hex colours
      color: { type: "string", pattern: "^([a-z]+|#[0-9a-fA-F]{6})$" },
    },
    additionalProperties: false,
  },
} as const;

const fieldTypeIs = (types: readonly FieldType[]) => ({
  properties: { type: { enum: types } },
  required: ["type"],
});

const fieldTypeIsNot = (types: readonly FieldType[]) => ({
  properties: { type: { not: { enum: types } } },
  required: ["type"],
});

/** `props` are rejected (false schema, at the property's own path) unless the field type is one of `types`. */
function onlyFor(types: readonly FieldType[], props: string[]) {
  return {
    if: fieldTypeIsNot(types),
    then: { properties: Object.fromEntries(props.map((p) => [p, false])) },
  };
}

function requiredFor(types: readonly FieldType[], props: string[]) {
  return { if: fieldTypeIs(types), then: { required: props } };
}

/** Picklists take exactly one of inline `options` or a named `optionSet`. */
const picklistSource = {
  if: fieldTypeIs(PICKLIST_TYPES),
  then: {
    if: { required: ["options"] },
    then: { properties: { optionSet: false } },
    else: { required: ["optionSet"] },
  },
};

export const fieldDefinitionSchema = {
  type: "object",
  required: ["name", "type", "label"],
  properties: {
    id: stableId,
    name: identifier,
    type: { enum: FIELD_TYPES },
    label: localizedTextSchema,
    description: localizedTextSchema,
    required: { type: "boolean" },
    unique: { type: "boolean" },
    indexed: { type: "boolean" },
    searchable: { type: "boolean" },
    // A literal, or { "expression": json-logic } evaluated on create; type fit is checked in validateModel.
    default: {
      if: { type: "object" },
      then: {
        type: "object",
        required: ["expression"],
        properties: { expression: jsonLogic },
        additionalProperties: false,
      },
    },
    maxLength: { type: "integer", minimum: 1, maximum: 100000 },
    min: { type: "number" },
    max: { type: "number" },
    scale: { type: "integer", minimum: 0, maximum: 6 },
    options: { type: "array", minItems: 1, items: picklistOptionSchema },
    optionSet: identifier,
    target: identifier,
    format: { type: "string", minLength: 1, maxLength: 60 },
    expression: jsonLogic,
    resultType: { enum: FORMULA_RESULT_TYPES },
    dimension: { enum: MANAGED_DIMENSIONS },
  },
  additionalProperties: false,
  allOf: [
    requiredFor(REFERENCE_TYPES, ["target"]),
    requiredFor(["auto_number"], ["format"]),
    requiredFor(["formula"], ["expression", "resultType"]),
    picklistSource,
    onlyFor(TEXT_LIKE_TYPES, ["maxLength"]),
    onlyFor(NUMERIC_TYPES, ["min", "max"]),
    onlyFor(SCALED_TYPES, ["scale"]),
    onlyFor(PICKLIST_TYPES, ["options", "optionSet"]),
    onlyFor(REFERENCE_TYPES, ["target"]),
    onlyFor(["auto_number"], ["format"]),
    onlyFor(["formula"], ["expression", "resultType"]),
    // A dimension value is a reference or a code: an inventory item, a sales type, a warehouse.
    onlyFor(["lookup", "picklist", "multi_picklist", "text"], ["dimension"]),
    { if: fieldTypeIs(NO_DEFAULT_TYPES), then: { properties: { default: false } } },
  ],
} as const;

export const validationRuleSchema = {
  type: "object",
  required: ["name", "expression", "message"],
  properties: {
    name: identifier,
    expression: jsonLogic,
    message: localizedTextSchema,
    field: identifier,
  },
  additionalProperties: false,
} as const;

export const indexDefinitionSchema = {
  type: "object",
  required: ["fields"],
  properties: {
    name: identifier,
    fields: { type: "array", minItems: 1, maxItems: 32, uniqueItems: true, items: identifier },
    unique: { type: "boolean" },
  },
  additionalProperties: false,
} as const;

/** "-created_at,name": comma-separated field names, each optionally prefixed by "-" for descending. */
export const SORT_PATTERN = "^-?[a-z][a-z0-9_]*(,-?[a-z][a-z0-9_]*)*$";

export const objectDefinitionSchema = {
  type: "object",
  required: ["name", "label", "fields"],
  properties: {
    id: stableId,
    name: identifier,
    label: localizedTextSchema,
    pluralLabel: localizedTextSchema,
    description: localizedTextSchema,
    module: identifier,
    displayField: identifier,
    numberField: identifier,
    ownership: { type: "boolean" },
    belongsToCustomer: { type: "boolean" },
    dimension: { enum: MANAGED_DIMENSIONS },
    defaultSort: { type: "string", pattern: SORT_PATTERN },
    options: {
      type: "object",
      properties: {
        workflow: { type: "boolean" },
        approval: { type: "boolean" },
        activities: { type: "boolean" },
      },
      additionalProperties: false,
    },
    fields: { type: "array", minItems: 1, items: fieldDefinitionSchema },
    validationRules: { type: "array", items: validationRuleSchema },
    indexes: { type: "array", items: indexDefinitionSchema },
    actions: { type: "array", items: actionDefinitionSchema },
    duplicateRules: { type: "array", items: duplicateRuleSchema },
    rollups: { type: "array", items: rollupDefinitionSchema },
  },
  additionalProperties: false,
} as const;

export const optionSetSchema = {
  type: "object",
  required: ["name", "label", "options"],
  properties: {
    name: identifier,
    label: localizedTextSchema,
    options: { type: "array", minItems: 1, items: picklistOptionSchema },
  },
  additionalProperties: false,
} as const;

/** Semantic version without build metadata: "1.2.0", "0.1.0-beta.1". */
export const SEMVER_PATTERN = "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$";

export const packManifestSchema = {
  type: "object",
  required: ["name", "version", "label"],
  properties: {
    name: identifier,
    version: { type: "string", pattern: SEMVER_PATTERN },
    label: localizedTextSchema,
    description: localizedTextSchema,
    requires: { type: "array", uniqueItems: true, items: identifier },
  },
  additionalProperties: false,
} as const;

/** Keys of a role's per-object maps: an object name, or "*" for every object. */
export const OBJECT_KEY_PATTERN = `^(\\*|${IDENTIFIER_PATTERN.slice(1, -1)})$`;

export const SCOPE_TERMS = [
  "all",
  "none",
  "owner",
  "related",
  "department",
  "department_and_below",
  "department_range",
  "customer",
  "customer_dimension",
] as const;

export const FIELD_ACCESS_LEVELS = ["hidden", "read_only"] as const;
export const DIMENSION_LEVELS = ["none", "query", "supervisor"] as const;

const objectKey = { type: "string", pattern: OBJECT_KEY_PATTERN } as const;

/** Terms combined by { any } / { all }: at least one, each a scope term again. */
const scopeTermList = { type: "array", minItems: 1, items: { $ref: "#/$defs/scopeTerm" } } as const;

/**
 * Exactly one of { any: [...] } / { all: [...] }, or a named term. if / then / else rather than
 * anyOf, so a bad term yields one issue at its own path instead of one per alternative.
 */
const scopeTermSchema = {
  if: { type: "object" },
  then: {
    type: "object",
    minProperties: 1,
    maxProperties: 1,
    properties: { any: scopeTermList, all: scopeTermList },
    additionalProperties: false,
  },
  else: { enum: SCOPE_TERMS },
} as const;

const recordRuleSchema = {
  type: "object",
  properties: {
    view: { $ref: "#/$defs/scopeTerm" },
    edit: { $ref: "#/$defs/scopeTerm" },
  },
  additionalProperties: false,
} as const;

const dimensionLevel = { enum: DIMENSION_LEVELS } as const;

/** A role: function permissions, menus, record scopes, field access and management dimensions. */
export const roleDefinitionSchema = {
  $defs: { scopeTerm: scopeTermSchema },
  type: "object",
  required: ["name", "label", "functions"],
  properties: {
    name: identifier,
    label: localizedTextSchema,
    description: localizedTextSchema,
    functions: {
      type: "object",
      propertyNames: objectKey,
      // The fixed ACTIONS, or an action the object declares: checked against the model in role-checks.ts.
      additionalProperties: { type: "array", uniqueItems: true, items: identifier },
    },
    menus: { type: "array", uniqueItems: true, items: identifier },
    records: {
      type: "object",
      propertyNames: objectKey,
      additionalProperties: recordRuleSchema,
    },
    // No "*" here: field names belong to one object.
    fields: {
      type: "object",
      propertyNames: identifier,
      additionalProperties: {
        type: "object",
        propertyNames: identifier,
        additionalProperties: { enum: FIELD_ACCESS_LEVELS },
      },
    },
    dimensions: {
      type: "object",
      properties: {
        customer: { enum: ["all", "granted"] },
        inventory: dimensionLevel,
        sales_type: dimensionLevel,
        supplier: dimensionLevel,
        warehouse: dimensionLevel,
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export const grantRuleSchema = {
  type: "object",
  required: ["name", "label", "objects", "role", "condition", "grant"],
  properties: {
    name: identifier,
    label: localizedTextSchema,
    description: localizedTextSchema,
    objects: { type: "array", minItems: 1, uniqueItems: true, items: identifier },
    role: identifier,
    condition: jsonLogic,
    grant: { enum: ["related"] },
  },
  additionalProperties: false,
} as const;
