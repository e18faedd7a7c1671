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

/** Writes batches of rows (values in the order of `columns`) into one table (schema-qualified or not), inside the caller's transaction. */
export interface RowSink {
  readonly method: "copy" | "unnest";
  write(table: string, columns: readonly BulkColumn[], rows: readonly unknown[][]): Promise<void>;
  /** COPY only: rows already encoded as COPY text (see CopyTextBuffer), in the order of `columns`. */
  writeCopyText?(table: string, columns: readonly BulkColumn[], chunks: readonly Uint8Array[]): Promise<void>;
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** A table name, schema-qualified ("sys.auto_grants") or not (object tables never contain a dot). */
const quoteTable = (name: string) => name.split(".").map(quoteIdentifier).join(".");
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
const HAS_COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** COPY text escaping (backslash, tab, line breaks); most values have none and are returned as they are. */
const escapeCopy = (text: string) => (HAS_COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIALS, (special) => COPY_ESCAPES[special]) : text);

const plainText = (value: unknown) => (typeof value === "string" ? value : value instanceof Date ? value.toISOString() : String(value));

/**
 * The COPY text of a non-null value of one column kind: toPostgresText, escaped where the kind's text can hold a
 * backslash, tab or line break (uuids, numbers, dates and booleans cannot). Chosen once per column, not per value.
 */
function copyEncoder(kind: ValueKind): (value: unknown) => string {
  switch (kind) {
    case "uuid_array":
      // Uuids need no quoting inside an array literal.
      return (value) => ((value as unknown[]).length === 0 ? "{}" : `{${(value as unknown[]).join(",")}}`);
    case "text_array":
      return (value) => escapeCopy(toPostgresText(value, kind)!);
    case "json":
      return (value) => escapeCopy(JSON.stringify(value));
    case "boolean":
      return (value) => (value ? "t" : "f");
    case "text":
      return (value) => escapeCopy(plainText(value));
    default:
      return plainText;
  }
}

/** Encodes one row (values in the order of `columns`) as a COPY text line without its line break: tabs, \N for null. */
export function copyLineEncoder(columns: readonly BulkColumn[]): (row: readonly unknown[]) => string {
  const encoders = columns.map((column) => copyEncoder(column.kind));
  // One fields array per encoder: a row is joined before the next one overwrites it.
  const fields: string[] = new Array(columns.length);
  return (row) => {
    for (let column = 0; column < fields.length; column += 1) {
      const value = row[column];
      fields[column] = value === null || value === undefined ? "\\N" : encoders[column](value);
    }
    return fields.join("\t");
  };
}

/**
 * COPY text collected as UTF-8 bytes in fixed-size chunks outside the JavaScript heap. A loader that buffers
 * batches of millions of lines as strings makes the garbage collector copy and promote every one of them (it spent
 * as much time on that as on generating the rows); bytes are also what the connection sends, without a conversion.
 */
export class CopyTextBuffer {
  private chunks: Uint8Array[] = [];
  private current: Buffer;
  private used = 0;
  /** Lines and bytes waiting (since the last take). */
  rows = 0;
  bytes = 0;

  constructor(private readonly chunkBytes = 1 << 20) {
    this.current = Buffer.allocUnsafeSlow(chunkBytes);
  }

  /** Appends one line (copyLineEncoder's text, without its line break). */
  append(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair, two units, takes 4).
    const room = line.length * 3 + 1;
    if (this.used + room > this.current.length) this.startChunk(room);
    const written = this.current.write(line, this.used);
    this.current[this.used + written] = 0x0a;
    this.used += written + 1;
    this.bytes += written + 1;
    this.rows += 1;
  }

  /** The waiting text as chunks, and an empty buffer for what follows. */
  take(): Uint8Array[] {
    if (this.used > 0) this.startChunk(0);
    const chunks = this.chunks;
    this.chunks = [];
    this.rows = 0;
    this.bytes = 0;
    return chunks;
  }

  private startChunk(room: number): void {
    if (this.used > 0) this.chunks.push(this.current.subarray(0, this.used));
    this.current = Buffer.allocUnsafeSlow(Math.max(this.chunkBytes, room));
    this.used = 0;
  }
}

/** Rows as one COPY text: one line per row. */
export function copyText(columns: readonly BulkColumn[], rows: readonly unknown[][]): string {
  const encode = copyLineEncoder(columns);
  const lines: string[] = new Array(rows.length + 1);
  for (let index = 0; index < rows.length; index += 1) lines[index] = encode(rows[index]);
  lines[rows.length] = "";
  return lines.join("\n");
}

async function copyFrom(connection: pg.Client, table: string, columns: readonly BulkColumn[], chunks: readonly Uint8Array[]): Promise<void> {
  const statement = `COPY ${quoteTable(table)} (${columns.map((column) => quoteIdentifier(column.name)).join(", ")}) FROM STDIN`;
  await pipeline(Readable.from(chunks, { objectMode: false }), connection.query(copyStreams.from(statement)));
}

/** COPY … FROM STDIN on the transaction's own pg connection. */
function copySink(connection: pg.Client): RowSink {
  return {
    method: "copy",
    async write(table, columns, rows) {
      if (rows.length === 0) return;
      await copyFrom(connection, table, columns, [Buffer.from(copyText(columns, rows))]);
    },
    async writeCopyText(table, columns, chunks) {
      if (chunks.length === 0) return;
      await copyFrom(connection, table, columns, chunks);
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
