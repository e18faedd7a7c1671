// Turns the list screen's state (search, sort, quick filters, advanced filter) into the records API's query (pure).
import type { ListQuery } from "../api/client";
import { combineFilters, emptyGroup, toJsonLogic, type FilterGroup } from "../filters/filter-model";

export const MINE = "__mine__";

export type QuickFilterValues = Record<string, string | boolean | undefined>;

export function quickFilterLogic(values: QuickFilterValues, employeeId: string | null): unknown {
  const terms: unknown[] = [];
  for (const [field, value] of Object.entries(values)) {
    if (value === undefined || value === "") continue;
    if (value === MINE) {
      if (employeeId) terms.push({ "==": [{ var: field }, employeeId] });
      continue;
    }
    terms.push({ "==": [{ var: field }, value] });
  }
  if (terms.length === 0) return undefined;
  return terms.length === 1 ? terms[0] : { and: terms };
}

/** "-amount" → { field: "amount", descending: true } and back. */
export function parseSort(sort: string | undefined): { field: string; descending: boolean } | null {
  if (!sort) return null;
  const first = sort.split(",")[0].trim();
  return first.startsWith("-") ? { field: first.slice(1), descending: true } : { field: first, descending: false };
}

/** The list table's header sort for a sort parameter: its first key, ascending or descending. */
export function headerSort(sort: string | undefined): { key: string; order: "ascend" | "descend" } | null {
  const parsed = parseSort(sort);
  return parsed ? { key: parsed.field, order: parsed.descending ? "descend" : "ascend" } : null;
}

/** The sort parameter after a click on a header gave its column this order; none is the layout's default sort. */
export function sortAfterHeaderClick(key: string, order: "ascend" | "descend" | null, defaultSort: string | undefined): string | undefined {
  return order === null ? defaultSort : `${order === "descend" ? "-" : ""}${key}`;
}

/** What a list screen's records depend on: search, sort, quick filters and the advanced filter. */
export interface ListState {
  search: string;
  sort: string | undefined;
  quickFilters: QuickFilterValues;
  /** The builder's filter; null when a picked view's filter is one the builder cannot show. */
  advanced: FilterGroup | null;
  /** That view's filter, applied as it is. */
  rawFilter: unknown;
}

/** The state a list screen opens with: its layout's default sort, nothing searched or filtered. */
export const openingListState = (defaultSort: string | undefined): ListState => ({ search: "", sort: defaultSort, quickFilters: {}, advanced: emptyGroup(), rawFilter: undefined });

/** The records query of a list screen's state. */
export function listQuery(state: ListState, employeeId: string | null): ListQuery {
  const filter = combineFilters(quickFilterLogic(state.quickFilters, employeeId), state.advanced ? toJsonLogic(state.advanced) : state.rawFilter);
  return { q: state.search || undefined, sort: state.sort, filter };
}
