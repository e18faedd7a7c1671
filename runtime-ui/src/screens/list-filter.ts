// Turns the list screen's quick-filter choices into the json-logic filter of the records API (pure).
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
