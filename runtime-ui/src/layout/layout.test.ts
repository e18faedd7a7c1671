import { describe, expect, it } from "vitest";
import type { ObjectDescribe } from "../api/types";
import { detailLayoutFor, layoutOf } from "./default-layout";
import { screenFields } from "./fields";
import type { ObjectLayout } from "./layout-types";

const label = (text: string) => ({ "zh-CN": text, en: text });
const quote = {
  name: "quote",
  label: label("报价单"),
  module: "sales",
  fields: [
    { name: "name", type: "text", label: label("名称") },
    { name: "kind", type: "picklist", options: ["standard", "project"], label: label("类型") },
    { name: "total_amount", type: "amount", label: label("合计") },
  ],
  rollups: [{ field: "total_amount", from: "lines", aggregate: "sum", of: "amount" }],
  access: { actions: ["view", "create", "edit", "print"], hidden: [], readOnly: [] },
  systemFields: ["owner_id"],
  parent: null,
  relations: [],
  modelVersion: 1,
} as unknown as ObjectDescribe;

const projectDetail = { sections: [{ name: "project", label: label("项目"), fields: [{ field: "name", x: 0, y: 0, w: 12, h: 1 }] }] };
const sent: ObjectLayout = {
  object: "quote",
  list: { columns: [{ field: "name" }] },
  detail: { sections: [{ name: "basic", label: label("基本"), fields: [{ field: "kind", x: 0, y: 0, w: 6, h: 1 }] }] },
  recordTypes: { field: "kind", variants: [{ values: ["project"], detail: projectDetail }] },
  print: [{ name: "quotation", label: label("报价单"), title: label("报价单"), header: ["name"] }],
};

describe("layoutOf", () => {
  it("keeps the record types and print templates the server sent", () => {
    const layout = layoutOf({ ...quote, layout: sent }, [quote]);
    expect(layout.recordTypes).toEqual(sent.recordTypes);
    expect(layout.print?.map((template) => template.name)).toEqual(["quotation"]);
  });

  it("lays a record out by its type's template, and others by the layout's own", () => {
    const layout = layoutOf({ ...quote, layout: sent }, [quote]);
    expect(detailLayoutFor(layout, { kind: "project" })).toBe(projectDetail);
    expect(detailLayoutFor(layout, { kind: "standard" })).toBe(layout.detail);
    expect(detailLayoutFor(layout, {})).toBe(layout.detail);
  });
});

describe("screenFields", () => {
  it("treats roll-ups like formulas: filled by the server, never typed", () => {
    const fields = screenFields(quote, true);
    expect(fields.get("total_amount")).toMatchObject({ readOnly: true, serverFilled: true });
    expect(fields.get("name")).toMatchObject({ readOnly: false, serverFilled: false });
  });
});
