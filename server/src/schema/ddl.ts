// One builder per step type: the step's data, its SQL (identifiers checked and quoted) and its description.
import type { ColumnSpec } from "../registry/columns";
import { castExpression, isNarrowing } from "./casts";
import type { ForeignKeySpec, IndexSpec } from "./indexes";
import { createRelatedKeysStatements, dropRelatedKeysStatements, type RelatedKeysSpec } from "./related-keys";
import { checkSqlDefault, checkSqlType, qualified, quote, TABLE_SCHEMA } from "./sql";
import type { SchemaStep } from "./steps";

type Step<T extends SchemaStep["type"]> = Extract<SchemaStep, { type: T }>;

const alterTable = (table: string) => `ALTER TABLE ${qualified(table)}`;

/** `"name" type [NOT NULL] [DEFAULT …]`; NOT NULL only inline when it cannot fail on existing rows. */
function columnDefinition(column: ColumnSpec, options: { existingRows: boolean }): string {
  const parts = [quote(column.name), checkSqlType(column.sqlType)];
  const inlineNotNull = column.notNull && (!options.existingRows || column.sqlDefault !== undefined);
  if (inlineNotNull) parts.push("NOT NULL");
  if (column.sqlDefault !== undefined) parts.push(`DEFAULT ${checkSqlDefault(column.sqlDefault)}`);
  return parts.join(" ");
}

/** True when add_column leaves the NOT NULL to a separate set_not_null step. */
export function needsLaterNotNull(column: ColumnSpec): boolean {
  return column.notNull && column.sqlDefault === undefined;
}

export function createTable(table: string, columns: ColumnSpec[], primaryKey: string): Step<"create_table"> {
  const definitions = columns.map((column) => columnDefinition(column, { existingRows: false }));
  definitions.push(`CONSTRAINT ${quote(primaryKey)} PRIMARY KEY ("id")`);
  return {
    type: "create_table",
    table,
    columns: columns.map((column) => column.name),
    sql: `CREATE TABLE ${qualified(table)} (${definitions.join(", ")})`,
    description: { "zh-CN": `创建表 ${table}`, en: `Create table ${table}` },
  };
}

export function renameTable(from: string, to: string): Step<"rename_table"> {
  return {
    type: "rename_table",
    from,
    to,
    sql: `${alterTable(from)} RENAME TO ${quote(to)}`,
    description: { "zh-CN": `将表 ${from} 重命名为 ${to}`, en: `Rename table ${from} to ${to}` },
  };
}

export function addColumn(table: string, column: ColumnSpec): Step<"add_column"> {
  return {
    type: "add_column",
    table,
    column: column.name,
    sqlType: column.sqlType,
    sql: `${alterTable(table)} ADD COLUMN ${columnDefinition(column, { existingRows: true })}`,
    description: { "zh-CN": `在表 ${table} 中添加字段 ${column.name}`, en: `Add column ${column.name} to ${table}` },
  };
}

export function renameColumn(table: string, from: string, to: string): Step<"rename_column"> {
  return {
    type: "rename_column",
    table,
    from,
    to,
    sql: `${alterTable(table)} RENAME COLUMN ${quote(from)} TO ${quote(to)}`,
    description: { "zh-CN": `将字段 ${table}.${from} 重命名为 ${to}`, en: `Rename column ${table}.${from} to ${to}` },
  };
}

export function alterColumnType(table: string, column: string, from: string, to: string): Step<"alter_column_type"> {
  const using = castExpression(quote(column), checkSqlType(from), checkSqlType(to));
  return {
    type: "alter_column_type",
    table,
    column,
    from,
    to,
    using,
    narrowing: isNarrowing(from, to),
    sql: `${alterTable(table)} ALTER COLUMN ${quote(column)} TYPE ${to} USING ${using}`,
    description: {
      "zh-CN": `将字段 ${table}.${column} 的类型从 ${from} 改为 ${to}`,
      en: `Change the type of ${table}.${column} from ${from} to ${to}`,
    },
  };
}

export function dropColumn(table: string, column: string): Step<"drop_column"> {
  return {
    type: "drop_column",
    table,
    column,
    sql: `${alterTable(table)} DROP COLUMN ${quote(column)}`,
    description: {
      "zh-CN": `删除字段 ${table}.${column}（旧值先归档）`,
      en: `Drop column ${table}.${column} (old values are archived first)`,
    },
  };
}

export function notNull(table: string, column: string, required: boolean): Step<"set_not_null" | "drop_not_null"> {
  const sql = `${alterTable(table)} ALTER COLUMN ${quote(column)} ${required ? "SET" : "DROP"} NOT NULL`;
  return required
    ? { type: "set_not_null", table, column, sql, description: { "zh-CN": `字段 ${table}.${column} 设为必填`, en: `Make ${table}.${column} NOT NULL` } }
    : { type: "drop_not_null", table, column, sql, description: { "zh-CN": `字段 ${table}.${column} 允许为空`, en: `Allow NULL in ${table}.${column}` } };
}

export function addForeignKey(fk: ForeignKeySpec): Step<"add_foreign_key"> {
  const onDelete = fk.onDelete ? ` ON DELETE ${fk.onDelete.toUpperCase()}` : "";
  const target = `${qualified(fk.references)} ("id")`;
  return {
    type: "add_foreign_key",
    table: fk.table,
    column: fk.column,
    name: fk.name,
    references: fk.references,
    onDelete: fk.onDelete,
    sql: `${alterTable(fk.table)} ADD CONSTRAINT ${quote(fk.name)} FOREIGN KEY (${quote(fk.column)}) REFERENCES ${target}${onDelete}`,
    description: {
      "zh-CN": `添加外键 ${fk.table}.${fk.column} → ${fk.references}`,
      en: `Add foreign key ${fk.table}.${fk.column} → ${fk.references}`,
    },
  };
}

export function dropForeignKey(table: string, name: string): Step<"drop_foreign_key"> {
  return {
    type: "drop_foreign_key",
    table,
    name,
    sql: `${alterTable(table)} DROP CONSTRAINT ${quote(name)}`,
    description: { "zh-CN": `删除外键 ${name}`, en: `Drop foreign key ${name}` },
  };
}

export function renameForeignKey(table: string, from: string, to: string): Step<"rename_foreign_key"> {
  return {
    type: "rename_foreign_key",
    table,
    from,
    to,
    sql: `${alterTable(table)} RENAME CONSTRAINT ${quote(from)} TO ${quote(to)}`,
    description: { "zh-CN": `将外键 ${from} 重命名为 ${to}`, en: `Rename foreign key ${from} to ${to}` },
  };
}

export function createIndex(index: IndexSpec): Step<"create_index"> {
  const columns = index.columns.map((column) => (index.opclass ? `${quote(column)} ${index.opclass}` : quote(column)));
  const sql = [
    `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${quote(index.name)} ON ${qualified(index.table)}`,
    index.method === "gin" ? " USING gin" : "",
    ` (${columns.join(", ")})`,
    index.include?.length ? ` INCLUDE (${index.include.map(quote).join(", ")})` : "",
    index.liveOnly ? ` WHERE "deleted_at" IS NULL` : "",
  ].join("");
  const what = index.unique ? { zh: "唯一索引", en: "unique index" } : { zh: "索引", en: "index" };
  return {
    type: "create_index",
    table: index.table,
    name: index.name,
    columns: index.columns,
    method: index.method,
    unique: index.unique,
    sql,
    description: {
      "zh-CN": `在 ${index.table}(${index.columns.join(", ")}) 上创建${what.zh} ${index.name}`,
      en: `Create ${what.en} ${index.name} on ${index.table}(${index.columns.join(", ")})`,
    },
  };
}

export function dropIndex(name: string): Step<"drop_index"> {
  return {
    type: "drop_index",
    name,
    sql: `DROP INDEX "${TABLE_SCHEMA}".${quote(name)}`,
    description: { "zh-CN": `删除索引 ${name}`, en: `Drop index ${name}` },
  };
}

/** Also renames a primary-key constraint: PostgreSQL renames the constraint with its index. */
export function renameIndex(from: string, to: string): Step<"rename_index"> {
  return {
    type: "rename_index",
    from,
    to,
    sql: `ALTER INDEX "${TABLE_SCHEMA}".${quote(from)} RENAME TO ${quote(to)}`,
    description: { "zh-CN": `将索引 ${from} 重命名为 ${to}`, en: `Rename index ${from} to ${to}` },
  };
}

/** Creates (or rebuilds) an object's side table of personal keys, filled from the rows it already has. */
export function createRelatedKeys(spec: RelatedKeysSpec): Step<"create_related_keys"> {
  const statements = createRelatedKeysStatements(spec);
  return {
    type: "create_related_keys",
    table: spec.table,
    statements,
    sql: statements.join(";\n"),
    description: {
      "zh-CN": `为 ${spec.table} 建立按 ${spec.sortColumn} 排序的人员关系键表`,
      en: `Create the personal keys of ${spec.table}, in ${spec.sortColumn} order`,
    },
  };
}

export function dropRelatedKeys(spec: Pick<RelatedKeysSpec, "table" | "name">): Step<"drop_related_keys"> {
  const statements = dropRelatedKeysStatements(spec);
  return {
    type: "drop_related_keys",
    table: spec.table,
    statements,
    sql: statements.join(";\n"),
    description: { "zh-CN": `删除 ${spec.table} 的人员关系键表`, en: `Drop the personal keys of ${spec.table}` },
  };
}
