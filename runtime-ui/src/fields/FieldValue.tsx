// Shows one field value read-only (list cells, cards, related lists), resolving option labels and record names.
import { Tag } from "antd";
import type { FieldDefinition } from "../api/types";
import { useMetadata } from "../api/metadata-store";
import { useI18n } from "../i18n/locale";
import { formatValue } from "./format";
import { optionsOf } from "./options";
import { useRecordNames } from "./record-names";

const REFERENCE_TYPES = new Set(["lookup", "employee", "department"]);

export function FieldValue({ definition, value }: { definition: FieldDefinition; value: unknown }) {
  const { locale, t } = useI18n();
  const { optionSets } = useMetadata();
  const ids = REFERENCE_TYPES.has(definition.type) && value ? (Array.isArray(value) ? value.map(String) : [String(value)]) : [];
  const names = useRecordNames(REFERENCE_TYPES.has(definition.type) ? definition.target ?? definition.type : undefined, ids);
  const options = definition.type === "picklist" || definition.type === "multi_picklist" ? optionsOf(definition, optionSets) : undefined;
  if (definition.type === "picklist" && typeof value === "string") {
    const option = options?.find((candidate) => candidate.value === value);
    return <Tag color={option?.color && option.color !== "default" ? option.color : undefined}>{option?.label[locale] ?? value}</Tag>;
  }
  return <>{formatValue({ value, definition, locale, options, names, yesNo: [t("yes"), t("no")] })}</>;
}
