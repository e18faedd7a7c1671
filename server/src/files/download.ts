// Downloading a record's file: only through a record the user can see, a field they can see, that holds the file.
import type { CompiledObject } from "../registry/model";
import { notFound } from "../errors/errors";
import { assertMayPerform } from "../access/permissions";
import { writeAudit } from "../audit/audit";
import { attachChildren, fetchScopedRow, objectOf, recordNotFound, type RecordsContext } from "../records/read";
import type { RecordValues } from "../records/computed-values";
import { attachmentFieldNames, fileIdsOf } from "./attachments";
import { readStoredFile, type StoredFile } from "./store";

const fileNotOnRecord = (fileId: string) =>
  notFound({ "zh-CN": `该记录没有这个附件: ${fileId}`, en: `The record has no such file: ${fileId}` });

const hasChildAttachments = (object: CompiledObject) =>
  [...object.children.values()].some((child) => attachmentFieldNames(object.model.objects.get(child)!).length > 0);

/**
 * Where the record holds the file: "field" on the record itself, "lines/field" on one of its lines. The record and
 * its lines were read with the user's visible columns only, so a hidden field never matches.
 */
function fieldHolding(object: CompiledObject, record: RecordValues, fileId: string): string | undefined {
  const own = attachmentFieldNames(object).find((field) => fileIdsOf(record[field]).includes(fileId));
  if (own) return own;
  for (const [linesField, childName] of object.children) {
    const fields = attachmentFieldNames(object.model.objects.get(childName)!);
    const lines = (record[linesField] as RecordValues[] | undefined) ?? [];
    const field = fields.find((name) => lines.some((line) => fileIdsOf(line[name]).includes(fileId)));
    if (field) return `${linesField}/${field}`;
  }
  return undefined;
}

/** The file with its bytes, after the checks; each download is audited on the record. */
export async function readRecordFile(context: RecordsContext, input: { objectName: string; id: string; fileId: string }): Promise<StoredFile> {
  const object = objectOf(context.model, input.objectName);
  assertMayPerform(context.access, object, "view");
  // The same scoped read as GET …/records/:id: a record the user may not see does not exist for them.
  const row = await fetchScopedRow(context, { object, id: input.id, action: "view" });
  if (!row) throw recordNotFound(object, input.id);
  const record = hasChildAttachments(object) ? await attachChildren(context, context.db, object, row) : row;
  const fileId = input.fileId.toLowerCase();
  const field = fieldHolding(object, record, fileId);
  const file = field ? await readStoredFile(context.db, fileId) : undefined;
  if (!field || !file) throw fileNotOnRecord(input.fileId);
  await writeAudit(context.db, context.actor, [{ object: object.name, recordId: row.id as string, action: "download", context: { field, fileId } }]);
  return file;
}
