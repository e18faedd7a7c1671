// Pure helpers of the record form: what to send on save, and where each server error belongs.
import type { ErrorDetail, FieldDefinition, LocalizedText, RecordValues } from "../api/types";
import { MULTI_VALUE_FIELDS, type ScreenField } from "../layout/fields";

const same = (left: unknown, right: unknown) => JSON.stringify(left ?? null) === JSON.stringify(right ?? null);

/** The body of a create (every filled writable field) or an update (changed writable fields plus the version). */
export function saveBody(input: { fields: ReadonlyMap<string, ScreenField>; values: RecordValues; original: RecordValues | null }): RecordValues {
  const body: RecordValues = {};
  for (const [name, field] of input.fields) {
    if (field.readOnly || !(name in input.values)) continue;
    const value = input.values[name];
    if (input.original ? !same(value, input.original[name]) : value !== null && value !== undefined) body[name] = value;
  }
  if (input.original) body.version = input.original.version;
  return body;
}

/** Literal defaults of the fields, for a new record (expression defaults are the server's). */
export function initialValues(fields: ReadonlyMap<string, ScreenField>): RecordValues {
  const values: RecordValues = {};
  for (const [name, field] of fields) {
    const fallback = (field.definition as FieldDefinition).default;
    if (fallback !== undefined && (typeof fallback !== "object" || fallback === null || Array.isArray(fallback))) values[name] = fallback;
  }
  return values;
}

export interface PlacedErrors {
  /** field name → messages */
  fields: Map<string, string[]>;
  /** master-detail field → "index/column" → message */
  lines: Map<string, Map<string, string>>;
  /** messages with no field on the screen */
  general: string[];
}

/** Sorts server error details (JSON pointers like /email or /lines/0/quantity) onto the fields that show them. */
export function placeErrors(details: ErrorDetail[], fields: ReadonlyMap<string, ScreenField>, text: (label: LocalizedText) => string): PlacedErrors {
  const placed: PlacedErrors = { fields: new Map(), lines: new Map(), general: [] };
  for (const detail of details) {
    const message = typeof detail.message === "string" ? detail.message : text(detail.message);
    const [name, index, column] = detail.path.split("/").slice(1);
    const field = name ? fields.get(name) : undefined;
    if (!field) {
      placed.general.push(message);
    } else if (field.definition.type === "master_detail" && index !== undefined && column !== undefined) {
      const lines = placed.lines.get(name) ?? new Map<string, string>();
      lines.set(`${index}/${column}`, message);
      placed.lines.set(name, lines);
    } else {
      placed.fields.set(name, [...(placed.fields.get(name) ?? []), message]);
    }
  }
  return placed;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SINGLE_PICKERS = new Set(["lookup", "employee", "department"]);

/**
 * Values a "new record" link fills in (?customer_id=… from a customer's related tab): only writable single-record
 * pickers given a record id, so a link cannot set anything else.
 */
export function prefilledValues(search: string, fields: ReadonlyMap<string, ScreenField>): RecordValues {
  const values: RecordValues = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const field = fields.get(name);
    if (field && !field.readOnly && SINGLE_PICKERS.has(field.definition.type) && !MULTI_VALUE_FIELDS.has(name) && UUID.test(value)) values[name] = value;
  }
  return values;
}

