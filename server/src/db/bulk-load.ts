// Bulk loading (demo data generator, benchmarks): rows by COPY on PostgreSQL or unnest() batches on PGlite, and a
// table's secondary indexes and foreign keys set aside for a large load, then rebuilt from their own definitions.
import type { Knex } from "knex";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ValueKind } from "../registry/columns";

/** A column as the loader writes it: its name, SQL type (for the cast of text values) and storage kind. */
export interface BulkColumn {
  name: string;
  sqlType: string;
  kind: ValueKind;
}

/** Writes batches of rows (values in the order of `columns`) into one table, inside the caller's transaction. */
export interface RowSink {
  readonly method: "copy" | "unnest";
  write(table: string, columns: readonly BulkColumn[], rows: readonly unknown[][]): Promise<void>;
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteArrayElement = (value: unknown) => `"${String(value).replace(/["\\]/g, "\\$&")}"`;

/** The PostgreSQL text form of a value (null stays null): what COPY reads and what a text cast parses. */
export function toPostgresText(value: unknown, kind: ValueKind): string | null {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "uuid_array":
    case "text_array":
      return `{${(value as unknown[]).map(quoteArrayElement).join(",")}}`;
    case "json":
      return JSON.stringify(value);
    case "boolean":
      return value ? "t" : "f";
    default:
      return value instanceof Date ? value.toISOString() : String(value);
  }
}

const COPY_SPECIALS = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Kinds whose text can hold a backslash, tab or line break (uuids, numbers, dates and booleans cannot). */
const FREE_TEXT_KINDS = new Set<ValueKind>(["text", "json", "text_array"]);

function copyText(columns: readonly BulkColumn[], rows: readonly unknown[][]): string {
  const escaped = columns.map((column) => FREE_TEXT_KINDS.has(column.kind));
  const lines: string[] = new Array(rows.length);
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    const fields: string[] = new Array(columns.length);
    for (let column = 0; column < columns.length; column += 1) {
      const text = toPostgresText(row[column], columns[column].kind);
      fields[column] = text === null ? "\\N" : escaped[column] ? text.replace(COPY_SPECIALS, (special) => COPY_ESCAPES[special]) : text;
    }
    lines[index] = fields.join("\t");
  }
  return `${lines.join("\n")}\n`;
}

/** COPY … FROM STDIN on the transaction's own pg connection. */
function copySink(connection: pg.Client): RowSink {
  return {
    method: "copy",
    async write(table, columns, rows) {
      if (rows.length === 0) return;
      const statement = `COPY ${quoteIdentifier(table)} (${columns.map((column) => quoteIdentifier(column.name)).join(", ")}) FROM STDIN`;
      await pipeline(Readable.from([copyText(columns, rows)]), connection.query(copyStreams.from(statement)));
    },
  };
}

/** One INSERT … SELECT FROM unnest(text[] per column) per batch: any row count with one binding per column. */
function unnestSink(trx: Knex.Transaction): RowSink {
  return {
    method: "unnest",
    async write(table, columns, rows) {
      if (rows.length === 0) return;
      const arrays = columns.map((column, position) => rows.map((row) => toPostgresText(row[position], column.kind)));
      const aliases = columns.map((_, position) => `c${position}`);
      // Column types come from the compiled model (columns.ts), never from input.
      const casts = columns.map((column, position) => `u.${aliases[position]}::${column.sqlType}`).join(", ");
      await trx.raw(
        `INSERT INTO ?? (${columns.map(() => "??").join(", ")}) SELECT ${casts} FROM unnest(${columns.map(() => "?::text[]").join(", ")}) AS u(${aliases.join(", ")})`,
        [table, ...columns.map((column) => column.name), ...arrays] as Knex.RawBinding[],
      );
    },
  };
}

/** COPY when the transaction runs on a real PostgreSQL connection, batched unnest() inserts otherwise (PGlite). */
export async function openRowSink(trx: Knex.Transaction): Promise<RowSink> {
  // A transaction's client hands back the transaction's own connection (knex makeTxClient).
  const connection: unknown = await (trx.client as { acquireConnection(): Promise<unknown> }).acquireConnection();
  return connection instanceof pg.Client ? copySink(connection) : unnestSink(trx);
}

/** Secondary indexes and foreign keys taken off tables for a load, with the statements that recreate them. */
export interface SuspendedConstraints {
  indexes: { name: string; definition: string }[];
  foreignKeys: { table: string; name: string; definition: string }[];
}

/**
 * Drops the foreign keys of `tables` (and, with `indexes`, their secondary indexes; primary keys stay): rows then go
 * in without per-row checks and in any order (leads and customers point at each other), and are checked in one pass
 * each when the keys come back. In a transaction this is invisible to other sessions, which wait for the tables.
 */
export async function suspendConstraints(
  db: Knex | Knex.Transaction,
  tables: readonly string[],
  options: { indexes: boolean; /** Indexes whose first column is one of these stay (work during the load needs them). */ keepIndexesOn?: readonly string[] },
): Promise<SuspendedConstraints> {
  const foreignKeys: SuspendedConstraints["foreignKeys"] = (
    await db.raw(
      `SELECT c.relname AS "table", k.conname AS name, pg_get_constraintdef(k.oid) AS definition
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE k.contype = 'f' AND c.relnamespace = 'public'::regnamespace AND c.relname = ANY(?)
        ORDER BY c.relname, k.conname`,
      [tables as string[]],
    )
  ).rows;
  // Indexes that back a constraint (primary keys, unique constraints) cannot be dropped on their own and stay.
  const indexes: SuspendedConstraints["indexes"] = options.indexes
    ? (
        await db.raw(
          `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
             JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = 'public'::regnamespace
             JOIN pg_index x ON x.indexrelid = c.oid
             LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
            WHERE i.schemaname = 'public' AND i.tablename = ANY(?)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
              AND (a.attname IS NULL OR NOT (a.attname = ANY(?)))
            ORDER BY i.tablename, i.indexname`,
          [tables as string[], [...(options.keepIndexesOn ?? [])]],
        )
      ).rows
    : [];
  for (const key of foreignKeys) await db.raw("ALTER TABLE ?? DROP CONSTRAINT ??", [key.table, key.name]);
  for (const index of indexes) await db.raw("DROP INDEX ??", [index.name]);
  return { indexes, foreignKeys };
}

/** Rebuilds what suspendConstraints took off: indexes first (the key checks may use them), then the foreign keys. */
export async function restoreConstraints(db: Knex | Knex.Transaction, suspended: SuspendedConstraints, log?: (line: string) => void): Promise<void> {
  let started = performance.now();
  for (const index of suspended.indexes) await db.raw(index.definition);
  if (suspended.indexes.length) log?.(`${suspended.indexes.length} secondary indexes rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  for (const key of suspended.foreignKeys) await db.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? ${key.definition}`, [key.table, key.name]);
  if (suspended.foreignKeys.length) log?.(`${suspended.foreignKeys.length} foreign keys re-added (validated) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
