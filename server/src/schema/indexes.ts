// The indexes and foreign keys a table should have, each with a stable identity and a derived name.
import type { ObjectDefinition } from "@crm/metadata";
import type { ColumnSpec } from "../registry/columns";
import { SchemaPlanError } from "./errors";
import type { TableModel } from "./model";
import { derivedName } from "./sql";

export interface IndexSpec {
  /** Survives renames: object id, kind and column keys. Two sides' indexes match on it. */
  identity: string;
  name: string;
  table: string;
  columns: string[];
  method: "btree" | "gin";
  unique: boolean;
  /** Columns stored in the index entries but not ordered by (INCLUDE): conditions on them need no table row. */
  include?: string[];
  /** Operator class for a single-column index (the trigram search index). */
  opclass?: "gin_trgm_ops";
  /** `WHERE deleted_at IS NULL`: live rows only, so soft-deleted rows neither block nor bloat. */
  liveOnly: boolean;
  /** Created by CREATE TABLE (the primary key): only ever renamed. */
  inline: boolean;
}

export interface ForeignKeySpec {
  identity: string;
  name: string;
  table: string;
  column: string;
  /** Name of the referenced table on this side. */
  references: string;
  onDelete?: "cascade" | "restrict" | "set null";
}

/** Maps a column key to the key it has in the target model, so a column paired across sides keeps its identity. */
export type KeyMap = (key: string) => string;

const MULTI_VALUED = new Set(["text_array", "uuid_array", "json"]);

/**
 * The name prefixes of the secondary indexes indexesOf derives (`<kind>_<table>_<column>…`): an index of an object table
 * named so is the platform's, and index-reconcile.ts drops it once the model no longer derives it.
 */
export const DERIVED_INDEX_KINDS = ["ux", "gx", "sx", "ix", "tx", "cu", "ci"] as const;
type DerivedIndexKind = (typeof DERIVED_INDEX_KINDS)[number];

export function primaryKeyName(table: string): string {
  return derivedName("pk", table);
}

export function indexesOf(table: TableModel, keyOf: KeyMap): IndexSpec[] {
  const specs: IndexSpec[] = [primaryKey(table)];
  const searchable = new Set(table.object.fields.filter((field) => field.searchable).map((field) => field.id));
  for (const column of table.columns) {
    const spec = (kind: DerivedIndexKind, extra: Partial<IndexSpec>): IndexSpec => ({
      identity: `${table.id}|${kind}|${keyOf(column.key)}`,
      name: derivedName(kind, table.name, column.name),
      table: table.name,
      columns: [column.name],
      method: "btree",
      unique: false,
      liveOnly: false,
      inline: false,
      ...extra,
    });
    const multiValued = MULTI_VALUED.has(column.kind);
    if (column.unique) specs.push(spec("ux", { unique: true, liveOnly: true }));
    if (column.indexed && multiValued) specs.push(spec("gx", { method: "gin" }));
    const sortColumn = SCOPE_COLUMNS.has(column.name) ? defaultSortColumn(table) : undefined;
    if (column.indexed && sortColumn) {
      // The record-scope columns: one user's (or department's) rows in list order, so that each alternative of a
      // scope reads its page from an index range (see records/scoped-list.ts) instead of filtering the whole list.
      // The broader scope columns ride along: a scoped count counts this alternative without the rows of the broader
      // ones it already counted, and tests that on the index entries alone (an index-only scan, no table rows).
      const broader = SCOPE_COLUMNS_BROADEST_FIRST.slice(0, SCOPE_COLUMNS_BROADEST_FIRST.indexOf(column.name));
      const riders = table.columns.filter((other) => broader.includes(other.name));
      const include = riders.map((other) => other.name);
      specs.push({
        ...spec("sx", { columns: [column.name, sortColumn.name, "id"], liveOnly: true, ...(include.length ? { include } : {}) }),
        identity: `${table.id}|sx|${keyOf(column.key)}|${keyOf(sortColumn.key)}${riders.map((other) => `|+${keyOf(other.key)}`).join("")}`,
        name: derivedName("sx", table.name, column.name, sortColumn.name),
      });
    } else if (column.indexed && !multiValued && !column.unique) {
      // A unique index already serves equality and ordering on the column: no second btree.
      // The default list order's index carries the scope columns: a user's bounded walk of the plain list
      // (records/scoped-list.ts) tests their alternatives on its entries alone, without reading the rows it skips.
      const riders = column.name === defaultSortColumn(table)?.name ? table.columns.filter((other) => SCOPE_COLUMNS.has(other.name)) : [];
      specs.push({
        ...spec("ix", { columns: [column.name, "id"], liveOnly: true, ...(riders.length ? { include: riders.map((other) => other.name) } : {}) }),
        ...(riders.length ? { identity: `${table.id}|ix|${keyOf(column.key)}${riders.map((other) => `|+${keyOf(other.key)}`).join("")}` } : {}),
      });
    }
    if (column.kind === "text" && searchable.has(column.key)) specs.push(spec("tx", { method: "gin", opclass: "gin_trgm_ops" }));
  }
  return [...specs, ...declaredIndexes(table, keyOf)];
}

/**
 * Columns that record scopes compare with one value per alternative (部门, 负责员工, and the customer's copies), from
 * the one whose alternative usually selects the most rows (a department range) to the fewest (one person's own):
 * a scoped count counts its alternatives in this order (records/scoped-list.ts).
 */
export const SCOPE_COLUMNS_BROADEST_FIRST: readonly string[] = ["department_id", "customer_department_id", "customer_owner_id", "owner_id"];
const SCOPE_COLUMNS = new Set(SCOPE_COLUMNS_BROADEST_FIRST);

/** The first column of the object's default list order, unless it is the id itself. */
export function defaultSortColumn(table: { object: ObjectDefinition; columns: readonly ColumnSpec[] }): ColumnSpec | undefined {
  const first = (table.object.defaultSort ?? "-created_at").split(",")[0].trim().replace(/^-/, "");
  if (first === "id") return undefined;
  return table.columns.find((column) => column.name === first && !MULTI_VALUED.has(column.kind));
}

function primaryKey(table: TableModel): IndexSpec {
  const base = { table: table.name, columns: ["id"], method: "btree" as const, liveOnly: false };
  return { ...base, identity: `${table.id}|pk`, name: primaryKeyName(table.name), unique: true, inline: true };
}

/** ObjectDefinition.indexes: composite indexes; unique ones ignore soft-deleted rows like field uniques. */
function declaredIndexes(table: TableModel, keyOf: KeyMap): IndexSpec[] {
  return (table.object.indexes ?? []).map((index, position) => {
    const columns = index.fields.map((name, at) => columnNamed(table, name, `/objects/${table.name}/indexes/${position}/fields/${at}`));
    const kind: DerivedIndexKind = index.unique ? "cu" : "ci";
    const names = columns.map((column) => column.name);
    return {
      identity: `${table.id}|${kind}|${columns.map((column) => keyOf(column.key)).join(",")}`,
      name: derivedName(kind, table.name, ...names),
      table: table.name,
      columns: index.unique ? names : [...names, "id"],
      method: "btree",
      unique: index.unique === true,
      liveOnly: true,
      inline: false,
    };
  });
}

function columnNamed(table: TableModel, name: string, path: string): ColumnSpec {
  const column = table.columns.find((candidate) => candidate.name === name);
  if (column) return column;
  throw new SchemaPlanError([
    { path, message: { "zh-CN": `字段 ${name} 不存在`, en: `Field ${name} does not exist` } },
  ]);
}

/** `targetId` resolves a referenced table name to its object id on the same side. */
export function foreignKeysOf(table: TableModel, keyOf: KeyMap, targetId: (name: string) => string | undefined): ForeignKeySpec[] {
  return table.columns.flatMap((column) => {
    if (!column.references) return [];
    const target = targetId(column.references) ?? `name:${column.references}`;
    return [
      {
        identity: `${table.id}|fk|${keyOf(column.key)}|${target}|${column.onDelete ?? "no action"}`,
        name: derivedName("fk", table.name, column.name),
        table: table.name,
        column: column.name,
        references: column.references,
        onDelete: column.onDelete,
      },
    ];
  });
}
