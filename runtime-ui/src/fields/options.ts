// Picklist options of a field, whether inline or from a named option set, in one shape.
import type { FieldDefinition, LocalizedText, OptionSetDefinition } from "../api/types";

export interface Option {
  value: string;
  label: LocalizedText;
  color?: string;
}

export function optionsOf(field: FieldDefinition, optionSets: ReadonlyMap<string, OptionSetDefinition>): Option[] {
  const source = field.options ?? (field.optionSet ? optionSets.get(field.optionSet)?.options : undefined) ?? [];
  return source.map((option) =>
    typeof option === "string"
      ? { value: option, label: { "zh-CN": option, en: option } }
      : { value: option.value, label: option.label ?? { "zh-CN": option.value, en: option.value }, color: option.color },
  );
}
