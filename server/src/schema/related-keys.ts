// Personal keys (负责员工 and 相关员工, the record's and its customer's): per object whose records list related employees
// in an array column, a side table with one row per (employee, record) for every employee the record is personally
// related to, with a mask of how (RELATION_BITS), ordered like the object's default list. Pure: specs and the statements
// that create, fill and drop them.
//
// A GIN index answers "records that list this employee" but not in any order: a page of one employee's related records
// would read and sort all of them (15,000 for a busy salesperson) before its LIMIT. And a salesperson's scope is four
// such alternatives on a contact (own, related, the customer's own, the customer's related), each its own index range
// to merge. The side table's btree (employee_id, sort_key, record_id) INCLUDE (relations) is all of them at once, in
// page order: records/scoped-list.ts reads a page of a person's records as one index-only range, as an administrator's
// page is one range of the (created_at, id) index, and counts them from it.
//
// Triggers on the object table keep it in step with the scope columns, so that every write path (records service, bulk
// changes, jobs, automatic grant rules, bulk loads) is covered: statement-level, with transition tables, so that a bulk
// statement costs one set-based INSERT or DELETE instead of one function call per row. Only live rows have keys.
import { createHash } from "node:crypto";
import type { ObjectDefinition } from "@crm/metadata";
import type { ColumnSpec } from "../registry/columns";
import { defaultSortColumn } from "./indexes";
import { checkSqlType, derivedName, qualified, quote } from "./sql";

/** The schema of the side tables (named like their object tables, which live in TABLE_SCHEMA). */
export const RELATED_KEYS_SCHEMA = "related_keys";

/**
 * The scope columns a side table holds, each a bit of a key row's `relations`: the employee is the record's owner,
 * one of its related employees, its customer's owner, one of its customer's related employees (the customer's keys
 * copied onto records that belong to a customer, access/customer-scope.ts).
 */
export const RELATED_KEY_SOURCES: readonly RelatedKeySource[] = [
  { column: "owner_id", kind: "uuid", bit: 1 },
  { column: "related_employee_ids", kind: "uuid_array", bit: 2 },
  { column: "customer_owner_id", kind: "uuid", bit: 4 },
  { column: "customer_related_ids", kind: "uuid_array", bit: 8 },
];

export interface RelatedKeySource {
  column: string;
  /** One employee (uuid) or several (uuid_array). */
  kind: "uuid" | "uuid_array";
  /** Its bit in `relations`. */
  bit: number;
}

export interface RelatedKeysSpec {
  /** The object table. */
  table: string;
  /** The side table in RELATED_KEYS_SCHEMA. */
  name: string;
  /** The first column of the object's default list order, copied as `sort_key` (same type, so the same order). */
  sortColumn: string;
  sortType: string;
  /** The object's scope columns it holds. */
  sources: RelatedKeySource[];
}

/** What a side table is derived from: an object table (schema TableModel, or a compiled object's definition and columns). */
export interface RelatedKeysInput {
  name: string;
  object: ObjectDefinition;
  columns: readonly ColumnSpec[];
}

/**
 * The side table of an object, when its records have related employees (an object with an owner alone is served by the
 * owner's (owner_id, sort, id) index) and a default order to keep them in.
 */
export function relatedKeysOf(table: RelatedKeysInput): RelatedKeysSpec | undefined {
  const sources = RELATED_KEY_SOURCES.filter((source) => table.columns.some((column) => column.name === source.column && column.kind === source.kind));
  if (!sources.some((source) => source.column === "related_employee_ids")) return undefined;
  const sort = defaultSortColumn(table);
  if (!sort) return undefined;
  return { table: table.name, name: table.name, sortColumn: sort.name, sortType: checkSqlType(sort.sqlType), sources };
}

/** The mask of every relation the side table holds: a range that asks for all of them needs no test of `relations`. */
export const allRelations = (spec: Pick<RelatedKeysSpec, "sources">) => spec.sources.reduce((mask, source) => mask | source.bit, 0);

type Named = Pick<RelatedKeysSpec, "name">;
const sideTable = (spec: Named) => `${quote(RELATED_KEYS_SCHEMA)}.${quote(spec.name)}`;
const syncFunction = (spec: Named) => `${quote(RELATED_KEYS_SCHEMA)}.${quote(derivedName("sync", spec.name))}`;

/** The names of the triggers on the object table (one per event: transition tables allow one event per trigger). */
export const RELATED_KEY_TRIGGERS = {
  insert: "related_keys_insert",
  update: "related_keys_update",
  delete: "related_keys_delete",
  truncate: "related_keys_truncate",
} as const;

/** The key rows of the rows of `from` (the object table, or a transition table), live rows only. */
function keyRows(spec: RelatedKeysSpec, from: string, where = "TRUE"): string {
  const elements = spec.sources
    .map((source) => (source.kind === "uuid" ? `SELECT r.${quote(source.column)}, ${source.bit}` : `SELECT unnest(r.${quote(source.column)}), ${source.bit}`))
    .join(" UNION ALL ");
  return (
    `SELECT e."employee_id", e."relations", r.${quote(spec.sortColumn)}, r."id" FROM ${from} AS r ` +
    `CROSS JOIN LATERAL (SELECT k."element", bit_or(k."bit")::smallint FROM (${elements}) AS k("element", "bit") WHERE k."element" IS NOT NULL GROUP BY k."element") AS e("employee_id", "relations") ` +
    `WHERE r."deleted_at" IS NULL AND (${where})`
  );
}

/** An update changed a row's keys: its scope columns, its sort key, or whether it is live. */
function keysChanged(spec: RelatedKeysSpec): string {
  const columns = [...spec.sources.map((source) => source.column), spec.sortColumn].map(quote);
  return [...columns.map((column) => `o.${column} IS DISTINCT FROM r.${column}`), `(o."deleted_at" IS NULL) <> (r."deleted_at" IS NULL)`].join(" OR ");
}

const insertColumns = `("employee_id", "relations", "sort_key", "record_id")`;

/**
 * The trigger function. Updated rows are matched old to new by id (ids never change); a row whose keys changed loses
 * all its key rows and gets the new ones (a record has a few). Key rows go by a list of ids, which their record index
 * serves whatever PostgreSQL believes of the side table's size: a join to the transition table, planned on the
 * statistics of a side table just filled (an empty one), walked every key row for every changed record.
 */
function syncFunctionBody(spec: RelatedKeysSpec): string {
  const table = sideTable(spec);
  const changed = `EXISTS (SELECT 1 FROM "old_rows" AS o WHERE o."id" = r."id" AND (${keysChanged(spec)}))`;
  return [
    `BEGIN`,
    `  IF TG_OP = 'TRUNCATE' THEN`,
    `    TRUNCATE ${table};`,
    `  ELSIF TG_OP = 'DELETE' THEN`,
    `    DELETE FROM ${table} AS k WHERE k."record_id" = ANY (ARRAY(SELECT o."id" FROM "old_rows" AS o));`,
    `  ELSIF TG_OP = 'UPDATE' THEN`,
    `    DELETE FROM ${table} AS k WHERE k."record_id" = ANY (ARRAY(SELECT r."id" FROM "new_rows" AS r WHERE ${changed}));`,
    `    INSERT INTO ${table} ${insertColumns} ${keyRows(spec, `"new_rows"`, changed)};`,
    `  ELSE`,
    `    INSERT INTO ${table} ${insertColumns} ${keyRows(spec, `"new_rows"`)};`,
    `  END IF;`,
    `  RETURN NULL;`,
    `END`,
  ].join("\n");
}

/**
 * Creates the side table, its triggers and indexes, and fills it from the rows already there. The triggers come before
 * the fill: creating them locks out writers of the object table until the transaction ends, so no write falls between
 * the fill and the triggers. The fill goes before the indexes (one sorted build instead of row-by-row insertion).
 * Starts by dropping what an earlier version left, so that it rebuilds as well as creates; ends by writing the
 * definition's fingerprint as the table's comment.
 */
export function createRelatedKeysStatements(spec: RelatedKeysSpec): string[] {
  return [...definitionStatements(spec), `COMMENT ON TABLE ${sideTable(spec)} IS '${relatedKeysFingerprint(spec)}'`];
}

function definitionStatements(spec: RelatedKeysSpec): string[] {
  const table = sideTable(spec);
  const object = qualified(spec.table);
  const fn = syncFunction(spec);
  const trigger = (name: string, event: string, referencing: string) =>
    `CREATE TRIGGER ${quote(name)} AFTER ${event} ON ${object}${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`;
  return [
    ...dropRelatedKeysStatements(spec),
    `CREATE SCHEMA IF NOT EXISTS ${quote(RELATED_KEYS_SCHEMA)}`,
    `CREATE TABLE ${table} ("employee_id" uuid NOT NULL, "relations" smallint NOT NULL, "sort_key" ${spec.sortType}, "record_id" uuid NOT NULL)`,
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $sync$\n${syncFunctionBody(spec)}\n$sync$`,
    trigger(RELATED_KEY_TRIGGERS.insert, "INSERT", ` REFERENCING NEW TABLE AS "new_rows"`),
    trigger(RELATED_KEY_TRIGGERS.update, "UPDATE", ` REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows"`),
    trigger(RELATED_KEY_TRIGGERS.delete, "DELETE", ` REFERENCING OLD TABLE AS "old_rows"`),
    trigger(RELATED_KEY_TRIGGERS.truncate, "TRUNCATE", ""),
    `INSERT INTO ${table} ${insertColumns} ${keyRows(spec, object)}`,
    // One employee's records in list order, with how they are related: the page of a scoped list (either direction)
    // and its count, index-only whichever relations the scope asks for.
    `CREATE INDEX ${quote(derivedName("walk", spec.name))} ON ${table} ("employee_id", "sort_key", "record_id") INCLUDE ("relations")`,
    // A record's rows, which the triggers replace when it changes.
    `CREATE INDEX ${quote(derivedName("record", spec.name))} ON ${table} ("record_id")`,
    // Statistics now, not at autovacuum's next round: lists read it as soon as the transaction commits.
    `ANALYZE ${table}`,
  ];
}

/** The function goes with its triggers (CASCADE), the table with its indexes. */
export function dropRelatedKeysStatements(spec: Named): string[] {
  return [`DROP FUNCTION IF EXISTS ${syncFunction(spec)}() CASCADE`, `DROP TABLE IF EXISTS ${sideTable(spec)}`];
}

/**
 * A hash of the statements that create a side table, kept as the table's comment: one whose comment differs was made
 * from another definition (another sort column or type, a renamed table, an older version of this code) and is rebuilt.
 */
export function relatedKeysFingerprint(spec: RelatedKeysSpec): string {
  return `related keys ${createHash("sha256").update(definitionStatements(spec).join(";\n")).digest("hex").slice(0, 16)}`;
}

/** An object table's personal keys as the catalog describes them. */
export interface LiveRelatedKeys {
  /** The object table. */
  table: string;
  /** Whether the object table exists. */
  tableExists: boolean;
  /** The side table's comment (its definition's fingerprint); undefined when there is no side table. */
  fingerprint?: string;
  /** How many of RELATED_KEY_TRIGGERS the object table has. */
  triggers: number;
}

export interface RelatedKeysStep {
  type: "create_related_keys" | "drop_related_keys";
  table: string;
  /** Run in one transaction, in order. */
  statements: string[];
}

/**
 * What brings the live side tables to the model's: a side table that is missing, was made from another definition or
 * lost a trigger is rebuilt (dropped, created, filled); one no object derives any more is dropped with its triggers.
 * An object table that does not exist is the schema planner's business.
 */
export function planRelatedKeysReconcile(desired: readonly RelatedKeysSpec[], live: readonly LiveRelatedKeys[]): RelatedKeysStep[] {
  const liveByTable = new Map(live.map((entry) => [entry.table, entry]));
  const wanted = new Set(desired.map((spec) => spec.table));
  const drops = live
    .filter((entry) => !wanted.has(entry.table) && (entry.fingerprint !== undefined || entry.triggers > 0))
    .map((entry): RelatedKeysStep => ({ type: "drop_related_keys", table: entry.table, statements: dropRelatedKeysStatements({ name: entry.table }) }));
  const creates = desired
    .filter((spec) => {
      const present = liveByTable.get(spec.table);
      if (!present?.tableExists) return false;
      return present.fingerprint !== relatedKeysFingerprint(spec) || present.triggers !== Object.keys(RELATED_KEY_TRIGGERS).length;
    })
    .map((spec): RelatedKeysStep => ({ type: "create_related_keys", table: spec.table, statements: createRelatedKeysStatements(spec) }));
  return [...drops, ...creates];
}
