// Conversions between the field widgets' values and the record values the API stores (pure, so they are tested alone).
import dayjs, { type Dayjs } from "dayjs";

/** Empty text is no value: the API stores null, never "". */
export const textValue = (text: string): string | null => (text === "" ? null : text);

/** Amounts are shown with thousands separators while typing. */
export const formatAmountInput = (number: number | string | undefined): string => `${number ?? ""}`.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

export const parseAmountInput = (text: string | undefined): number => Number((text ?? "").replace(/,/g, ""));

/** A stored date or datetime as the date picker's value. */
export const pickerValue = (value: unknown): Dayjs | null => (typeof value === "string" && value ? dayjs(value) : null);

/** A picked day as the API's date (local day, YYYY-MM-DD). */
export const dateValue = (picked: Dayjs | null): string | null => (picked ? picked.format("YYYY-MM-DD") : null);

/** A picked moment as the API's datetime (ISO 8601, UTC). */
export const datetimeValue = (picked: Dayjs | null): string | null => (picked ? picked.toISOString() : null);

/** An address with one part changed; an address without parts is null. */
export function addressWith(address: Record<string, string> | null | undefined, part: string, next: string): Record<string, string> | null {
  const updated = { ...(address ?? {}), [part]: next };
  if (!next) delete updated[part];
  return Object.keys(updated).length ? updated : null;
}
