// What cross-document checks need to know about the whole model: names, objects, option values, masters.
import { pointer } from "./issues";
import { optionValue } from "./options";
import {
  CUSTOMER_FIELD_NAME,
  OWNERSHIP_FIELD_NAMES,
  PARENT_FIELD_NAME,
  SYSTEM_FIELD_NAMES,
  type ObjectDefinition,
  type OptionSetDefinition,
  type PicklistOption,
} from "./types";

/** The first master_detail field that claims a child object. */
export interface MasterClaim {
  object: string;
  fieldIndex: number;
}

export interface ModelIndex {
  /** Every object name in the model, including structurally invalid documents (avoids cascades). */
  objectNames: ReadonlySet<string>;
  /** Structurally valid objects by name; the first one when a name is duplicated. */
  objects: ReadonlyMap<string, ObjectDefinition>;
  /** Option values per option set; undefined when the set itself is invalid (values unknown). */
  optionSets: ReadonlyMap<string, readonly string[] | undefined>;
  /** The options themselves (with their labels) of the structurally valid option sets. */
  optionSetOptions: ReadonlyMap<string, readonly PicklistOption[]>;
  /** Child object → the first master_detail field pointing at it. */
  masters: ReadonlyMap<string, MasterClaim>;
}

export interface IndexInput {
  /** Objects that passed structural validation. */
  validObjects: readonly ObjectDefinition[];
  /** Every object document as given. */
  allObjects: readonly unknown[];
  validOptionSets: readonly OptionSetDefinition[];
  allOptionSets: readonly unknown[];
}

/** The `name` of a document not yet known to be valid. */
export function nameOf(doc: unknown): string | undefined {
  const name = (doc as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : undefined;
}

export function buildModelIndex(input: IndexInput): ModelIndex {
  const objectNames = new Set(input.allObjects.map(nameOf).filter((n): n is string => n !== undefined));
  const optionSets = new Map<string, readonly string[] | undefined>();
  for (const doc of input.allOptionSets) {
    const name = nameOf(doc);
    if (name !== undefined && !optionSets.has(name)) optionSets.set(name, undefined);
  }
  const optionSetOptions = new Map<string, readonly PicklistOption[]>();
  for (const set of input.validOptionSets) {
    if (optionSets.get(set.name) === undefined) optionSets.set(set.name, set.options.map(optionValue));
    if (!optionSetOptions.has(set.name)) optionSetOptions.set(set.name, set.options);
  }
  const objects = new Map<string, ObjectDefinition>();
  for (const object of input.validObjects) {
    if (!objects.has(object.name)) objects.set(object.name, object);
  }
  return { objectNames, objects, optionSets, optionSetOptions, masters: collectMasters(input.validObjects) };
}

function collectMasters(objects: readonly ObjectDefinition[]): Map<string, MasterClaim> {
  const masters = new Map<string, MasterClaim>();
  for (const object of objects) {
    object.fields.forEach((field, fieldIndex) => {
      if (field.type !== "master_detail" || field.target === undefined) return;
      if (field.target === object.name || masters.has(field.target)) return;
      masters.set(field.target, { object: object.name, fieldIndex });
    });
  }
  return masters;
}

/** Where a master claim lives, for messages: "objects/order/fields/4". */
export function describeClaim(claim: MasterClaim): string {
  return `objects/${claim.object}${pointer("fields", claim.fieldIndex)}`;
}

/** Field names the platform adds to `object` by itself; they may be referenced but not declared. */
export function implicitFieldNames(object: ObjectDefinition, index: ModelIndex): Set<string> {
  const names = new Set<string>(SYSTEM_FIELD_NAMES);
  if (object.ownership) OWNERSHIP_FIELD_NAMES.forEach((n) => names.add(n));
  if (object.belongsToCustomer) names.add(CUSTOMER_FIELD_NAME);
  if (index.masters.has(object.name)) names.add(PARENT_FIELD_NAME);
  return names;
}

/** Declared plus implicit field names: what expressions, sorts and indexes may refer to. */
export function knownFieldNames(object: ObjectDefinition, index: ModelIndex): Set<string> {
  const names = implicitFieldNames(object, index);
  object.fields.forEach((f) => names.add(f.name));
  return names;
}
