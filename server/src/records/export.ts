// Exports what a user may see of an object as CSV or XLSX: the list's scope, filter and order, in keyset pages.
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import type { Knex } from "knex";
import type { FieldDefinition, LocalizedText, PicklistOption } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";
import { assertMayPerform } from "../access/permissions";
import { writeAudit } from "../audit/audit";
import { validationFailed } from "../errors/errors";
import { scopeQuery } from "./access-guard";
import { buildListQuery, buildNullTailQuery, hasNullTail, type ListRequest } from "./list-query";
import { buildScopedCountQuery, countRows } from "./scoped-list";
import { buildRecordScope } from "../access/record-scope";
import { objectOf, parseListRequest, shapeFor, type ListParameters, type RecordsContext } from "./read";
import type { RecordValues } from "./computed-values";

export type ExportFormat = "csv" | "xlsx";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "xlsx"];
export type Language = keyof LocalizedText;

/** Rows read per query; the file is written page by page and never held whole in memory. */
export const EXPORT_PAGE_SIZE = 1000;
/** More matching records than this are refused up front (400), before anything is written or sent. */
export const MAX_EXPORT_ROWS = 100_000;

export interface ExportRequest {
  format: ExportFormat;
  language: Language;
  params: Pick<ListParameters, "filter" | "sort" | "q">;
}

export interface ExportFile {
  contentType: string;
  /** Not encoded: `<object label>-<YYYY-MM-DD>.<format>`. */
  filename: string;
  /** Records matching when the export started (the number audited). */
  rows: number;
  body: Readable;
}

type Cell = string | number | null;

interface ExportColumn {
  name: string;
  label: LocalizedText;
  render(value: unknown): Cell;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

const SYSTEM_LABELS: Record<string, LocalizedText> = {
  id: { "zh-CN": "编号 ID", en: "ID" },
  created_at: { "zh-CN": "创建时间", en: "Created at" },
  updated_at: { "zh-CN": "更新时间", en: "Updated at" },
};

const LIST_SEPARATOR = "、";
const ADDRESS_PARTS = ["country", "province", "city", "district", "street", "postcode"];

/** Text that a spreadsheet would read as a formula (or DDE payload) is made plain text with a leading quote. */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const optionLabels = (field: FieldDefinition, object: CompiledObject, language: Language): Map<string, string> => {
  const options: PicklistOption[] = field.options ?? object.model.optionSets.get(field.optionSet ?? "")?.options ?? [];
  return new Map(
    options.map((option) => (typeof option === "string" ? [option, option] : [option.value, option.label?.[language] ?? option.value])),
  );
};

const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** value → cell, decided once per field: labels for options, readable text for JSON, numbers stay numbers. */
function renderer(field: FieldDefinition | undefined, object: CompiledObject, language: Language): (value: unknown) => Cell {
  const labels = field?.type === "picklist" || field?.type === "multi_picklist" ? optionLabels(field, object, language) : undefined;
  const scalar = (value: unknown): string | number => {
    if (typeof value === "number") return value;
    if (typeof value === "boolean") return value ? (language === "en" ? "Yes" : "是") : language === "en" ? "No" : "否";
    if (labels && typeof value === "string") return labels.get(value) ?? value;
    return text(value);
  };
  return (value) => {
    if (value === null || value === undefined) return null;
    let cell: string | number;
    if (field?.type === "address" && typeof value === "object") {
      const address = value as Record<string, unknown>;
      cell = ADDRESS_PARTS.map((part) => address[part])
        .filter((part) => typeof part === "string" && part !== "")
        .join(" ");
    } else if (field?.type === "attachment" && Array.isArray(value)) {
      cell = value.map((file) => text((file as { name?: unknown })?.name ?? file)).join(LIST_SEPARATOR);
    } else if (Array.isArray(value)) {
      cell = value.map(scalar).join(LIST_SEPARATOR);
    } else {
      cell = scalar(value);
    }
    return typeof cell === "string" ? neutralise(cell) : cell;
  };
}

/** Visible declared fields in definition order (lines are not columns), then id, created_at and updated_at. */
function exportColumns(shape: CompiledObject, language: Language): ExportColumn[] {
  const visible = new Set(shape.readColumns);
  const declared = shape.definition.fields.filter((field) => field.type !== "master_detail" && visible.has(field.name));
  const system = Object.keys(SYSTEM_LABELS).filter((name) => visible.has(name) && !shape.fieldByName.has(name));
  return [
    ...declared.map((field) => ({ name: field.name, label: field.label, render: renderer(field, shape, language) })),
    ...system.map((name) => ({ name, label: SYSTEM_LABELS[name], render: renderer(undefined, shape, language) })),
  ];
}

const sortAlias = (index: number) => `__export_sort_${index}`;

/**
 * The list query, one page at a time, under the user's view scope. Each page starts after the exact sort values
 * of the previous page's last row, read as text: parsed timestamps lose the microseconds PostgreSQL keeps, and a
 * truncated value would skip or repeat rows that share a millisecond.
 */
async function* recordPages(context: RecordsContext, object: CompiledObject, shape: CompiledObject, request: ListRequest) {
  const scoped = (query: Knex.QueryBuilder): Promise<RecordValues[]> => {
    request.sort.forEach((key, index) => query.select(context.db.raw("??::text as ??", [key.column, sortAlias(index)])));
    return scopeQuery({ model: context.model, access: context.access, object, query, action: "view" });
  };
  let after: unknown[] | undefined;
  for (;;) {
    const pageRequest = { ...request, limit: EXPORT_PAGE_SIZE, after };
    const rows = await scoped(buildListQuery(context.db, shape, pageRequest));
    // As in the list: an ascending nullable key reads its NULL rows separately once the values run out.
    if (rows.length <= EXPORT_PAGE_SIZE && hasNullTail(request.sort, after)) {
      rows.push(...(await scoped(buildNullTailQuery(context.db, shape, pageRequest, EXPORT_PAGE_SIZE + 1 - rows.length))));
    }
    const page = rows.slice(0, EXPORT_PAGE_SIZE);
    if (page.length > 0) yield page;
    if (rows.length <= EXPORT_PAGE_SIZE) return;
    const last = page[page.length - 1];
    after = request.sort.map((_, index) => last[sortAlias(index)] ?? null);
  }
}

async function* cellPages(pages: AsyncIterable<RecordValues[]>, columns: ExportColumn[]): AsyncGenerator<Cell[][]> {
  for await (const page of pages) yield page.map((row) => columns.map((column) => column.render(row[column.name])));
}

/** RFC 4180: fields with a quote, comma or line break are quoted, quotes doubled; lines end with CRLF. */
const csvField = (cell: Cell) => {
  if (cell === null) return "";
  const value = String(cell);
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
};
const csvLine = (cells: Cell[]) => `${cells.map(csvField).join(",")}\r\n`;

/** UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly. */
function csvStream(header: string[], pages: AsyncIterable<Cell[][]>): Readable {
  async function* chunks() {
    yield Buffer.from(`\uFEFF${csvLine(header)}`, "utf8");
    for await (const page of pages) yield Buffer.from(page.map(csvLine).join(""), "utf8");
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Sheet names: at most 31 characters, none of []:*?/\ and no quote at either end. */
const sheetName = (label: string, fallback: string) => label.replace(/[[\]:*?/\\]/g, "_").replace(/^'+|'+$/g, "").slice(0, 31) || fallback;

/** Resolves when the reader has taken the buffered output, or has gone away. */
const readerReady = (stream: PassThrough) =>
  new Promise<void>((resolve) => {
    const done = () => {
      stream.off("drain", done).off("close", done);
      resolve();
    };
    stream.on("drain", done).on("close", done);
  });

/** One worksheet written row by row through exceljs' streaming writer; strings are written as strings, never formulas. */
function xlsxStream(name: string, header: string[], pages: AsyncIterable<Cell[][]>): Readable {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(name);
  const write = async () => {
    sheet.addRow(header).commit();
    for await (const page of pages) {
      // A reader that went away stops the export (leaving the loop closes the page query generator).
      if (output.destroyed) return;
      for (const cells of page) sheet.addRow(cells).commit();
      // Wait for a slow reader rather than queueing the whole file in memory.
      if (output.writableNeedDrain) await readerReady(output);
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
}

const localDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;

const tooManyRows = (rows: number) =>
  validationFailed([
    {
      path: "/filter",
      message: {
        "zh-CN": `符合条件的记录有 ${rows} 条，超过单次导出上限 ${MAX_EXPORT_ROWS} 条，请缩小筛选范围后分批导出`,
        en: `${rows} records match, more than the ${MAX_EXPORT_ROWS} one export may hold; narrow the filter and export in parts`,
      },
    },
  ]);

/**
 * Checks the export permission, counts the matching records (refusing more than MAX_EXPORT_ROWS), writes the audit
 * row, and returns the file as a stream that reads the records page by page while it is sent.
 */
export async function exportRecords(context: RecordsContext, objectName: string, input: ExportRequest): Promise<ExportFile> {
  const object = objectOf(context.model, objectName);
  assertMayPerform(context.access, object, "export");
  assertMayPerform(context.access, object, "view");
  const shape = shapeFor(context, object);
  const request = parseListRequest(shape, input.params);
  const predicate = buildRecordScope({ model: context.model, context: context.access, object, action: "view" });
  const rows = await countRows(buildScopedCountQuery({ db: context.db, model: context.model, shape, request, predicate }));
  if (rows > MAX_EXPORT_ROWS) throw tooManyRows(rows);
  const { format, language, params } = input;
  await writeAudit(context.db, context.actor, [
    { object: object.name, recordId: null, action: "export", context: { format, filter: params.filter, sort: params.sort, q: params.q, rows } },
  ]);
  const columns = exportColumns(shape, language);
  const header = columns.map((column) => neutralise(column.label[language]));
  const label = object.definition.label[language];
  const pages = cellPages(recordPages(context, object, shape, request), columns);
  return {
    contentType: CONTENT_TYPES[format],
    filename: `${label}-${localDate(new Date())}.${format}`,
    rows,
    body: format === "csv" ? csvStream(header, pages) : xlsxStream(sheetName(label, object.name), header, pages),
  };
}
