// The list query of any object, as a pure function: (object, parsed list parameters) → knex query.
import type { Knex } from "knex";
import type { CompiledObject } from "../registry/model";
import type { ValueKind } from "../registry/columns";
import { compileFilter } from "../rules/filter-sql";
import { ExpressionError } from "../rules/errors";
import { AppError, validationFailed } from "../errors/errors";

export interface SortKey {
  column: string;
  descending: boolean;
  /** Whether the column may hold NULL (decides how the keyset comparison treats it). */
  nullable: boolean;
  kind: ValueKind;
}

export interface ListRequest {
  filter?: unknown;
  sort: SortKey[];
  /** Values of the sort keys (then id) of the last row of the previous page. */
  after?: unknown[];
  limit: number;
  search?: string;
}

export const MAX_LIMIT = 200;
export const DEFAULT_LIMIT = 50;

const quote = (identifier: string) => `"${identifier}"`;

const parsedSorts = new WeakMap<CompiledObject, Map<string, readonly SortKey[]>>();
const MAX_PARSED_SORTS = 100;

/** Parses "-amount,name" against the object's sortable columns; id always closes the order. Read-only, shared. */
export function parseSort(object: CompiledObject, sort: string | undefined): SortKey[] {
  const text = sort && sort.trim() !== "" ? sort : object.defaultSort;
  let parsed = parsedSorts.get(object);
  const known = parsed?.get(text);
  if (known) return known as SortKey[];
  const keys = parseSortText(object, text);
  if (!parsed) parsedSorts.set(object, (parsed = new Map()));
  if (parsed.size >= MAX_PARSED_SORTS) parsed.clear();
  parsed.set(text, Object.freeze(keys));
  return keys;
}

function parseSortText(object: CompiledObject, text: string): SortKey[] {
  const keys: SortKey[] = [];
  for (const [index, part] of text.split(",").entries()) {
    const descending = part.startsWith("-");
    const name = descending ? part.slice(1) : part;
    const column = object.columnByName.get(name);
    if (!column || !object.filterFields.has(name) || column.kind.endsWith("_array")) {
      throw validationFailed([
        { path: `/sort/${index}`, message: { "zh-CN": `不能按字段 "${name}" 排序`, en: `Cannot sort by field "${name}"` } },
      ]);
    }
    if (name !== "id" && !keys.some((key) => key.column === name)) keys.push({ column: name, descending, nullable: !column.notNull, kind: column.kind });
  }
  keys.push({ column: "id", descending: keys[0]?.descending ?? false, nullable: false, kind: "uuid" });
  return keys;
}

/**
 * Whether "after the cursor" is exactly a row comparison, which PostgreSQL serves as an index range.
 * NULL sorts as the largest value: first in a descending order (so before any non-null cursor), last
 * in an ascending one (so a nullable ascending key needs the NULL tail read separately, see tailQuery).
 */
function rowComparable(sort: SortKey[], values: unknown[]): boolean {
  if (!sort.every((key) => key.descending === sort[0].descending)) return false;
  if (values.some((value) => value === null)) return false;
  return sort[0].descending || sort.every((key) => !key.nullable);
}

/** An ascending sort on one nullable key: the rows with NULL come after every cursor with a value. */
export function hasNullTail(sort: SortKey[], values: unknown[] | undefined): boolean {
  return sort.length === 2 && !sort[0].descending && sort[0].nullable && values !== undefined && values[0] !== null;
}

/** Rows strictly after the cursor in the sort order. PostgreSQL sorts NULL as the largest value both ways. */
function afterCursor(sort: SortKey[], values: unknown[]): { sql: string; bindings: unknown[] } {
  if (rowComparable(sort, values) || hasNullTail(sort, values)) {
    // A row comparison lets PostgreSQL walk the (column, id) index from the cursor.
    const columns = sort.map((key) => quote(key.column)).join(", ");
    const marks = sort.map(() => "?").join(", ");
    return { sql: `(${columns}) ${sort[0].descending ? "<" : ">"} (${marks})`, bindings: values };
  }
  const alternatives: string[] = [];
  const bindings: unknown[] = [];
  for (let depth = 0; depth < sort.length; depth += 1) {
    const parts: string[] = [];
    for (let index = 0; index < depth; index += 1) {
      const column = quote(sort[index].column);
      if (values[index] === null) parts.push(`${column} IS NULL`);
      else {
        parts.push(`${column} = ?`);
        bindings.push(values[index]);
      }
    }
    const key = sort[depth];
    const column = quote(key.column);
    const value = values[depth];
    if (!key.descending) {
      if (value === null) continue; // nothing sorts after NULL ascending
      parts.push(key.nullable ? `(${column} > ? OR ${column} IS NULL)` : `${column} > ?`);
      bindings.push(value);
    } else if (value === null) {
      parts.push(`${column} IS NOT NULL`);
    } else {
      parts.push(`${column} < ?`);
      bindings.push(value);
    }
    alternatives.push(`(${parts.join(" AND ")})`);
  }
  return { sql: alternatives.length ? `(${alternatives.join(" OR ")})` : "FALSE", bindings };
}

/** Escapes LIKE wildcards so that a search for "50%" finds the text "50%". */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/** Applies filter, search and soft-delete exclusion: shared by the list, its count and exports. */
export function applyListConditions(query: Knex.QueryBuilder, object: CompiledObject, request: Omit<ListRequest, "sort" | "limit">) {
  query.whereNull("deleted_at");
  if (request.filter !== undefined) {
    try {
      const compiled = compileFilter(request.filter, object.filterFields);
      query.whereRaw(compiled.sql, compiled.bindings as Knex.RawBinding[]);
    } catch (error) {
      if (error instanceof ExpressionError) {
        throw validationFailed([{ path: `/filter${error.path}`, message: error.messages }], error.messages);
      }
      throw error;
    }
  }
  if (request.search) {
    if (object.searchColumns.length === 0) {
      throw new AppError("VALIDATION_FAILED", {
        details: [{ path: "/q", message: { "zh-CN": "该对象没有可搜索的字段", en: "This object has no searchable field" } }],
      });
    }
    const pattern = likePattern(request.search);
    query.where((inner) => {
      for (const column of object.searchColumns) inner.orWhereRaw(`${quote(column)} ILIKE ?`, [pattern]);
    });
  }
  return query;
}

export function buildListQuery(db: Knex, object: CompiledObject, request: ListRequest, columns: readonly string[] = object.readColumns): Knex.QueryBuilder {
  const query = db(object.name).select(columns);
  applyListConditions(query, object, request);
  if (request.after) {
    const condition = afterCursor(request.sort, request.after);
    query.whereRaw(condition.sql, condition.bindings as Knex.RawBinding[]);
  }
  for (const key of request.sort) query.orderBy(key.column, key.descending ? "desc" : "asc");
  // One row more than asked tells whether another page exists without a count. The limit is written into the text,
  // not bound: a statement planned once (db/native-query.ts) would otherwise be planned for an unknown limit, which
  // PostgreSQL takes for a tenth of the rows, and walk the sort order past 100,000 rows of someone else's department
  // instead of reading the department's own index range.
  return query.limit(request.limit + 1, { skipBinding: true });
}

/**
 * The rows with NULL in the sort key, read after the non-null ones are exhausted (see hasNullTail):
 * `(key, id) > cursor OR key IS NULL` in one query would make PostgreSQL scan the index from its start.
 */
export function buildNullTailQuery(db: Knex, object: CompiledObject, request: ListRequest, limit: number): Knex.QueryBuilder {
  const query = db(object.name).select(object.readColumns);
  applyListConditions(query, object, request);
  return query.whereNull(request.sort[0].column).orderBy("id", "asc").limit(limit, { skipBinding: true });
}

export function buildCountQuery(db: Knex, object: CompiledObject, request: Omit<ListRequest, "sort" | "limit">) {
  return applyListConditions(db(object.name).count({ total: "*" }), object, request);
}
