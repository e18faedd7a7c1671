// Decides whether a declared action applies to a record from its json-logic `availableWhen` (pure). Only the
// operators actions use are known here; anything else counts as available, and the server decides (422).
export type Availability = boolean | "unknown";

type Rule = unknown;
const UNKNOWN = Symbol("unknown");
type Value = unknown;

function variable(record: Record<string, unknown>, path: unknown): Value {
  const name = Array.isArray(path) ? path[0] : path;
  if (typeof name !== "string" || name === "") return record;
  let current: unknown = record;
  for (const part of name.split(".")) {
    if (current === null || typeof current !== "object") return null;
    current = (current as Record<string, unknown>)[part];
  }
  return current ?? null;
}

const truthy = (value: Value) => (Array.isArray(value) ? value.length > 0 : Boolean(value));

const OPERATORS: Record<string, (args: Value[]) => Value> = {
  "==": ([left, right]) => left == right,
  "===": ([left, right]) => left === right,
  "!=": ([left, right]) => left != right,
  "!==": ([left, right]) => left !== right,
  "!": ([value]) => !truthy(value),
  "!!": ([value]) => truthy(value),
  in: ([needle, haystack]) => (Array.isArray(haystack) ? haystack.includes(needle) : typeof haystack === "string" && typeof needle === "string" && haystack.includes(needle)),
};

function evaluate(rule: Rule, record: Record<string, unknown>): Value | typeof UNKNOWN {
  if (Array.isArray(rule)) {
    const values = rule.map((item) => evaluate(item, record));
    return values.includes(UNKNOWN) ? UNKNOWN : values;
  }
  if (rule === null || typeof rule !== "object") return rule;
  const keys = Object.keys(rule);
  if (keys.length !== 1) return UNKNOWN;
  const operator = keys[0];
  const raw = (rule as Record<string, unknown>)[operator];
  const args = Array.isArray(raw) ? raw : [raw];
  if (operator === "var") return variable(record, raw);
  if (operator === "and" || operator === "or") {
    let last: Value = operator === "and";
    for (const arg of args) {
      const value = evaluate(arg, record);
      if (value === UNKNOWN) return UNKNOWN;
      last = value;
      if (operator === "and" ? !truthy(value) : truthy(value)) return value;
    }
    return last;
  }
  const apply = OPERATORS[operator];
  if (!apply) return UNKNOWN;
  const values = args.map((arg) => evaluate(arg, record));
  return values.includes(UNKNOWN) ? UNKNOWN : apply(values);
}

/** true / false when the rule could be evaluated here; "unknown" for operators this evaluator does not know. */
export function availability(rule: unknown, record: Record<string, unknown>): Availability {
  if (rule === undefined || rule === null) return true;
  const value = evaluate(rule, record);
  return value === UNKNOWN ? "unknown" : truthy(value);
}
