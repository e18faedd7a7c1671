// Does a field's literal default fit its type (and its options, bounds and length)?
import type { FieldDefinition } from "./types";

export interface Problem {
  zh: string;
  en: string;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

function isValidDate(value: string): boolean {
  // Date.parse accepts 2024-02-30 as March 1st; a round trip rejects impossible days.
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

const expected = {
  string: { zh: "默认值应为文本", en: "default must be a string" },
  integer: { zh: "默认值应为整数", en: "default must be an integer" },
  number: { zh: "默认值应为数字", en: "default must be a number" },
  date: { zh: "默认值应为 YYYY-MM-DD 格式的日期", en: 'default must be a date "YYYY-MM-DD"' },
  datetime: { zh: "默认值应为 ISO 8601 格式的日期时间", en: "default must be an ISO 8601 date-time" },
  boolean: { zh: "默认值应为 true 或 false", en: "default must be true or false" },
  stringArray: { zh: "默认值应为选项值组成的数组", en: "default must be an array of option values" },
} satisfies Record<string, Problem>;

function textProblem(field: FieldDefinition): Problem | undefined {
  const value = field.default;
  if (typeof value !== "string") return expected.string;
  if (field.maxLength !== undefined && value.length > field.maxLength) {
    return {
      zh: `默认值长度超过最大长度 ${field.maxLength}`,
      en: `default is longer than maxLength ${field.maxLength}`,
    };
  }
  return undefined;
}

function numberProblem(field: FieldDefinition): Problem | undefined {
  const value = field.default;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return field.type === "integer" ? expected.integer : expected.number;
  }
  if (field.type === "integer" && !Number.isInteger(value)) return expected.integer;
  const belowMin = field.min !== undefined && value < field.min;
  const aboveMax = field.max !== undefined && value > field.max;
  if (belowMin || aboveMax) {
    const range = `[${field.min ?? "-∞"}, ${field.max ?? "∞"}]`;
    return { zh: `默认值 ${value} 超出取值范围 ${range}`, en: `default ${value} is outside ${range}` };
  }
  return undefined;
}

function notAnOption(value: string): Problem {
  return { zh: `默认值 "${value}" 不在选项中`, en: `default "${value}" is not one of the options` };
}

/** `optionValues` is undefined when the options are unknown (missing or invalid option set). */
function picklistProblem(field: FieldDefinition, optionValues?: readonly string[]): Problem | undefined {
  const values = field.type === "multi_picklist" ? field.default : [field.default];
  if (!Array.isArray(values) || values.some((v) => typeof v !== "string")) {
    return field.type === "multi_picklist" ? expected.stringArray : expected.string;
  }
  const missing = optionValues && (values as string[]).find((v) => !optionValues.includes(v));
  return missing === undefined ? undefined : notAnOption(missing);
}

/** Why `field.default` (a literal, not an expression) does not fit the field, or undefined. */
export function defaultValueProblem(field: FieldDefinition, optionValues?: readonly string[]): Problem | undefined {
  const value = field.default;
  switch (field.type) {
    case "text":
    case "textarea":
    case "email":
    case "phone":
      return textProblem(field);
    case "integer":
    case "decimal":
    case "amount":
    case "percent":
      return numberProblem(field);
    case "date":
      return typeof value === "string" && DATE_PATTERN.test(value) && isValidDate(value) ? undefined : expected.date;
    case "datetime":
      return typeof value === "string" && DATETIME_PATTERN.test(value) && isValidDate(value.slice(0, 10))
        ? undefined
        : expected.datetime;
    case "boolean":
      return typeof value === "boolean" ? undefined : expected.boolean;
    case "picklist":
    case "multi_picklist":
      return picklistProblem(field, optionValues);
    case "lookup":
    case "employee":
    case "department":
    case "address":
      // A record id, or an address line; structured addresses are the server's business.
      return typeof value === "string" && value !== "" ? undefined : expected.string;
    default:
      // auto_number, formula, master_detail, attachment: the schema already forbids a default.
      return undefined;
  }
}
