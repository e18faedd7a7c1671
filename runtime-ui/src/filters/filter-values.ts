// Conversions between the filter builder's value widgets and the literals json-logic filters compare with (pure).
import dayjs, { type Dayjs } from "dayjs";
import type { FilterKind } from "./filter-model";

/** A widget's value as the literal the server expects for the field's kind, or undefined when empty. */
export function toLiteral(kind: FilterKind, input: unknown): string | number | boolean | undefined {
  if (input === undefined || input === null || input === "") return undefined;
  switch (kind) {
    case "number": {
      const number = typeof input === "number" ? input : Number(String(input).replace(/[,，\s¥%]/g, ""));
      return Number.isFinite(number) ? number : undefined;
    }
    case "date":
      return dayjs.isDayjs(input) || input instanceof Date || typeof input === "string" ? validOr(dayjs(input as string), (day) => day.format("YYYY-MM-DD")) : undefined;
    case "datetime":
      // The server accepts exactly the canonical UTC form with milliseconds.
      return dayjs.isDayjs(input) || input instanceof Date || typeof input === "string" ? validOr(dayjs(input as string), (day) => day.toISOString()) : undefined;
    case "boolean":
      return input === true || input === "true";
    default:
      return typeof input === "string" ? (input.trim() === "" ? undefined : input) : String(input);
  }
}

function validOr(day: Dayjs, format: (day: Dayjs) => string): string | undefined {
  return day.isValid() ? format(day) : undefined;
}

/** The date picker's value of a stored date or datetime literal. */
export function toPickerValue(value: unknown): Dayjs | null {
  if (typeof value !== "string" || value === "") return null;
  const day = dayjs(value);
  return day.isValid() ? day : null;
}

