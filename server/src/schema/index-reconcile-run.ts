// Brings the object tables' live indexes to the current code's definitions (index-reconcile.ts plans), then their
// personal keys (related-keys-run.ts): at every boot, so that a database created by an older platform version
// gets the indexes and side tables its queries now rely on.
import type { Knex } from "knex";
import type { ObjectDefinition } from "@crm/metadata";
import { desiredIndexes, planIndexReconcile, type IndexReconcileStep, type LiveIndex } from "./index-reconcile";
import { reconcileRelatedKeys, type RelatedKeysReconcileResult } from "./related-keys-run";
import { TABLE_SCHEMA } from "./sql";

export interface ReconcileIndexesOptions {
  /** Only these object tables (default: every object's table). */
  tables?: readonly string[];
  /** Each change made, and each that failed. */
  log?: (line: string) => void;
  /** `maintenance_work_mem` for the builds (e.g. "1GB" on a bulk-loaded database); the server's setting otherwise. */
  maintenanceWorkMem?: string;
}

export interface IndexReconcileResult {
  applied: IndexReconcileStep[];
  /** Steps rolled back, e.g. a unique index that existing duplicates prevent: the old index stays. */
  failed: { step: IndexReconcileStep; error: unknown }[];
  conflicts: { table: string; name: string }[];
  /** The personal keys (side tables the list queries read like indexes), reconciled after the indexes. */
  relatedKeys: RelatedKeysReconcileResult;
}

/** One catalog query; no statement at all when the indexes already match. */
export async function reconcileIndexes(
  db: Knex,
  objects: readonly ObjectDefinition[],
  options: ReconcileIndexesOptions = {},
): Promise<IndexReconcileResult> {
  const only = options.tables ? new Set(options.tables) : undefined;
  const desired = desiredIndexes(objects).filter((spec) => !only || only.has(spec.table));
  const tables = only ? [...only] : objects.map((object) => object.name);
  const live = tables.length ? await readLiveIndexes(db, tables) : [];
  const plan = planIndexReconcile(desired, live);
  const log = options.log ?? (() => {});
  // What did not go as planned is said even when nothing else is logged.
  const warn = options.log ?? console.warn;
  const result: Omit<IndexReconcileResult, "relatedKeys"> = { applied: [], failed: [], conflicts: plan.conflicts };
  for (const conflict of plan.conflicts) {
    warn(`index ${conflict.name} of ${conflict.table} belongs to a constraint: not rebuilt to the current definition`);
  }
  for (const step of plan.steps) {
    const started = performance.now();
    try {
      await applyStep(db, step, options.maintenanceWorkMem);
      result.applied.push(step);
      log(`${step.description.en} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      result.failed.push({ step, error });
      warn(`${step.description.en} failed, the table keeps its index as it was: ${(error as Error)?.message ?? error}`);
    }
  }
  return { ...result, relatedKeys: await reconcileRelatedKeys(db, objects, options) };
}

/** One transaction per step, with no statement timeout: an index build on a large table is not a slow request. */
async function applyStep(db: Knex, step: IndexReconcileStep, maintenanceWorkMem: string | undefined): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw(`SELECT set_config('statement_timeout', '0', true)`);
    if (maintenanceWorkMem) await trx.raw(`SELECT set_config('maintenance_work_mem', ?, true)`, [maintenanceWorkMem]);
    for (const statement of step.statements) await trx.raw(statement);
  });
}

/** Every index of these tables in the object schema, with the definition PostgreSQL prints for it. */
export async function readLiveIndexes(db: Knex, tables: readonly string[]): Promise<LiveIndex[]> {
  const { rows } = await db.raw(
    `SELECT i.relname AS name, t.relname AS "table", pg_get_indexdef(i.oid) AS definition, x.indisvalid AS valid,
            EXISTS (SELECT 1 FROM pg_constraint c
                     WHERE c.conindid = i.oid AND c.conrelid = t.oid AND c.contype IN ('p', 'u', 'x')) AS "constraint"
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = ? AND t.relname = ANY(?)`,
    [TABLE_SCHEMA, [...tables]],
  );
  return rows as LiveIndex[];
}
