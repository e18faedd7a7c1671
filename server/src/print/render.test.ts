// The print page as pure HTML: labels, lookups by name, escaping, sums without float drift, capitals, locales.
import { describe, expect, it } from "vitest";
import type { FieldDefinition, PrintTemplate } from "@crm/metadata";
import { formatNumber, formatValue } from "./format";
import { escapeHtml, renderPrintHtml, type PrintInput } from "./render";

const L = (zh: string, en: string) => ({ "zh-CN": zh, en });
const f = (name: string, type: FieldDefinition["type"], zh: string, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({ name, type, label: L(zh, name), ...extra });
const fields = (list: FieldDefinition[]) => new Map(list.map((field) => [field.name, field]));

const template: PrintTemplate = {
  name: "order",
  label: L("销售订单", "Sales order"),
  title: L("销售订单", "Sales order"),
  header: ["number", "customer_id", "status", "owner_id"],
  lines: { field: "lines", columns: ["item", "quantity", "amount"], sum: ["quantity", "amount"] },
  totals: [{ field: "total", capitals: true }],
  notes: ["remark"],
  signatures: [L("供方（盖章）", "Supplier (seal)")],
};

const input = (overrides: Partial<PrintInput> = {}): PrintInput => ({
  template,
  object: {
    label: L("销售订单", "Sales order"),
    fields: fields([
      f("number", "auto_number", "订单号"),
      f("customer_id", "lookup", "客户", { target: "customer" }),
      f("status", "picklist", "状态", { options: [{ value: "approved", label: L("已审核", "Approved") }] }),
      f("total", "amount", "订单金额"),
      f("remark", "textarea", "备注"),
    ]),
  },
  lineObject: { label: L("明细", "Lines"), fields: fields([f("item", "text", "品名"), f("quantity", "decimal", "数量", { scale: 1 }), f("amount", "amount", "金额")]) },
  record: { number: "SO-1", customer_id: "c1", status: "approved", owner_id: "e1", total: 0.3, remark: "<script>alert(1)</script>" },
  lines: [
    { item: "A & B", quantity: 1, amount: 0.1 },
    { item: "C", quantity: 2, amount: 0.2 },
  ],
  format: { locale: "zh-CN", optionSets: new Map(), displayNames: new Map([["c1", "华彩"], ["e1", "王磊"]]) },
  printedBy: "王磊",
  printedAt: new Date("2025-03-01T16:30:00Z"),
  ...overrides,
});

describe("renderPrintHtml", () => {
  it("prints labels, option labels and the names of referenced records (platform fields included)", () => {
    const html = renderPrintHtml(input());
    expect(html).toContain("<h1>销售订单</h1>");
    expect(html).toContain("客户：</td><td>华彩</td>");
    expect(html).toContain("状态：</td><td>已审核</td>");
    expect(html).toContain("负责员工：</td><td>王磊</td>");
  });

  it("escapes every value", () => {
    const html = renderPrintHtml(input());
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(html).toContain("<td>A &#38; B</td>");
  });

  it("sums line columns exactly and writes the total in capitals and figures", () => {
    const html = renderPrintHtml(input());
    expect(html).toContain('<td class="number">3.0</td><td class="number">¥0.30</td></tr></tbody>');
    expect(html).toContain("叁角");
    expect(html).toContain("¥0.30");
  });

  it("uses English labels with the en locale; times in China time", () => {
    const html = renderPrintHtml(input({ format: { ...input().format, locale: "en" } }));
    expect(html).toContain("<h1>Sales order</h1>");
    expect(html).toContain("status：</td>");
    expect(html).toContain("Approved");
    expect(html).toContain("Printed at：2025-03-02 00:30");
  });

  it("prints an unreachable lookup as blank, never as its id", () => {
    const html = renderPrintHtml(input({ format: { ...input().format, displayNames: new Map() } }));
    expect(html).toContain("客户：</td><td></td>");
    expect(html).not.toContain("c1");
  });
});

describe("formatting", () => {
  it.each([
    [1234567.5, 2, "1,234,567.50"],
    [-1234.567, 2, "-1,234.57"],
    [-0.001, 2, "0.00"],
    [999, 0, "999"],
  ])("formatNumber(%s, %s) = %s", (value, scale, expected) => {
    expect(formatNumber(value, scale)).toBe(expected);
  });

  it("formats percent, booleans and addresses", () => {
    const context = input().format;
    expect(formatValue(f("p", "percent", "比例", { scale: 0 }), 15, context)).toBe("15%");
    expect(formatValue(f("b", "boolean", "是否"), false, context)).toBe("否");
    expect(formatValue(f("a", "address", "地址"), { province: "上海市", city: "上海市", street: "中山路 1 号" }, context)).toBe("上海市 上海市 中山路 1 号");
    expect(escapeHtml(`"'`)).toBe("&#34;&#39;");
  });
});
