// SQL fragments per field kind: each is TRUE or FALSE (never NULL) and means what json-logic means on the row's value.
import { nextMillisecond, placeholder, type Literal } from "./filter-values";
import type { CompiledFilter, FilterField } from "./filter-sql";

/** A field and its qualified, quoted column. */
export interface ColumnRef {
  field: FilterField;
  column: string;
}

export const sql = (text: string, bindings: unknown[] = []): CompiledFilter => ({ sql: text, bindings });
export const joined = (parts: CompiledFilter[], separator: string): CompiledFilter =>
  sql(parts.map((part) => part.sql).join(separator), parts.flatMap((part) => part.bindings));
export const TRUE = sql("TRUE");
export const FALSE = sql("FALSE");

// json-logic truthiness per kind: "" and 0 are false, an empty array is false, null always false.
export function truthiness({ field, column }: ColumnRef): CompiledFilter {
  switch (field.kind) {
    case "boolean":
      return sql(`(${column} IS TRUE)`);
    case "text":
      return sql(`(${column} IS NOT NULL AND ${column} <> '')`);
    case "number":
      return sql(`(${column} IS NOT NULL AND ${column} <> 0)`);
    case "text_array":
    case "uuid_array":
      return sql(`(${column} IS NOT NULL AND cardinality(${column}) > 0)`);
    default:
      return sql(`(${column} IS NOT NULL)`);
  }
}

export type Order = "<" | "<=" | ">" | ">=";
export const FLIPPED: Record<Order, Order> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

/** One bound "column op value", without the null guard. */
export function bound(field: ColumnRef, order: Order, value: Literal): CompiledFilter {
  const { kind } = field.field;
  if (kind === "datetime") {
    // Records carry timestamps truncated to the millisecond: trunc(v) <= t ⟺ v < t + 1 ms, and so on.
    if (order === "<=") return sql(`${field.column} < ?`, [nextMillisecond(value as string)]);
    if (order === ">") return sql(`${field.column} >= ?`, [nextMillisecond(value as string)]);
  }
  // JavaScript orders strings by code units; "C" orders by code points, the same for checked literals.
  const column = kind === "text" ? `${field.column} COLLATE "C"` : field.column;
  return sql(`${column} ${order} ${placeholder(kind, value)}`, [value]);
}

/** Puts the parts under a NULL check, so that the whole is never NULL. */
export const guarded = (field: ColumnRef, parts: CompiledFilter[]): CompiledFilter => {
  const body = joined(parts, " AND ");
  return sql(`(${field.column} IS NOT NULL AND ${body.sql})`, body.bindings);
};

/** Non-null equality (field is not NULL and equals the value), two-valued. */
export function equalTo(field: ColumnRef, value: Literal): CompiledFilter {
  if (field.field.kind === "datetime") return guarded(field, [bound(field, ">=", value), bound(field, "<=", value)]);
  return guarded(field, [sql(`${field.column} = ${placeholder(field.field.kind, value)}`, [value])]);
}

/** Strict equality with one of the (non-null) values. */
export function listMatch(field: ColumnRef, values: Literal[]): CompiledFilter {
  if (field.field.kind === "datetime") {
    const ranges = values.map((value) => joined([bound(field, ">=", value), bound(field, "<=", value)], " AND "));
    const any = joined(ranges.map((range) => sql(`(${range.sql})`, range.bindings)), " OR ");
    return guarded(field, [sql(`(${any.sql})`, any.bindings)]);
  }
  const marks = values.map((value) => placeholder(field.field.kind, value)).join(", ");
  return guarded(field, [sql(`${field.column} IN (${marks})`, values)]);
}
