// SQL text helpers for DDL: checked and quoted identifiers, trusted-type checks, deterministic object names.
import { createHash } from "node:crypto";
import { SchemaPlanError } from "./errors";

export const TABLE_SCHEMA = "public";
export const MAX_IDENTIFIER_LENGTH = 63;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
// Types come from registry/columns.ts; checking them anyway means no unchecked text reaches the SQL.
const SQL_TYPE = /^[a-z][a-z ]*(?:\(\d+(?:,\d+)?\))?(?:\[\])?$/;
const SQL_DEFAULT = /^(?:(?:sys\.)?[a-z_]+\(\)|-?\d+|true|false|'\{\}'::[a-z]+\[\])$/;

/** Throws unless `name` is a lower-case SQL identifier PostgreSQL keeps whole (≤ 63 bytes). */
export function checkIdentifier(name: string, path = ""): string {
  if (!IDENTIFIER.test(name) || name.length > MAX_IDENTIFIER_LENGTH) {
    throw new SchemaPlanError([
      {
        path,
        message: {
          "zh-CN": `"${name}" 不是合法的标识符（小写字母、数字、下划线，最多 63 个字符）`,
          en: `"${name}" is not a valid identifier (lower-case letters, digits, underscores, at most 63 characters)`,
        },
      },
    ]);
  }
  return name;
}

export function quote(name: string): string {
  return `"${checkIdentifier(name)}"`;
}

/** A table of the object schema, schema-qualified so the search_path never matters. */
export function qualified(name: string): string {
  return `"${TABLE_SCHEMA}".${quote(name)}`;
}

export function checkSqlType(sqlType: string): string {
  if (!SQL_TYPE.test(sqlType)) throw new Error(`Unexpected SQL type from the column registry: ${sqlType}`);
  return sqlType;
}

export function checkSqlDefault(expression: string): string {
  if (!SQL_DEFAULT.test(expression)) throw new Error(`Unexpected SQL default from the column registry: ${expression}`);
  return expression;
}

/**
 * `<prefix>_<part>_<part>…`, cut to 63 characters with a hash of the full name when longer, so the
 * same table and column always give the same name and two long names do not collide after truncation.
 */
export function derivedName(prefix: string, ...parts: string[]): string {
  const full = [prefix, ...parts].join("_");
  if (full.length <= MAX_IDENTIFIER_LENGTH) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, NAME_HASH_LENGTH);
  return `${full.slice(0, MAX_IDENTIFIER_LENGTH - NAME_HASH_LENGTH - 1)}_${hash}`;
}

const NAME_HASH_LENGTH = 8;
const CUT_NAME = new RegExp(`_[0-9a-f]{${NAME_HASH_LENGTH}}$`);

/** Whether `name` can be `derivedName(prefix, first, …more parts)`, cut names included. */
export function isDerivedName(name: string, prefix: string, first: string): boolean {
  const stem = `${prefix}_${first}_`;
  if (name.startsWith(stem)) return true;
  const kept = MAX_IDENTIFIER_LENGTH - NAME_HASH_LENGTH - 1;
  return name.length === MAX_IDENTIFIER_LENGTH && stem.length > kept && name.startsWith(stem.slice(0, kept)) && CUT_NAME.test(name);
}
