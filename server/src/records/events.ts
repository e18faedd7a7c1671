// After-commit record events: modules that react to writes (workflow triggers) listen here instead of being called by the service.
import type { RecordsContext } from "./read";
import type { RecordValues } from "./computed-values";

export interface RecordsWritten {
  context: RecordsContext;
  object: string;
  kind: "create" | "update";
  /** before is absent on create. */
  rows: Array<{ before?: RecordValues; after: RecordValues }>;
}

export type RecordsListener = (event: RecordsWritten) => Promise<void>;

const listeners = new Set<RecordsListener>();

/** Adds a listener; the returned function removes it (a closed server stops listening). */
export function onRecordsWritten(listener: RecordsListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Called once the write has committed. A listener's failure is logged, not thrown: the write
 * stands, and what listeners start (jobs) has retries of its own.
 */
export async function emitRecordsWritten(event: RecordsWritten): Promise<void> {
  // A write nested in someone else's transaction (a workflow effect, an action) has not committed yet,
  // and a job started now could run before it does; such writes start no triggers (no cascades either).
  if (event.rows.length === 0 || (event.context.db as { isTransaction?: boolean }).isTransaction) return;
  for (const listener of listeners) {
    await listener(event).catch((error: unknown) => console.error(`records listener failed on ${event.object}:`, error));
  }
}
