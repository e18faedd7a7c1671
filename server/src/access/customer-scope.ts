// Keeps the customer scope keys on records that belong to a customer equal to their customer's (see columns.ts).
import type { Knex } from "knex";
import type { CompiledObject, Model } from "../registry/model";
import { CUSTOMER_SCOPE_COLUMNS } from "../registry/columns";

/** Objects carrying copies of their customer's scope keys. */
export function customerScopedObjects(model: Model): CompiledObject[] {
  return [...model.objects.values()].filter((object) => object.columnByName.has("customer_owner_id"));
}

/** A soft-deleted (or missing) customer lends no visibility: its copies are emptied. */
const assignments = CUSTOMER_SCOPE_COLUMNS.map((column) => {
  const empty = column.kind === "uuid_array" ? "'{}'::uuid[]" : "NULL";
  return `"${column.name}" = CASE WHEN c.deleted_at IS NULL THEN c."${column.source}" ELSE ${empty} END`;
}).join(", ");
const differs = CUSTOMER_SCOPE_COLUMNS.map((column) => `t."${column.name}" IS DISTINCT FROM (CASE WHEN c.deleted_at IS NULL THEN c."${column.source}" END)`).join(" OR ");

async function copyFromCustomers(trx: Knex | Knex.Transaction, table: string, restriction: { sql: string; bindings: unknown[] }): Promise<number> {
  const result = await trx.raw(
    `UPDATE ?? AS t SET ${assignments} FROM "customer" AS c WHERE t."customer_id" = c."id" AND (${restriction.sql}) AND (${differs})`,
    [table, ...restriction.bindings] as Knex.RawBinding[],
  );
  return result.rowCount ?? result.affectedRows ?? 0;
}

/** After records were written: their customer may have changed (or been set for the first time). */
export async function syncCustomerScope(trx: Knex.Transaction, object: CompiledObject, ids: string[]): Promise<void> {
  if (!object.columnByName.has("customer_owner_id") || ids.length === 0) return;
  const marks = ids.map(() => "?").join(", ");
  await copyFromCustomers(trx, object.name, { sql: `t."id" IN (${marks})`, bindings: ids });
  await trx(object.name)
    .whereIn("id", ids)
    .whereNull("customer_id")
    .update({ customer_owner_id: null, customer_department_id: null, customer_related_ids: trx.raw("'{}'::uuid[]") });
}

/** After customers changed owner, department or related employees (or were deleted): every dependent record follows. */
export async function propagateCustomerScope(trx: Knex.Transaction, model: Model, customerIds: string[]): Promise<void> {
  if (customerIds.length === 0) return;
  for (let start = 0; start < customerIds.length; start += 1000) {
    const chunk = customerIds.slice(start, start + 1000);
    const marks = chunk.map(() => "?").join(", ");
    for (const object of customerScopedObjects(model)) await copyFromCustomers(trx, object.name, { sql: `c."id" IN (${marks})`, bindings: chunk });
  }
}

/** Recomputes every copy (after the columns were added to tables that already hold data, or after bulk loads). */
export async function rebuildCustomerScope(trx: Knex | Knex.Transaction, model: Model, objects = customerScopedObjects(model)): Promise<number> {
  let changed = 0;
  for (const object of objects) changed += await copyFromCustomers(trx, object.name, { sql: "TRUE", bindings: [] });
  return changed;
}

const SCOPE_SOURCES = new Set(CUSTOMER_SCOPE_COLUMNS.map((column) => column.source));

/** Whether a change to a customer touches what its dependent records copy. */
export const changesCustomerScope = (fields: string[]) => fields.some((field) => SCOPE_SOURCES.has(field));
