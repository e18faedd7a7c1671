// The list and count queries of a user with a record scope, shaped so that PostgreSQL can answer each
// alternative of the scope from its own index (pure: (object, request, scope predicate) → knex query).
//
// A scope is usually an OR of dimensions (负责员工 OR 相关员工 OR 部门 IN (…)). Put into one WHERE, a
// page sorted by created_at walks the created_at index and tests every row against the OR: cheap when
// the user sees most rows, ruinous when they see a few thousand among millions. Written as a UNION of
// one ordered, limited query per alternative, each alternative walks its own (column, sort, id) index
// and reads at most one page; the page is the first rows of the union, which are necessarily among the
// first rows of some alternative.
import type { Knex } from "knex";
import type { CompiledObject, Model } from "../registry/model";
import type { ScopePredicate } from "../access/record-scope";
import type { PlanMode } from "../db/native-query";
import { compileScope, onOwnColumns } from "../access/scope-sql";
import { SCOPE_COLUMNS_BROADEST_FIRST } from "../schema/indexes";
import { RELATED_KEYS_SCHEMA, relatedKeysOf } from "../schema/related-keys";
import { buildCountQuery, buildListQuery, buildNullTailQuery, hasNullTail, parseSort, type ListRequest } from "./list-query";

/** Above this many alternatives a single scan is cheaper than one index range per alternative. */
export const MAX_UNION_BRANCHES = 32;

/**
 * The alternatives of a scope, one index range each: the items of an OR, with `column IN (a, b)` split into
 * `column = a`, `column = b` (an IN list matches several ranges of a (column, sort) index, none in sort order).
 * Undefined when the scope is one range already, or has too many alternatives.
 */
export function scopeBranches(predicate: ScopePredicate): ScopePredicate[] | undefined {
  const items = predicate.type === "or" ? predicate.items : [predicate];
  const branches = items.flatMap((item): ScopePredicate[] =>
    item.type === "in" && item.values.length > 1
      ? item.values.map((value) => ({ type: "equals", column: item.column, value, origin: item.origin }))
      : [item],
  );
  if (branches.length < 2 || branches.length > MAX_UNION_BRANCHES) return undefined;
  return branches;
}

export interface ScopedQueryInput {
  db: Knex;
  model: Model;
  /** The object as the user sees it (hidden fields removed). */
  shape: CompiledObject;
  request: ListRequest;
  predicate: ScopePredicate;
  /** Extra conditions of the caller (a related list's link column). */
  prepare?: (query: Knex.QueryBuilder) => void;
}

const quote = (identifier: string) => `"${identifier}"`;

function withScope(query: Knex.QueryBuilder, predicate: ScopePredicate, input: ScopedQueryInput): Knex.QueryBuilder {
  input.prepare?.(query);
  if (predicate.type === "true") return query;
  const compiled = compileScope(predicate, { model: input.model, object: input.shape.name, alias: input.shape.name });
  return query.whereRaw(compiled.sql, compiled.bindings as Knex.RawBinding[]);
}

/** The user's scope as alternatives on the object's own columns (its customer's visibility on the copied keys). */
const ownScope = (input: ScopedQueryInput) => onOwnColumns(input.predicate, { model: input.model, object: input.shape.name });

/**
 * At most how many rows of the plain list a bounded walk reads (see buildBoundedWalkQuery and walkWindowFor). A setting
 * object, not a constant, so that tests can make the walk short and exercise both ways of reading a page on small data.
 */
export const LIST_PLANNING = { walkWindow: 2000 };

/** Scope columns whose alternatives are one person's records (负责员工, 相关员工, and the customer's copies of them). */
const PERSONAL_COLUMNS = new Set(["owner_id", "related_employee_ids", "customer_owner_id", "customer_related_ids"]);

/**
 * How far a bounded walk of the plain list may go before the page is left to the union of alternatives, or undefined
 * when it is not worth walking at all.
 *
 * A scope of a person's own records only (a salesperson's 负责员工 OR 相关员工, and their customers' contacts) is narrow:
 * such a user sees a few records in a hundred, the walk would find no page, and the union reads it from at most four
 * index ranges. Otherwise (department ranges, customer grants) the user may well see a fair share of the rows, and the
 * walk goes twice as far as the union reads (one page per alternative): far enough for a user who sees a quarter of the
 * rows to find a page with room to spare, and short enough that a walk that finds none (a page whose order crosses a
 * large block of someone else's rows) costs about what the union after it costs, instead of several times that.
 */
export function walkWindowFor(branches: readonly ScopePredicate[], limit: number): number | undefined {
  const personal = branches.every((branch) => (branch.type === "equals" || branch.type === "contains") && PERSONAL_COLUMNS.has(branch.column));
  return personal ? undefined : Math.min(LIST_PLANNING.walkWindow, 2 * branches.length * (limit + 1));
}

/**
 * The first rows of the plain list (no scope), at most `walkWindow` of them, filtered by the scope. When the user sees
 * a fair share of the rows, the page is among them and this is the cheapest way to read it: one short index walk.
 * When it yields less than a page, the page must be read per alternative (buildScopedListQuery): the first visible
 * rows may lie far down the list (a skewed import) or an alternative's rows be scattered (a GIN containment).
 */
export function buildBoundedWalkQuery(input: ScopedQueryInput, walkWindow = LIST_PLANNING.walkWindow): Knex.QueryBuilder {
  const { db, shape, request, predicate } = input;
  const window = buildListQuery(db, shape, { ...request, limit: walkWindow - 1 }, ["*"]);
  input.prepare?.(window);
  const query = db.select(shape.readColumns).from(window.as(shape.name));
  if (predicate.type !== "true") {
    const compiled = compileScope(predicate, { model: input.model, object: shape.name, alias: shape.name });
    query.whereRaw(compiled.sql, compiled.bindings as Knex.RawBinding[]);
  }
  for (const key of request.sort) query.orderBy(key.column, key.descending ? "desc" : "asc");
  return query.limit(request.limit + 1, { skipBinding: true });
}

/**
 * Whether the list is in this column's order, then the id's, one way or the other: the order of the scope columns'
 * indexes (schema/indexes.ts) and of the related-employee keys, for the object's default sort column.
 */
function inOrderOf(request: ListRequest, column: string): boolean {
  const [first, last] = request.sort;
  return request.sort.length === 2 && first.column === column && last.column === "id" && first.descending === last.descending;
}

/** A statement's text and bindings, to be written into a larger statement. */
interface SqlPart {
  sql: string;
  bindings: readonly unknown[];
}

/**
 * One alternative's page of the union when it is "this employee is a related employee" (an array containment) and the
 * list is in the object's default order: read from the object's related-employee keys (schema/related-keys.ts), the
 * employee's rows in list order, instead of every record the GIN index finds, sorted. Undefined when that side table
 * does not serve this order (another sort, or a cursor on a NULL sort key).
 *
 * The triggers that keep the side table change it in the transaction that changes the record, so a key row is there
 * exactly while its record is live and lists the employee, with the record's sort key: the containment, the cursor and
 * "not deleted" are answered by the side table's index alone. Only conditions of the list itself (filter, search, a
 * related list's link) need the record: then each key row is joined to it. Those never repeat the containment or the
 * cursor on the record: PostgreSQL would take them for filters that drop most rows (the containment alone selects
 * 1.5% of a million customers), expect to walk thousands of key rows for a page, and plan a parallel scan that costs
 * more to start than the whole page.
 * `_key` / `_page` / `_row` cannot be object names (which start with a letter), so the list query's own references to
 * its table stay unambiguous inside the LATERAL.
 */
function relatedKeysBranch(input: ScopedQueryInput, branch: ScopePredicate): SqlPart | undefined {
  const { db, shape, request } = input;
  if (branch.type !== "contains") return undefined;
  const object = input.model.objects.get(shape.name);
  const spec = object && relatedKeysOf({ name: object.name, object: object.definition, columns: object.columns });
  const source = spec?.sources.find((candidate) => candidate.column === branch.column);
  if (!spec || !source) return undefined;
  if (!inOrderOf(request, spec.sortColumn)) return undefined;
  const [first] = request.sort;
  if (request.after && (request.after[0] === null || request.after[0] === undefined)) return undefined;
  const direction = first.descending ? "desc" : "asc";
  const keys = `${quote(RELATED_KEYS_SCHEMA)}.${quote(spec.name)} as "_key"`;
  const range = `where "_key"."employee_id" = ? and "_key"."via_customer" = ?${request.after ? ` and ("_key"."sort_key", "_key"."record_id") ${first.descending ? "<" : ">"} (?, ?)` : ""}`;
  const rangeBindings = [branch.value, source.viaCustomer, ...(request.after ? request.after.slice(0, 2) : [])];
  // The limit written in, as buildListQuery has it.
  const order = `order by "_key"."sort_key" ${direction}, "_key"."record_id" ${direction} limit ${Number(request.limit + 1)}`;
  const select = `select "_key"."record_id" as "id", "_key"."sort_key" as ${quote(spec.sortColumn)} from ${keys}`;
  if (request.filter === undefined && !request.search && !input.prepare) return { sql: `${select} ${range} ${order}`, bindings: rangeBindings };
  const page = buildListQuery(db, shape, { ...request, after: undefined }, ["id"]).clear("order").clear("limit");
  input.prepare?.(page);
  const joined = page.whereRaw(`"id" = "_key"."record_id"`).toSQL();
  return { sql: `${select} cross join lateral (${joined.sql}) as "_page" ${range} ${order}`, bindings: [...joined.bindings, ...rangeBindings] };
}

/**
 * One page (limit + 1 rows) of the user's list. Each alternative reads its first keys (id and sort key) in list order
 * from its own index range: an index-only read, which PostgreSQL prefers to any walk of the whole list whatever the
 * values, so that the statement can be planned once for every employee and cursor (db/native-query.ts). Each key is
 * joined to its row as the union reaches it: PostgreSQL merges the alternatives (Merge Append), drops a row found by
 * several of them as it passes (DISTINCT ON the sort key of adjacent rows) and stops at the page, reading only as far
 * into each as the page reaches, and each of the page's rows once.
 */
export function buildScopedListQuery(input: ScopedQueryInput): Knex.QueryBuilder {
  const { db, shape, request, predicate } = input;
  const scope = ownScope(input);
  // A scope of one containment is a union of one part when the related-employee keys serve it.
  const branches = scopeBranches(scope) ?? (relatedKeysBranch(input, scope) ? [scope] : undefined);
  if (!branches) return withScope(buildListQuery(db, shape, request), predicate, input);
  // The sort keys, the id last (parseSort closes every order with it).
  const keyColumns = request.sort.map((key) => key.column);
  const rowColumns = shape.readColumns.map((column) => (keyColumns.includes(column) ? `"_keys".${quote(column)}` : `"_row".${quote(column)}`)).join(", ");
  const keyOrder = request.sort
    .map((key) => `"_keys".${quote(key.column)} ${key.descending ? "desc" : "asc"}`)
    .join(", ");
  const restColumns = shape.readColumns.filter((column) => !keyColumns.includes(column)).map(quote).join(", ");
  const parts = branches.map((branch): SqlPart => {
    const keys = relatedKeysBranch(input, branch) ?? withScope(buildListQuery(db, shape, request, keyColumns), branch, input).toSQL();
    // Ordered and limited again (the keys come in this order already, nothing is sorted): PostgreSQL then knows that
    // the part comes in list order, and merges the parts instead of joining every key and sorting them all.
    return {
      sql: `select ${rowColumns} from (${keys.sql}) as "_keys" cross join lateral (select ${restColumns || "1"} from ${quote(shape.name)} where "id" = "_keys"."id") as "_row" order by ${keyOrder} limit ${Number(request.limit + 1)}`,
      bindings: keys.bindings,
    };
  });
  const union = parts.map((part) => `(${part.sql})`).join(" UNION ALL ");
  const query: Knex.QueryBuilder = db
    .queryBuilder()
    .select(shape.readColumns)
    .distinctOn(keyColumns)
    .from(db.raw(`(${union}) as "alternatives"`, parts.flatMap((part) => part.bindings) as Knex.RawBinding[]));
  for (const key of request.sort) query.orderBy(key.column, key.descending ? "desc" : "asc");
  return query.limit(request.limit + 1, { skipBinding: true });
}

/**
 * One statement of the way the records service reads a page of a user's list. A step runs only while the rows read so
 * far are not more than a page; its rows then replace them (a better way to read the same page) or follow them.
 */
export interface ListStep<Query> {
  query: Query;
  rows: "replace" | "append";
}

/**
 * How one page (limit + 1 rows) of the user's list is read: a bounded walk of the plain list when the scope has
 * several alternatives that may be broad (walkWindowFor), else (or when the walk yields no more than a page) the
 * scoped list, then the rows whose nullable sort key is NULL when the order has such a tail. The records service runs
 * these steps (readListSteps), and so does bench/permissions, so that what it measures is what the service runs.
 */
export function buildListSteps(input: ScopedQueryInput): ListStep<Knex.QueryBuilder>[] {
  const { db, shape, request, predicate } = input;
  const steps: ListStep<Knex.QueryBuilder>[] = [];
  const branches = scopeBranches(ownScope(input));
  const walkWindow = branches && walkWindowFor(branches, request.limit);
  if (walkWindow) steps.push({ query: buildBoundedWalkQuery(input, walkWindow), rows: "replace" });
  steps.push({ query: buildScopedListQuery(input), rows: "replace" });
  if (hasNullTail(request.sort, request.after)) steps.push({ query: withScope(buildNullTailQuery(db, shape, request, request.limit + 1), predicate, input), rows: "append" });
  return steps;
}

/**
 * How PostgreSQL may plan the compiled steps of a page (db/native-query.ts): once per connection when the page is in
 * the object's default order (either way) and has no condition of the user's own (filter, search) nor a parent's
 * link. Its values are then only the scope's employees and departments, the cursor and the limit, each an equality or
 * a range on the leading columns of an index kept in that order (schema/indexes.ts), which every value walks the same
 * way. For its values every time otherwise: in another order, the owner of 100,000 customers wants his rows walked in
 * that order and filtered, and everyone else wants theirs read and sorted.
 */
export function listPlanMode(object: CompiledObject, request: ListRequest, linked: boolean): PlanMode {
  const defaultOrder = inOrderOf(request, parseSort(object, undefined)[0].column);
  return defaultOrder && request.filter === undefined && !request.search && !linked ? "generic" : "custom";
}

/** Runs list steps (built by buildListSteps, possibly compiled) in order: the rows of the page, limit + 1 at most. */
export async function readListSteps<Query, Row>(steps: ListStep<Query>[], limit: number, run: (query: Query) => Promise<Row[]>): Promise<Row[]> {
  let rows: Row[] = [];
  for (const step of steps) {
    if (rows.length > limit) break;
    const read = await run(step.query);
    rows = step.rows === "replace" ? read : [...rows, ...read];
  }
  return rows.slice(0, limit + 1);
}

/**
 * Where an alternative comes in a scoped count: a condition on a scope column by that column's place from the broadest
 * to the narrowest, then array containments (相关员工: a GIN index, never index-only), then everything else.
 */
function countRank(branch: ScopePredicate): number {
  const columns = SCOPE_COLUMNS_BROADEST_FIRST.length;
  if (branch.type === "equals" || branch.type === "in") {
    const place = SCOPE_COLUMNS_BROADEST_FIRST.indexOf(branch.column);
    return place === -1 ? columns : place;
  }
  return branch.type === "contains" ? columns + 1 : columns + 2;
}

/**
 * The number of rows the user sees under the list's conditions: with a scope of several alternatives, the
 * sum of disjoint counts (rows of the first alternative, rows of the second that are not in the first, …),
 * each of which PostgreSQL counts from its own index instead of testing the whole OR on every row.
 *
 * The broadest alternative comes first and is counted from its (column, sort, id) index alone. Each narrower one
 * leaves out the rows of the broader ones, which its index answers too (it carries their columns, see
 * schema/indexes.ts), so that a manager's department range, his own rows and a skewed owner's rows under his
 * customers are all counted without reading table rows; only containments and sub-selects read them, last.
 */
export function buildScopedCountQuery(input: ScopedQueryInput): Knex.QueryBuilder | Knex.Raw {
  const { db, shape, request, predicate } = input;
  const scope = ownScope(input);
  if (scope.type !== "or") return withScope(buildCountQuery(db, shape, request), predicate, input);
  const compile = (item: ScopePredicate) => compileScope(item, { model: input.model, object: shape.name, alias: shape.name });
  const ordered = scope.items.map((item, index) => ({ item, index })).sort((a, b) => countRank(a.item) - countRank(b.item) || a.index - b.index);
  const compiled = ordered.map(({ item }) => compile(item));
  const parts = compiled.map((branch, index) => {
    const query = buildCountQuery(db, shape, request);
    input.prepare?.(query);
    query.whereRaw(branch.sql, branch.bindings as Knex.RawBinding[]);
    // IS NOT TRUE, not NOT: an earlier alternative that is NULL on a row did not count it.
    for (const earlier of compiled.slice(0, index)) query.whereRaw(`(${earlier.sql}) IS NOT TRUE`, earlier.bindings as Knex.RawBinding[]);
    return query.toSQL();
  });
  return db.raw(`SELECT ${parts.map((part) => `(${part.sql})`).join(" + ")} AS "total"`, parts.flatMap((part) => part.bindings) as Knex.RawBinding[]);
}

/** Runs a count built above: a raw statement answers like the driver (rows inside), a builder with the rows. */
export async function countRows(query: Knex.QueryBuilder | Knex.Raw): Promise<number> {
  const result = await query;
  const rows = Array.isArray(result) ? result : (result as { rows: { total: unknown }[] }).rows;
  return Number(rows[0].total);
}
