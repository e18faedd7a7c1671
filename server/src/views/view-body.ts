// Saved-view bodies: the ajv schema at the edge, then the filter, sort and columns checked against the object as the user sees it.
import { Ajv, type ValidateFunction } from "ajv";
import type { CompiledObject } from "../registry/model";
import { AppError, validationFailed, type ErrorDetail } from "../errors/errors";
import { errorsToDetails } from "../records/body-validator";
import { compileFilter } from "../rules/filter-sql";
import { ExpressionError } from "../rules/errors";
import { parseSort } from "../records/list-query";

export const MAX_VIEW_NAME = 60;
export const MAX_VIEW_COLUMNS = 50;
const MAX_FILTER_CHARS = 20_000;

/** What a user may set on a view; every key optional on PATCH. */
export interface ViewBody {
  name?: string;
  /** json-logic over the object's field names; null = no filter. */
  filter?: unknown;
  /** "-amount,name"; null = the layout's default. */
  sort?: string | null;
  /** Field names in column order; null = the layout's columns. */
  columns?: string[] | null;
}

const properties = {
  name: { type: "string", minLength: 1, maxLength: MAX_VIEW_NAME, pattern: "\\S" },
  filter: { type: ["object", "null"] },
  sort: { type: ["string", "null"], maxLength: 500, pattern: "^-?[a-z][a-z0-9_]*(,-?[a-z][a-z0-9_]*)*$" },
  columns: {
    type: ["array", "null"],
    maxItems: MAX_VIEW_COLUMNS,
    uniqueItems: true,
    items: { type: "string", pattern: "^[a-z][a-z0-9_]*$", maxLength: 63 },
  },
};

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false });
const validators: Record<"create" | "update", ValidateFunction> = {
  create: ajv.compile({ type: "object", additionalProperties: false, required: ["name"], properties }),
  update: ajv.compile({ type: "object", additionalProperties: false, minProperties: 1, properties }),
};

/** The body's shape, or VALIDATION_FAILED with every problem's path. */
export function parseViewBody(mode: "create" | "update", body: unknown): ViewBody {
  const validate = validators[mode];
  if (!validate(body)) throw validationFailed(errorsToDetails(validate.errors ?? []));
  const view = body as ViewBody;
  if (view.name !== undefined) view.name = view.name.trim();
  if (view.filter !== undefined && view.filter !== null && JSON.stringify(view.filter).length > MAX_FILTER_CHARS) {
    throw validationFailed([{ path: "/filter", message: { "zh-CN": "筛选条件过长", en: "The filter is too long" } }]);
  }
  return view;
}

/**
 * Refuses a view that the list API would refuse for this user: the filter goes through the list's own
 * compiler over the fields the user may filter on, the sort through the list's sort parser, columns must be visible.
 */
export function assertViewFits(shape: CompiledObject, view: ViewBody): void {
  const details: ErrorDetail[] = [];
  if (view.filter !== undefined && view.filter !== null) {
    try {
      compileFilter(view.filter, shape.filterFields);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      details.push({ path: `/filter${error.path}`, message: error.messages });
    }
  }
  if (view.sort) {
    try {
      parseSort(shape, view.sort);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      details.push(...error.details);
    }
  }
  const visible = new Set(shape.readColumns);
  view.columns?.forEach((column, index) => {
    if (!visible.has(column)) {
      details.push({ path: `/columns/${index}`, message: { "zh-CN": `未知或不可见的字段 "${column}"`, en: `Unknown or hidden field "${column}"` } });
    }
  });
  if (details.length) throw validationFailed(details);
}
