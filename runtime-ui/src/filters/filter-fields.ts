// The fields a list may be filtered on, with the kind of filter each takes (pure).
import type { ScreenField } from "../layout/fields";
import { filterKindOf, type FilterKind } from "./filter-model";

export interface FilterField {
  name: string;
  kind: FilterKind;
  screen: ScreenField;
}

/** The fields a user may filter on, by name, with their filter kinds. */
export function filterFieldsOf(fields: ReadonlyMap<string, ScreenField>): Map<string, FilterField> {
  const result = new Map<string, FilterField>();
  for (const [name, screen] of fields) {
    const kind = filterKindOf(screen.definition);
    if (kind) result.set(name, { name, kind, screen });
  }
  return result;
}
