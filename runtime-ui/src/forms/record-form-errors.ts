// Errors of the record form: rjsf's schema errors reworded in the user's language and limited to what the server
// would also refuse, and the server's own errors (JSON pointers) as rjsf extraErrors on the right field or line cell.
import type { ErrorSchema, RJSFValidationError } from "@rjsf/utils";
import type { RecordValues } from "../api/types";
import type { MessageKey } from "../i18n/messages";
import type { ScreenField } from "../layout/fields";
import type { PlacedErrors } from "../screens/record-form";

export interface ErrorContext {
  fields: ReadonlyMap<string, ScreenField>;
  values: RecordValues;
  /** The record as loaded; null when creating. */
  original: RecordValues | null;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  text(label: ScreenField["definition"]["label"], fallback?: string): string;
}

const same = (left: unknown, right: unknown) => JSON.stringify(left ?? null) === JSON.stringify(right ?? null);

/** An rjsf error's data path as segments: ".lines.0.quantity" → [lines, 0, quantity]; a missing root property has no dot. */
export const errorPath = (property: string | undefined): string[] => (property ?? "").replace(/^\./, "").split(".").filter(Boolean);

function valueAt(values: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, segment) => (value !== null && typeof value === "object" ? (value as Record<string, unknown>)[segment] : undefined), values);
}

const LIMITED: Record<string, MessageKey> = {
  maxLength: "errorTooLong",
  minLength: "errorTooShort",
  minimum: "errorTooSmall",
  exclusiveMinimum: "errorTooSmall",
  maximum: "errorTooLarge",
  exclusiveMaximum: "errorTooLarge",
  maxItems: "errorTooMany",
  maxScale: "errorTooManyDecimals",
};

function messageOf(error: RJSFValidationError, path: readonly string[], context: ErrorContext): string {
  const value = valueAt(context.values, path);
  const missing = error.name === "required" || value === null || value === undefined || value === "";
  if (missing) {
    // A top-level field is named; a line cell shows its message under the cell, so the column needs no name.
    const field = path.length === 1 ? context.fields.get(path[0]) : undefined;
    return field ? context.t("requiredField", { label: context.text(field.definition.label, path[0]) }) : context.t("errorRequired");
  }
  const limited = error.name ? LIMITED[error.name] : undefined;
  if (limited) return context.t(limited, { limit: String((error.params as { limit?: unknown } | undefined)?.limit ?? "") });
  if (error.name === "format" || error.name === "pattern") return context.t("errorFormat");
  if (error.name === "enum") return context.t("errorOption");
  return context.t("errorInvalid");
}

/**
 * rjsf's transformErrors: keeps the errors of what a save would send (writable fields; when editing, only the
 * changed ones, as saveBody sends), one per value, reworded. A stored value that a newer rule no longer allows
 * does not block saving other fields: the server does not check fields it is not sent.
 */
export function localizeErrors(errors: readonly RJSFValidationError[], context: ErrorContext): RJSFValidationError[] {
  const seen = new Set<string>();
  return errors.flatMap((error) => {
    const path = errorPath(error.property);
    const field = path.length ? context.fields.get(path[0]) : undefined;
    if (!field || field.readOnly) return [];
    if (context.original && same(context.values[path[0]], context.original[path[0]])) return [];
    const key = path.join(".");
    // A nullable enum reports both "type" and "enum" for one value: the first says it best.
    if (seen.has(key)) return [];
    seen.add(key);
    const message = messageOf(error, path, context);
    return [{ ...error, message, stack: message }];
  });
}

type ErrorNode = { __errors?: string[] } & { [key: string]: ErrorNode | string[] | undefined };

/** The server's errors placed on fields and line cells, as the ErrorSchema rjsf shows next to them (extraErrors). */
export function extraErrorsOf(placed: Pick<PlacedErrors, "fields" | "lines">): ErrorSchema {
  const schema: Record<string, ErrorNode> = {};
  for (const [name, messages] of placed.fields) schema[name] = { __errors: [...messages] };
  for (const [name, cells] of placed.lines) {
    const node: ErrorNode = (schema[name] ??= {});
    for (const [key, message] of cells) {
      const [index, column] = key.split("/");
      const line = (node[index] ??= {}) as ErrorNode;
      const cell = (line[column] ??= {}) as ErrorNode;
      cell.__errors = [...(cell.__errors ?? []), message];
    }
  }
  return schema as ErrorSchema;
}

/** The cell errors of a lines field's ErrorSchema, by "index/column" as LinesTable shows them. */
export function lineErrorsOf(errorSchema: ErrorSchema | undefined): Map<string, string> {
  const cells = new Map<string, string>();
  for (const [index, line] of Object.entries((errorSchema ?? {}) as Record<string, unknown>)) {
    if (!/^\d+$/.test(index) || line === null || typeof line !== "object") continue;
    for (const [column, cell] of Object.entries(line as Record<string, ErrorNode>)) {
      const messages = cell?.__errors;
      if (Array.isArray(messages) && messages.length) cells.set(`${index}/${column}`, messages.join("; "));
    }
  }
  return cells;
}
