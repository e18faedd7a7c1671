// Fills a new record's fields from a source record as an action's field mapping declares (pure).
import type { FieldMapping, ValueSource } from "@crm/metadata";
import { evaluate } from "../rules/engine";
import type { RecordValues } from "../records/computed-values";

function valueOf(source: ValueSource, record: RecordValues): unknown {
  return typeof source === "string" ? record[source] : evaluate(source.expression, record);
}

/**
 * The mapped values; empty ones (null, undefined, "") are left out, so the target's defaults apply and
 * an empty source never overwrites what the target would have chosen by itself.
 */
export function mapFields(mapping: FieldMapping | undefined, record: RecordValues): RecordValues {
  const values: RecordValues = {};
  for (const [target, source] of Object.entries(mapping ?? {})) {
    const value = valueOf(source, record);
    if (value !== null && value !== undefined && value !== "") values[target] = value;
  }
  return values;
}

const SCALED_TYPES = new Set(["amount", "decimal", "percent"]);

/**
 * Mapped numbers rounded to the target field's scale (default 2), as the column would store them: a 5 % discount
 * on 12.50 gives 11.875, which the target's validation would refuse; the copied price is 11.88.
 */
export function fitToScale(fields: readonly { name: string; type: string; scale?: number }[], values: RecordValues): RecordValues {
  for (const field of fields) {
    const value = values[field.name];
    if (typeof value !== "number" || !Number.isFinite(value) || !SCALED_TYPES.has(field.type)) continue;
    const factor = 10 ** (field.scale ?? 2);
    // toPrecision drops the binary noise (1187.4999999 → 1187.5) before rounding half away from zero.
    values[field.name] = (Math.sign(value) * Math.round(Number(Math.abs(value * factor).toPrecision(15)))) / factor;
  }
  return values;
}

/** Without a declared mapping, lines copy the fields both sides have, except what the server computes. */
export function commonFieldMapping(from: readonly { name: string; type: string }[], to: readonly { name: string; type: string }[]): FieldMapping {
  const computed = new Set(["formula", "auto_number", "master_detail"]);
  const sourceNames = new Set(from.filter((field) => !computed.has(field.type)).map((field) => field.name));
  return Object.fromEntries(to.filter((field) => !computed.has(field.type) && sourceNames.has(field.name)).map((field) => [field.name, field.name]));
}

/** Today's date (YYYY-MM-DD) in the server's time zone: document dates are calendar days, not instants. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
