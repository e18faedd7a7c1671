// Runs a schema plan inside the caller's transaction, archiving values before any step that loses them.
import type { Knex } from "knex";
import { DestructiveChangeError, pgCode, SchemaCastError, SchemaDataConflictError } from "./errors";
import { checkIdentifier, TABLE_SCHEMA } from "./sql";
import type { SchemaPlan, SchemaStep } from "./steps";

export interface ApplyOptions {
  /** The request confirmed the plan's destructive changes. */
  confirmDestructive: boolean;
}

type ArchivingStep = Extract<SchemaStep, { type: "drop_column" | "alter_column_type" }>;

// Same shape as the db layer's boot statement: IF NOT EXISTS keeps whichever ran first.
const ARCHIVE_DDL = [
  `CREATE SCHEMA IF NOT EXISTS "sys"`,
  `CREATE TABLE IF NOT EXISTS "sys"."archived_values" (
     "id" bigserial PRIMARY KEY,
     "object" text NOT NULL,
     "field" text NOT NULL,
     "record_id" uuid NOT NULL,
     "value" jsonb,
     "reason" text NOT NULL,
     "archived_at" timestamptz(3) NOT NULL DEFAULT now()
   )`,
];

/**
 * Applies every step with `trx` (never the outer handle: PGlite has one connection). A failing
 * step throws a typed error; the caller's transaction then rolls back, so nothing is half-applied.
 */
export async function applySchemaPlan(trx: Knex.Transaction, plan: SchemaPlan, options: ApplyOptions): Promise<void> {
  if (plan.destructive.length > 0 && !options.confirmDestructive) throw new DestructiveChangeError(plan.destructive);
  let archiveReady = false;
  for (const step of plan.steps) {
    if (archives(step)) {
      if (!archiveReady) for (const statement of ARCHIVE_DDL) await trx.raw(statement);
      archiveReady = true;
      await archiveValues(trx, step);
    }
    await runStep(trx, step);
  }
}

/** Dropping a column loses all its values; a narrowing type change may lose some. Both keep a copy. */
function archives(step: SchemaStep): step is ArchivingStep {
  return step.type === "drop_column" || (step.type === "alter_column_type" && step.narrowing);
}

/** One INSERT … SELECT of every non-null value, keyed by record id (soft-deleted records included). */
async function archiveValues(trx: Knex.Transaction, step: ArchivingStep): Promise<void> {
  const table = checkIdentifier(step.table);
  const column = checkIdentifier(step.column);
  const reason = step.type === "drop_column" ? "drop_column" : `alter_column_type ${step.from} -> ${step.to}`;
  await trx.raw(
    `INSERT INTO "sys"."archived_values" ("object", "field", "record_id", "value", "reason")
     SELECT ?, ?, "id", to_jsonb(??), ? FROM ?? WHERE ?? IS NOT NULL`,
    [table, column, column, reason, `${TABLE_SCHEMA}.${table}`, column],
  );
}

async function runStep(trx: Knex.Transaction, step: SchemaStep): Promise<void> {
  try {
    if ("statements" in step) for (const statement of step.statements) await trx.raw(statement);
    else await trx.raw(step.sql);
  } catch (error) {
    throw translate(step, error);
  }
}

/** Driver errors a user can cause with a schema change become typed errors naming the field; others pass through. */
function translate(step: SchemaStep, error: unknown): unknown {
  const code = pgCode(error) ?? "";
  if (step.type === "alter_column_type" && (code.startsWith("22") || code === "42846" || code === "42804")) {
    return new SchemaCastError({ object: step.table, field: step.column, from: step.from, to: step.to }, error);
  }
  if (code.startsWith("23")) return new SchemaDataConflictError(stepPath(step), step.description, error);
  return error;
}

function stepPath(step: SchemaStep): string {
  if (step.type === "create_index") return `/objects/${step.table}/fields/${step.columns[0]}`;
  if ("table" in step && "column" in step) return `/objects/${step.table}/fields/${step.column}`;
  return "table" in step ? `/objects/${step.table}` : "";
}
