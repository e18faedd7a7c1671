// Pure schema planner: the diff of two object models (from → to) as ordered, typed DDL steps.
import type { ObjectDefinition } from "@crm/metadata";
import type { ColumnSpec } from "../registry/columns";
import * as ddl from "./ddl";
import { foreignKeysOf, indexesOf, primaryKeyName, type KeyMap } from "./indexes";
import { relatedKeysFingerprint, relatedKeysOf } from "./related-keys";
import { buildModel, type SchemaModel, type TableModel } from "./model";
import { orderRenames, type Rename } from "./renames";
import type { DestructiveChange, SchemaPlan, SchemaStep } from "./steps";

export type { DestructiveChange, SchemaPlan, SchemaStep, SchemaStepType } from "./steps";

export interface PlanInput {
  /** The model the database has now (ids assigned). */
  from: ObjectDefinition[];
  /** The complete target model (ids assigned). Objects missing here are left alone, never dropped. */
  to: ObjectDefinition[];
}

/**
 * Steps are grouped in phases whose order makes them apply: constraints and indexes that go away
 * are dropped first, then renames free and take names (indexes and foreign keys are named after their
 * table and column, so they are renamed too, before a new table could claim an old name), new tables
 * and columns appear, types change, and foreign keys and indexes come last, when every table and
 * column they name exists. An object's personal keys (triggers reading its columns) go before anything else
 * and come back after everything else.
 */
const PHASES = [
  "dropRelatedKeys",
  "dropForeignKey",
  "dropIndex",
  "renameTable",
  "dropColumn",
  "renameColumn",
  "renameIndexOrKey",
  "createTable",
  "addColumn",
  "alterColumn",
  "notNull",
  "addForeignKey",
  "createIndex",
  "createRelatedKeys",
] as const;

type Phase = (typeof PHASES)[number];

interface Planning {
  steps: Record<Phase, SchemaStep[]>;
  destructive: DestructiveChange[];
  /** Per object id: column key in `from` → key in `to`, for columns paired by name rather than key. */
  keyMaps: Map<string, Map<string, string>>;
}

export function planSchemaChange(input: PlanInput): SchemaPlan {
  const before = buildModel(input.from);
  const after = buildModel(input.to);
  const planning: Planning = {
    steps: Object.fromEntries(PHASES.map((phase) => [phase, []])) as unknown as Record<Phase, SchemaStep[]>,
    destructive: [],
    keyMaps: new Map(),
  };
  const tableRenames: Rename[] = [];
  for (const table of after.tables.values()) {
    const previous = before.tables.get(table.id);
    if (!previous) {
      planning.steps.createTable.push(ddl.createTable(table.name, table.columns, primaryKeyName(table.name)));
      continue;
    }
    tableRenames.push({ from: previous.name, to: table.name });
    planColumns(previous, table, planning);
  }
  for (const rename of orderRenames(tableRenames)) planning.steps.renameTable.push(ddl.renameTable(rename.from, rename.to));
  planIndexes(before, after, planning);
  planForeignKeys(before, after, planning);
  planRelatedKeys(before, after, planning);
  return { steps: PHASES.flatMap((phase) => planning.steps[phase]), destructive: planning.destructive };
}

interface ColumnPairs {
  matched: [ColumnSpec, ColumnSpec][];
  dropped: ColumnSpec[];
  added: ColumnSpec[];
}

/**
 * Columns pair by key (field id, or `sys:<name>`). An implicit column and a declared field of the
 * same name (e.g. `customer_id` from belongsToCustomer, later declared) are one column, not drop + add.
 */
function pairColumns(before: ColumnSpec[], after: ColumnSpec[]): ColumnPairs {
  const afterKeys = new Set(after.map((column) => column.key));
  const unmatched = before.filter((column) => !afterKeys.has(column.key));
  const matched: [ColumnSpec, ColumnSpec][] = [];
  const added: ColumnSpec[] = [];
  for (const column of after) {
    const previous =
      before.find((candidate) => candidate.key === column.key) ??
      unmatched.find((candidate) => candidate.name === column.name && !(candidate.declared && column.declared));
    if (!previous) added.push(column);
    else matched.push([previous, column]);
  }
  const paired = new Set(matched.map(([previous]) => previous));
  return { matched, added, dropped: before.filter((column) => !paired.has(column)) };
}

function planColumns(previous: TableModel, table: TableModel, planning: Planning): void {
  const { matched, dropped, added } = pairColumns(previous.columns, table.columns);
  const { steps } = planning;
  planning.keyMaps.set(table.id, new Map(matched.map(([old, next]) => [old.key, next.key])));
  for (const column of dropped) {
    steps.dropColumn.push(ddl.dropColumn(table.name, column.name));
    planning.destructive.push(dropChange(previous, table, column));
  }
  const renames = matched.map(([old, next]) => ({ from: old.name, to: next.name }));
  for (const rename of orderRenames(renames)) steps.renameColumn.push(ddl.renameColumn(table.name, rename.from, rename.to));
  for (const column of added) {
    steps.addColumn.push(ddl.addColumn(table.name, column));
    if (ddl.needsLaterNotNull(column)) steps.notNull.push(ddl.notNull(table.name, column.name, true));
  }
  for (const [old, next] of matched) {
    if (old.sqlType !== next.sqlType) {
      const step = ddl.alterColumnType(table.name, next.name, old.sqlType, next.sqlType);
      steps.alterColumn.push(step);
      if (step.narrowing) planning.destructive.push(narrowChange(table.name, next.name, step.from, step.to));
    }
    if (old.notNull !== next.notNull) steps.notNull.push(ddl.notNull(table.name, next.name, next.notNull));
  }
}

function dropChange(previous: TableModel, table: TableModel, column: ColumnSpec): DestructiveChange {
  const what = `${table.name}.${column.name}`;
  const archived = { zh: "（旧值归档到 sys.archived_values）", en: " (old values are archived in sys.archived_values)" };
  // parent_id and its kin go when the object stops being a detail: say why, the user did not drop them by name.
  const lostParent = !column.declared && previous.parent !== undefined && previous.parent !== table.parent;
  const because = lostParent
    ? { zh: `${table.name} 不再是 ${previous.parent} 的明细，`, en: `${table.name} is no longer a detail of ${previous.parent}. ` }
    : { zh: "", en: "" };
  const reason = {
    "zh-CN": `${because.zh}删除字段 ${what} 会删除其全部数据${archived.zh}`,
    en: `${because.en}Dropping ${what} deletes its data${archived.en}`,
  };
  return {
    path: `/objects/${table.name}/fields/${column.name}`,
    kind: "drop_field",
    object: table.name,
    field: column.name,
    reason,
  };
}

function narrowChange(object: string, field: string, from: string, to: string): DestructiveChange {
  return {
    path: `/objects/${object}/fields/${field}`,
    kind: "narrow_type",
    object,
    field,
    reason: {
      "zh-CN": `将 ${object}.${field} 从 ${from} 改为 ${to} 可能失败或丢失信息（旧值归档到 sys.archived_values）`,
      en: `Changing ${object}.${field} from ${from} to ${to} can fail or lose information (old values are archived in sys.archived_values)`,
    },
  };
}

/** Only objects of the target model: the ones left out are not planned at all. */
function pairedTables(before: SchemaModel, after: SchemaModel): TableModel[] {
  return [...before.tables.values()].filter((table) => after.tables.has(table.id));
}

function beforeKeys(planning: Planning, objectId: string): KeyMap {
  const keys = planning.keyMaps.get(objectId);
  return (key) => keys?.get(key) ?? key;
}

const sameKey: KeyMap = (key) => key;

function byIdentity<T extends { identity: string }>(specs: T[]): Map<string, T> {
  return new Map(specs.map((spec) => [spec.identity, spec]));
}

/** Indexes match by identity (object id + kind + column keys): a renamed table or column renames, not rebuilds. */
function planIndexes(before: SchemaModel, after: SchemaModel, planning: Planning): void {
  const old = byIdentity(pairedTables(before, after).flatMap((table) => indexesOf(table, beforeKeys(planning, table.id))));
  const next = byIdentity([...after.tables.values()].flatMap((table) => indexesOf(table, sameKey)));
  const renames: Rename[] = [];
  for (const [identity, index] of old) {
    if (!next.has(identity) && !index.inline) planning.steps.dropIndex.push(ddl.dropIndex(index.name));
  }
  for (const [identity, index] of next) {
    const previous = old.get(identity);
    if (previous) renames.push({ from: previous.name, to: index.name });
    else if (!index.inline) planning.steps.createIndex.push(ddl.createIndex(index));
  }
  for (const rename of orderRenames(renames)) planning.steps.renameIndexOrKey.push(ddl.renameIndex(rename.from, rename.to));
}

/** Foreign keys match by identity, which includes the target object's id: a renamed target keeps its keys. */
function planForeignKeys(before: SchemaModel, after: SchemaModel, planning: Planning): void {
  const targetIn = (model: SchemaModel) => (name: string) => model.idByName.get(name);
  const old = byIdentity(
    pairedTables(before, after).flatMap((table) => foreignKeysOf(table, beforeKeys(planning, table.id), targetIn(before))),
  );
  const next = byIdentity([...after.tables.values()].flatMap((table) => foreignKeysOf(table, sameKey, targetIn(after))));
  const renames: (Rename & { table: string })[] = [];
  for (const [identity, fk] of old) {
    if (!next.has(identity)) planning.steps.dropForeignKey.push(ddl.dropForeignKey(fk.table, fk.name));
  }
  for (const [identity, fk] of next) {
    const previous = old.get(identity);
    if (previous) renames.push({ table: fk.table, from: previous.name, to: fk.name });
    else planning.steps.addForeignKey.push(ddl.addForeignKey(fk));
  }
  for (const rename of orderRenames(renames)) {
    planning.steps.renameIndexOrKey.push(ddl.renameForeignKey(rename.table, rename.from, rename.to));
  }
}

/**
 * An object's personal keys are rebuilt whenever anything they are made from changes (its name, its default
 * sort column or that column's type, its array columns): drop, then create and fill from the rows in the table.
 */
function planRelatedKeys(before: SchemaModel, after: SchemaModel, planning: Planning): void {
  for (const table of after.tables.values()) {
    const previous = before.tables.get(table.id);
    const old = previous && relatedKeysOf(previous);
    const next = relatedKeysOf(table);
    if (old && next && relatedKeysFingerprint(old) === relatedKeysFingerprint(next)) continue;
    if (old) planning.steps.dropRelatedKeys.push(ddl.dropRelatedKeys(old));
    if (next) planning.steps.createRelatedKeys.push(ddl.createRelatedKeys(next));
  }
}
