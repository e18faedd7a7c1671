// Helpers over picklist options, which may be bare strings or { value, label, color } objects.
import type { PicklistOption } from "./types";

export function optionValue(option: PicklistOption): string {
  return typeof option === "string" ? option : option.value;
}

/** Indexes of options whose value already appeared earlier in the list. */
export function duplicateOptionIndexes(options: readonly PicklistOption[]): number[] {
  const seen = new Set<string>();
  const duplicates: number[] = [];
  options.forEach((option, i) => {
    const value = optionValue(option);
    if (seen.has(value)) duplicates.push(i);
    seen.add(value);
  });
  return duplicates;
}
