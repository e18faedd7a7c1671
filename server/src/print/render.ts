// A print template and a record rendered as a standalone A4 HTML page; every value is escaped (pure).
import type { FieldDefinition, LocalizedText, PrintTemplate } from "@crm/metadata";
import { amountInChineseCapitals } from "./chinese-capitals";
import { formatAmount, formatDateTime, formatValue, type FormatContext, type Locale } from "./format";

type Row = Record<string, unknown>;

/** The fields the platform adds to records, as if declared: they have no definition to take a label or type from. */
const PLATFORM_FIELDS: ReadonlyMap<string, FieldDefinition> = new Map(
  (
    [
      ["id", "text", "编号 ID", "ID"],
      ["owner_id", "employee", "负责员工", "Owner"],
      ["department_id", "department", "部门", "Department"],
      ["customer_id", "lookup", "客户", "Customer"],
      ["created_at", "datetime", "创建时间", "Created at"],
      ["updated_at", "datetime", "更新时间", "Updated at"],
    ] as const
  ).map(([name, type, zh, en]) => [name, { name, type, label: { "zh-CN": zh, en } }]),
);

const TEXTS = {
  no: { "zh-CN": "序号", en: "No." },
  sum: { "zh-CN": "合计", en: "Total" },
  capitals: { "zh-CN": "（大写）", en: " (in words)" },
  figures: { "zh-CN": "（小写）", en: " (in figures)" },
  signature: { "zh-CN": "签字", en: "Signature" },
  date: { "zh-CN": "日期", en: "Date" },
  printedBy: { "zh-CN": "打印人", en: "Printed by" },
  printedAt: { "zh-CN": "打印时间", en: "Printed at" },
} satisfies Record<string, LocalizedText>;

export interface PrintedObject {
  label: LocalizedText;
  fields: ReadonlyMap<string, FieldDefinition>;
}

export interface PrintInput {
  template: PrintTemplate;
  object: PrintedObject;
  /** The detail object of template.lines, when it prints lines. */
  lineObject?: PrintedObject;
  record: Row;
  lines: Row[];
  format: FormatContext;
  printedBy: string;
  printedAt: Date;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const NUMERIC = new Set(["integer", "decimal", "amount", "percent"]);
const isNumeric = (field: FieldDefinition | undefined) => field !== undefined && NUMERIC.has(field.type === "formula" ? (field.resultType ?? "") : field.type);

const fieldOf = (object: PrintedObject, name: string) => object.fields.get(name) ?? PLATFORM_FIELDS.get(name);

function labelOf(object: PrintedObject, name: string, locale: Locale): string {
  return fieldOf(object, name)?.label[locale] ?? name;
}

const STYLE = `
@page { size: A4; margin: 15mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; font-size: 10.5pt; color: #000; margin: 0; }
.page { width: 186mm; margin: 0 auto; }
h1 { text-align: center; font-size: 18pt; letter-spacing: 0.3em; margin: 0 0 6mm; }
table { width: 100%; border-collapse: collapse; }
.header td { padding: 1.5mm 1mm; vertical-align: top; }
.header .label { white-space: nowrap; width: 16%; color: #333; }
.lines { margin-top: 4mm; }
.lines th, .lines td { border: 0.3mm solid #000; padding: 1.5mm 1.5mm; }
.lines th { background: #f0f0f0; font-weight: bold; }
.lines thead { display: table-header-group; }
.lines tr { page-break-inside: avoid; }
.number { text-align: right; white-space: nowrap; }
.totals { margin-top: 3mm; }
.totals td { padding: 1.5mm 1mm; border: 0.3mm solid #000; }
.note { margin-top: 3mm; white-space: pre-wrap; }
.signatures { display: flex; gap: 10mm; margin-top: 12mm; page-break-inside: avoid; }
.signature { flex: 1; border-top: 0.3mm solid #000; padding-top: 2mm; min-height: 25mm; }
.footer { margin-top: 8mm; font-size: 8pt; color: #555; text-align: right; }
@media screen { body { background: #eee; } .page { background: #fff; padding: 15mm 12mm; margin: 10mm auto; width: 210mm; min-height: 297mm; } }
`;

function headerTable(input: PrintInput): string {
  const { template, object, record, format } = input;
  const cells = template.header.map(
    (name) => `<td class="label">${escapeHtml(labelOf(object, name, format.locale))}：</td><td>${escapeHtml(formatValue(fieldOf(object, name), record[name], format))}</td>`,
  );
  const rows: string[] = [];
  for (let start = 0; start < cells.length; start += 2) rows.push(`<tr>${cells.slice(start, start + 2).join("")}</tr>`);
  return rows.length ? `<table class="header"><tbody>${rows.join("")}</tbody></table>` : "";
}

/** Sum of a column over the printed lines, rounded to the field's scale (no binary drift like 0.30000000000000004). */
function columnSum(lines: Row[], name: string, scale: number): number {
  const factor = 10 ** scale;
  return lines.reduce((sum, line) => sum + Math.round(Number(line[name] ?? 0) * factor), 0) / factor;
}

function linesTable(input: PrintInput): string {
  const { template, lineObject, lines, format } = input;
  if (!template.lines || !lineObject) return "";
  const columns = template.lines.columns;
  const head = [`<th>${escapeHtml(TEXTS.no[format.locale])}</th>`, ...columns.map((name) => `<th>${escapeHtml(labelOf(lineObject, name, format.locale))}</th>`)];
  const cell = (name: string, value: unknown) => {
    const field = fieldOf(lineObject, name);
    return `<td${isNumeric(field) ? ' class="number"' : ""}>${escapeHtml(formatValue(field, value, format))}</td>`;
  };
  const body = lines.map((line, index) => `<tr><td class="number">${index + 1}</td>${columns.map((name) => cell(name, line[name])).join("")}</tr>`);
  const summed = new Set(template.lines.sum ?? []);
  const sumRow = summed.size
    ? `<tr><td>${escapeHtml(TEXTS.sum[format.locale])}</td>${columns
        .map((name) => (summed.has(name) ? cell(name, columnSum(lines, name, lineObject.fields.get(name)?.scale ?? 2)) : "<td></td>"))
        .join("")}</tr>`
    : "";
  return `<table class="lines"><thead><tr>${head.join("")}</tr></thead><tbody>${body.join("")}${sumRow}</tbody></table>`;
}

function totalsTable(input: PrintInput): string {
  const { template, object, record, format } = input;
  const rows = (template.totals ?? []).map((total) => {
    const field = fieldOf(object, total.field);
    const label = escapeHtml(labelOf(object, total.field, format.locale));
    const value = record[total.field];
    if (!total.capitals || value === null || value === undefined) {
      return `<tr><td class="label">${label}</td><td class="number">${escapeHtml(formatValue(field, value, format))}</td></tr>`;
    }
    const figures = formatAmount(Number(value), field?.scale ?? 2);
    return `<tr><td class="label">${label}${escapeHtml(TEXTS.capitals[format.locale])}</td><td class="capitals">${escapeHtml(amountInChineseCapitals(value as number | string))}</td>` +
      `<td class="label">${escapeHtml(TEXTS.figures[format.locale])}</td><td class="number">${escapeHtml(figures)}</td></tr>`;
  });
  return rows.length ? `<table class="totals"><tbody>${rows.join("")}</tbody></table>` : "";
}

function notes(input: PrintInput): string {
  const { template, object, record, format } = input;
  return (template.notes ?? [])
    .filter((name) => record[name] !== null && record[name] !== undefined && record[name] !== "")
    .map((name) => `<div class="note"><strong>${escapeHtml(labelOf(object, name, format.locale))}：</strong>${escapeHtml(formatValue(fieldOf(object, name), record[name], format))}</div>`)
    .join("");
}

function signatures(input: PrintInput): string {
  const { template, format } = input;
  const blocks = (template.signatures ?? []).map(
    (label) => `<div class="signature"><div>${escapeHtml(label[format.locale])}</div><div>&nbsp;</div><div>${escapeHtml(TEXTS.date[format.locale])}：</div></div>`,
  );
  return blocks.length ? `<div class="signatures">${blocks.join("")}</div>` : "";
}

/** The whole page: title, header fields, lines with their sums, totals (with 金额大写), notes, signatures, who printed it. */
export function renderPrintHtml(input: PrintInput): string {
  const { template, format } = input;
  const title = escapeHtml(template.title[format.locale]);
  const footer = `${escapeHtml(TEXTS.printedBy[format.locale])}：${escapeHtml(input.printedBy)}　${escapeHtml(TEXTS.printedAt[format.locale])}：${escapeHtml(formatDateTime(input.printedAt))}`;
  return `<!DOCTYPE html>
<html lang="${format.locale}">
<head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head>
<body><div class="page">
<h1>${title}</h1>
${headerTable(input)}
${linesTable(input)}
${totalsTable(input)}
${notes(input)}
${signatures(input)}
<div class="footer">${footer}</div>
</div></body>
</html>
`;
}
