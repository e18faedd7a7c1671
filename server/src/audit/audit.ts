// The audit trail: who changed which record when, with field-level before / after values.
import type { Knex } from "knex";
import type { Actor } from "../auth/actor";

export type AuditAction = "create" | "update" | "delete" | "export" | "print" | "download";

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

const same = (left: unknown, right: unknown) => JSON.stringify(left ?? null) === JSON.stringify(right ?? null);

/** Field-level differences, ignoring the bookkeeping columns every write touches. */
export function diffRecords(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  const ignored = new Set(["version", "updated_at", "updated_by", "created_at", "created_by", "deleted_by"]);
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: FieldChange[] = [];
  for (const field of names) {
    if (ignored.has(field)) continue;
    const old = before?.[field] ?? null;
    const value = after?.[field] ?? null;
    if (!same(old, value)) changes.push({ field, before: old, after: value });
  }
  return changes;
}

export interface AuditEntry {
  object: string;
  recordId: string | null;
  action: AuditAction;
  changes?: FieldChange[];
  context?: Record<string, unknown>;
}

/** Writes audit rows inside the caller's transaction, so a rolled-back write leaves no trace. */
export async function writeAudit(trx: Knex | Knex.Transaction, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry) => ({
    user_id: actor.userId,
    object: entry.object,
    record_id: entry.recordId,
    action: entry.action,
    changes: JSON.stringify(entry.changes ?? []),
    context: JSON.stringify({ username: actor.username, ...entry.context }),
  }));
  for (let start = 0; start < rows.length; start += 500) await trx("audit_log").withSchema("sys").insert(rows.slice(start, start + 500));
}

export interface HistoryEntry {
  id: number;
  at: string;
  userId: string | null;
  username: string | null;
  action: string;
  changes: FieldChange[];
  context: Record<string, unknown>;
}

export async function readHistory(db: Knex, object: string, recordId: string): Promise<HistoryEntry[]> {
  const rows = await db("audit_log")
    .withSchema("sys")
    .where({ object, record_id: recordId })
    .orderBy("id", "asc")
    .select("id", "at", "user_id", "action", "changes", "context");
  return rows.map((row) => ({
    id: Number(row.id),
    at: row.at,
    userId: row.user_id,
    username: (row.context as Record<string, unknown>)?.username as string | null,
    action: row.action,
    changes: row.changes,
    context: row.context,
  }));
}
