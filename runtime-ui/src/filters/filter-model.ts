// The advanced filter builder's state (groups of field / operator / value conditions) and its json-logic, both ways (pure).
import type { FieldDefinition } from "../api/types";

/** How a field is compared: decided by its type (and, for pickers, whether it holds many values). */
export type FilterKind = "text" | "number" | "date" | "datetime" | "boolean" | "option" | "options" | "reference" | "references";

export type OperatorId =
  | "eq"
  | "ne"
  | "contains"
  | "not_contains"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "between"
  | "in"
  | "not_in"
  | "is_true"
  | "is_false"
  | "empty"
  | "not_empty"
  | "has"
  | "not_has";

export interface FilterCondition {
  type: "condition";
  field: string;
  operator: OperatorId;
  /** A literal, a list (in / not_in) or a [low, high] pair (between); absent for operators without a value. */
  value?: unknown;
}

export interface FilterGroup {
  type: "group";
  junction: "and" | "or";
  items: FilterNode[];
}

export type FilterNode = FilterCondition | FilterGroup;

/** The value widget an operator needs. */
export type ValueShape = "none" | "single" | "list" | "range";

const VALUE_SHAPES: Record<OperatorId, ValueShape> = {
  eq: "single",
  ne: "single",
  contains: "single",
  not_contains: "single",
  gt: "single",
  gte: "single",
  lt: "single",
  lte: "single",
  between: "range",
  in: "list",
  not_in: "list",
  is_true: "none",
  is_false: "none",
  empty: "none",
  not_empty: "none",
  has: "single",
  not_has: "single",
};

export const valueShape = (operator: OperatorId): ValueShape => VALUE_SHAPES[operator];

/** Operators offered per kind, the first being the default. */
export const OPERATORS: Record<FilterKind, OperatorId[]> = {
  text: ["contains", "not_contains", "eq", "ne", "empty", "not_empty"],
  number: ["eq", "ne", "gt", "gte", "lt", "lte", "between", "empty", "not_empty"],
  date: ["eq", "gte", "lte", "gt", "lt", "between", "empty", "not_empty"],
  datetime: ["gte", "lte", "between", "empty", "not_empty"],
  boolean: ["is_true", "is_false"],
  option: ["in", "not_in", "eq", "ne", "empty", "not_empty"],
  options: ["has", "not_has"],
  reference: ["eq", "ne", "in", "not_in", "empty", "not_empty"],
  references: ["has", "not_has"],
};

const TEXT_TYPES = new Set(["text", "textarea", "email", "phone", "auto_number"]);
const NUMBER_TYPES = new Set(["integer", "decimal", "amount", "percent"]);
const REFERENCE_TYPES = new Set(["lookup", "employee", "department"]);
/** Pickers that hold several records (uuid arrays on the server). */
export const MULTI_REFERENCE_FIELDS = new Set(["related_employee_ids"]);

/** The kind of a field, or null when lists cannot be filtered by it (addresses, attachments, lines, formulas). */
export function filterKindOf(definition: Pick<FieldDefinition, "name" | "type">): FilterKind | null {
  const type = definition.type;
  if (TEXT_TYPES.has(type)) return "text";
  if (NUMBER_TYPES.has(type)) return "number";
  if (type === "date" || type === "datetime" || type === "boolean") return type;
  if (type === "picklist") return "option";
  if (type === "multi_picklist") return "options";
  if (REFERENCE_TYPES.has(type)) return MULTI_REFERENCE_FIELDS.has(definition.name) ? "references" : "reference";
  return null;
}

export const emptyGroup = (junction: "and" | "or" = "and"): FilterGroup => ({ type: "group", junction, items: [] });

export function newCondition(field: string, kind: FilterKind): FilterCondition {
  return { type: "condition", field, operator: OPERATORS[kind][0] };
}

const present = (value: unknown) => value !== undefined && value !== null && value !== "";

/** Whether a condition says enough to filter: an operator without a value, or every value it needs. */
export function isComplete(condition: FilterCondition): boolean {
  const value = condition.value;
  switch (valueShape(condition.operator)) {
    case "none":
      return true;
    case "single":
      return present(value);
    case "list":
      return Array.isArray(value) && value.length > 0 && value.every(present);
    case "range":
      return Array.isArray(value) && value.length === 2 && value.every(present);
  }
}

const field = (name: string) => ({ var: name });

function conditionLogic(condition: FilterCondition): unknown {
  const target = field(condition.field);
  const value = condition.value;
  switch (condition.operator) {
    case "eq":
      return { "==": [target, value] };
    case "ne":
      return { "!=": [target, value] };
    case "contains":
    case "has":
      return { in: [value, target] };
    case "not_contains":
    case "not_has":
      return { "!": { in: [value, target] } };
    case "gt":
      return { ">": [target, value] };
    case "gte":
      return { ">=": [target, value] };
    case "lt":
      return { "<": [target, value] };
    case "lte":
      return { "<=": [target, value] };
    case "between": {
      const [low, high] = value as [unknown, unknown];
      return { "<=": [low, target, high] };
    }
    case "in":
      return { in: [target, value] };
    case "not_in":
      return { "!": { in: [target, value] } };
    case "is_true":
      return { "==": [target, true] };
    case "is_false":
      return { "==": [target, false] };
    case "empty":
      return { "==": [target, null] };
    case "not_empty":
      return { "!=": [target, null] };
  }
}

/** The json-logic of a node: incomplete conditions and empty groups are left out; undefined when nothing is left. */
export function toJsonLogic(node: FilterNode): unknown {
  if (node.type === "condition") return isComplete(node) ? conditionLogic(node) : undefined;
  const parts = node.items.map(toJsonLogic).filter((part) => part !== undefined);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { [node.junction]: parts };
}

/** Several filters that must all hold (quick filters, the builder's, a view's), as one json-logic filter. */
export function combineFilters(...filters: unknown[]): unknown {
  const parts = filters.flatMap((filter) => {
    if (filter === undefined || filter === null) return [];
    const and = (filter as { and?: unknown }).and;
    return isSingleKey(filter, "and") && Array.isArray(and) ? and : [filter];
  });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
}

/** Number of complete conditions: what the builder's button shows. */
export function countConditions(node: FilterNode): number {
  if (node.type === "condition") return isComplete(node) ? 1 : 0;
  return node.items.reduce((sum, item) => sum + countConditions(item), 0);
}

// ---- parsing back ------------------------------------------------------------------------------

type Kinds = ReadonlyMap<string, FilterKind>;

function isSingleKey(value: unknown, key?: string): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (key === undefined || keys[0] === key);
}

/** The field name of {"var": "name"}, when the field is one the builder knows. */
function varName(value: unknown, kinds: Kinds): string | undefined {
  if (!isSingleKey(value, "var")) return undefined;
  const name = value.var;
  return typeof name === "string" && kinds.has(name) ? name : undefined;
}

const isLiteral = (value: unknown) => value === null || ["string", "number", "boolean"].includes(typeof value);

const condition = (name: string, operator: OperatorId, value?: unknown): FilterCondition =>
  value === undefined ? { type: "condition", field: name, operator } : { type: "condition", field: name, operator, value };

const COMPARISONS: Record<string, OperatorId> = { ">": "gt", ">=": "gte", "<": "lt", "<=": "lte" };

function parseComparison(operator: string, args: unknown[], kinds: Kinds): FilterCondition | null {
  if (args.length === 3 && operator === "<=") {
    const name = varName(args[1], kinds);
    return name && isLiteral(args[0]) && isLiteral(args[2]) ? condition(name, "between", [args[0], args[2]]) : null;
  }
  const name = varName(args[0], kinds);
  if (args.length !== 2 || !name || !isLiteral(args[1])) return null;
  const value = args[1];
  if (operator === "==" || operator === "===") {
    if (value === null) return condition(name, "empty");
    if (kinds.get(name) === "boolean" && typeof value === "boolean") return condition(name, value ? "is_true" : "is_false");
    return condition(name, "eq", value);
  }
  if (operator === "!=" || operator === "!==") return value === null ? condition(name, "not_empty") : condition(name, "ne", value);
  return value === null ? null : condition(name, COMPARISONS[operator], value);
}

function parseIn(args: unknown[], kinds: Kinds, negated: boolean): FilterCondition | null {
  if (args.length !== 2) return null;
  const listField = varName(args[0], kinds);
  if (listField && Array.isArray(args[1]) && args[1].every(isLiteral)) return condition(listField, negated ? "not_in" : "in", [...args[1]]);
  const name = varName(args[1], kinds);
  if (!name || !isLiteral(args[0]) || args[0] === null) return null;
  const kind = kinds.get(name);
  if (kind === "text") return condition(name, negated ? "not_contains" : "contains", args[0]);
  if (kind === "options" || kind === "references") return condition(name, negated ? "not_has" : "has", args[0]);
  return null;
}

function parseNode(logic: unknown, kinds: Kinds): FilterNode | null {
  if (!isSingleKey(logic)) return null;
  const [operator, raw] = Object.entries(logic)[0]!;
  const args = Array.isArray(raw) ? raw : [raw];
  if (operator === "and" || operator === "or") {
    const items = args.map((arg) => parseNode(arg, kinds));
    return items.length > 0 && items.every((item) => item !== null) ? { type: "group", junction: operator, items: items as FilterNode[] } : null;
  }
  if (operator === "!") {
    const inner = args[0];
    return args.length === 1 && isSingleKey(inner, "in") && Array.isArray(inner.in) ? parseIn(inner.in, kinds, true) : null;
  }
  if (operator === "in") return parseIn(args, kinds, false);
  if (["==", "===", "!=", "!==", ">", ">=", "<", "<="].includes(operator)) return parseComparison(operator, args, kinds);
  return null;
}

/**
 * The builder state of a json-logic filter (the root is always a group), or null when the filter uses
 * something the builder cannot show (the list still applies it as it is).
 */
export function fromJsonLogic(logic: unknown, kinds: Kinds): FilterGroup | null {
  if (logic === undefined || logic === null) return emptyGroup();
  const node = parseNode(logic, kinds);
  if (!node) return null;
  return node.type === "group" ? node : { type: "group", junction: "and", items: [node] };
}
