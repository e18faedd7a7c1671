// Writes the platform makes on its own (roll-ups, a customer made formal by a generated order): outside the
// user's edit scope, but versioned and audited like any edit, so concurrent editors see a conflict, not a loss.
import type { Knex } from "knex";
import type { CompiledObject } from "../registry/model";
import type { Actor } from "../auth/actor";
import { diffRecords, writeAudit, type AuditEntry } from "../audit/audit";
import { toDatabaseRow } from "../records/write";
import type { RecordValues } from "../records/computed-values";

export interface SystemWrite {
  id: string;
  values: RecordValues;
}

/**
 * Applies each write that changes something: version + 1, updated_at / updated_by (the user whose action
 * caused it), and an audit entry whose context says why. Rows must be locked by the caller when it matters.
 */
export async function writeAsSystem(
  trx: Knex.Transaction,
  input: { actor: Actor; object: CompiledObject; writes: SystemWrite[]; reason: Record<string, unknown> },
): Promise<number> {
  const { actor, object } = input;
  if (input.writes.length === 0) return 0;
  const columns = [...new Set(["id", ...input.writes.flatMap((write) => Object.keys(write.values))])];
  const current: RecordValues[] = await trx(object.name).whereIn("id", input.writes.map((write) => write.id)).select(columns);
  const byId = new Map(current.map((row) => [row.id as string, row]));
  const audit: AuditEntry[] = [];
  for (const write of input.writes) {
    const before = byId.get(write.id);
    if (!before) continue;
    const changes = diffRecords(before, { ...before, ...write.values });
    if (changes.length === 0) continue;
    await trx(object.name)
      .where({ id: write.id })
      .update({ ...toDatabaseRow(object, write.values), version: trx.raw("version + 1"), updated_at: trx.fn.now(), updated_by: actor.userId });
    audit.push({ object: object.name, recordId: write.id, action: "update", changes, context: { system: input.reason } });
  }
  await writeAudit(trx, actor, audit);
  return audit.length;
}
