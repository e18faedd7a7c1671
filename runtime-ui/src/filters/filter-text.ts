// The filter builder's and saved views' labels in the chosen language.
import { interpolate, useI18n } from "../i18n/locale";
import { FILTER_TEXT, type FilterTextKey } from "./filter-messages";

export function useFilterText() {
  const { locale } = useI18n();
  return (key: FilterTextKey, values?: Record<string, string | number>) => interpolate(FILTER_TEXT[key][locale], values);
}
