// Field mappings of declared actions: field names and json-logic sources, empty values left out.
import { describe, expect, it } from "vitest";
import { commonFieldMapping, fitToScale, mapFields, today } from "./field-mapping";

describe("mapFields", () => {
  const lead = { name: "王经理", company: "天津海虹化工", mobile: "13800000000", email: "", product_line: null };

  it.each([
    ["a field name copies the value", { phone: "mobile" }, { phone: "13800000000" }],
    ["an expression computes it", { name: { expression: { if: [{ var: "company" }, { var: "company" }, { var: "name" }] } } }, { name: "天津海虹化工" }],
    ["empty strings and nulls are left out", { email: "email", product_line: "product_line", missing: "nope" }, {}],
    ["no mapping maps nothing", undefined, {}],
  ] as const)("%s", (_case, mapping, expected) => {
    expect(mapFields(mapping as never, lead)).toEqual(expected);
  });

  it("falls back to the person's name when the lead has no company", () => {
    expect(mapFields({ name: { expression: { if: [{ var: "company" }, { var: "company" }, { var: "name" }] } } }, { name: "王经理", company: null })).toEqual({ name: "王经理" });
  });
});

describe("commonFieldMapping", () => {
  it("copies the fields both sides declare, never computed ones", () => {
    const quoteLine = [{ name: "inventory_id", type: "lookup" }, { name: "quantity", type: "decimal" }, { name: "discount", type: "percent" }, { name: "amount", type: "formula" }];
    const orderLine = [{ name: "inventory_id", type: "lookup" }, { name: "quantity", type: "decimal" }, { name: "unit_price", type: "amount" }, { name: "amount", type: "formula" }];
    expect(commonFieldMapping(quoteLine, orderLine)).toEqual({ inventory_id: "inventory_id", quantity: "quantity" });
  });
});

describe("today", () => {
  it("is the local calendar day", () => {
    expect(today(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
  });
});

describe("fitToScale", () => {
  const fields = [{ name: "unit_price", type: "amount" }, { name: "quantity", type: "decimal", scale: 3 }, { name: "note", type: "text" }];

  it.each([
    [{ unit_price: 11.875 }, { unit_price: 11.88 }],
    [{ unit_price: 10.005 }, { unit_price: 10.01 }],
    [{ unit_price: -2.345 }, { unit_price: -2.35 }],
    [{ quantity: 1.23456, unit_price: 27 }, { quantity: 1.235, unit_price: 27 }],
    [{ note: 1.23456 }, { note: 1.23456 }],
  ])("rounds %j to the target field's scale", (values, expected) => {
    expect(fitToScale(fields, { ...values })).toEqual(expected);
  });
});
