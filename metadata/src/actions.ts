// Declared record actions, duplicate rules and roll-ups of an object: their TypeScript shape and JSON Schemas.
import type { JsonLogicExpression, LocalizedText } from "./types";

/** Interpreters the server knows; an action names one and gives it its options. */
export const ACTION_KINDS = ["convert_lead", "generate_document", "close_lost", "make_formal", "assign"] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/**
 * Where a target field's value comes from: a source field's name, or { "expression": json-logic }
 * evaluated over the source record (e.g. the company name, else the person's name).
 */
export type ValueSource = string | { expression: JsonLogicExpression };

/** Target field name → its source. */
export type FieldMapping = Record<string, ValueSource>;

interface ActionBase {
  /** snake_case; also the function permission roles grant on the object (e.g. "lead": ["view", "convert"]). */
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  kind: ActionKind;
  /** json-logic over the record: the action applies only while it is truthy (enforced by the server too). */
  availableWhen?: JsonLogicExpression;
}

/** 线索转换: a contact, a customer (new, potential, or an existing one) and / or an opportunity from a lead. */
export interface ConvertLeadAction extends ActionBase {
  kind: "convert_lead";
  /** How the new records' fields are filled from the lead. */
  customerFields: FieldMapping;
  contactFields: FieldMapping;
  opportunityFields: FieldMapping;
}

/** Copies header and lines of a master-detail line section into the target's lines. */
export interface LineCopy {
  /** master_detail field of the source (omit when the source has no lines: the body then brings them). */
  from?: string;
  /** master_detail field of the target. */
  to: string;
  /** Target line field → source line field. */
  fields?: FieldMapping;
}

/** 生成单据: a quote / order / contract from an opportunity or a quote, prices filled in. */
export interface GenerateDocumentAction extends ActionBase {
  kind: "generate_document";
  /** The object created. */
  target: string;
  /** Target header field → source. */
  fields: FieldMapping;
  /** Lookup field of the target that receives the source record's id (e.g. "opportunity_id"). */
  sourceField?: string;
  /** Date field of the target: today when left empty; prices are looked up on this date. */
  dateField?: string;
  lines?: LineCopy;
  /** Generating this document makes the customer formal (潜在客户 → 正式客户). */
  makeCustomerFormal?: boolean;
}

/** 输单: sets fields (the stage) and records a required reason. */
export interface CloseLostAction extends ActionBase {
  kind: "close_lost";
  /** Field receiving the body's `reason`. */
  reasonField: string;
  set: Record<string, unknown>;
}

/** 转正式客户: sets fields (the status) by hand. */
export interface MakeFormalAction extends ActionBase {
  kind: "make_formal";
  set: Record<string, unknown>;
}

/**
 * 分配 (线索分配, 商机分配): hands the record to another employee (body `{ owner_id }`); the department follows
 * the new owner. Needs the `reassign` function permission, not one named after the action.
 */
export interface AssignAction extends ActionBase {
  kind: "assign";
}

export type ActionDefinition = ConvertLeadAction | GenerateDocumentAction | CloseLostAction | MakeFormalAction | AssignAction;

/** The function permission an action needs: its own name, except 分配, which is the built-in `reassign` right. */
export function actionPermission(action: Pick<ActionDefinition, "name" | "kind">): string {
  return action.kind === "assign" ? "reassign" : action.name;
}

/** 重复检查: records with equal values in `fields` among those matching `condition` are duplicates. */
export interface DuplicateRule {
  name: string;
  /** Fields that identify a duplicate (all equal and not empty). */
  fields: string[];
  /** json-logic over the existing records: which ones count (e.g. open opportunities). */
  condition?: JsonLogicExpression;
  /** reject: the write fails; flag: the boolean `flagField` of the new record is set. */
  onDuplicate: "reject" | "flag";
  flagField?: string;
  /** Says what is duplicated without naming any record (the user may not see the existing one). */
  message: LocalizedText;
}

export const ROLLUP_AGGREGATES = ["max", "min", "sum", "count"] as const;
export type RollupAggregate = (typeof ROLLUP_AGGREGATES)[number];

/** One child object feeding a roll-up. */
export interface RollupSource {
  object: string;
  /**
   * The child's lookup field pointing at this (parent) object, or `parent_id` when the child is this object's
   * master-detail lines (e.g. an order's total_amount = sum of its lines' amount, kept with every write of the order).
   */
  via: string;
  /** The child field aggregated (not needed for count). */
  field?: string;
  /** json-logic over the child records: which ones count. */
  where?: JsonLogicExpression;
}

/** 汇总字段: a field of this object kept equal to an aggregate over its live child records; computed, never written by users. */
export interface RollupDefinition {
  field: string;
  aggregate: RollupAggregate;
  sources: RollupSource[];
}

// ---- JSON Schemas ------------------------------------------------------------------------------

const IDENTIFIER = { type: "string", pattern: "^[a-z][a-z0-9_]{0,62}$" } as const;
const LOCALIZED = {
  type: "object",
  required: ["zh-CN", "en"],
  properties: { "zh-CN": { type: "string", minLength: 1 }, en: { type: "string", minLength: 1 } },
  additionalProperties: false,
} as const;
const JSON_LOGIC = { type: ["object", "array", "string", "number", "boolean"] } as const;

const valueSourceSchema = {
  if: { type: "string" },
  then: IDENTIFIER,
  else: { type: "object", required: ["expression"], properties: { expression: JSON_LOGIC }, additionalProperties: false },
} as const;

const fieldMappingSchema = { type: "object", propertyNames: IDENTIFIER, additionalProperties: valueSourceSchema } as const;

/** Properties each kind accepts besides the common ones, and the ones it needs. */
const KIND_PROPERTIES: Record<ActionKind, { required: string[]; allowed: string[] }> = {
  convert_lead: { required: ["customerFields", "contactFields", "opportunityFields"], allowed: ["customerFields", "contactFields", "opportunityFields"] },
  generate_document: { required: ["target", "fields"], allowed: ["target", "fields", "sourceField", "dateField", "lines", "makeCustomerFormal"] },
  close_lost: { required: ["reasonField", "set"], allowed: ["reasonField", "set"] },
  make_formal: { required: ["set"], allowed: ["set"] },
  assign: { required: [], allowed: [] },
};

const KIND_SPECIFIC = [...new Set(Object.values(KIND_PROPERTIES).flatMap((kind) => kind.allowed))];

/** Per kind: its required options, and every other kind's options forbidden (false schema at their own path). */
const kindRules = ACTION_KINDS.map((kind) => ({
  if: { properties: { kind: { const: kind } }, required: ["kind"] },
  then: {
    required: KIND_PROPERTIES[kind].required,
    properties: Object.fromEntries(KIND_SPECIFIC.filter((name) => !KIND_PROPERTIES[kind].allowed.includes(name)).map((name) => [name, false])),
  },
}));

export const actionDefinitionSchema = {
  type: "object",
  required: ["name", "label", "kind"],
  properties: {
    name: IDENTIFIER,
    label: LOCALIZED,
    description: LOCALIZED,
    kind: { enum: ACTION_KINDS },
    availableWhen: JSON_LOGIC,
    customerFields: fieldMappingSchema,
    contactFields: fieldMappingSchema,
    opportunityFields: fieldMappingSchema,
    target: IDENTIFIER,
    fields: fieldMappingSchema,
    sourceField: IDENTIFIER,
    dateField: IDENTIFIER,
    lines: {
      type: "object",
      required: ["to"],
      properties: { from: IDENTIFIER, to: IDENTIFIER, fields: fieldMappingSchema },
      additionalProperties: false,
    },
    makeCustomerFormal: { type: "boolean" },
    reasonField: IDENTIFIER,
    set: { type: "object", minProperties: 1, propertyNames: IDENTIFIER },
  },
  additionalProperties: false,
  allOf: kindRules,
} as const;

export const duplicateRuleSchema = {
  type: "object",
  required: ["name", "fields", "onDuplicate", "message"],
  properties: {
    name: IDENTIFIER,
    fields: { type: "array", minItems: 1, maxItems: 8, uniqueItems: true, items: IDENTIFIER },
    condition: JSON_LOGIC,
    onDuplicate: { enum: ["reject", "flag"] },
    flagField: IDENTIFIER,
    message: LOCALIZED,
  },
  additionalProperties: false,
  if: { properties: { onDuplicate: { const: "flag" } }, required: ["onDuplicate"] },
  then: { required: ["flagField"] },
  else: { properties: { flagField: false } },
} as const;

export const rollupDefinitionSchema = {
  type: "object",
  required: ["field", "aggregate", "sources"],
  properties: {
    field: IDENTIFIER,
    aggregate: { enum: ROLLUP_AGGREGATES },
    sources: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["object", "via"],
        properties: { object: IDENTIFIER, via: IDENTIFIER, field: IDENTIFIER, where: JSON_LOGIC },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;
