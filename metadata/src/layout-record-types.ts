// Which detail layout a record is shown with: its record type's variant, else the layout's own detail. Pure and free
// of the ajv validators (type imports only), so the browser can import it by path as it does default-layout.ts.
import type { DetailLayout, LayoutDefinition } from "./layout";

/**
 * The detail layout for a record with these values: the variant whose `values` hold the record's type field value,
 * else `layout.detail` (no record types, no value, a value no variant lists, or a type field the caller may not read
 * and so did not get).
 */
export function detailLayoutFor(layout: Pick<LayoutDefinition, "detail" | "recordTypes">, values: Readonly<Record<string, unknown>>): DetailLayout {
  const recordTypes = layout.recordTypes;
  if (!recordTypes) return layout.detail;
  const value = values[recordTypes.field];
  if (typeof value !== "string") return layout.detail;
  return recordTypes.variants.find((variant) => variant.values.includes(value))?.detail ?? layout.detail;
}
