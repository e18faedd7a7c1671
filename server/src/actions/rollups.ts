// Roll-up fields (e.g. a customer's last transaction date): recomputed in SQL, in the transaction of the child write.
import type { Knex } from "knex";
import { PARENT_FIELD_NAME, type RollupAggregate, type RollupDefinition } from "@crm/metadata";
import type { CompiledObject, Model } from "../registry/model";
import type { Actor } from "../auth/actor";
import { compileFilter } from "../rules/filter-sql";
import type { RecordValues } from "../records/computed-values";
import { writeAsSystem } from "./system-writes";

/** A parent's roll-up fed by the written object through one lookup column. */
interface Feed {
  parent: CompiledObject;
  rollup: RollupDefinition;
  via: string;
}

/** How each source's aggregate combines with the others': a max of maxes, a sum of counts … */
const COMBINE: Record<RollupAggregate, { inner: string; outer: string }> = {
  max: { inner: "max", outer: "max" },
  min: { inner: "min", outer: "min" },
  sum: { inner: "sum", outer: "sum" },
  count: { inner: "count", outer: "sum" },
};

function feedsOf(model: Model, objectName: string): Feed[] {
  const feeds: Feed[] = [];
  for (const parent of model.objects.values()) {
    for (const rollup of parent.definition.rollups ?? []) {
      for (const source of rollup.sources) if (source.object === objectName) feeds.push({ parent, rollup, via: source.via });
    }
  }
  return feeds;
}

/** SQL computing the roll-up for the parent row aliased "p": one subquery per source, combined. */
export function rollupSql(model: Model, parent: CompiledObject, rollup: RollupDefinition): { sql: string; bindings: unknown[] } {
  const { inner, outer } = COMBINE[rollup.aggregate];
  const parts: string[] = [];
  const bindings: unknown[] = [];
  rollup.sources.forEach((source, index) => {
    const child = model.objects.get(source.object);
    if (!child) return;
    const alias = `s${index}`;
    const value = rollup.aggregate === "count" ? "*" : "??.??";
    let sql = `SELECT ${inner}(${value}) AS value FROM ?? AS ?? WHERE ??.?? = "p"."id" AND ??.deleted_at IS NULL`;
    if (rollup.aggregate !== "count") bindings.push(alias, source.field);
    bindings.push(child.name, alias, alias, source.via, alias);
    if (source.where !== undefined) {
      const filter = compileFilter(source.where, child.filterFields, { tableAlias: alias });
      sql += ` AND (${filter.sql})`;
      bindings.push(...filter.bindings);
    }
    parts.push(sql);
  });
  if (parts.length === 0) return { sql: "NULL", bindings: [] };
  const combined = `(SELECT ${outer}(value) FROM (${parts.join(" UNION ALL ")}) AS sources)`;
  return { sql: rollup.aggregate === "count" || rollup.aggregate === "sum" ? `COALESCE(${combined}, 0)` : combined, bindings };
}

/** Roll-ups fed by the object's own master-detail lines (via parent_id), e.g. an order's total over its lines. */
function lineRollupsOf(object: CompiledObject): RollupDefinition[] {
  const lineObjects = new Set(object.children.values());
  return (object.definition.rollups ?? []).filter((rollup) =>
    rollup.sources.some((source) => source.via === PARENT_FIELD_NAME && lineObjects.has(source.object)),
  );
}

/**
 * The line roll-ups of these master rows (id → { field: value }), computed in SQL over their live lines as this
 * transaction has written them; empty when the object has none. `store` also writes them (a new master's totals).
 */
export async function lineRollupValues(trx: Knex.Transaction, object: CompiledObject, ids: string[], options: { store?: boolean } = {}): Promise<Map<string, RecordValues>> {
  const rollups = lineRollupsOf(object);
  const values = new Map<string, RecordValues>();
  if (rollups.length === 0 || ids.length === 0) return values;
  const computed = rollups.map((rollup) => ({ field: rollup.field, ...rollupSql(object.model, object, rollup) }));
  const rows: RecordValues[] = options.store
    ? await trx({ p: object.name })
        .whereIn("p.id", ids)
        .update(Object.fromEntries(computed.map((item) => [item.field, trx.raw(item.sql, item.bindings as Knex.RawBinding[])])))
        .returning(["id", ...computed.map((item) => item.field)])
    : await trx
        .select(["p.id", ...computed.map((item) => trx.raw(`${item.sql} AS ??`, [...item.bindings, item.field] as Knex.RawBinding[]))])
        .from({ p: object.name })
        .whereIn("p.id", ids);
  for (const { id, ...row } of rows) values.set(id as string, row);
  return values;
}

/**
 * After a write of `object` (rows as they were before, ids to read as they are now), recomputes the
 * roll-ups they feed on every parent they point or pointed at. Parents are locked first, so concurrent
 * child writes of one parent serialize and the last one computes over both.
 */
export async function refreshRollups(
  trx: Knex.Transaction,
  input: { model: Model; actor: Actor; object: CompiledObject; ids: string[]; before: RecordValues[] },
): Promise<void> {
  const feeds = feedsOf(input.model, input.object.name);
  if (feeds.length === 0 || input.ids.length === 0) return;
  const vias = [...new Set(feeds.map((feed) => feed.via))];
  const after: RecordValues[] = await trx(input.object.name).whereIn("id", input.ids).select(vias);
  for (const feed of feeds) {
    const parentIds = [...new Set([...input.before, ...after].map((row) => row[feed.via]).filter((id): id is string => typeof id === "string"))].sort();
    if (parentIds.length === 0) continue;
    await trx(feed.parent.name).whereIn("id", parentIds).orderBy("id").forUpdate().select("id");
    const computed = rollupSql(input.model, feed.parent, feed.rollup);
    const rows: { id: string; value: unknown }[] = await trx
      .select("p.id", trx.raw(`${computed.sql} AS value`, computed.bindings as Knex.RawBinding[]))
      .from({ p: feed.parent.name })
      .whereIn("p.id", parentIds)
      .whereRaw(`"p".?? IS DISTINCT FROM ${computed.sql}`, [feed.rollup.field, ...computed.bindings] as Knex.RawBinding[]);
    await writeAsSystem(trx, {
      actor: input.actor,
      object: feed.parent,
      writes: rows.map((row) => ({ id: row.id, values: { [feed.rollup.field]: row.value } })),
      reason: { rollup: feed.rollup.field, from: input.object.name },
    });
  }
}
