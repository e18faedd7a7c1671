// Runs workflow effects inside the caller's transaction: set fields, create a record, add related employees, notify.
import type { Knex } from "knex";
import type { WorkflowEffect } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";
import type { RecordsContext } from "../records/read";
import { createRecords } from "../records/service";
import { normaliseValues, toDatabaseRow } from "../records/write";
import { diffRecords, writeAudit } from "../audit/audit";
import { effectValues, expressionData, hasLocalizedValues, type RecordValues } from "./interpreter";
import { notify, type OutgoingMessage } from "./notifications";
import { localeOfEmployee, resolveParties } from "./parties";
import { recordSentMessages } from "./message-log";

export interface EffectRun {
  trx: Knex.Transaction;
  /** The acting user (or the pack's principal): records are created under their permissions. */
  context: RecordsContext;
  object: CompiledObject;
  record: RecordValues;
  effects: readonly WorkflowEffect[];
  today: string;
  /** Extra expression variables (a date trigger's _occasion_date, _holiday: a LocalizedText, read in each value's language). */
  variables?: Record<string, unknown>;
}

export interface EffectResult {
  record: RecordValues;
  createdRecords: Array<{ object: string; id: string }>;
  /** Email / SMS to send once the transaction has committed. */
  outgoing: OutgoingMessage[];
}

/**
 * Writes fields of a record on the workflow's behalf: the state field and locked records are off
 * limits to the records API, so the workflow writes them directly (versioned and audited like any edit).
 */
export async function writeFields(input: { trx: Knex.Transaction; context: RecordsContext; object: CompiledObject; record: RecordValues; values: RecordValues }): Promise<RecordValues> {
  const { trx, context, object, record } = input;
  const values = normaliseValues(object, { ...input.values });
  const changes = diffRecords(record, { ...record, ...values });
  if (changes.length === 0) return record;
  const update = Object.fromEntries(changes.map((change) => [change.field, values[change.field]]));
  const [after] = await trx(object.name)
    .where({ id: record.id })
    .update({ ...toDatabaseRow(object, update), version: trx.raw("version + 1"), updated_at: trx.fn.now(), updated_by: context.actor.userId })
    .returning(object.readColumns);
  await writeAudit(trx, context.actor, [{ object: object.name, recordId: record.id as string, action: "update", changes, context: { workflow: true } }]);
  return after as RecordValues;
}

/**
 * An effect's values; `{ "localized": … }` ones in the language of the employee the written record is for: the
 * owner the values give it (a new activity's owner_id), else its owner without them (the record's, or a new record's default).
 */
async function valuesFor(run: EffectRun, values: Record<string, unknown>, data: RecordValues, fallbackOwner: unknown): Promise<RecordValues> {
  const plain = effectValues(values, data);
  if (!hasLocalizedValues(values)) return plain;
  const locale = await localeOfEmployee(run.trx, plain.owner_id ?? fallbackOwner);
  return locale === "zh-CN" ? plain : effectValues(values, data, locale);
}

export async function runEffects(run: EffectRun): Promise<EffectResult> {
  let record = run.record;
  const result: EffectResult = { record, createdRecords: [], outgoing: [] };
  for (const effect of run.effects) {
    const data = { ...expressionData(record, { today: run.today, employeeId: run.context.actor.employeeId }), ...run.variables };
    if (effect.type === "set_fields") {
      const values = await valuesFor(run, effect.values, data, record.owner_id);
      record = await writeFields({ trx: run.trx, context: run.context, object: run.object, record, values });
    } else if (effect.type === "create_record") {
      const values = await valuesFor(run, effect.values, data, run.context.actor.employeeId);
      const [created] = await createRecords({ ...run.context, db: run.trx }, effect.object, [values], () => `/effects/${effect.object}`);
      result.createdRecords.push({ object: effect.object, id: created.id as string });
    } else if (effect.type === "add_related") {
      const { employeeIds } = await resolveParties(run.trx, record, effect.employees);
      const current = (record.related_employee_ids as string[] | null) ?? [];
      const added = employeeIds.filter((id) => !current.includes(id) && id !== record.owner_id);
      if (added.length) record = await writeFields({ trx: run.trx, context: run.context, object: run.object, record, values: { related_employee_ids: [...current, ...added] } });
    } else {
      const { userIds } = await resolveParties(run.trx, record, effect.to);
      const outgoing = await notify(run.trx, { userIds, message: effect.message, object: run.object.name, recordId: record.id as string, channels: effect.channels });
      await recordSentMessages({ trx: run.trx, context: run.context, object: run.object, record, messages: outgoing });
      result.outgoing.push(...outgoing);
    }
  }
  result.record = record;
  return result;
}
