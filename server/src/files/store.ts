// Uploaded files in sys.files: stored once by their uploader, then referenced by records' attachment fields.
import { createHash } from "node:crypto";
import type { Knex } from "knex";
import type { Actor } from "../auth/actor";
import { UUID } from "../registry/columns";

/** What a record's attachment value and the upload answer carry about a file (never its bytes). */
export interface FileSummary {
  id: string;
  name: string;
  size: number;
  contentType: string;
  uploadedBy: string | null;
}

export interface StoredFile extends FileSummary {
  bytes: Buffer;
}

const SUMMARY_COLUMNS = ["id", "name", "size", "content_type", "uploaded_by"];

interface FileRow {
  id: string;
  name: string;
  size: number;
  content_type: string;
  uploaded_by: string | null;
  bytes?: Uint8Array;
}

const toSummary = (row: FileRow): FileSummary => ({
  id: row.id,
  name: row.name,
  size: Number(row.size),
  contentType: row.content_type,
  uploadedBy: row.uploaded_by,
});

const files = (db: Knex) => db("files").withSchema("sys");

export async function storeFile(db: Knex, input: { name: string; contentType: string; bytes: Buffer; actor: Actor }): Promise<FileSummary> {
  const [row] = await files(db)
    .insert({
      name: input.name,
      content_type: input.contentType,
      size: input.bytes.length,
      sha256: createHash("sha256").update(input.bytes).digest("hex"),
      bytes: input.bytes,
      uploaded_by: input.actor.userId,
    })
    .returning(SUMMARY_COLUMNS);
  return toSummary(row as FileRow);
}

/** The files among these ids that exist, by id (ids that are not uuids are simply not found). */
export async function fileSummaries(db: Knex, ids: readonly string[]): Promise<Map<string, FileSummary>> {
  const wanted = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (wanted.length === 0) return new Map();
  const rows: FileRow[] = await files(db).whereIn("id", wanted).select(SUMMARY_COLUMNS);
  return new Map(rows.map((row) => [row.id, toSummary(row)]));
}

export async function readStoredFile(db: Knex, id: string): Promise<StoredFile | undefined> {
  if (!UUID.test(id)) return undefined;
  const row: FileRow | undefined = await files(db).where({ id }).first([...SUMMARY_COLUMNS, "bytes"]);
  if (!row) return undefined;
  // pg hands back a Buffer, PGlite a Uint8Array: one type for the callers.
  return { ...toSummary(row), bytes: Buffer.from(row.bytes!.buffer, row.bytes!.byteOffset, row.bytes!.byteLength) };
}
