// Field values as printed text: numbers grouped to their scale, option labels, dates, lookups by display name (pure).
import type { FieldDefinition, LocalizedText, OptionSetDefinition, PicklistOption } from "@crm/metadata";

export type Locale = keyof LocalizedText;

/** Dates and times print in the company's time zone; the server itself runs in UTC. */
export const PRINT_TIME_ZONE = "Asia/Shanghai";

export interface FormatContext {
  locale: Locale;
  optionSets: ReadonlyMap<string, OptionSetDefinition>;
  /** Display names of referenced records the user may see, by id. */
  displayNames: ReadonlyMap<string, string>;
}

const ADDRESS_PARTS = ["country", "province", "city", "district", "street", "postcode"];
const LIST_SEPARATOR = "、";

/** 1234567.5 with scale 2 → "1,234,567.50"; exact for the numbers PostgreSQL numeric(18, s) gives back. */
export function formatNumber(value: number, scale: number): string {
  const [whole, fraction = ""] = Math.abs(value).toFixed(scale).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value < 0 && Number(value.toFixed(scale)) !== 0 ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

export const formatAmount = (value: number, scale = 2) => `¥${formatNumber(value, scale)}`;

function optionLabel(field: FieldDefinition, value: string, context: FormatContext): string {
  const options: PicklistOption[] = field.options ?? context.optionSets.get(field.optionSet ?? "")?.options ?? [];
  const option = options.find((candidate) => (typeof candidate === "string" ? candidate : candidate.value) === value);
  return typeof option === "object" && option.label ? option.label[context.locale] : value;
}

const datetime = new Intl.DateTimeFormat("sv-SE", {
  timeZone: PRINT_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "2025-03-01 14:05" in PRINT_TIME_ZONE. */
export const formatDateTime = (value: string | Date) => datetime.format(new Date(value));

function numeric(value: unknown): number | undefined {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** The type a value prints as: a formula prints as what it results in. */
const printedType = (field: FieldDefinition) => (field.type === "formula" ? (field.resultType ?? "text") : field.type);

/** Plain text of one value (HTML escaping is the renderer's job). Unknown fields print their value as text. */
export function formatValue(field: FieldDefinition | undefined, value: unknown, context: FormatContext): string {
  if (value === null || value === undefined || value === "") return "";
  const type = field ? printedType(field) : undefined;
  const number = numeric(value);
  switch (type) {
    case "amount":
      return number === undefined ? String(value) : formatAmount(number, field?.scale ?? 2);
    case "decimal":
      return number === undefined ? String(value) : formatNumber(number, field?.scale ?? 2);
    case "integer":
      return number === undefined ? String(value) : formatNumber(number, 0);
    case "percent":
      return number === undefined ? String(value) : `${formatNumber(number, field?.scale ?? 2)}%`;
    case "boolean":
      return value ? (context.locale === "en" ? "Yes" : "是") : context.locale === "en" ? "No" : "否";
    case "picklist":
      return optionLabel(field!, String(value), context);
    case "multi_picklist":
      return Array.isArray(value) ? value.map((item) => optionLabel(field!, String(item), context)).join(LIST_SEPARATOR) : String(value);
    case "datetime":
      return formatDateTime(value as string);
    case "lookup":
    case "employee":
    case "department":
      // A record the user may not see prints as nothing rather than as its id.
      return context.displayNames.get(String(value)) ?? "";
    case "address": {
      const address = value as Record<string, unknown>;
      return ADDRESS_PARTS.map((part) => address[part]).filter((part) => typeof part === "string" && part !== "").join(" ");
    }
    case "attachment":
      return Array.isArray(value) ? value.map((file) => String((file as { name?: unknown })?.name ?? "")).join(LIST_SEPARATOR) : "";
    default:
      return typeof value === "object" ? JSON.stringify(value) : String(value);
  }
}
