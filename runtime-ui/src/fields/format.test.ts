import { describe, expect, it } from "vitest";
import type { FieldDefinition } from "../api/types";
import { formatAddress, formatValue, sumColumn } from "./format";

const definition = (type: FieldDefinition["type"], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({ name: "f", type, label: { "zh-CN": "f", en: "f" }, ...extra });

describe("formatValue", () => {
  it("formats amounts, percentages and integers", () => {
    expect(formatValue({ value: 1200.5, definition: definition("amount"), locale: "zh-CN" })).toBe("¥1,200.50");
    expect(formatValue({ value: 12.5, definition: definition("percent", { scale: 1 }), locale: "en" })).toBe("12.5%");
    expect(formatValue({ value: 3, definition: definition("integer"), locale: "en" })).toBe("3");
  });

  it("shows option labels in the chosen language and record names for references", () => {
    const options = [{ value: "key", label: { "zh-CN": "关键客户", en: "Key customer" } }];
    expect(formatValue({ value: ["key", "other"], definition: definition("multi_picklist"), locale: "en", options })).toBe("Key customer, other");
    expect(formatValue({ value: "id1", definition: definition("lookup"), locale: "zh-CN", names: new Map([["id1", "甲公司"]]) })).toBe("甲公司");
  });

  it("names the files of an attachment value, uploaded or linked", () => {
    const value = [{ fileId: "5f0c8a3e-1b2c-4d5e-8f90-123456789abc", name: "合同.pdf", size: 10, contentType: "application/pdf" }, { name: "规格书", url: "https://example.com/a" }, null];
    expect(formatValue({ value, definition: definition("attachment"), locale: "zh-CN" })).toBe("合同.pdf, 规格书");
  });

  it("leaves empty values empty", () => {
    expect(formatValue({ value: null, definition: definition("text"), locale: "zh-CN" })).toBe("");
  });
});

describe("formatAddress", () => {
  it("joins the parts in order", () => {
    expect(formatAddress({ street: "中山路 1 号", province: "天津", city: "天津市" })).toBe("天津 天津市 中山路 1 号");
  });
});

describe("sumColumn", () => {
  it("adds the numbers of a column, skipping empty cells", () => {
    expect(sumColumn([{ amount: 10.5 }, { amount: null }, { amount: 2 }], "amount")).toBe(12.5);
  });
});
