// Values the server decides: defaults, formulas, auto-numbers, and the validation rules that judge a record.
import type { Knex } from "knex";
import type { FieldDefinition, FormulaResultType } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";
import { evaluate, matches } from "../rules/engine";
import { AppError } from "../errors/errors";

export type RecordValues = Record<string, unknown>;

const isExpressionDefault = (value: unknown): value is { expression: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value) && "expression" in value;

/** Fills fields the body left out with their declared defaults (literal or json-logic). */
export function applyDefaults(object: CompiledObject, values: RecordValues): void {
  for (const field of object.definition.fields) {
    if (field.default === undefined || values[field.name] !== undefined) continue;
    const fallback = field.default;
    if (isExpressionDefault(fallback)) values[field.name] = evaluate(fallback.expression, values);
    else values[field.name] = typeof fallback === "object" && fallback !== null ? structuredClone(fallback) : fallback;
  }
}

function coerceFormulaResult(value: unknown, resultType: FormulaResultType, scale: number): unknown {
  if (value === null || value === undefined) return null;
  switch (resultType) {
    case "text":
      return String(value);
    case "boolean":
      return Boolean(value);
    case "date": {
      const text = String(value);
      return /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text.slice(0, 10))) ? text.slice(0, 10) : null;
    }
    case "integer": {
      const number = Number(value);
      return Number.isFinite(number) ? Math.trunc(number) : null;
    }
    default: {
      const number = Number(value);
      if (!Number.isFinite(number) || Math.abs(number) >= 10 ** (18 - scale)) return null;
      return Math.round(number * 10 ** scale) / 10 ** scale;
    }
  }
}

/** Recomputes every formula in declaration order, so a formula may use the ones before it. */
export function computeFormulas(object: CompiledObject, values: RecordValues): void {
  for (const field of object.definition.fields) {
    if (field.type !== "formula") continue;
    let result: unknown;
    try {
      result = evaluate(field.expression, values);
    } catch {
      // A formula over missing or odd data yields no value rather than refusing the whole record.
      result = null;
    }
    values[field.name] = coerceFormulaResult(result, field.resultType ?? "text", field.scale ?? 2);
  }
}

/** Every rule whose expression is falsy for the record, as 422 details. */
export function assertValidationRules(object: CompiledObject, values: RecordValues, pathPrefix = ""): void {
  const details = (object.definition.validationRules ?? [])
    .filter((rule) => !matches(rule.expression, values))
    .map((rule) => ({ path: `${pathPrefix}/${rule.field ?? ""}`.replace(/\/$/, "") || "/", message: rule.message }));
  if (details.length) throw new AppError("RULE_VIOLATION", { details, message: details[0].message });
}

const pad = (value: number, width: number) => String(value).padStart(width, "0");

/** The period part of a number ("SL-2026-") decides when the sequence restarts. */
export function formatPeriod(format: string, now: Date): { prefix: string; render(sequence: number): string } {
  const dated = format
    .replaceAll("{YYYY}", String(now.getFullYear()))
    .replaceAll("{YY}", pad(now.getFullYear() % 100, 2))
    .replaceAll("{MM}", pad(now.getMonth() + 1, 2))
    .replaceAll("{DD}", pad(now.getDate(), 2));
  const match = /\{SEQ:(\d+)\}/.exec(dated);
  const width = match ? Number(match[1]) : 6;
  return { prefix: dated.replace(/\{SEQ:\d+\}/, ""), render: (sequence) => dated.replace(/\{SEQ:\d+\}/, pad(sequence, width)) };
}

/** Reserves `count` numbers per auto-number field in one statement each, inside the write's transaction. */
export async function assignAutoNumbers(trx: Knex.Transaction, object: CompiledObject, records: RecordValues[], now = new Date()): Promise<void> {
  const fields: FieldDefinition[] = object.definition.fields.filter((field) => field.type === "auto_number");
  for (const field of fields) {
    const period = formatPeriod(field.format ?? "{SEQ:6}", now);
    const result = await trx.raw(
      `INSERT INTO sys.sequences (object, field, period, value) VALUES (?, ?, ?, ?)
       ON CONFLICT (object, field, period) DO UPDATE SET value = sys.sequences.value + EXCLUDED.value
       RETURNING value`,
      [object.name, field.name, period.prefix, records.length],
    );
    const last = Number(result.rows[0].value);
    records.forEach((record, index) => {
      record[field.name] = period.render(last - records.length + 1 + index);
    });
  }
}
