// What users read for workflow names: a state is shown by its picklist option's label, an approval step by its declared label.
import type { LocalizedText, WorkflowDefinition } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";

/** The label of a state field's option (the validator requires one for every state); the bare value otherwise. */
export function stateLabel(object: CompiledObject, field: string, value: string): LocalizedText {
  const definition = object.fieldByName.get(field);
  const options = definition?.options ?? (definition?.optionSet ? object.model.optionSets.get(definition.optionSet)?.options : undefined) ?? [];
  for (const option of options) {
    if (typeof option !== "string" && option.value === value && option.label) return option.label;
  }
  return { "zh-CN": value, en: value };
}

/**
 * The label of step `step` of the approval a transition started; tasks also carry the step's name, which finds it
 * when the definition has since been reordered or the transition is gone (else the name itself is shown).
 */
export function stepLabel(workflow: WorkflowDefinition, input: { transition: string | null; step: number; stepName?: string | null }): LocalizedText | null {
  const steps = workflow.transitions.find((transition) => transition.name === input.transition)?.approval?.steps ?? [];
  const exact = steps[input.step];
  if (exact && (input.stepName === undefined || input.stepName === null || exact.name === input.stepName)) return exact.label;
  if (!input.stepName) return null;
  const named = [...steps, ...workflow.transitions.flatMap((transition) => transition.approval?.steps ?? [])].find((candidate) => candidate.name === input.stepName);
  return named?.label ?? { "zh-CN": input.stepName, en: input.stepName };
}
