// Compiles a json-logic filter to a two-valued PostgreSQL WHERE fragment that agrees with evaluate() on every record.
import { childPath, fail } from "./errors";
import { assertSafeExpression } from "./engine";
import { checkLiteral, columnSql, isArrayKind, placeholder, type Literal, type LiteralUse } from "./filter-values";
import { bound, equalTo, FALSE, FLIPPED, guarded, joined, listMatch, sql, TRUE, truthiness, type ColumnRef, type Order } from "./filter-fragments";

export type FilterFieldKind = "text" | "number" | "date" | "datetime" | "boolean" | "uuid" | "text_array" | "uuid_array";

export interface FilterField {
  name: string;
  column: string;
  kind: FilterFieldKind;
}

/** SQL with `?` placeholders, for knex.raw / whereRaw. */
export interface CompiledFilter {
  sql: string;
  bindings: unknown[];
}

export interface CompileFilterOptions {
  tableAlias?: string;
}

interface Scope {
  fields: ReadonlyMap<string, FilterField>;
  tableAlias?: string;
}

/** One operation: its arguments (unary sugar `{"!": x}` already wrapped) and their JSON pointers. */
interface Operation {
  operator: string;
  args: unknown[];
  argPaths: string[];
  /** Pointer to the operator's value, where errors about the operation itself point. */
  path: string;
  /** Pointer to the operation object: where errors about a var operand point. */
  nodePath: string;
  scope: Scope;
}

type FieldOperand = ColumnRef & { type: "field"; path: string };
type LiteralOperand = { type: "literal"; value: Literal | null; path: string };

/** Compiles a filter; throws ExpressionError (with a JSON pointer) for anything outside the subset. */
export function compileFilter(
  expression: unknown,
  fields: ReadonlyMap<string, FilterField>,
  options: CompileFilterOptions = {},
): CompiledFilter {
  assertSafeExpression(expression, { allowedVariables: new Set(fields.keys()) });
  return compileCondition(expression, "", { fields, tableAlias: options.tableAlias });
}

// A condition is anything whose json-logic truthiness decides the match.
function compileCondition(expression: unknown, path: string, scope: Scope): CompiledFilter {
  if (expression === true) return TRUE;
  if (expression === false) return FALSE;
  const operation = asOperation(expression, path, scope);
  if (!operation) fail(path, "此处需要一个条件", "A condition is expected here");
  if (operation.operator === "var") return truthiness(resolveField(operation));
  const compile = Object.hasOwn(OPERATORS, operation.operator) ? OPERATORS[operation.operator] : undefined;
  if (!compile) {
    fail(operation.path, `筛选不支持运算符 "${operation.operator}"`, `Operator "${operation.operator}" is not supported in filters`);
  }
  return compile(operation);
}

function asOperation(expression: unknown, path: string, scope: Scope): Operation | undefined {
  if (typeof expression !== "object" || expression === null || Array.isArray(expression)) return undefined;
  const [operator, value] = Object.entries(expression)[0]!; // the safety check allows exactly one key
  const operatorPath = childPath(path, operator);
  const args: unknown[] = Array.isArray(value) ? value : [value];
  const argPaths = Array.isArray(value) ? value.map((_, index) => childPath(operatorPath, index)) : [operatorPath];
  return { operator, args, argPaths, path: operatorPath, nodePath: path, scope };
}

function resolveField(operation: Operation): FieldOperand {
  const [name, ...defaults] = operation.args;
  // A default only applies to keys missing from the data; a database row has every column, so
  // defaults would mean something different in SQL (NULL is present, not missing).
  if (defaults.length > 0) fail(operation.path, "筛选中的 var 不能带默认值", "A var in a filter may not have a default");
  const field = typeof name === "string" ? operation.scope.fields.get(name) : undefined;
  if (!field) fail(operation.path, `未知字段 "${String(name)}"`, `Unknown field "${String(name)}"`);
  return { type: "field", field, column: columnSql(field, operation.scope.tableAlias), path: operation.nodePath };
}

function operand(expression: unknown, path: string, scope: Scope): FieldOperand | LiteralOperand | undefined {
  if (expression === null || ["string", "number", "boolean"].includes(typeof expression)) {
    return { type: "literal", value: expression as Literal | null, path };
  }
  const operation = asOperation(expression, path, scope);
  return operation?.operator === "var" ? resolveField(operation) : undefined;
}

function expectArgs(operation: Operation, counts: readonly number[]): void {
  if (!counts.includes(operation.args.length)) {
    const expected = counts.join(" / ");
    fail(operation.path, `"${operation.operator}" 需要 ${expected} 个参数`, `"${operation.operator}" takes ${expected} arguments`);
  }
}

/** The two operands of a comparison: exactly one field and one literal, in either order. */
function fieldAndLiteral(operation: Operation): { field: FieldOperand; literal: LiteralOperand; fieldFirst: boolean } {
  expectArgs(operation, [2]);
  const [a, b] = operation.args.map((arg, index) => operand(arg, operation.argPaths[index]!, operation.scope));
  if (a?.type === "field" && b?.type === "literal") return { field: a, literal: b, fieldFirst: true };
  if (a?.type === "literal" && b?.type === "field") return { field: b, literal: a, fieldFirst: false };
  return fail(operation.path, "比较的两边必须是一个字段和一个常量", "A comparison needs one field and one literal");
}

function literalFor(field: FieldOperand, literal: LiteralOperand, use: LiteralUse): Literal {
  if (literal.value === null) fail(literal.path, "此处不能使用 null", "null is not allowed here");
  return checkLiteral(field.field, literal.value, literal.path, use);
}

// ---- comparisons -------------------------------------------------------------------------------

function compileEquality(operation: Operation): CompiledFilter {
  const { field, literal } = fieldAndLiteral(operation);
  // Loose == only differs from === across types, and literals are checked to have the field's type.
  if (literal.value === null) return sql(`${field.column} IS NULL`);
  rejectArrayField(field, "==");
  return equalTo(field, literalFor(field, literal, "equality"));
}

function compileInequality(operation: Operation): CompiledFilter {
  const { field, literal } = fieldAndLiteral(operation);
  if (literal.value === null) return sql(`${field.column} IS NOT NULL`);
  rejectArrayField(field, "!=");
  const value = literalFor(field, literal, "equality");
  if (field.field.kind === "datetime") {
    const equal = equalTo(field, value);
    return sql(`NOT ${equal.sql}`, equal.bindings);
  }
  return sql(`${field.column} IS DISTINCT FROM ${placeholder(field.field.kind, value)}`, [value]);
}

// JavaScript compares an array with == by its joined text; nothing a user means, so only null is allowed.
function rejectArrayField(field: FieldOperand, operator: string): void {
  if (isArrayKind(field.field.kind)) {
    fail(field.path, `数组字段不能用 ${operator} 与值比较，请使用 in`, `Array fields cannot be compared with ${operator}; use in`);
  }
}

const ORDERED_KINDS = new Set(["text", "number", "date", "datetime"]);

function orderedField(field: FieldOperand): FieldOperand {
  if (!ORDERED_KINDS.has(field.field.kind)) {
    fail(field.path, `字段 "${field.field.name}" 不能比较大小`, `Field "${field.field.name}" cannot be compared by order`);
  }
  return field;
}

const compileOrdering = (order: Order) => (operation: Operation): CompiledFilter => {
  if (operation.args.length === 3 && (order === "<" || order === "<=")) return compileBetween(order, operation);
  const { field, literal, fieldFirst } = fieldAndLiteral(operation);
  orderedField(field);
  return guarded(field, [bound(field, fieldFirst ? order : FLIPPED[order], literalFor(field, literal, "ordering"))]);
};

// {"<": [low, {"var": "x"}, high]}: low < x && x < high.
function compileBetween(order: "<" | "<=", operation: Operation): CompiledFilter {
  const [low, middle, high] = operation.args.map((arg, index) => operand(arg, operation.argPaths[index]!, operation.scope));
  if (low?.type !== "literal" || middle?.type !== "field" || high?.type !== "literal") {
    fail(operation.path, "区间比较必须是 [常量, 字段, 常量]", "A between comparison takes [literal, field, literal]");
  }
  const field = orderedField(middle);
  const lower = bound(field, FLIPPED[order], literalFor(field, low, "ordering"));
  return guarded(field, [lower, bound(field, order, literalFor(field, high, "ordering"))]);
}

// ---- in ----------------------------------------------------------------------------------------

function compileIn(operation: Operation): CompiledFilter {
  expectArgs(operation, [2]);
  const [needle, haystack] = operation.args;
  if (Array.isArray(haystack)) return compileInList(operation);
  const scope = operation.scope;
  const field = operand(haystack, operation.argPaths[1]!, scope);
  const literal = operand(needle, operation.argPaths[0]!, scope);
  if (field?.type !== "field" || literal?.type !== "literal") {
    fail(operation.path, "in 需要 [字段, [常量…]] 或 [常量, 字段]", "in takes [field, [literal, …]] or [literal, field]");
  }
  if (field.field.kind === "text") return compileSubstring(field, literal);
  if (isArrayKind(field.field.kind)) return compileContains(field, literal);
  return fail(field.path, "in 的第二个参数必须是文本或数组字段", "The second argument of in must be a text or array field");
}

// {"in": ["abc", {"var": "name"}]}: JavaScript "name".indexOf("abc") !== -1, but false for null and "".
function compileSubstring(field: FieldOperand, literal: LiteralOperand): CompiledFilter {
  const value = literalFor(field, literal, "equality") as string;
  if (value === "") return truthiness(field); // "".indexOf("") is 0, yet json-logic returns false for an empty haystack
  return sql(`(${field.column} IS NOT NULL AND strpos(${field.column}, ?) > 0)`, [value]);
}

// {"in": ["vip", {"var": "tags"}]}: tags.indexOf("vip") !== -1. NULL elements make ANY() unknown, hence COALESCE.
function compileContains(field: FieldOperand, literal: LiteralOperand): CompiledFilter {
  const value = literalFor(field, literal, "equality");
  return sql(`COALESCE(? = ANY(${field.column}), FALSE)`, [value]);
}

// {"in": [{"var": "status"}, ["a", "b", null]]}: strict equality with one of the items.
function compileInList(operation: Operation): CompiledFilter {
  const field = operand(operation.args[0], operation.argPaths[0]!, operation.scope);
  if (field?.type !== "field") fail(operation.argPaths[0]!, "此处需要一个字段", "A field is expected here");
  rejectArrayField(field, "in");
  const items = operation.args[1] as unknown[];
  const listPath = operation.argPaths[1]!;
  if (items.length === 0) fail(listPath, "in 的列表不能为空", "The list of in may not be empty");
  const values = items.flatMap((item, index) => listItem(field, item, childPath(listPath, index)));
  const matchesNull = values.length < items.length;
  if (values.length === 0) return sql(`${field.column} IS NULL`);
  const found = listMatch(field, values);
  return matchesNull ? sql(`(${field.column} IS NULL OR ${found.sql})`, found.bindings) : found;
}

function listItem(field: FieldOperand, item: unknown, path: string): Literal[] {
  if (item === null) return [];
  if (typeof item === "object") fail(path, "列表中只能是常量", "List items must be literals");
  return [checkLiteral(field.field, item, path, "equality")];
}

// ---- logic -------------------------------------------------------------------------------------

// and / or return one of their operands; a filter only needs the truthiness, which is all / any.
const compileJunction = (keyword: "AND" | "OR") => (operation: Operation): CompiledFilter => {
  if (operation.args.length === 0) fail(operation.path, `"${operation.operator}" 至少需要一个条件`, `"${operation.operator}" needs at least one condition`);
  const parts = operation.args.map((arg, index) => compileCondition(arg, operation.argPaths[index]!, operation.scope));
  const body = joined(parts, ` ${keyword} `);
  return sql(`(${body.sql})`, body.bindings);
};

function compileNot(operation: Operation): CompiledFilter {
  expectArgs(operation, [1]);
  const inner = compileCondition(operation.args[0], operation.argPaths[0]!, operation.scope);
  return sql(`NOT (${inner.sql})`, inner.bindings);
}

function compileTruthy(operation: Operation): CompiledFilter {
  expectArgs(operation, [1]);
  return compileCondition(operation.args[0], operation.argPaths[0]!, operation.scope);
}

/** The supported subset: json-logic operator → SQL fragment. */
const OPERATORS: Record<string, (operation: Operation) => CompiledFilter> = {
  and: compileJunction("AND"),
  or: compileJunction("OR"),
  "!": compileNot,
  "!!": compileTruthy,
  "==": compileEquality,
  "===": compileEquality,
  "!=": compileInequality,
  "!==": compileInequality,
  "<": compileOrdering("<"),
  "<=": compileOrdering("<="),
  ">": compileOrdering(">"),
  ">=": compileOrdering(">="),
  in: compileIn,
};
