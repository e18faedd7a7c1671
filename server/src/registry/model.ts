// The compiled model: every object's definition turned once into what queries and validators need.
import type { FieldDefinition, GrantRule, LayoutDefinition, ObjectDefinition, OptionSetDefinition, RoleDefinition, WorkflowDefinition } from "@crm/metadata";
import { describeColumns, masterOf, type ColumnSpec } from "./columns";
import type { FilterField } from "../rules/filter-sql";

export interface RelationSpec {
  /** Relation name used in /related/:relation: the child field name, or `<object>.<field>` for lookups. */
  name: string;
  kind: "children" | "lookup";
  /** The object whose records are listed. */
  object: string;
  /** Its column pointing at this record. */
  column: string;
}

export interface CompiledObject {
  name: string;
  definition: ObjectDefinition;
  model: Model;
  columns: ColumnSpec[];
  columnByName: ReadonlyMap<string, ColumnSpec>;
  fieldByName: ReadonlyMap<string, FieldDefinition>;
  /** Columns that filters and sorts may use (everything but deleted_*). */
  filterFields: ReadonlyMap<string, FilterField>;
  /** Columns returned in a record. */
  readColumns: string[];
  searchColumns: string[];
  /** The master object when this object is a master_detail child. */
  parent?: string;
  /** Declared master_detail fields: field name → child object. */
  children: ReadonlyMap<string, string>;
  relations: ReadonlyMap<string, RelationSpec>;
  /** True when customer_id is added by belongsToCustomer rather than declared. */
  implicitCustomer: boolean;
  defaultSort: string;
}

export interface Model {
  version: number;
  objects: ReadonlyMap<string, CompiledObject>;
  optionSets: ReadonlyMap<string, OptionSetDefinition>;
  roles: ReadonlyMap<string, RoleDefinition>;
  grantRules: readonly GrantRule[];
  /** Workflows by the object they run on (one per object). */
  workflows: ReadonlyMap<string, WorkflowDefinition>;
  /** Layout documents by object; objects without one get registry/layouts.ts's computed default. */
  layouts: ReadonlyMap<string, LayoutDefinition>;
}

/** Columns the platform keeps for itself: never returned, filtered or sorted on. */
const HIDDEN_COLUMNS = new Set(["deleted_at", "deleted_by", "customer_owner_id", "customer_department_id", "customer_related_ids"]);

function searchColumnsOf(definition: ObjectDefinition): string[] {
  const declared = definition.fields.filter((field) => field.searchable).map((field) => field.name);
  if (declared.length > 0) return declared;
  const display = definition.fields.find((field) => field.name === definition.displayField);
  return display && ["text", "auto_number", "email", "phone"].includes(display.type) ? [display.name] : [];
}

function compileObject(definition: ObjectDefinition, model: Model, parents: Map<string, string>): CompiledObject {
  const objectNames = new Set(model.objects.keys());
  const parent = parents.get(definition.name);
  const columns = describeColumns(definition, { parentObject: parent, objectNames });
  const filterFields = new Map<string, FilterField>();
  for (const column of columns) {
    if (HIDDEN_COLUMNS.has(column.name) || column.kind === "json") continue;
    filterFields.set(column.name, { name: column.name, column: column.name, kind: column.kind });
  }
  const children = new Map<string, string>();
  for (const field of definition.fields) {
    if (field.type === "master_detail" && field.target) children.set(field.name, field.target);
  }
  return {
    name: definition.name,
    definition,
    model,
    columns,
    columnByName: new Map(columns.map((column) => [column.name, column])),
    fieldByName: new Map(definition.fields.map((field) => [field.name, field])),
    filterFields,
    readColumns: columns.filter((column) => !HIDDEN_COLUMNS.has(column.name)).map((column) => column.name),
    searchColumns: searchColumnsOf(definition),
    parent,
    children,
    relations: new Map(),
    implicitCustomer: definition.belongsToCustomer === true && !definition.fields.some((field) => field.name === "customer_id"),
    defaultSort: definition.defaultSort ?? "-created_at",
  };
}

/** Related lists of each object: its master-detail children and every lookup pointing at it. */
function linkRelations(objects: Map<string, CompiledObject>): void {
  for (const object of objects.values()) {
    const relations = object.relations as Map<string, RelationSpec>;
    for (const [fieldName, child] of object.children) {
      relations.set(fieldName, { name: fieldName, kind: "children", object: child, column: "parent_id" });
    }
  }
  for (const source of objects.values()) {
    const pointing = source.columns.filter(
      (column) => column.references && objects.has(column.references) && !["parent_id", "created_by", "updated_by"].includes(column.name),
    );
    for (const column of pointing) {
      const target = objects.get(column.references!)!;
      const relations = target.relations as Map<string, RelationSpec>;
      const name = `${source.name}.${column.name}`;
      relations.set(name, { name, kind: "lookup", object: source.name, column: column.name });
      // The plain object name is a friendly alias when exactly one lookup of that object points here.
      const sameTarget = pointing.filter((other) => other.references === column.references);
      if (sameTarget.length === 1 && !relations.has(source.name)) {
        relations.set(source.name, { name: source.name, kind: "lookup", object: source.name, column: column.name });
      }
    }
  }
}

export function compileModel(input: {
  version: number;
  objects: readonly ObjectDefinition[];
  optionSets: readonly OptionSetDefinition[];
  roles?: readonly RoleDefinition[];
  grantRules?: readonly GrantRule[];
  workflows?: readonly WorkflowDefinition[];
  layouts?: readonly LayoutDefinition[];
}): Model {
  const objects = new Map<string, CompiledObject>();
  const model: Model = {
    version: input.version,
    objects,
    optionSets: new Map(input.optionSets.map((set) => [set.name, set])),
    roles: new Map((input.roles ?? []).map((role) => [role.name, role])),
    grantRules: input.grantRules ?? [],
    workflows: new Map((input.workflows ?? []).map((workflow) => [workflow.object, workflow])),
    layouts: new Map((input.layouts ?? []).map((layout) => [layout.object, layout])),
  };
  for (const definition of input.objects) objects.set(definition.name, { name: definition.name } as CompiledObject);
  const parents = masterOf(input.objects);
  for (const definition of input.objects) objects.set(definition.name, compileObject(definition, model, parents));
  linkRelations(objects);
  return model;
}
