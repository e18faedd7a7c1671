// The related lists of an object, named as GET …/records/:id/related/:relation names them (the server's model agrees; a test keeps it so).
import type { FieldDefinition, ObjectDefinition } from "./types";

export interface RelationRef {
  name: string;
  kind: "children" | "lookup";
  /** The object whose records the relation lists. */
  object: string;
}

interface Reference {
  column: string;
  target: string;
}

function fieldTarget(field: FieldDefinition): string | undefined {
  if (field.type === "lookup") return field.target;
  if (field.type === "employee") return "employee";
  if (field.type === "department") return "department";
  return undefined;
}

/** Columns of `object` that point at other records: ownership and customer columns first, then declared fields. */
function referencesOf(object: ObjectDefinition): Reference[] {
  const references: Reference[] = [];
  if (object.ownership) references.push({ column: "owner_id", target: "employee" }, { column: "department_id", target: "department" });
  const declaresCustomer = object.fields.some((field) => field.name === "customer_id" && field.type === "lookup");
  if (object.belongsToCustomer && !declaresCustomer) references.push({ column: "customer_id", target: "customer" });
  for (const field of object.fields) {
    const target = fieldTarget(field);
    if (target) references.push({ column: field.name, target });
  }
  return references;
}

/**
 * Relations of `objectName`: its master_detail fields (by field name), then for every lookup pointing at it
 * `<object>.<field>`, and the plain object name as an alias when that object has exactly one such lookup.
 */
export function relationsOf(objectName: string, objects: readonly ObjectDefinition[]): Map<string, RelationRef> {
  const relations = new Map<string, RelationRef>();
  const names = new Set(objects.map((object) => object.name));
  const self = objects.find((object) => object.name === objectName);
  for (const field of self?.fields ?? []) {
    if (field.type === "master_detail" && field.target) relations.set(field.name, { name: field.name, kind: "children", object: field.target });
  }
  for (const source of objects) {
    const pointing = referencesOf(source).filter((reference) => reference.target === objectName && names.has(reference.target));
    for (const reference of pointing) {
      const name = `${source.name}.${reference.column}`;
      relations.set(name, { name, kind: "lookup", object: source.name });
    }
    if (pointing.length === 1 && !relations.has(source.name)) relations.set(source.name, { name: source.name, kind: "lookup", object: source.name });
  }
  return relations;
}
