// Automatic grants through the job machinery: a committed record write enqueues its grant re-application, keyed once per record version.
import type { Knex } from "knex";
import type { Registry } from "../registry/store";
import type { JobQueue } from "../jobs/queue";
import type { RecordsWritten } from "../records/events";
import { applyGrantRules, hasGrantRules, type GrantResult } from "./auto-grants";

export const GRANTS_JOB = "grants.apply";

export interface GrantJobData {
  object: string;
  recordIds: string[];
  /** Idempotency key, claimed in sys.effect_runs inside the job's transaction. */
  key: string;
}

/** One job per written record and version (pure): `grants:<object>:<id>:v<version>`. */
export function grantJobs(model: Parameters<typeof hasGrantRules>[0], event: Pick<RecordsWritten, "object" | "rows">): GrantJobData[] {
  if (!hasGrantRules(model, event.object)) return [];
  return event.rows.map(({ after }) => ({ object: event.object, recordIds: [after.id as string], key: `grants:${event.object}:${after.id as string}:v${after.version as number}` }));
}

/**
 * The write's own transaction already applied the rules (so its answer shows the grants); the job applies them
 * again after commit with the people and rules as they are then, which repairs a person's or a rule's change that
 * committed between the two. Re-applying is idempotent; the key keeps a retried or duplicated job to one run.
 */
export async function enqueueGrantJobs(jobs: JobQueue, event: RecordsWritten): Promise<void> {
  for (const data of grantJobs(event.context.model, event)) await jobs.enqueue(GRANTS_JOB, data, { jobId: data.key });
}

export async function runGrantJob(deps: { db: Knex; registry: Registry }, data: GrantJobData): Promise<GrantResult | null> {
  const model = await deps.registry.current();
  return deps.db.transaction(async (trx) => {
    const claimed = await trx("effect_runs").withSchema("sys").insert({ key: data.key }).onConflict("key").ignore().returning("key");
    if (claimed.length === 0) return null;
    return applyGrantRules(trx, model, { object: data.object, recordIds: data.recordIds });
  });
}
