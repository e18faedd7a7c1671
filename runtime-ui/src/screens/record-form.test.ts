import { describe, expect, it } from "vitest";
import type { FieldDefinition } from "../api/types";
import type { ScreenField } from "../layout/fields";
import { initialValues, placeErrors, prefilledValues, saveBody } from "./record-form";

const field = (definition: Partial<FieldDefinition> & { name: string }, readOnly = false): [string, ScreenField] => [
  definition.name,
  { definition: { type: "text", label: { "zh-CN": definition.name, en: definition.name }, ...definition }, system: false, readOnly, serverFilled: false },
];
const fields = new Map([
  field({ name: "name" }),
  field({ name: "status", type: "picklist", default: "potential" }),
  field({ name: "code", type: "auto_number" }, true),
  field({ name: "lines", type: "master_detail", target: "order_line" }),
]);
const zh = (label: { "zh-CN": string }) => label["zh-CN"];

describe("saveBody", () => {
  it("sends every filled writable field when creating", () => {
    expect(saveBody({ fields, values: { name: "甲公司", status: null, code: "C-1" }, original: null })).toEqual({ name: "甲公司" });
  });

  it("sends only changed writable fields and the version when updating", () => {
    const original = { id: "1", version: 3, name: "甲公司", status: "potential", lines: [{ id: "l1", quantity: 1 }] };
    const values = { ...original, name: "乙公司", lines: [{ id: "l1", quantity: 2 }] };
    expect(saveBody({ fields, values, original })).toEqual({ name: "乙公司", lines: [{ id: "l1", quantity: 2 }], version: 3 });
  });
});

describe("initialValues", () => {
  it("takes literal defaults only", () => {
    const withExpression = new Map([...fields, field({ name: "due", type: "date", default: { expression: { var: "today" } } })]);
    expect(initialValues(withExpression)).toEqual({ status: "potential" });
  });
});

describe("placeErrors", () => {
  it("puts each server error on its field, line cell, or the general list", () => {
    const placed = placeErrors(
      [
        { path: "/name", message: { "zh-CN": "必填", en: "required" } },
        { path: "/lines/1/quantity", message: "must be > 0" },
        { path: "/", message: { "zh-CN": "不满足业务规则", en: "rule" } },
        { path: "/bank_account", message: { "zh-CN": "无权修改", en: "forbidden" } },
      ],
      fields,
      zh,
    );
    expect(placed.fields).toEqual(new Map([["name", ["必填"]]]));
    expect(placed.lines).toEqual(new Map([["lines", new Map([["1/quantity", "must be > 0"]])]]));
    expect(placed.general).toEqual(["不满足业务规则", "无权修改"]);
  });
});

describe("prefilledValues", () => {
  const pickers = new Map([
    field({ name: "customer_id", type: "lookup", target: "customer" }),
    field({ name: "owner_id", type: "employee", target: "employee" }, true),
    field({ name: "related_employee_ids", type: "employee", target: "employee" }),
    field({ name: "name" }),
  ]);
  const id = "44e2cf4a-e912-4f23-95b3-b310c321bcb4";

  it("fills a writable single lookup from a new-record link", () => {
    expect(prefilledValues(`?customer_id=${id}`, pickers)).toEqual({ customer_id: id });
  });

  it("ignores read-only, multi-valued, non-lookup, unknown fields and values that are not record ids", () => {
    const search = `?owner_id=${id}&related_employee_ids=${id}&name=x&bank_account=${id}&customer_id=1%20or%201`;
    expect(prefilledValues(search, pickers)).toEqual({});
  });
});
