import { describe, expect, it } from "vitest";
import { convertBody } from "./convert-body";

describe("the lead conversion body", () => {
  it.each([
    ["new customer, contact and opportunity", { customer: "new", contact: true, opportunity: true }, { customer: {}, contact: {}, opportunity: {} }],
    ["existing customer only", { customer: "existing", customerId: "c1", contact: false, opportunity: false }, { customer: { id: "c1" } }],
    ["existing customer not chosen yet", { customer: "existing", customerId: null, contact: false, opportunity: true }, { opportunity: {} }],
    ["contact without customer", { customer: "none", contact: true, opportunity: false }, { contact: {} }],
  ] as const)("%s", (_name, choices, expected) => {
    expect(convertBody(choices)).toEqual(expected);
  });
});
