// Layout documents (one per object): list columns, detail sections on a 12-column grid, related tabs, print templates.
import { Ajv } from "ajv";
import { IssueSink } from "./issues";
import { IDENTIFIER_PATTERN, localizedTextSchema } from "./schemas";
import { ajvErrorsToIssues } from "./structural";
import type { LocalizedText, MetadataIssue } from "./types";

/** Width of the detail grid (react-grid-layout `cols`): x + w of every cell stays within it. */
export const LAYOUT_GRID_COLUMNS = 12;

export interface ListColumn {
  field: string;
  /** Pixels; the UI decides when absent. */
  width?: number;
}

export interface ListLayout {
  columns: ListColumn[];
  /** "-created_at" or "name,-amount"; the object's defaultSort when absent. */
  defaultSort?: string;
  /** Fields offered as one-click filters above the list. */
  quickFilters?: string[];
}

/** One field placed on the section's grid (react-grid-layout item: x, y, w, h in grid units). */
export interface GridField {
  field: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FieldSection {
  name: string;
  kind?: "fields";
  label: LocalizedText;
  fields: GridField[];
}

/** The lines of a master_detail field shown as an editable table; label defaults to the field's. */
export interface LinesSection {
  name: string;
  kind: "lines";
  label?: LocalizedText;
  /** The master_detail field. */
  field: string;
  /** Fields of the detail object. */
  columns: string[];
}

export type DetailSection = FieldSection | LinesSection;

/** A tab listing related records: the relation as named by GET …/records/:id/related/:relation. */
export interface RelatedTab {
  relation: string;
  label: LocalizedText;
  /** Fields of the related object. */
  columns: string[];
}

export interface DetailLayout {
  sections: DetailSection[];
  related?: RelatedTab[];
}

/** A detail layout of its own for the records whose type field holds one of `values`. */
export interface RecordTypeVariant {
  /** Options of the type field; each value belongs to one variant at most. */
  values: string[];
  /** Replaces the layout's `detail` whole (sections and related tabs) for these records. */
  detail: DetailLayout;
}

/**
 * Record types with their own detail templates (线索类型: 客户线索 / 商机线索 …): a single picklist of the object
 * chooses the variant, e.g.
 *
 *     "recordTypes": { "field": "lead_type", "variants": [ { "values": ["opportunity"], "detail": { "sections": [ … ] } } ] }
 *
 * A record whose type field holds one of a variant's values is shown with that variant's detail; a record with no
 * value, or a value no variant lists, with the layout's own `detail`. The list layout and print templates are
 * shared by every type. detailLayoutFor (layout-record-types.ts) makes the choice, for the server and the UI alike.
 */
export interface RecordTypeLayouts {
  /** A single picklist of the object (options inline or from an option set). */
  field: string;
  variants: RecordTypeVariant[];
}

export interface PrintTotal {
  /** A numeric field of the object (e.g. total_amount). */
  field: string;
  /** Also print the amount in Chinese capital numerals (金额大写). */
  capitals?: boolean;
}

/**
 * A printable document (报价单, 销售订单, 合同 …) rendered by the server as A4 HTML.
 *
 * Print templates live inside the layout document rather than in a document kind of their own: like
 * the list and detail layouts they are one object's presentation of its own fields, they are checked
 * against the same field names, versioned and shipped together with it, and the describe response that
 * carries the layout is where the UI finds which templates it may offer. A separate kind would add
 * storage, history and routes for no separate life of its own.
 */
export interface PrintTemplate {
  /** Chosen with ?template=<name>. */
  name: string;
  /** How the template is offered in menus. */
  label: LocalizedText;
  /** The heading printed on the page, e.g. 报价单 / Quotation. */
  title: LocalizedText;
  /** Fields printed as label: value pairs under the title. */
  header: string[];
  /** The lines table: a master_detail field and the detail fields printed as columns. */
  lines?: { field: string; columns: string[]; sum?: string[] };
  totals?: PrintTotal[];
  /** Long text fields printed as paragraphs after the lines (付款条件, 备注). */
  notes?: string[];
  /** Signature blocks, e.g. 供方（盖章） / 需方（盖章）. */
  signatures?: LocalizedText[];
}

export interface LayoutDefinition {
  /** The object laid out; the document's name. */
  object: string;
  list: ListLayout;
  detail: DetailLayout;
  /** Detail layouts per record type; absent when every record is shown with `detail`. */
  recordTypes?: RecordTypeLayouts;
  print?: PrintTemplate[];
}

const identifier = { type: "string", pattern: IDENTIFIER_PATTERN } as const;
const identifiers = { type: "array", items: identifier, uniqueItems: true } as const;
const nonEmptyIdentifiers = { ...identifiers, minItems: 1 } as const;

const listColumnSchema = {
  type: "object",
  required: ["field"],
  properties: { field: identifier, width: { type: "integer", minimum: 40, maximum: 2000 } },
  additionalProperties: false,
} as const;

const gridFieldSchema = {
  type: "object",
  required: ["field", "x", "y", "w", "h"],
  properties: {
    field: identifier,
    x: { type: "integer", minimum: 0, maximum: LAYOUT_GRID_COLUMNS - 1 },
    y: { type: "integer", minimum: 0, maximum: 1000 },
    w: { type: "integer", minimum: 1, maximum: LAYOUT_GRID_COLUMNS },
    h: { type: "integer", minimum: 1, maximum: 50 },
  },
  additionalProperties: false,
} as const;

const fieldSectionSchema = {
  type: "object",
  required: ["name", "label", "fields"],
  properties: { name: identifier, kind: { const: "fields" }, label: localizedTextSchema, fields: { type: "array", items: gridFieldSchema } },
  additionalProperties: false,
} as const;

const linesSectionSchema = {
  type: "object",
  required: ["name", "kind", "field", "columns"],
  properties: { name: identifier, kind: { const: "lines" }, label: localizedTextSchema, field: identifier, columns: nonEmptyIdentifiers },
  additionalProperties: false,
} as const;

/** A section is a lines table when it says so; otherwise a grid of fields. */
const sectionSchema = {
  if: { type: "object", required: ["kind"], properties: { kind: { const: "lines" } } },
  then: linesSectionSchema,
  else: fieldSectionSchema,
} as const;

const relatedTabSchema = {
  type: "object",
  required: ["relation", "label", "columns"],
  properties: {
    // a child field name, an object name, or <object>.<field>
    relation: { type: "string", pattern: "^[a-z][a-z0-9_]{0,62}(\\.[a-z][a-z0-9_]{0,62})?$" },
    label: localizedTextSchema,
    columns: nonEmptyIdentifiers,
  },
  additionalProperties: false,
} as const;

const detailLayoutSchema = {
  type: "object",
  required: ["sections"],
  properties: {
    sections: { type: "array", minItems: 1, items: sectionSchema },
    related: { type: "array", items: relatedTabSchema },
  },
  additionalProperties: false,
} as const;

const recordTypesSchema = {
  type: "object",
  required: ["field", "variants"],
  properties: {
    field: identifier,
    variants: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["values", "detail"],
        properties: {
          // picklist option values (schemas.ts: any non-empty string up to 100 characters)
          values: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1, maxLength: 100 } },
          detail: detailLayoutSchema,
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

const printTemplateSchema = {
  type: "object",
  required: ["name", "label", "title", "header"],
  properties: {
    name: identifier,
    label: localizedTextSchema,
    title: localizedTextSchema,
    header: identifiers,
    lines: {
      type: "object",
      required: ["field", "columns"],
      properties: { field: identifier, columns: nonEmptyIdentifiers, sum: identifiers },
      additionalProperties: false,
    },
    totals: {
      type: "array",
      items: { type: "object", required: ["field"], properties: { field: identifier, capitals: { type: "boolean" } }, additionalProperties: false },
    },
    notes: identifiers,
    signatures: { type: "array", items: localizedTextSchema, maxItems: 4 },
  },
  additionalProperties: false,
} as const;

export const layoutDefinitionSchema = {
  $id: "https://crm.local/schemas/layout.json",
  type: "object",
  required: ["object", "list", "detail"],
  properties: {
    object: identifier,
    list: {
      type: "object",
      required: ["columns"],
      properties: {
        columns: { type: "array", minItems: 1, items: listColumnSchema },
        defaultSort: { type: "string", pattern: "^-?[a-z][a-z0-9_]*(,-?[a-z][a-z0-9_]*)*$" },
        quickFilters: identifiers,
      },
      additionalProperties: false,
    },
    detail: detailLayoutSchema,
    recordTypes: recordTypesSchema,
    print: { type: "array", items: printTemplateSchema },
  },
  additionalProperties: false,
} as const;

const layoutValidator = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(layoutDefinitionSchema);

/** Structural problems of one layout document (schema only; see checkLayouts for the fields it names). */
export function validateLayout(doc: unknown, document?: string): MetadataIssue[] {
  if (layoutValidator(doc)) return [];
  const sink = new IssueSink([], document);
  ajvErrorsToIssues(layoutValidator.errors ?? [], sink);
  return sink.issues;
}

export const isLinesSection = (section: DetailSection): section is LinesSection => section.kind === "lines";
