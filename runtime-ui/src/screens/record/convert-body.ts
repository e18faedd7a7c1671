// The body of POST …/actions/convert for the choices made in the conversion dialog (pure).
export type CustomerChoice = "new" | "existing" | "none";

export interface ConvertChoices {
  customer: CustomerChoice;
  customerId?: string | null;
  contact: boolean;
  opportunity: boolean;
}

export function convertBody(choices: ConvertChoices): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (choices.customer === "new") body.customer = {};
  if (choices.customer === "existing" && choices.customerId) body.customer = { id: choices.customerId };
  if (choices.contact) body.contact = {};
  if (choices.opportunity) body.opportunity = {};
  return body;
}
