// Duplicate rules (重复检查): before a record is written, other live records with the same identifying values
// among those the rule's condition selects make it a duplicate, which is refused or flagged.
import type { Knex } from "knex";
import type { DuplicateRule } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";
import { AppError } from "../errors/errors";
import { collectVarReferences } from "@crm/metadata";
import { compileFilter } from "../rules/filter-sql";
import { matches } from "../rules/engine";
import type { RecordValues } from "../records/computed-values";

export interface CandidateRow {
  /** The values the record will have (flagging sets the rule's flag field in them). */
  values: RecordValues;
  /** The stored row, for updates. */
  before?: RecordValues;
  /** JSON pointer of the record in the request, for error details. */
  path: string;
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);

/** Fields whose change can make a record a duplicate: the identifying ones and those the condition reads. */
function relevantFields(rule: DuplicateRule): Set<string> {
  return new Set([...rule.fields, ...collectVarReferences(rule.condition ?? true, "").map((reference) => reference.field)]);
}

/** Whether the rule must look at this row: it is in the rule's set, and (on update) something relevant changed. */
export function ruleApplies(rule: DuplicateRule, row: Pick<CandidateRow, "values" | "before">): boolean {
  if (rule.fields.some((field) => isEmpty(row.values[field]))) return false;
  if (rule.condition !== undefined && !matches(rule.condition, row.values)) return false;
  if (!row.before) return true;
  const before = row.before;
  return [...relevantFields(rule)].some((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(row.values[field] ?? null));
}

function duplicateError(rule: DuplicateRule, path: string): AppError {
  return new AppError("DUPLICATE_RECORD", {
    message: rule.message,
    details: rule.fields.map((field) => ({ path: `${path}/${field}`, message: rule.message })),
  });
}

/**
 * Runs every duplicate rule of the object over the rows about to be written. The check sees all live
 * records, whoever may see them, and answers with the rule's message only. An advisory lock per
 * identifying values, held until commit, makes two concurrent registrations of the same pair serialize.
 */
export async function checkDuplicates(trx: Knex.Transaction, object: CompiledObject, rows: CandidateRow[]): Promise<void> {
  for (const rule of object.definition.duplicateRules ?? []) {
    const seenInBatch = new Set<string>();
    for (const row of rows) {
      if (!ruleApplies(rule, row)) continue;
      const key = JSON.stringify([object.name, rule.name, ...rule.fields.map((field) => row.values[field])]);
      await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [key]);
      const query = trx(object.name).whereNull("deleted_at").first("id");
      for (const field of rule.fields) query.where(field, row.values[field] as Knex.Value);
      if (row.before?.id) query.whereNot("id", row.before.id as string);
      if (rule.condition !== undefined) {
        const condition = compileFilter(rule.condition, object.filterFields, { tableAlias: object.name });
        query.whereRaw(condition.sql, condition.bindings as Knex.RawBinding[]);
      }
      const duplicate = seenInBatch.has(key) || (await query) !== undefined;
      seenInBatch.add(key);
      if (rule.onDuplicate === "reject" && duplicate) throw duplicateError(rule, row.path);
      if (rule.onDuplicate === "flag" && rule.flagField) row.values[rule.flagField] = duplicate;
    }
  }
}
