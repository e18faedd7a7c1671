// Uploads that no record ever took (a form closed without saving, a browser gone mid-edit) would otherwise stay in
// sys.files for ever: a daily job removes those older than a grace period. A file held by any record, live or
// soft-deleted (it may be restored), is kept; so is a fresh upload whose form may still be open.
import type { Knex } from "knex";
import type { Model } from "../registry/model";
import type { Registry } from "../registry/store";
import type { JobQueue } from "../jobs";
import { attachmentFieldNames } from "./attachments";

export const FILE_CLEANUP_JOB = "files:cleanup";
/** A day: long enough for any form left open, short enough that abandoned uploads do not pile up. */
export const UNATTACHED_GRACE_MS = 24 * 60 * 60 * 1000;

/** Every (table, column) that can hold file items: the attachment fields of every object, lines included. */
export function attachmentColumns(model: Model): { table: string; column: string }[] {
  return [...model.objects.values()].flatMap((object) => attachmentFieldNames(object).map((column) => ({ table: object.name, column })));
}

/**
 * Deletes the files uploaded before `olderThan` that no attachment column refers to; answers how many went.
 * One statement, so a record saved meanwhile either already holds the file (kept) or commits after (its save
 * re-checks the file and answers 400, as for any unknown file).
 */
export async function removeUnattachedFiles(db: Knex, model: Model, olderThan: Date): Promise<number> {
  const held = attachmentColumns(model).map(
    ({ table, column }) =>
      `NOT EXISTS (SELECT 1 FROM ${quote(table)} AS "holder" WHERE "holder".${quote(column)} @> jsonb_build_array(jsonb_build_object('fileId', "file"."id"::text)))`,
  );
  const result = await db.raw(`DELETE FROM sys.files AS "file" WHERE "file"."created_at" < ? ${held.map((condition) => `AND ${condition}`).join(" ")}`, [olderThan]);
  return Number((result as { rowCount?: number }).rowCount ?? 0);
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

export async function registerFileJobs(jobs: JobQueue, deps: { db: Knex; registry: Registry }): Promise<void> {
  jobs.handle(FILE_CLEANUP_JOB, async () => {
    await removeUnattachedFiles(deps.db, await deps.registry.current(), new Date(Date.now() - UNATTACHED_GRACE_MS));
  });
  await jobs.schedule("files-cleanup", { cron: "17 3 * * *", name: FILE_CLEANUP_JOB });
}
