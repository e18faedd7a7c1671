// Opaque keyset cursors: the last row's sort values, tied to the sort they belong to.
import { validationFailed } from "../errors/errors";
import type { SortKey } from "./list-query";
import { UUID, type ValueKind } from "../registry/columns";

/** A forged cursor must not reach PostgreSQL with a value its column cannot compare against. */
function fitsKind(value: unknown, kind: ValueKind): boolean {
  if (value === null) return true;
  switch (kind) {
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "uuid":
      return typeof value === "string" && UUID.test(value);
    case "date":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
    case "datetime":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}T[0-9:.]+Z$/.test(value) && !Number.isNaN(Date.parse(value));
    case "text":
      return typeof value === "string" && value.length <= 1000;
    default:
      return false;
  }
}

const signature = (sort: SortKey[]) => sort.map((key) => `${key.descending ? "-" : ""}${key.column}`).join(",");

export function encodeCursor(sort: SortKey[], row: Record<string, unknown>): string {
  const values = sort.map((key) => row[key.column] ?? null);
  return Buffer.from(JSON.stringify({ s: signature(sort), v: values })).toString("base64url");
}

const invalidCursor = () =>
  validationFailed([{ path: "/cursor", message: { "zh-CN": "分页游标无效或已过期", en: "The cursor is invalid or does not match the sort" } }]);

export function decodeCursor(sort: SortKey[], cursor: string): unknown[] {
  if (cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  const { s, v } = (parsed ?? {}) as { s?: unknown; v?: unknown };
  if (s !== signature(sort) || !Array.isArray(v) || v.length !== sort.length) throw invalidCursor();
  if (!v.every((value, index) => fitsKind(value, sort[index].kind)) || v[v.length - 1] === null) throw invalidCursor();
  return v;
}
