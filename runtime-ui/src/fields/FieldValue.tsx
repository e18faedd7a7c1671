// Shows one field value read-only (list cells, cards, related lists), resolving option labels and record names.
import { Tag } from "antd";
import type { FieldDefinition } from "../api/types";
import { useMetadata } from "../api/metadata-store";
import { useI18n } from "../i18n/locale";
import { formatValue } from "./format";
import { optionsOf } from "./options";
import { useRecordNames } from "./record-names";

const REFERENCE_TYPES = new Set(["lookup", "employee", "department"]);
const NO_NAMES: ReadonlyMap<string, string> = new Map();

interface FieldValueProps {
  definition: FieldDefinition;
  value: unknown;
}

export function FieldValue(props: FieldValueProps) {
  // Only references wait for names: the other cells of a list neither ask for them nor re-render when they come.
  return REFERENCE_TYPES.has(props.definition.type) ? <ReferenceValue {...props} /> : <Shown {...props} names={NO_NAMES} />;
}

function ReferenceValue({ definition, value }: FieldValueProps) {
  const ids = value ? (Array.isArray(value) ? value.map(String) : [String(value)]) : [];
  const names = useRecordNames(definition.target ?? definition.type, ids);
  return <Shown definition={definition} value={value} names={names} />;
}

function Shown({ definition, value, names }: FieldValueProps & { names: ReadonlyMap<string, string> }) {
  const { locale, t } = useI18n();
  const { optionSets } = useMetadata();
  const options = definition.type === "picklist" || definition.type === "multi_picklist" ? optionsOf(definition, optionSets) : undefined;
  if (definition.type === "picklist" && typeof value === "string") {
    const option = options?.find((candidate) => candidate.value === value);
    return <Tag color={option?.color && option.color !== "default" ? option.color : undefined}>{option?.label[locale] ?? value}</Tag>;
  }
  return <>{formatValue({ value, definition, locale, options, names, yesNo: [t("yes"), t("no")] })}</>;
}
