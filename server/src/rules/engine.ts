// Our json-logic engine: json-logic-js without code execution, SQL-like ordering on null, and a safety check for untrusted input.
import jsonLogic from "json-logic-js";
import type { RulesLogic, AdditionalOperation } from "json-logic-js";
import { childPath, fail } from "./errors";

export const DEFAULT_ALLOWED_OPERATORS: ReadonlySet<string> = new Set([
  "==", "===", "!=", "!==", "<", "<=", ">", ">=", "!", "!!", "and", "or", "if", "?:", "in",
  "var", "missing", "missing_some", "+", "-", "*", "/", "%", "min", "max", "cat", "substr", "merge",
]);
export const DEFAULT_MAX_DEPTH = 16;
export const DEFAULT_MAX_ARRAY_LENGTH = 500;
export const MAX_STRING_LENGTH = 10_000;

export interface SafetyOptions {
  /** Names a `var` may start with (its first path segment); any name when omitted. */
  allowedVariables?: ReadonlySet<string>;
  /** Nesting limit, counting operations and literal arrays (not an operation's own argument list). */
  maxDepth?: number;
  maxArrayLength?: number;
  allowedOperators?: ReadonlySet<string>;
}

interface Limits {
  allowedVariables?: ReadonlySet<string>;
  maxDepth: number;
  maxArrayLength: number;
  allowedOperators: ReadonlySet<string>;
}

// ---- configuration of the shared json-logic-js instance ---------------------------------------

// Older json-logic-js versions call arbitrary methods on data ("method"); never let input reach that.
jsonLogic.rm_operation("method");

const isAbsent = (value: unknown): boolean => value === null || value === undefined;

type Compare = (a: unknown, b: unknown) => boolean;

// Standard json-logic coerces null to 0 (null < 1 is true). SQL says unknown, which a filter treats
// as false; we make JavaScript say false too, so the SQL compiler can reproduce every answer exactly.
const nullFalse = (compare: Compare): Compare => (a, b) => !isAbsent(a) && !isAbsent(b) && compare(a, b);

// The casts only satisfy the type checker: operands are numbers or strings, compared as JavaScript does.
const lt = nullFalse((a, b) => (a as number) < (b as number));
const le = nullFalse((a, b) => (a as number) <= (b as number));
const gt = nullFalse((a, b) => (a as number) > (b as number));
const ge = nullFalse((a, b) => (a as number) >= (b as number));

// "<" and "<=" also take json-logic's between form [a, b, c]: a < b && b < c.
const between = (compare: Compare) => (...args: unknown[]): boolean =>
  args.length >= 3 ? compare(args[0], args[1]) && compare(args[1], args[2]) : compare(args[0], args[1]);

jsonLogic.add_operation("<", between(lt));
jsonLogic.add_operation("<=", between(le));
jsonLogic.add_operation(">", (a: unknown, b: unknown) => gt(a, b));
jsonLogic.add_operation(">=", (a: unknown, b: unknown) => ge(a, b));

/** The configured json-logic-js instance (a process-wide singleton: configured once, on import). */
export const engine = jsonLogic;

/** json-logic truthiness: like JavaScript, except that an empty array is false. */
export const truthy = (value: unknown): boolean => jsonLogic.truthy(value);

/** Checks an untrusted expression, then evaluates it against `data`. */
export function evaluate(expression: unknown, data: unknown): unknown {
  assertSafeExpression(expression, {});
  return jsonLogic.apply(expression as RulesLogic<AdditionalOperation>, data);
}

/** Whether a record passes a condition (evaluate + json-logic truthiness). */
export function matches(expression: unknown, data: unknown): boolean {
  return truthy(evaluate(expression, data));
}

// ---- safety check ------------------------------------------------------------------------------

/** Throws ExpressionError (with a JSON pointer) unless the expression is safe to evaluate or compile. */
export function assertSafeExpression(expression: unknown, options: SafetyOptions = {}): void {
  const limits: Limits = {
    allowedVariables: options.allowedVariables,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxArrayLength: options.maxArrayLength ?? DEFAULT_MAX_ARRAY_LENGTH,
    allowedOperators: options.allowedOperators ?? DEFAULT_ALLOWED_OPERATORS,
  };
  checkNode(expression, "", 0, limits);
}

function checkNode(node: unknown, path: string, depth: number, limits: Limits): void {
  if (node === null || typeof node === "boolean") return;
  if (typeof node === "number") {
    if (!Number.isFinite(node)) fail(path, "数字必须是有限值", "Numbers must be finite");
    return;
  }
  if (typeof node === "string") {
    checkStringLength(node, path);
    return;
  }
  if (Array.isArray(node)) {
    checkDepth(path, depth + 1, limits);
    checkArrayLength(node, path, limits);
    node.forEach((item, index) => checkNode(item, childPath(path, index), depth + 1, limits));
    return;
  }
  if (isPlainObject(node)) {
    checkOperation(node, path, depth + 1, limits);
    return;
  }
  fail(path, "表达式只能包含 JSON 值", "An expression may contain JSON values only");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function checkStringLength(value: string, path: string): void {
  if (value.length > MAX_STRING_LENGTH) {
    fail(path, `字符串不能超过 ${MAX_STRING_LENGTH} 个字符`, `Strings may not exceed ${MAX_STRING_LENGTH} characters`);
  }
}

function checkDepth(path: string, depth: number, limits: Limits): void {
  if (depth > limits.maxDepth) {
    fail(path, `表达式嵌套不能超过 ${limits.maxDepth} 层`, `The expression may not nest deeper than ${limits.maxDepth} levels`);
  }
}

function checkArrayLength(items: readonly unknown[], path: string, limits: Limits): void {
  if (items.length > limits.maxArrayLength) {
    fail(path, `数组不能超过 ${limits.maxArrayLength} 个元素`, `Arrays may not have more than ${limits.maxArrayLength} items`);
  }
}

function checkOperation(node: Record<string, unknown>, path: string, depth: number, limits: Limits): void {
  checkDepth(path, depth, limits);
  const keys = Object.keys(node);
  // json-logic-js treats any other object as a literal value; we accept no such ambiguity.
  if (keys.length !== 1) fail(path, "每个运算对象必须恰好有一个键", "Each operation must be an object with exactly one key");
  const operator = keys[0]!;
  const operatorPath = childPath(path, operator);
  if (!limits.allowedOperators.has(operator)) {
    fail(operatorPath, `不支持的运算符 "${operator.slice(0, 50)}"`, `Operator "${operator.slice(0, 50)}" is not allowed`);
  }
  const value = node[operator];
  if (operator === "var") return checkVar(value, operatorPath, depth, limits);
  if (operator === "missing") return checkMissing(value, operatorPath, limits);
  if (operator === "missing_some") return checkMissingSome(value, operatorPath, limits);
  if (!Array.isArray(value)) return checkNode(value, operatorPath, depth, limits);
  checkArrayLength(value, operatorPath, limits);
  value.forEach((argument, index) => checkNode(argument, childPath(operatorPath, index), depth, limits));
}

// A var path must be static: json-logic would otherwise evaluate a computed path, and "a.b" walks into data.
function checkVar(value: unknown, path: string, depth: number, limits: Limits): void {
  if (!Array.isArray(value)) return checkVariablePath(value, path, limits);
  if (value.length < 1 || value.length > 2) {
    fail(path, "var 的参数必须是路径或 [路径, 默认值]", "var takes a path or [path, default]");
  }
  checkVariablePath(value[0], childPath(path, 0), limits);
  if (value.length === 2) checkNode(value[1], childPath(path, 1), depth, limits);
}

const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);
const SEGMENT = /^[a-z_][a-z0-9_]*$|^\d+$/;

function checkVariablePath(value: unknown, path: string, limits: Limits): void {
  const isIndex = typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
  if (typeof value !== "string" && !isIndex) {
    fail(path, "变量路径必须是字符串或非负整数", "A variable path must be a string or a non-negative integer");
  }
  const text = String(value);
  checkStringLength(text, path);
  const segments = text.split(".");
  for (const segment of segments) {
    if (FORBIDDEN_SEGMENTS.has(segment) || !SEGMENT.test(segment)) {
      fail(path, `变量路径 "${text.slice(0, 100)}" 不合法`, `Variable path "${text.slice(0, 100)}" is not allowed`);
    }
  }
  if (limits.allowedVariables && !limits.allowedVariables.has(segments[0]!)) {
    fail(path, `未知字段 "${segments[0]}"`, `Unknown field "${segments[0]}"`);
  }
}

// missing takes keys as arguments, or one array of keys; only literal keys, checked like var paths.
function checkMissing(value: unknown, path: string, limits: Limits): void {
  if (!Array.isArray(value)) return checkVariablePath(value, path, limits);
  const nested = value.length === 1 && Array.isArray(value[0]);
  const keys: unknown[] = nested ? (value[0] as unknown[]) : value;
  const keysPath = nested ? childPath(path, 0) : path;
  checkArrayLength(keys, keysPath, limits);
  keys.forEach((key, index) => checkVariablePath(key, childPath(keysPath, index), limits));
}

function checkMissingSome(value: unknown, path: string, limits: Limits): void {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== "number" || !Array.isArray(value[1])) {
    fail(path, "missing_some 的参数必须是 [数量, [路径…]]", "missing_some takes [count, [path, …]]");
  }
  const keys = value[1] as unknown[];
  const keysPath = childPath(path, 1);
  checkArrayLength(keys, keysPath, limits);
  keys.forEach((key, index) => checkVariablePath(key, childPath(keysPath, index), limits));
}
