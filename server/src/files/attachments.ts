// Attachment values on write: a record may only point at files its writer uploaded or that the field already holds.
import type { Knex } from "knex";
import type { CompiledObject } from "../registry/model";
import type { Actor } from "../auth/actor";
import { validationFailed, type ErrorDetail } from "../errors/errors";
import { fileSummaries } from "./store";

type Values = Record<string, unknown>;

/** One attachment item that points at an uploaded file (link items carry a url instead). */
export interface FileItem {
  fileId: string;
  name: string;
  size: number;
  contentType: string;
}

export interface AttachmentWrite {
  /** The values being written; file items are replaced by the stored file's name, size and type. */
  values: Values;
  /** The row before an update: a file already on a field may stay there, whoever uploaded it. */
  before?: Values;
  /** JSON pointer of these values in the request, for error details. */
  path: string;
}

export const attachmentFieldNames = (object: CompiledObject): string[] =>
  object.definition.fields.filter((field) => field.type === "attachment").map((field) => field.name);

/** The file ids an attachment value refers to (link items and anything malformed have none). */
export function fileIdsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => (typeof (item as Partial<FileItem> | null)?.fileId === "string" ? [(item as FileItem).fileId.toLowerCase()] : []));
}

const unusableFile = (path: string): ErrorDetail => ({
  path,
  // The same words whether the file is missing or someone else's: ids of others' files reveal nothing.
  message: { "zh-CN": "附件文件不存在，或不是您上传的", en: "The file does not exist or was not uploaded by you" },
});

/**
 * Checks every file item of the attachment fields being written (someone else's file cannot be attached by
 * guessing its id) and fills in the stored name, size and content type, so a value never lies about its file.
 */
export async function resolveAttachments(db: Knex, input: { object: CompiledObject; actor: Actor; writes: AttachmentWrite[] }): Promise<void> {
  const fields = attachmentFieldNames(input.object);
  if (fields.length === 0) return;
  const wanted = input.writes.flatMap((write) => fields.flatMap((field) => fileIdsOf(write.values[field])));
  if (wanted.length === 0) return;
  const found = await fileSummaries(db, wanted);
  const details: ErrorDetail[] = [];
  for (const write of input.writes) {
    for (const field of fields) {
      const value = write.values[field];
      if (!Array.isArray(value)) continue;
      const alreadyHeld = new Set(fileIdsOf(write.before?.[field]));
      write.values[field] = value.map((item: unknown, index) => {
        const given = (item as Partial<FileItem> | null)?.fileId;
        if (typeof given !== "string") return item;
        // uuids compare in PostgreSQL's spelling (lower case), which is also what the value stores.
        const fileId = given.toLowerCase();
        const file = found.get(fileId);
        if (!file || (file.uploadedBy !== input.actor.userId && !alreadyHeld.has(fileId))) {
          details.push(unusableFile(`${write.path}/${field}/${index}/fileId`));
          return item;
        }
        return { fileId: file.id, name: file.name, size: file.size, contentType: file.contentType } satisfies FileItem;
      });
    }
  }
  if (details.length) throw validationFailed(details);
}
