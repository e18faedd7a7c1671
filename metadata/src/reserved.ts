// Names metadata may not use: SQL reserved words and the platform's own prefixes.
import { IDENTIFIER_PATTERN } from "./schemas";

/**
 * PostgreSQL's reserved key words (docs, appendix "SQL Key Words": "reserved" and
 * "reserved (can be function or type)"), plus BETWEEN, which PostgreSQL only half-reserves but
 * which breaks unquoted expressions. Names become table and column names; even though the
 * server quotes identifiers, a reserved name is a trap for anyone writing reports or SQL by hand.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  // reserved
  "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case",
  "cast", "check", "collate", "column", "constraint", "create", "current_catalog", "current_date",
  "current_role", "current_time", "current_timestamp", "current_user", "default", "deferrable",
  "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from",
  "grant", "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit",
  "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing",
  "primary", "references", "returning", "select", "session_user", "some", "symmetric",
  "system_user", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using",
  "variadic", "when", "where", "window", "with",
  // reserved (can be function or type)
  "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze",
  "full", "ilike", "inner", "is", "isnull", "join", "left", "like", "natural", "notnull", "outer",
  "overlaps", "right", "similar", "tablesample", "verbose",
  // non-reserved (cannot be function or type), yet a trap in unquoted expressions
  "between",
]);

/** Prefixes of the platform's own tables (sys_*) and PostgreSQL's catalogs (pg_*). */
export const RESERVED_OBJECT_PREFIXES = ["sys_", "pg_"] as const;

const identifierRegExp = new RegExp(IDENTIFIER_PATTERN);

/** True when `name` can be an api name: lower snake_case, ≤ 63 characters, not a reserved word. */
export function isValidIdentifier(name: unknown): name is string {
  return typeof name === "string" && identifierRegExp.test(name) && !RESERVED_WORDS.has(name);
}

export function isReservedWord(name: string): boolean {
  return RESERVED_WORDS.has(name.toLowerCase());
}
