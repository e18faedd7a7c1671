// Which writes a duplicate rule looks at: complete identifying values, inside the condition, and (on update) a relevant change.
import { describe, expect, it } from "vitest";
import type { DuplicateRule } from "@crm/metadata";
import { ruleApplies } from "./duplicates";

const openPerCustomerAndLine: DuplicateRule = {
  name: "open_per_customer_product_line",
  fields: ["customer_id", "product_line"],
  condition: { "!": { in: [{ var: "stage" }, ["won", "lost"]] } },
  onDuplicate: "reject",
  message: { "zh-CN": "重复", en: "Duplicate" },
};

const open = { customer_id: "c1", product_line: "coating", stage: "initial", name: "A" };

describe("ruleApplies", () => {
  it.each([
    ["a new open record", { values: open }, true],
    ["a new record without a product line", { values: { ...open, product_line: null } }, false],
    ["a new record with an empty product line", { values: { ...open, product_line: "" } }, false],
    ["a new lost record", { values: { ...open, stage: "lost" } }, false],
    ["an edit of another field", { values: { ...open, name: "B" }, before: open }, false],
    ["an edit moving it to another product line", { values: { ...open, product_line: "resin" }, before: open }, true],
    ["reopening a lost record", { values: open, before: { ...open, stage: "lost" } }, true],
    ["closing it as lost", { values: { ...open, stage: "lost" }, before: open }, false],
  ] as const)("%s → %s", (_case, row, expected) => {
    expect(ruleApplies(openPerCustomerAndLine, row)).toBe(expected);
  });
});
