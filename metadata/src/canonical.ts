// One canonical form for metadata documents, so equal definitions serialize (and diff, and hash) identically.
import {
  ACTIONS,
  EVERY_OBJECT,
  type Action,
  type FieldDefinition,
  type ObjectDefinition,
  type OptionSetDefinition,
  type PackManifest,
  type PicklistOption,
  type RoleDefinition,
} from "./types";

type Json = Record<string, unknown>;
type Transform = (value: unknown) => unknown;

/** Key order follows types.ts; keys not listed there keep their values and follow, sorted. */
interface Shape {
  keys: readonly string[];
  /** Booleans whose `false` is the default, so it is left out. */
  dropFalse?: readonly string[];
  /** How to canonicalize a key's value; free-form JSON (defaults, expressions) gets sorted keys. */
  nested?: Readonly<Record<string, Transform>>;
}

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Free-form JSON with object keys sorted: json-logic and literals do not depend on key order. */
function sortedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) out[key] = sortedJson(value[key]);
  }
  return out;
}

function byShape(shape: Shape): Transform {
  const known = new Set(shape.keys);
  return (value) => {
    if (!isRecord(value)) return sortedJson(value);
    const extra = Object.keys(value).filter((k) => !known.has(k)).sort();
    const out: Json = {};
    for (const key of [...shape.keys, ...extra]) {
      const raw = value[key];
      if (raw === undefined || (raw === false && shape.dropFalse?.includes(key))) continue;
      const canonical = (shape.nested?.[key] ?? sortedJson)(raw);
      if (canonical !== undefined) out[key] = canonical;
    }
    return out;
  };
}

/** Arrays keep their order (it is meaningful: field order, option order); an empty list is left out. */
function listOf(item: Transform, { dropEmpty }: { dropEmpty: boolean }): Transform {
  return (value) => {
    if (!Array.isArray(value)) return sortedJson(value);
    return dropEmpty && value.length === 0 ? undefined : value.map(item);
  };
}

const localized = byShape({ keys: ["zh-CN", "en"] });

const optionObject = byShape({ keys: ["value", "label", "color"], nested: { label: localized } });

/** { "value": "x" } with nothing else says no more than "x". */
function canonicalOption(option: unknown): unknown {
  const canonical = optionObject(option);
  if (isRecord(canonical) && Object.keys(canonical).length === 1 && typeof canonical.value === "string") {
    return canonical.value;
  }
  return canonical;
}

const options = listOf(canonicalOption, { dropEmpty: false });

const field = byShape({
  keys: [
    "id", "name", "type", "label", "description", "required", "unique", "indexed", "searchable", "default",
    "maxLength", "min", "max", "scale", "options", "optionSet", "target", "format", "expression", "resultType",
    "dimension",
  ],
  dropFalse: ["required", "unique", "indexed", "searchable"],
  nested: { label: localized, description: localized, options },
});

const validationRule = byShape({ keys: ["name", "expression", "message", "field"], nested: { message: localized } });

const indexDefinition = byShape({ keys: ["name", "fields", "unique"], dropFalse: ["unique"] });

const objectOptions: Transform = (value) => {
  const canonical = byShape({ keys: ["workflow", "approval", "activities"] })(value);
  return isRecord(canonical) && Object.keys(canonical).length === 0 ? undefined : canonical;
};

/** Declared actions: keys as actions.ts lists them; field mappings (free-form) get sorted keys. */
const actionDefinition = byShape({
  keys: [
    "name", "label", "description", "kind", "availableWhen", "customerFields", "contactFields", "opportunityFields",
    "target", "fields", "sourceField", "dateField", "lines", "makeCustomerFormal", "reasonField", "set",
  ],
  dropFalse: ["makeCustomerFormal"],
  nested: { label: localized, description: localized, lines: byShape({ keys: ["from", "to", "fields"] }) },
});

const duplicateRule = byShape({ keys: ["name", "fields", "condition", "onDuplicate", "flagField", "message"], nested: { message: localized } });

const rollupDefinition = byShape({
  keys: ["field", "aggregate", "sources"],
  nested: { sources: listOf(byShape({ keys: ["object", "via", "field", "where"] }), { dropEmpty: false }) },
});

const object = byShape({
  keys: [
    "id", "name", "label", "pluralLabel", "description", "module", "displayField", "numberField", "ownership",
    "belongsToCustomer", "defaultSort", "dimension", "options", "fields", "validationRules", "indexes", "actions", "duplicateRules",
    "rollups",
  ],
  dropFalse: ["ownership", "belongsToCustomer"],
  nested: {
    label: localized,
    pluralLabel: localized,
    description: localized,
    options: objectOptions,
    fields: listOf(field, { dropEmpty: false }),
    validationRules: listOf(validationRule, { dropEmpty: true }),
    indexes: listOf(indexDefinition, { dropEmpty: true }),
    actions: listOf(actionDefinition, { dropEmpty: true }),
    duplicateRules: listOf(duplicateRule, { dropEmpty: true }),
    rollups: listOf(rollupDefinition, { dropEmpty: true }),
  },
});

const optionSet = byShape({ keys: ["name", "label", "options"], nested: { label: localized, options } });

const packManifest = byShape({
  keys: ["name", "version", "label", "description", "requires"],
  nested: { label: localized, description: localized },
});

/** "*" (every object) first, then names in code-unit order. */
function objectKeyOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (a === EVERY_OBJECT) return -1;
  if (b === EVERY_OBJECT) return 1;
  return a < b ? -1 : 1;
}

/** A map keyed by object name (or "*"): keys in objectKeyOrder, each value canonicalized by `item`. */
function byObject(item: Transform): Transform {
  return (value) => {
    if (!isRecord(value)) return sortedJson(value);
    const out: Json = {};
    for (const key of Object.keys(value).sort(objectKeyOrder)) {
      if (value[key] !== undefined) out[key] = item(value[key]);
    }
    return out;
  };
}

/** Actions in ACTIONS order (a set, so order carries no meaning); unknown ones keep their order, last. */
const actions: Transform = (value) => {
  if (!Array.isArray(value)) return sortedJson(value);
  const rank = (action: unknown) => {
    const i = ACTIONS.indexOf(action as Action);
    return i === -1 ? ACTIONS.length : i;
  };
  return [...value].sort((a, b) => rank(a) - rank(b));
};

/** Scope terms go through sortedJson: the order of any / all lists is kept. */
const recordRule = byShape({ keys: ["view", "edit"] });

const dimensions = byShape({ keys: ["customer", "inventory", "sales_type", "supplier", "warehouse"] });

const role = byShape({
  keys: ["name", "label", "description", "functions", "menus", "records", "fields", "dimensions"],
  nested: {
    label: localized,
    description: localized,
    functions: byObject(actions),
    records: byObject(recordRule),
    fields: byObject(sortedJson),
    dimensions,
  },
});

/**
 * The definition in canonical form: keys in types.ts order, undefined values dropped, false
 * defaults (required, unique, indexed, searchable, ownership, belongsToCustomer) dropped, empty
 * validationRules / indexes / options dropped, bare-value option objects written as strings.
 */
export function canonicalObject(def: ObjectDefinition): ObjectDefinition {
  return object(def) as ObjectDefinition;
}

export function canonicalField(def: FieldDefinition): FieldDefinition {
  return field(def) as FieldDefinition;
}

export function canonicalOptionSet(def: OptionSetDefinition): OptionSetDefinition {
  return optionSet(def) as OptionSetDefinition;
}

export function canonicalPackManifest(def: PackManifest): PackManifest {
  return packManifest(def) as PackManifest;
}

/**
 * The role in canonical form: keys in types.ts order, object keys of functions / records / fields
 * sorted with "*" first, actions in ACTIONS order; menus and any / all lists keep their order.
 */
export function canonicalRole(def: RoleDefinition): RoleDefinition {
  return role(def) as RoleDefinition;
}

export function canonicalPicklistOption(option: PicklistOption): PicklistOption {
  return canonicalOption(option) as PicklistOption;
}

/**
 * JSON with every object's keys sorted: the same value always gives the same string (for hashes).
 * Values JSON cannot represent at the top level (undefined, functions) give "null".
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortedJsonForStringify(value)) ?? "null";
}

/** Like sortedJson, but also honours toJSON (dates) the way JSON.stringify would. */
function sortedJsonForStringify(value: unknown): unknown {
  const plain = value !== null && typeof value === "object" && "toJSON" in value
    ? (value as { toJSON: () => unknown }).toJSON()
    : value;
  if (Array.isArray(plain)) return plain.map(sortedJsonForStringify);
  if (!isRecord(plain)) return plain;
  const out: Json = {};
  for (const key of Object.keys(plain).sort()) out[key] = sortedJsonForStringify(plain[key]);
  return out;
}
