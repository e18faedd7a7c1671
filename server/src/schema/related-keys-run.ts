// Brings the object tables' personal keys (related-keys.ts) to the current code's definitions: at every boot
// (with the index reconciliation), so that a database made by an older version gets them, filled from its rows.
import type { Knex } from "knex";
import type { ObjectDefinition } from "@crm/metadata";
import { buildModel } from "./model";
import {
  planRelatedKeysReconcile,
  RELATED_KEY_TRIGGERS,
  RELATED_KEYS_SCHEMA,
  relatedKeysOf,
  type LiveRelatedKeys,
  type RelatedKeysSpec,
  type RelatedKeysStep,
} from "./related-keys";
import { quote, TABLE_SCHEMA } from "./sql";
import type { ReconcileIndexesOptions } from "./index-reconcile-run";

/** The same options as the index reconciliation it runs with (maintenanceWorkMem: for the index builds after a fill). */
export type ReconcileRelatedKeysOptions = ReconcileIndexesOptions;

export interface RelatedKeysReconcileResult {
  applied: RelatedKeysStep[];
  /**
   * Steps rolled back (and retried at the next boot). A rebuild leaves the side table it replaces, still kept in step by
   * its triggers; a first build leaves none, and the lists that read it (records/scoped-list.ts) fail until one succeeds.
   */
  failed: { step: RelatedKeysStep; error: unknown }[];
}

/** The side tables the model derives. */
export function desiredRelatedKeys(objects: readonly ObjectDefinition[]): RelatedKeysSpec[] {
  return [...buildModel([...objects]).tables.values()].flatMap((table) => relatedKeysOf(table) ?? []);
}

/** One catalog query; no statement at all when every side table is as derived. */
export async function reconcileRelatedKeys(db: Knex, objects: readonly ObjectDefinition[], options: ReconcileRelatedKeysOptions = {}): Promise<RelatedKeysReconcileResult> {
  const only = options.tables ? new Set(options.tables) : undefined;
  const desired = desiredRelatedKeys(objects).filter((spec) => !only || only.has(spec.table));
  const live = (await readLiveRelatedKeys(db)).filter((entry) => !only || only.has(entry.table));
  const steps = planRelatedKeysReconcile(desired, live);
  const log = options.log ?? (() => {});
  const warn = options.log ?? console.warn;
  const result: RelatedKeysReconcileResult = { applied: [], failed: [] };
  for (const step of steps) {
    const started = performance.now();
    try {
      await db.transaction(async (trx) => {
        await trx.raw(`SELECT set_config('statement_timeout', '0', true)`);
        if (options.maintenanceWorkMem) await trx.raw(`SELECT set_config('maintenance_work_mem', ?, true)`, [options.maintenanceWorkMem]);
        for (const statement of step.statements) await trx.raw(statement);
      });
      // A filled side table is read by index-only scans, which need its visibility map: vacuumed at once (outside the
      // transaction, as VACUUM must be) rather than whenever autovacuum, if it runs at all, gets to it.
      if (step.type === "create_related_keys") {
        await db.raw(`VACUUM (ANALYZE) ${quote(RELATED_KEYS_SCHEMA)}.${quote(step.table)}`).catch((error) => warn(`VACUUM of the personal keys of ${step.table} failed: ${(error as Error)?.message ?? error}`));
      }
      result.applied.push(step);
      const what = step.type === "create_related_keys" ? "Built the personal keys of" : "Dropped the personal keys of";
      log(`${what} ${step.table} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      result.failed.push({ step, error });
      warn(`${step.type} ${step.table} failed, rolled back: ${(error as Error)?.message ?? error}`);
    }
  }
  return result;
}

/**
 * Every table of the object schema (its side table's fingerprint, how many key triggers it has that fire), then the
 * side tables whose object table is gone. A disabled trigger (ALTER TABLE … DISABLE TRIGGER, say by a bulk load that
 * did not finish) counts as missing: the keys may have missed writes, and would grant or hide records wrongly, so the
 * side table is rebuilt from the rows.
 */
export async function readLiveRelatedKeys(db: Knex): Promise<LiveRelatedKeys[]> {
  const { rows } = await db.raw(
    `SELECT t.relname AS "table",
            true AS "tableExists",
            obj_description(k.oid, 'pg_class') AS fingerprint,
            k.oid IS NOT NULL AS "hasKeys",
            (SELECT count(*) FROM pg_trigger g WHERE g.tgrelid = t.oid AND g.tgname = ANY(?) AND g.tgenabled IN ('O', 'A'))::int AS triggers
       FROM pg_class t
       JOIN pg_namespace tn ON tn.oid = t.relnamespace AND tn.nspname = ?
       LEFT JOIN pg_namespace kn ON kn.nspname = ?
       LEFT JOIN pg_class k ON k.relnamespace = kn.oid AND k.relname = t.relname AND k.relkind = 'r'
      WHERE t.relkind = 'r'
     UNION ALL
     SELECT k.relname, false, obj_description(k.oid, 'pg_class'), true, 0
       FROM pg_class k
       JOIN pg_namespace kn ON kn.oid = k.relnamespace AND kn.nspname = ?
      WHERE k.relkind = 'r'
        AND NOT EXISTS (SELECT 1 FROM pg_class t JOIN pg_namespace tn ON tn.oid = t.relnamespace AND tn.nspname = ? WHERE t.relname = k.relname AND t.relkind = 'r')`,
    [Object.values(RELATED_KEY_TRIGGERS), TABLE_SCHEMA, RELATED_KEYS_SCHEMA, RELATED_KEYS_SCHEMA, TABLE_SCHEMA],
  );
  return (rows as (LiveRelatedKeys & { hasKeys: boolean; fingerprint: string | null })[]).map((row) => ({
    table: row.table,
    tableExists: row.tableExists,
    // A side table without a comment was not made by createRelatedKeysStatements (or lost it): rebuilt.
    ...(row.hasKeys ? { fingerprint: row.fingerprint ?? "" } : {}),
    triggers: row.triggers,
  }));
}
