// Literal checks and SQL placeholders per field kind, chosen so that PostgreSQL compares exactly like JavaScript.
import { fail } from "./errors";
import type { FilterField, FilterFieldKind } from "./filter-sql";

export type Literal = string | number | boolean;

/** What a literal is used for: ordering needs more care than equality for text. */
export type LiteralUse = "equality" | "ordering";

type ScalarKind = Exclude<FilterFieldKind, "text_array" | "uuid_array">;

export const isArrayKind = (kind: FilterFieldKind): boolean => kind === "text_array" || kind === "uuid_array";

/** The kind of one element: arrays hold text or uuids, scalars are their own element. */
export function elementKind(kind: FilterFieldKind): ScalarKind {
  if (kind === "text_array") return "text";
  if (kind === "uuid_array") return "uuid";
  return kind;
}

// Lowercase only: PostgreSQL compares uuids case-insensitively and returns them lowercase, while
// JavaScript compares strings exactly, so an uppercase literal would match in SQL and never in JS.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// The one datetime form records have (Date#toISOString): string order is then time order, and
// equal instants are equal strings; "…T00:00Z" or "+08:00" would equal an instant in SQL only.
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// With /u, \p{Cs} matches only unpaired surrogates, which UTF-8 (and so PostgreSQL) cannot hold.
const LONE_SURROGATE = /\p{Cs}/u;
// JavaScript orders strings by UTF-16 code units, COLLATE "C" by code points: they disagree exactly
// between U+E000–U+FFFF and characters beyond U+FFFF. A literal without either orders identically.
const ORDER_UNSAFE = /[\uD800-\uDFFF\uE000-\uFFFF]/;

const KIND_NAMES: Record<ScalarKind, { zh: string; en: string }> = {
  text: { zh: "文本", en: "a string" },
  number: { zh: "数字", en: "a number" },
  date: { zh: "日期（YYYY-MM-DD）", en: 'a date "YYYY-MM-DD"' },
  datetime: { zh: "时间（YYYY-MM-DDTHH:mm:ss.sssZ）", en: 'a UTC time "YYYY-MM-DDTHH:mm:ss.sssZ"' },
  boolean: { zh: "布尔值", en: "true or false" },
  uuid: { zh: "小写 UUID", en: "a lowercase UUID" },
};

/** Checks a non-null literal against the field's (element) kind; returns it as the binding. */
export function checkLiteral(field: FilterField, value: unknown, path: string, use: LiteralUse): Literal {
  const kind = elementKind(field.kind);
  if (!isValidLiteral(kind, value)) {
    const name = KIND_NAMES[kind];
    fail(path, `字段 "${field.name}" 需要${name.zh}`, `Field "${field.name}" needs ${name.en}`);
  }
  if (use === "ordering" && kind === "text" && ORDER_UNSAFE.test(value as string)) {
    fail(
      path,
      "用于大小比较的文本不能包含 U+E000 以上的字符",
      "Text compared by order may not contain characters from U+E000 upwards",
    );
  }
  return value as Literal;
}

function isValidLiteral(kind: ScalarKind, value: unknown): boolean {
  switch (kind) {
    case "text":
      // PostgreSQL text cannot hold NUL, so such a literal can match nothing there but could in JS.
      return typeof value === "string" && !value.includes("\u0000") && !LONE_SURROGATE.test(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "uuid":
      return typeof value === "string" && UUID.test(value);
    case "date":
      return typeof value === "string" && DATE.test(value) && isCanonicalTime(`${value}T00:00:00.000Z`);
    case "datetime":
      return typeof value === "string" && DATETIME.test(value) && isCanonicalTime(value) && nextMillisecond(value) !== undefined;
  }
}

// Rejects impossible dates (2024-02-30) and year 0, which JavaScript accepts and PostgreSQL does not.
function isCanonicalTime(value: string): boolean {
  const time = Date.parse(value);
  return !Number.isNaN(time) && !value.startsWith("0000") && new Date(time).toISOString() === value;
}

/**
 * The instant 1 ms later, in canonical form. The database layer reads timestamps truncated to the
 * millisecond, so "record == t" means t <= stored < t + 1 ms in SQL.
 */
export function nextMillisecond(value: string): string | undefined {
  const next = new Date(Date.parse(value) + 1).toISOString();
  return DATETIME.test(next) ? next : undefined;
}

const INT4_MAX = 2 ** 31 - 1;

/**
 * The placeholder for a value. PostgreSQL types a bare parameter like its column, so 1.5 or 3e9
 * against an integer column would fail to parse; those go through numeric, which compares exactly
 * (at the cost of an index on an integer column, which such a literal rarely needs).
 */
export function placeholder(kind: FilterFieldKind, value: Literal): string {
  const fitsInteger = typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= INT4_MAX;
  return kind === "number" && !fitsInteger ? "CAST(? AS numeric)" : "?";
}

/** A double-quoted identifier; `?` is refused because knex would read it as a placeholder. */
export function quoteIdentifier(name: string): string {
  if (name === "" || name.includes("?") || name.includes("\u0000")) {
    throw new Error(`Invalid SQL identifier: ${JSON.stringify(name)}`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

export function columnSql(field: FilterField, tableAlias?: string): string {
  const column = quoteIdentifier(field.column);
  return tableAlias === undefined ? column : `${quoteIdentifier(tableAlias)}.${column}`;
}
