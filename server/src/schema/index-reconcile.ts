// Pure index reconciliation: the steps that turn an object table's live indexes into the ones the current code derives.
//
// The schema planner compares two models compiled by the same code, so an index whose derivation changed between
// platform versions (new INCLUDE columns, a new composite scope index) never differs there: a database created by an
// older version keeps the old indexes. This compares the derived indexes with what the catalog says instead.
import type { LocalizedText, ObjectDefinition } from "@crm/metadata";
import { createIndex, dropIndex, renameIndex } from "./ddl";
import { DERIVED_INDEX_KINDS, indexesOf, type IndexSpec } from "./indexes";
import { buildModel } from "./model";
import { derivedName, isDerivedName } from "./sql";

/** One index of an object table as the catalog describes it. */
export interface LiveIndex {
  name: string;
  table: string;
  /** `pg_get_indexdef` (as in `pg_indexes.indexdef`). */
  definition: string;
  /** False for an index a failed build left behind (`pg_index.indisvalid`): it serves no query. */
  valid: boolean;
  /** The index of a primary-key, unique or exclusion constraint: only its constraint may drop it. */
  constraint: boolean;
}

export interface IndexReconcileStep {
  type: "create_index" | "rebuild_index" | "drop_index";
  table: string;
  name: string;
  /** Run in one transaction, in order. */
  statements: string[];
  description: LocalizedText;
}

export interface IndexReconcilePlan {
  steps: IndexReconcileStep[];
  /** Derived indexes whose name a constraint's index holds: left alone, reported. */
  conflicts: { table: string; name: string }[];
}

/** Every secondary index the model derives (the primary key comes with CREATE TABLE). */
export function desiredIndexes(objects: readonly ObjectDefinition[]): IndexSpec[] {
  const model = buildModel([...objects]);
  return [...model.tables.values()].flatMap((table) => indexesOf(table, (key) => key).filter((index) => !index.inline));
}

/**
 * Obsolete platform indexes are dropped first (less to maintain while the others build), then changed ones are
 * rebuilt and missing ones created. Only indexes of tables the live list has are planned: a table that does not exist
 * is the schema planner's business. Indexes of other names (hand-made ones, constraints') are never touched.
 */
export function planIndexReconcile(desired: readonly IndexSpec[], live: readonly LiveIndex[]): IndexReconcilePlan {
  const liveByName = new Map(live.map((index) => [index.name, index]));
  const liveTables = new Set(live.map((index) => index.table));
  const wanted = desired.filter((spec) => liveTables.has(spec.table));
  const wantedNames = new Set(wanted.map((spec) => spec.name));
  const drops = live.filter((index) => !wantedNames.has(index.name) && !index.constraint && isPlatformIndexName(index.name, index.table));
  const rebuilds: IndexReconcileStep[] = [];
  const creates: IndexReconcileStep[] = [];
  const conflicts: IndexReconcilePlan["conflicts"] = [];
  for (const spec of wanted) {
    const present = liveByName.get(spec.name);
    if (!present) creates.push(createStep(spec));
    else if (present.constraint) conflicts.push({ table: spec.table, name: spec.name });
    else if (!present.valid || !sameDefinition(createIndex(spec).sql, present.definition)) rebuilds.push(rebuildStep(spec));
  }
  return { steps: [...drops.map(dropStep), ...rebuilds, ...creates], conflicts };
}

/** Named like an index indexesOf derives for this table (`<kind>_<table>_…`), in the identifiers it uses. */
export function isPlatformIndexName(name: string, table: string): boolean {
  return PLATFORM_IDENTIFIER.test(name) && DERIVED_INDEX_KINDS.some((kind) => isDerivedName(name, kind, table));
}

const PLATFORM_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export function sameDefinition(a: string, b: string): boolean {
  return normaliseIndexDefinition(a) === normaliseIndexDefinition(b);
}

/**
 * One text for one index definition, whether PostgreSQL printed it or ddl.ts wrote it: without the index's name,
 * quotes (platform identifiers never need them), the `public.` schema, the default `USING btree` and the parentheses
 * PostgreSQL puts around a partial index's predicate.
 */
export function normaliseIndexDefinition(definition: string): string {
  const named = /^CREATE (UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?(?:"(?:[^"]|"")*"|\S+) ON (?:ONLY )?(.*)$/is.exec(definition.trim());
  if (!named) return definition.trim();
  const rest = named[2]
    .replace(/"/g, "")
    .replace(/\s+/g, " ")
    .replace(/^public\./, "")
    .replace(/ USING btree /i, " ");
  const where = / WHERE /i.exec(rest);
  const body = where ? `${rest.slice(0, where.index)} WHERE ${unwrap(rest.slice(where.index + where[0].length).trim())}` : rest;
  return `CREATE ${(named[1] ?? "").toUpperCase()}INDEX ON ${body}`;
}

/** `(a IS NULL)` → `a IS NULL`, while `(a) AND (b)` keeps its parentheses. */
function unwrap(predicate: string): string {
  let text = predicate;
  while (text.startsWith("(") && closingParenthesis(text) === text.length - 1) text = text.slice(1, -1).trim();
  return text;
}

function closingParenthesis(text: string): number {
  let depth = 0;
  for (let at = 0; at < text.length; at += 1) {
    if (text[at] === "(") depth += 1;
    else if (text[at] === ")" && --depth === 0) return at;
  }
  return -1;
}

const what = (spec: IndexSpec) => (spec.unique ? { zh: "唯一索引", en: "unique index" } : { zh: "索引", en: "index" });

function createStep(spec: IndexSpec): IndexReconcileStep {
  return {
    type: "create_index",
    table: spec.table,
    name: spec.name,
    statements: [createIndex(spec).sql],
    description: { "zh-CN": `创建缺少的${what(spec).zh} ${spec.name}`, en: `Create the missing ${what(spec).en} ${spec.name}` },
  };
}

/**
 * The new index is built under a temporary name before the old one goes, all in one transaction: a unique index's
 * guarantee never lapses, and the table is locked against reads only for the drop at the end, not for the build.
 */
function rebuildStep(spec: IndexSpec): IndexReconcileStep {
  const temporary = derivedName("swap", spec.name);
  return {
    type: "rebuild_index",
    table: spec.table,
    name: spec.name,
    statements: [createIndex({ ...spec, name: temporary }).sql, dropIndex(spec.name).sql, renameIndex(temporary, spec.name).sql],
    description: {
      "zh-CN": `按当前定义重建${what(spec).zh} ${spec.name}`,
      en: `Rebuild ${what(spec).en} ${spec.name} with its current definition`,
    },
  };
}

function dropStep(index: LiveIndex): IndexReconcileStep {
  return {
    type: "drop_index",
    table: index.table,
    name: index.name,
    statements: [dropIndex(index.name).sql],
    description: { "zh-CN": `删除不再使用的索引 ${index.name}`, en: `Drop the index ${index.name}, no longer derived` },
  };
}
