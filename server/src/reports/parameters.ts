// Report parameters: one JSON Schema per report (common period / department / owner keys plus its own),
// compiled once with ajv; query-string values are coerced ("true" → true, "0.5" → 0.5) and defaults filled.
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { validationFailed, type ErrorDetail } from "../errors/errors";
import { errorsToDetails } from "../records/body-validator";

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

// A separate instance: record bodies must not be coerced, query strings must be.
const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
addFormats(ajv);

export type JsonSchema = Record<string, unknown>;

/** The business day boundaries of the distribution pack's users (dates are local days, sessions run in UTC). */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

export interface CommonParameters {
  /** First day of the period (inclusive), YYYY-MM-DD. */
  from?: string;
  /** Last day of the period (inclusive), YYYY-MM-DD. */
  to?: string;
  department_id?: string;
  include_subdepartments: boolean;
  owner_id?: string;
  /** IANA time zone in which the period's days begin and end. */
  time_zone: string;
}

const dateSchema = (zh: string, en: string) => ({ type: "string", format: "date", description: `${zh} / ${en}` });

export const COMMON_PARAMETERS: Record<string, JsonSchema> = {
  from: dateSchema("期间开始日期（含）", "first day of the period (inclusive)"),
  to: dateSchema("期间结束日期（含）", "last day of the period (inclusive)"),
  department_id: { type: "string", format: "uuid", description: "部门 / department" },
  include_subdepartments: { type: "boolean", default: true, description: "含下级部门 / include sub-departments" },
  owner_id: { type: "string", format: "uuid", description: "负责员工 / owner (employee)" },
  time_zone: { type: "string", maxLength: 64, pattern: "^[A-Za-z]+(?:[/_+-][A-Za-z0-9]+)*$", default: DEFAULT_TIME_ZONE, description: "时区 / time zone" },
};

export function parametersSchema(extra: Record<string, JsonSchema> = {}): JsonSchema {
  return { type: "object", additionalProperties: false, properties: { ...COMMON_PARAMETERS, ...extra } };
}

const validators = new WeakMap<JsonSchema, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = ajv.compile(schema)));
  return validate;
}

/** True when the runtime knows the zone; PostgreSQL and ICU share the IANA names. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Checks that must look at several parameters at once: a period that ends before it starts, an unknown zone. */
export function periodProblems(params: { from?: string; to?: string; time_zone?: string }): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (params.from && params.to && params.from > params.to) {
    problems.push({ path: "/to", message: { "zh-CN": "结束日期不能早于开始日期", en: "to must not be before from" } });
  }
  if (params.time_zone && !isKnownTimeZone(params.time_zone)) {
    problems.push({ path: "/time_zone", message: { "zh-CN": `未知的时区 "${params.time_zone}"`, en: `Unknown time zone "${params.time_zone}"` } });
  }
  return problems;
}

/**
 * Validates and normalises query-string parameters against a report's schema; every problem is a 400
 * detail with the parameter's path. The query object is copied, never changed.
 */
export function parseParameters<P extends { from?: string; to?: string; time_zone?: string }>(schema: JsonSchema, query: unknown, more?: (params: P) => ErrorDetail[]): P {
  const params = { ...((query ?? {}) as Record<string, unknown>) };
  const validate = validatorFor(schema);
  if (!validate(params)) throw validationFailed(errorsToDetails(validate.errors ?? []));
  const typed = params as unknown as P;
  const problems = [...periodProblems(typed), ...(more?.(typed) ?? [])];
  if (problems.length) throw validationFailed(problems);
  return typed;
}
