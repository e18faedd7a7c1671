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
import { or, type ScopePredicate } from "../access/record-scope";
import type { PlanMode } from "../db/native-query";
import { compileScope, onOwnColumns } from "../access/scope-sql";
import { SCOPE_COLUMNS_BROADEST_FIRST } from "../schema/indexes";
import { allRelations, RELATED_KEY_SOURCES, RELATED_KEYS_SCHEMA, relatedKeysOf, type RelatedKeysSpec } from "../schema/related-keys";
import { buildCountQuery, buildListQuery, buildNullTailQuery, hasNullTail, parseSort, type ListRequest } from "./list-query";

/** Above this many alternatives a single scan is cheaper than one index range per alternative. */
export const MAX_UNION_BRANCHES = 32;

/**
 * The alternatives of a scope, one index range each: the items of an OR, with `column IN (a, b)` split into
 * `column = a`, `column = b` (an IN list matches several ranges of a (column, sort) index, none in sort order).
 * Undefined when the scope has too many alternatives to read each from its own index.
 */
export function scopeBranches(predicate: ScopePredicate): ScopePredicate[] | undefined {
  const items = predicate.type === "or" ? predicate.items : [predicate];
  const branches = items.flatMap((item): ScopePredicate[] =>
    item.type === "in" && item.values.length > 1
      ? item.values.map((value) => ({ type: "equals", column: item.column, value, origin: item.origin }))
      : [item],
  );
  return branches.length > MAX_UNION_BRANCHES ? undefined : branches;
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
const PERSONAL_COLUMNS = new Set(RELATED_KEY_SOURCES.map((source) => source.column));

/**
 * How far a bounded walk of the plain list may go before the page is left to the union of its parts, or undefined
 * when it is not worth walking at all (buildListSteps does not walk either when the parts are a few index ranges, see
 * fewRanges).
 *
 * A scope of a person's own records only (a salesperson's 负责员工 OR 相关员工, and their customers' contacts) is narrow:
 * such a user sees a few records in a hundred, the walk would find no page, and the union reads it from the personal
 * keys. Otherwise (department ranges, customer grants) the user may well see a fair share of the rows, and the walk
 * goes twice as far as the union of its `parts` reads (one page per part, listParts): far enough for a user who sees a
 * quarter of the rows to find a page with room to spare, and short enough that a walk that finds none (a page whose
 * order crosses a large block of someone else's rows) costs about what the union after it costs.
 */
export function walkWindowFor(branches: readonly ScopePredicate[], parts: number, limit: number): number | undefined {
  const personal = branches.every((branch) => (branch.type === "equals" || branch.type === "contains") && PERSONAL_COLUMNS.has(branch.column));
  return personal ? undefined : Math.min(LIST_PLANNING.walkWindow, 2 * parts * (limit + 1));
}

/**
 * The first rows of the plain list (no scope), at most `walkWindow` of them, filtered by the scope. When the user sees
 * a fair share of the rows, the page is among them and this is the cheapest way to read it: one short index walk.
 * When it yields less than a page, the page must be read per alternative (buildScopedListQuery): the first visible
 * rows may lie far down the list (a skewed import) or an alternative's rows be scattered (a GIN containment).
 */
export function buildBoundedWalkQuery(input: ScopedQueryInput, walkWindow = LIST_PLANNING.walkWindow): Knex.QueryBuilder {
  const onIndex = buildIndexWalkQuery(input, walkWindow);
  if (onIndex) return onIndex;
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
 * The bounded walk on the entries of the default order's index alone, when they answer it: the index carries the scope
 * columns (schema/indexes.ts), so that the walk tests the alternatives on them (a manager's departments, his own
 * records) without reading the rows it passes over. A page that crosses a large block of someone else's rows then
 * costs a walk of index entries before the union, not one table row per entry.
 *
 * A person's relations the entries do not carry (相关员工, arrays) are read beside the walk from the personal keys,
 * within the window (up to its last entry): the walk's rows are then the visible rows of the window, as in a walk that
 * reads the rows. The window's entries are kept (MATERIALIZED) for the walk and for its last entry.
 * Undefined when the list is in another order, by a column that may be NULL, or has conditions of its own (which only
 * the row answers), or when an alternative is not an equality on a column the index carries.
 */
function buildIndexWalkQuery(input: ScopedQueryInput, walkWindow: number): Knex.QueryBuilder | undefined {
  const { db, shape, request } = input;
  const spec = relatedKeysServing(input);
  const object = input.model.objects.get(shape.name);
  const branches = scopeBranches(ownScope(input));
  // A NULL sort key has no place in the row comparison with the window's last entry.
  if (!spec || !object || !branches || hasListConditions(input) || request.sort[0].nullable) return undefined;
  const parts = listParts(input, branches);
  const carried = new Set(object.columns.map((column) => column.name).filter((name) => SCOPE_COLUMNS_BROADEST_FIRST.includes(name)));
  const tested = parts.flatMap((part) => (part.type === "alternative" ? [part.branch] : []));
  if (tested.length === 0 || !tested.every((branch) => branch.type === "equals" && carried.has(branch.column))) return undefined;
  const keyColumns = request.sort.map((key) => key.column);
  const columns = [...new Set(tested.map((branch) => (branch as { column: string }).column))];
  const window = buildListQuery(db, shape, { ...request, limit: walkWindow - 1 }, [...keyColumns, ...columns]);
  const walked = db.select(keyColumns).from(`_window as ${shape.name}`);
  const compiled = compileScope(or(tested), { model: input.model, object: shape.name, alias: shape.name });
  walked.whereRaw(compiled.sql, compiled.bindings as Knex.RawBinding[]);
  for (const key of request.sort) walked.orderBy(key.column, key.descending ? "desc" : "asc");
  walked.limit(request.limit + 1, { skipBinding: true });
  // The window's last entry: the list's order reversed, first.
  const [first] = request.sort;
  const reversed = request.sort.map((key) => `${quote(key.column)} ${key.descending ? "asc" : "desc"}`).join(", ");
  const lastEntry = `("_key"."sort_key", "_key"."record_id") ${first.descending ? ">=" : "<="} (select ${keyColumns.map(quote).join(", ")} from "_window" order by ${reversed} limit 1)`;
  const beside = parts.flatMap((part) => (part.type === "personal" ? [personalKeysPart(input, part, lastEntry)] : []));
  return pageOfKeys(input, [walked.toSQL(), ...beside]).withMaterialized("_window", window);
}

/**
 * Whether the list is in this column's order, then the id's, one way or the other: the order of the scope columns'
 * indexes (schema/indexes.ts) and of the personal keys, for the object's default sort column.
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

/** The object's personal keys (schema/related-keys.ts), when it has them. */
function relatedKeysFor(input: Pick<ScopedQueryInput, "model" | "shape">): RelatedKeysSpec | undefined {
  const object = input.model.objects.get(input.shape.name);
  return object && relatedKeysOf({ name: object.name, object: object.definition, columns: object.columns });
}

/** The personal keys, when they serve this list: in the object's default order, after no cursor on a NULL sort key. */
function relatedKeysServing(input: ScopedQueryInput): RelatedKeysSpec | undefined {
  const spec = relatedKeysFor(input);
  if (!spec || !inOrderOf(input.request, spec.sortColumn)) return undefined;
  const { after } = input.request;
  if (after && (after[0] === null || after[0] === undefined)) return undefined;
  return spec;
}

/** One part of a scoped page: an alternative read from its own index, or all of one person's read from the personal keys. */
type ListPart = { type: "alternative"; branch: ScopePredicate } | PersonalPart;

/** One person's records in the personal keys that serve the list, with the relations the scope grants. */
interface PersonalPart {
  type: "personal";
  spec: RelatedKeysSpec;
  employee: string;
  relations: number;
}

/**
 * The parts of the user's page: the alternatives of the scope, with each person's personal ones (负责员工, 相关员工 and
 * its customer's) made one part when the personal keys hold them and serve the list. A contact of a salesperson's is
 * then one index range instead of four merged. A person's ownership alone stays an alternative: the owner's
 * (owner_id, sort, id) index is that same range without a test of the relations.
 */
function listParts(input: ScopedQueryInput, branches: readonly ScopePredicate[]): ListPart[] {
  const spec = relatedKeysServing(input);
  // In the scope's order, a person's part where their first relation comes.
  const people = new Map<string, { relations: number; branches: ScopePredicate[] }>();
  const order: (ScopePredicate | string)[] = [];
  for (const branch of branches) {
    const bit = spec && relationBit(spec, branch);
    if (!bit || (branch.type !== "equals" && branch.type !== "contains")) {
      order.push(branch);
      continue;
    }
    const person = people.get(branch.value);
    if (!person) order.push(branch.value);
    people.set(branch.value, { relations: (person?.relations ?? 0) | bit, branches: [...(person?.branches ?? []), branch] });
  }
  return order.map((entry): ListPart => {
    if (typeof entry !== "string") return { type: "alternative", branch: entry };
    const person = people.get(entry)!;
    const [only] = person.branches;
    return person.branches.length === 1 && only.type === "equals" ? { type: "alternative", branch: only } : { type: "personal", spec: spec!, employee: entry, relations: person.relations };
  });
}

/** The bit of `relations` that stands for this alternative, when it is one person's relation the personal keys hold. */
function relationBit(spec: RelatedKeysSpec, branch: ScopePredicate): number | undefined {
  if (branch.type !== "equals" && branch.type !== "contains") return undefined;
  const kind = branch.type === "equals" ? "uuid" : "uuid_array";
  return spec.sources.find((source) => source.column === branch.column && source.kind === kind)?.bit;
}

/** `relations` has one of the mask's bits; nothing to test when the mask has them all. */
function relationsTest(spec: RelatedKeysSpec, mask: number): string {
  return mask === allRelations(spec) ? "" : ` and ("_key"."relations" & ${Number(mask)}) <> 0`;
}

/**
 * A person's page of the union, read from the object's personal keys (schema/related-keys.ts): their records in list
 * order, with the relations the scope grants, instead of one index range per relation merged (and, for 相关员工, every
 * record the GIN index finds, sorted).
 *
 * The triggers that keep the side table change it in the transaction that changes the record, so a key row is there
 * exactly while its record is live and relates to the employee, with the record's sort key: the relations, the cursor
 * and "not deleted" are answered by the side table's index alone. Only conditions of the list itself (filter, search, a
 * related list's link) need the record: then each key row is joined to it. Those never repeat the relations or the
 * cursor on the record: PostgreSQL would take them for filters that drop most rows (the containment alone selects
 * 1.5% of a million customers), expect to walk thousands of key rows for a page, and plan a parallel scan that costs
 * more to start than the whole page.
 * `_key` / `_page` / `_row` cannot be object names (which start with a letter), so the list query's own references to
 * its table stay unambiguous inside the LATERAL.
 */
function personalKeysPart(input: ScopedQueryInput, { spec, employee, relations: mask }: PersonalPart, within?: string): SqlPart {
  const { db, shape, request } = input;
  const [first] = request.sort;
  const direction = first.descending ? "desc" : "asc";
  const keys = `${quote(RELATED_KEYS_SCHEMA)}.${quote(spec.name)} as "_key"`;
  const cursor = request.after ? ` and ("_key"."sort_key", "_key"."record_id") ${first.descending ? "<" : ">"} (?, ?)` : "";
  const range = `where "_key"."employee_id" = ?${relationsTest(spec, mask)}${cursor}${within ? ` and ${within}` : ""}`;
  const rangeBindings = [employee, ...(request.after ? request.after.slice(0, 2) : [])];
  // The limit written in, as buildListQuery has it.
  const order = `order by "_key"."sort_key" ${direction}, "_key"."record_id" ${direction} limit ${Number(request.limit + 1)}`;
  const select = `select "_key"."record_id" as "id", "_key"."sort_key" as ${quote(spec.sortColumn)} from ${keys}`;
  if (!hasListConditions(input)) return { sql: `${select} ${range} ${order}`, bindings: rangeBindings };
  const page = buildListQuery(db, shape, { ...request, after: undefined }, ["id"]).clear("order").clear("limit");
  input.prepare?.(page);
  const joined = page.whereRaw(`"id" = "_key"."record_id"`).toSQL();
  return { sql: `${select} cross join lateral (${joined.sql}) as "_page" ${range} ${order}`, bindings: [...joined.bindings, ...rangeBindings] };
}

/** Whether the list has conditions of its own (filter, search, a related list's link), which only the record answers. */
const hasListConditions = (input: ScopedQueryInput) => input.request.filter !== undefined || Boolean(input.request.search) || input.prepare !== undefined;

/**
 * One page (limit + 1 rows) of the user's list. Each part (listParts) reads its rows in list order from its own index
 * range, which PostgreSQL prefers to any walk of the whole list whatever the values, so that the statement can be
 * planned once for every employee and cursor (db/native-query.ts): an alternative's rows straight from its (column,
 * sort, id) index, a person's from their personal keys, each key joined to its row. PostgreSQL merges the parts (Merge
 * Append), drops a row found by several of them as it passes (DISTINCT ON the sort key of adjacent rows) and stops at
 * the page, reading only as far into each as the page reaches. A page of one part (a salesperson's) is that part.
 *
 * Measured on a manager's deep contact page of four parts (bench/permissions' data, in name order): 74 buffers and
 * 0.45 ms, against 256 buffers when every part gave keys only and the page's keys were then joined to their rows
 * through the primary key, one descent per row (pageOfKeys, which the walk still uses); the plain list 55 buffers.
 */
export function buildScopedListQuery(input: ScopedQueryInput): Knex.QueryBuilder {
  const { db, shape, request, predicate } = input;
  const branches = scopeBranches(ownScope(input));
  const parts = branches && listParts(input, branches);
  if (!parts || (parts.length === 1 && parts[0].type === "alternative") || parts.length > MAX_UNION_BRANCHES) {
    return withScope(buildListQuery(db, shape, request), predicate, input);
  }
  return pageOfRows(input, parts.map((part) => (part.type === "personal" ? personalRowsPart(input, part) : withScope(buildListQuery(db, shape, request), part.branch, input).toSQL())));
}

/**
 * A person's part with its rows: their keys (personalKeysPart), each joined to its row. The sort key and the id come
 * from the keys, and the part repeats their order and limit: PostgreSQL then knows the rows come in list order and
 * joins each key only when the merge reaches it, instead of joining every key of the part and sorting the rows.
 */
function personalRowsPart(input: ScopedQueryInput, part: PersonalPart): SqlPart {
  const keys = personalKeysPart(input, part);
  return { sql: keysJoinedToRows(input, keys.sql, "_personal"), bindings: keys.bindings };
}

/**
 * Keys (the sort keys and the id, in list order) joined to their rows, in list order and limited to the page: the sort
 * keys and the id from the keys, the other columns from the row, found by its id.
 */
function keysJoinedToRows(input: ScopedQueryInput, keys: string, alias: string): string {
  const { shape, request } = input;
  const keyColumns = request.sort.map((key) => key.column);
  const columns = shape.readColumns.map((column) => `${quote(keyColumns.includes(column) ? alias : "_row")}.${quote(column)}`).join(", ");
  const restColumns = shape.readColumns.filter((column) => !keyColumns.includes(column)).map(quote).join(", ");
  const order = request.sort.map((key) => `${quote(alias)}.${quote(key.column)} ${key.descending ? "desc" : "asc"}`).join(", ");
  const row = `select ${restColumns || "1"} from ${quote(shape.name)} where "id" = ${quote(alias)}."id"`;
  return `select ${columns} from (${keys}) as ${quote(alias)} cross join lateral (${row}) as "_row" order by ${order} limit ${Number(request.limit + 1)}`;
}

/** The page of rows that the parts give, each part in list order (mergedParts). */
function pageOfRows(input: ScopedQueryInput, rowParts: readonly SqlPart[]): Knex.QueryBuilder {
  const page = mergedParts(input, rowParts, input.shape.readColumns);
  return pagedFrom(input, input.db.raw(`(${page}) as "_page"`, bindingsOf(rowParts)));
}

/**
 * The page of rows whose keys (sort keys and id) the parts give, each part in list order: the first keys of the merge
 * (mergedParts), and only those joined to their rows, each row read once. The walk's page (buildIndexWalkQuery): its
 * window holds keys, which reach their rows through the primary key anyway.
 */
function pageOfKeys(input: ScopedQueryInput, keyParts: readonly SqlPart[]): Knex.QueryBuilder {
  // The sort keys, the id last (parseSort closes every order with it).
  const keys = mergedParts(input, keyParts, input.request.sort.map((key) => key.column));
  return pagedFrom(input, input.db.raw(`(${keysJoinedToRows(input, keys, "_keys")}) as "_page"`, bindingsOf(keyParts)));
}

/**
 * The parts' rows (these columns of each, in list order) merged in list order (Merge Append), the first distinct ones
 * kept (DISTINCT ON the sort key of adjacent rows), limited to the page.
 */
function mergedParts(input: ScopedQueryInput, parts: readonly SqlPart[], columns: readonly string[]): string {
  const { request } = input;
  const list = columns.map(quote).join(", ");
  const keyList = request.sort.map((key) => quote(key.column)).join(", ");
  const order = request.sort.map((key) => `${quote(key.column)} ${key.descending ? "desc" : "asc"}`).join(", ");
  // Each part's columns in the same order, whatever its own select list.
  const union = parts.map((part) => `(select ${list} from (${part.sql}) as "_part")`).join(" UNION ALL ");
  // One part has each row once (a person's key rows are one per record).
  const distinct = parts.length > 1 ? `distinct on (${keyList}) ` : "";
  return `select ${distinct}${list} from (${union}) as "_parts" order by ${order} limit ${Number(request.limit + 1)}`;
}

const bindingsOf = (parts: readonly SqlPart[]) => parts.flatMap((part) => part.bindings) as Knex.RawBinding[];

/** The page's rows from a derived table already in list order (PostgreSQL sorts nothing): said for the reader. */
function pagedFrom(input: ScopedQueryInput, derived: Knex.Raw): Knex.QueryBuilder {
  const { db, shape, request } = input;
  const query = db.queryBuilder().select(shape.readColumns).from(derived);
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
  const parts = branches && listParts(input, branches);
  const walkWindow = branches && parts && parts.length > 1 && !fewRanges(input, parts) && walkWindowFor(branches, parts.length, request.limit);
  steps.push({ query: walkWindow ? buildWalkOrUnionQuery(input, walkWindow) : buildScopedListQuery(input), rows: "replace" });
  if (hasNullTail(request.sort, request.after)) steps.push({ query: withScope(buildNullTailQuery(db, shape, request, request.limit + 1), predicate, input), rows: "append" });
  return steps;
}

/** Up to this many parts, each an index range in list order, the union is read without a walk first (see fewRanges). */
export const RANGES_WITHOUT_WALK = 12;

/**
 * Whether the page's parts are few index ranges in list order (a scope column's (column, sort, id) index, a person's
 * personal keys): their union then reads the page faster than a walk finds it, however many rows the user sees.
 * Measured on a manager's first page of four such parts (bench/permissions' data, pgbench, planned once): the union
 * 0.22–0.31 ms, the walk that finds the page with the union behind it 0.45 ms. Each part adds an index descent of a
 * few pages; many parts (a director over dozens of departments) or one that is not such a range (a grant over a field,
 * a containment the personal keys do not serve, another order) still walk first.
 */
function fewRanges(input: ScopedQueryInput, parts: readonly ListPart[]): boolean {
  const ranged = (part: ListPart) => part.type === "personal" || (part.branch.type === "equals" && SCOPE_COLUMNS_BROADEST_FIRST.includes(part.branch.column));
  return parts.length <= RANGES_WITHOUT_WALK && inOrderOf(input.request, parseSort(input.shape, undefined)[0].column) && parts.every(ranged);
}

/**
 * The bounded walk, and, only when it yields no more than a page, the union of the parts instead, in one statement:
 * PostgreSQL runs the union only when the count of the walk's rows lets it (a one-time filter), so that a page whose
 * walk finds nothing (one that crosses a large block of someone else's rows) costs one round trip, not two.
 */
export function buildWalkOrUnionQuery(input: ScopedQueryInput, walkWindow: number): Knex.QueryBuilder {
  const { db, shape, request } = input;
  const enough = `(select count(*) from "_walked") > ${Number(request.limit)}`;
  const fromWalk = db.select(shape.readColumns).from("_walked").whereRaw(enough);
  const fromUnion = db.select(shape.readColumns).from(buildScopedListQuery(input).as("_union")).whereRaw(`not ${enough}`);
  const query = db.queryBuilder().withMaterialized("_walked", buildBoundedWalkQuery(input, walkWindow)).select(shape.readColumns).from(fromWalk.unionAll(fromUnion).as("_page"));
  for (const key of request.sort) query.orderBy(key.column, key.descending ? "desc" : "asc");
  return query.limit(request.limit + 1, { skipBinding: true });
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
  const personal = personalCountQuery(input, scope);
  if (personal) return personal;
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

/**
 * The count of a scope that is one person's records only (a salesperson's: own, related, and their customers'), without
 * conditions of the list's own: that person's key rows with the relations the scope grants, counted from the personal
 * keys' index alone, instead of a disjoint count per relation (the 相关员工 ones reading every record the GIN index finds).
 */
function personalCountQuery(input: ScopedQueryInput, scope: ScopePredicate): Knex.Raw | undefined {
  const spec = relatedKeysFor(input);
  const branches = scopeBranches(scope);
  if (!spec || !branches || hasListConditions(input)) return undefined;
  const personal = branches.flatMap((branch) => ((branch.type === "equals" || branch.type === "contains") && relationBit(spec, branch) ? [branch] : []));
  const [first] = personal;
  if (!first || personal.length !== branches.length || personal.some((branch) => branch.value !== first.value)) return undefined;
  if (personal.length === 1 && first.type === "equals") return undefined;
  const relations = personal.reduce((mask, branch) => mask | relationBit(spec, branch)!, 0);
  return input.db.raw(
    `select count(*) as "total" from ${quote(RELATED_KEYS_SCHEMA)}.${quote(spec.name)} as "_key" where "_key"."employee_id" = ?${relationsTest(spec, relations)}`,
    [first.value],
  );
}

/** Runs a count built above: a raw statement answers like the driver (rows inside), a builder with the rows. */
export async function countRows(query: Knex.QueryBuilder | Knex.Raw): Promise<number> {
  const result = await query;
  const rows = Array.isArray(result) ? result : (result as { rows: { total: unknown }[] }).rows;
  return Number(rows[0].total);
}
