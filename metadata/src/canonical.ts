// One canonical form for metadata documents, so equal definitions serialize (and diff, and hash) identically.
import type {
  FieldDefinition,
  ObjectDefinition,
  OptionSetDefinition,
  PackManifest,
  PicklistOption,
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

const object = byShape({
  keys: [
    "id", "name", "label", "pluralLabel", "description", "module", "displayField", "numberField", "ownership",
    "belongsToCustomer", "defaultSort", "options", "fields", "validationRules", "indexes",
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
  },
});

const optionSet = byShape({ keys: ["name", "label", "options"], nested: { label: localized, options } });

const packManifest = byShape({
  keys: ["name", "version", "label", "description", "requires"],
  nested: { label: localized, description: localized },
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
