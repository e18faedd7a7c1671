// Plain-text formatting of field values for lists, cards and history (pure; widgets edit, these only show).
import dayjs from "dayjs";
import type { FieldDefinition } from "../api/types";
import type { Option } from "./options";
import { attachmentItems } from "./attachments";

export function formatNumber(value: number, definition: Pick<FieldDefinition, "type" | "scale">, locale: string): string {
  const digits = definition.type === "integer" ? 0 : (definition.scale ?? 2);
  const text = value.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (definition.type === "percent") return `${text}%`;
  if (definition.type === "amount") return `¥${text}`;
  return text;
}

export function formatAddress(value: unknown): string {
  if (!value || typeof value !== "object") return "";
  const parts = value as Record<string, string | undefined>;
  return ["country", "province", "city", "district", "street", "postcode"]
    .map((key) => parts[key])
    .filter((part) => part)
    .join(" ");
}

/** The text of a value; lookups need names, which the caller passes in. */
export function formatValue(input: {
  value: unknown;
  definition: FieldDefinition;
  locale: "zh-CN" | "en";
  options?: Option[];
  names?: ReadonlyMap<string, string>;
  yesNo?: [string, string];
}): string {
  const { value, definition, locale } = input;
  if (value === null || value === undefined || value === "") return "";
  switch (definition.type) {
    case "integer":
    case "decimal":
    case "amount":
    case "percent":
      return typeof value === "number" ? formatNumber(value, definition, locale) : String(value);
    case "date":
      return dayjs(String(value)).format("YYYY-MM-DD");
    case "datetime":
      return dayjs(String(value)).format("YYYY-MM-DD HH:mm");
    case "boolean":
      return value ? (input.yesNo?.[0] ?? "✓") : (input.yesNo?.[1] ?? "✗");
    case "picklist":
    case "multi_picklist": {
      const values = Array.isArray(value) ? value : [value];
      return values.map((item) => input.options?.find((option) => option.value === item)?.label[locale] ?? String(item)).join(", ");
    }
    case "lookup":
    case "employee":
    case "department": {
      const ids = Array.isArray(value) ? value : [value];
      return ids.map((id) => input.names?.get(String(id)) ?? "…").join(", ");
    }
    case "address":
      return formatAddress(value);
    case "attachment":
      // Uploaded files and the older typed links both show their names.
      return attachmentItems(value)
        .map((item) => item.name)
        .join(", ");
    case "master_detail":
      return Array.isArray(value) ? String(value.length) : "";
    default:
      return String(value);
  }
}

/** The total of a numeric column of lines; empty cells count as nothing. */
export function sumColumn(lines: readonly Record<string, unknown>[], field: string): number {
  return lines.reduce<number>((sum, line) => sum + (typeof line[field] === "number" ? (line[field] as number) : 0), 0);
}
