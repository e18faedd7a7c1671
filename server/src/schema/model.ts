// One side of a schema change: each object's table and columns as the column registry describes them.
import type { ObjectDefinition } from "@crm/metadata";
import { describeColumns, masterOf, type ColumnSpec } from "../registry/columns";
import { SchemaPlanError } from "./errors";
import { checkIdentifier } from "./sql";

export interface TableModel {
  /** The object's stable id. */
  id: string;
  name: string;
  object: ObjectDefinition;
  columns: ColumnSpec[];
  /** Master object's name when this object is a master_detail child. */
  parent?: string;
}

export interface SchemaModel {
  /** By object id. */
  tables: Map<string, TableModel>;
  /** Object name → object id, to compare foreign-key targets across renames. */
  idByName: Map<string, string>;
}

/** Checks ids and names, then describes every object's columns in the context of the whole model. */
export function buildModel(objects: readonly ObjectDefinition[]): SchemaModel {
  const masters = masterOf(objects);
  const objectNames = new Set(objects.map((object) => object.name));
  const tables = new Map<string, TableModel>();
  const idByName = new Map<string, string>();
  for (const object of objects) {
    const path = `/objects/${object.name}`;
    checkIdentifier(object.name, path);
    const id = requireId(object.id, path);
    if (tables.has(id) || idByName.has(object.name)) throw duplicate(path, object.id ?? object.name);
    const parent = masters.get(object.name);
    const columns = describeColumns(object, { parentObject: parent, objectNames });
    checkColumns(object, columns);
    tables.set(id, { id, name: object.name, object, columns, parent });
    idByName.set(object.name, id);
  }
  return { tables, idByName };
}

function checkColumns(object: ObjectDefinition, columns: ColumnSpec[]): void {
  const names = new Set<string>();
  const fieldIds = new Set<string>();
  for (const field of object.fields) {
    const path = `/objects/${object.name}/fields/${field.name}`;
    const id = requireId(field.id, path);
    if (fieldIds.has(id)) throw duplicate(path, id);
    fieldIds.add(id);
  }
  for (const column of columns) {
    const path = `/objects/${object.name}/fields/${column.name}`;
    checkIdentifier(column.name, path);
    if (names.has(column.name)) throw duplicate(path, column.name);
    names.add(column.name);
  }
}

function requireId(id: string | undefined, path: string): string {
  if (id) return id;
  // Without an id a rename would look like drop + add and lose the column's data: refuse instead.
  throw new SchemaPlanError([
    { path, message: { "zh-CN": "缺少稳定 id（先调用 assignStableIds）", en: "No stable id (call assignStableIds first)" } },
  ]);
}

function duplicate(path: string, what: string): SchemaPlanError {
  return new SchemaPlanError([
    { path, message: { "zh-CN": `"${what}" 重复`, en: `"${what}" is used twice` } },
  ]);
}
