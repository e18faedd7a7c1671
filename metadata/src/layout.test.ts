// Layout documents: schema and cross checks with JSON paths, every shipped layout valid, defaults and pruning valid.
import { beforeAll, describe, expect, it } from "vitest";
import { loadPackFolder, standardPackDir } from "./load";
import { distributionPackDir } from "@crm/seeds";
import { defaultLayout } from "./default-layout";
import type { LayoutDefinition } from "./layout";
import { fitLayout } from "./layout-prune";
import { formatIssues, validateModel } from "./validate";
import type { MetadataIssue, ObjectDefinition, PackDocument } from "./types";

let standard: PackDocument;
let distribution: PackDocument;
let objects: ObjectDefinition[];

beforeAll(async () => {
  [standard, distribution] = await Promise.all([loadPackFolder(standardPackDir), loadPackFolder(distributionPackDir)]);
  objects = [...standard.objects, ...distribution.objects];
});

const shipped = (object: string): LayoutDefinition => {
  const layout = [...(standard.layouts ?? []), ...(distribution.layouts ?? [])].find((candidate) => candidate.object === object);
  if (!layout) throw new Error(`no layout for ${object}`);
  return structuredClone(layout);
};

const validateLayouts = (layouts: unknown[], model = objects): MetadataIssue[] =>
  validateModel({ objects: model, optionSets: [...standard.optionSets, ...distribution.optionSets], layouts });

const where = (issues: MetadataIssue[]) => issues.map((issue) => `${issue.document} ${issue.path}`);

type Case = [description: string, object: string, breakIt: (layout: LayoutDefinition & Record<string, any>) => void, expected: string[]];

const cases: Case[] = [
  // schema
  ["missing list", "customer", (l) => delete (l as Partial<LayoutDefinition>).list, ["layouts/customer /list"]],
  ["unknown top-level key", "customer", (l) => (l.views = []), ["layouts/customer /views"]],
  ["no list columns", "customer", (l) => (l.list.columns = []), ["layouts/customer /list/columns"]],
  ["label without English", "customer", (l) => (l.detail.sections[0] as any).label = { "zh-CN": "基本信息" }, ["layouts/customer /detail/sections/0/label/en"]],
  ["grid x past the last column", "customer", (l) => ((l.detail.sections[0] as any).fields[0].x = 12), ["layouts/customer /detail/sections/0/fields/0/x"]],
  ["zero-width cell", "customer", (l) => ((l.detail.sections[0] as any).fields[0].w = 0), ["layouts/customer /detail/sections/0/fields/0/w"]],
  ["lines section without columns", "quote", (l) => ((l.detail.sections[1] as any).columns = []), ["layouts/quote /detail/sections/1/columns"]],
  ["malformed sort", "customer", (l) => (l.list.defaultSort = "name desc"), ["layouts/customer /list/defaultSort"]],
  // cross checks
  ["unknown object", "customer", (l) => (l.object = "customr"), ["layouts/customr /object"]],
  ["unknown list column", "customer", (l) => l.list.columns.push({ field: "nickname" }), ["layouts/customer /list/columns/8"]],
  ["deleted_at as a column", "customer", (l) => l.list.columns.push({ field: "deleted_at" }), ["layouts/customer /list/columns/8"]],
  ["duplicate list column", "customer", (l) => l.list.columns.push({ field: "name" }), ["layouts/customer /list/columns/8/field"]],
  ["unknown sort field", "customer", (l) => (l.list.defaultSort = "-created_at,rank"), ["layouts/customer /list/defaultSort"]],
  ["unknown quick filter", "customer", (l) => l.list.quickFilters!.push("grade"), ["layouts/customer /list/quickFilters/4"]],
  ["address as a quick filter", "customer", (l) => l.list.quickFilters!.push("region"), ["layouts/customer /list/quickFilters/4"]],
  ["unknown section field", "customer", (l) => ((l.detail.sections[0] as any).fields[0].field = "nickname"), ["layouts/customer /detail/sections/0/fields/0"]],
  ["master_detail field in a grid", "quote", (l) => ((l.detail.sections[0] as any).fields[0].field = "lines"), ["layouts/quote /detail/sections/0/fields/0"]],
  [
    "cell past the grid's right edge",
    "customer",
    (l) => Object.assign((l.detail.sections[0] as any).fields[1], { x: 8, w: 6 }),
    ["layouts/customer /detail/sections/0/fields/1/w"],
  ],
  [
    "overlapping cells",
    "customer",
    (l) => Object.assign((l.detail.sections[0] as any).fields[1], { x: 3 }),
    ["layouts/customer /detail/sections/0/fields/1"],
  ],
  [
    "a field placed twice",
    "customer",
    (l) => (l.detail.sections[1] as any).fields.push({ field: "name", x: 0, y: 40, w: 6, h: 1 }),
    ["layouts/customer /detail/sections/1/fields/5/field"],
  ],
  ["duplicate section name", "customer", (l) => (l.detail.sections[1].name = "basic"), ["layouts/customer /detail/sections/1/name"]],
  ["lines of a field that is not master_detail", "quote", (l) => ((l.detail.sections[1] as any).field = "remark"), ["layouts/quote /detail/sections/1/field"]],
  ["unknown line column", "quote", (l) => (l.detail.sections[1] as any).columns.push("colour"), ["layouts/quote /detail/sections/1/columns/5"]],
  ["unknown relation", "customer", (l) => (l.detail.related![0].relation = "contacts"), ["layouts/customer /detail/related/0/relation"]],
  ["column not on the related object", "customer", (l) => l.detail.related![0].columns.push("total_amount"), ["layouts/customer /detail/related/0/columns/5"]],
  ["relation by its full name", "customer", (l) => (l.detail.related![0].relation = "contact.customer_id"), []],
  ["unknown print header field", "quote", (l) => l.print![0].header.push("tax"), ["layouts/quote /print/0/header/6"]],
  ["non-numeric total", "quote", (l) => l.print![0].totals!.push({ field: "status" }), ["layouts/quote /print/0/totals/1/field"]],
  ["sum of a column not printed", "quote", (l) => l.print![0].lines!.sum!.push("discount_x"), ["layouts/quote /print/0/lines/sum/1"]],
  ["duplicate template name", "quote", (l) => l.print!.push(structuredClone(l.print![0])), ["layouts/quote /print/1/name"]],
  // record types: schema
  ["record type variant without values", "lead", (l) => (l.recordTypes!.variants[0].values = []), ["layouts/lead /recordTypes/variants/0/values"]],
  ["record type value twice in one variant", "lead", (l) => l.recordTypes!.variants[0].values.push("opportunity"), ["layouts/lead /recordTypes/variants/0/values"]],
  ["unknown key in a variant", "lead", (l) => ((l.recordTypes!.variants[0] as any).print = []), ["layouts/lead /recordTypes/variants/0/print"]],
  ["variant detail without sections", "lead", (l) => (l.recordTypes!.variants[0].detail.sections = []), ["layouts/lead /recordTypes/variants/0/detail/sections"]],
  ["variant cell past the last column (schema)", "lead", (l) => ((l.recordTypes!.variants[0].detail.sections[0] as any).fields[0].x = 12), ["layouts/lead /recordTypes/variants/0/detail/sections/0/fields/0/x"]],
  // record types: cross checks
  ["record type field unknown", "lead", (l) => (l.recordTypes!.field = "kind"), ["layouts/lead /recordTypes/field"]],
  ["record type field not a picklist", "lead", (l) => (l.recordTypes!.field = "company"), ["layouts/lead /recordTypes/field"]],
  ["record type field a platform field", "lead", (l) => (l.recordTypes!.field = "owner_id"), ["layouts/lead /recordTypes/field"]],
  ["record type value not an option", "lead", (l) => l.recordTypes!.variants[0].values.push("partner"), ["layouts/lead /recordTypes/variants/0/values/1"]],
  [
    "record type value in two variants",
    "lead",
    (l) => l.recordTypes!.variants.push({ values: ["customer", "opportunity"], detail: structuredClone(l.detail) }),
    ["layouts/lead /recordTypes/variants/1/values/1"],
  ],
  [
    "record types on an option set picklist: its values are the options",
    "lead",
    (l) => (l.recordTypes = { field: "source", variants: [{ values: ["exhibition", "fax"], detail: l.recordTypes!.variants[0].detail }] }),
    ["layouts/lead /recordTypes/variants/0/values/1"],
  ],
  [
    "record types on a multi-select picklist",
    "customer",
    (l) => (l.recordTypes = { field: "product_lines", variants: [{ values: ["coatings"], detail: structuredClone(l.detail) }] }),
    ["layouts/customer /recordTypes/field"],
  ],
  ["variant unknown section field", "lead", (l) => ((l.recordTypes!.variants[0].detail.sections[1] as any).fields[0].field = "budget"), ["layouts/lead /recordTypes/variants/0/detail/sections/1/fields/0"]],
  ["variant overlapping cells", "lead", (l) => Object.assign((l.recordTypes!.variants[0].detail.sections[0] as any).fields[1], { x: 3 }), ["layouts/lead /recordTypes/variants/0/detail/sections/0/fields/1"]],
  ["variant duplicate section name", "lead", (l) => (l.recordTypes!.variants[0].detail.sections[1].name = "basic"), ["layouts/lead /recordTypes/variants/0/detail/sections/1/name"]],
  ["variant unknown relation", "lead", (l) => (l.recordTypes!.variants[0].detail.related![0].relation = "quote"), ["layouts/lead /recordTypes/variants/0/detail/related/0/relation"]],
  // a field placed in the detail and in a variant is placed once per template
  ["the same field in detail and in a variant", "lead", (l) => (l.recordTypes!.variants[0].detail = structuredClone(l.detail)), []],
];

describe("layout validation", () => {
  it.each(cases)("%s", (_description, object, breakIt, expected) => {
    const layout = shipped(object);
    breakIt(layout);
    const issues = validateLayouts([layout]);
    expect(where(issues)).toEqual(expected);
    for (const { message } of issues) {
      expect(message["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
      expect(message.en).not.toBe("");
    }
  });

  it("refuses two layouts of one object", () => {
    expect(where(validateLayouts([shipped("customer"), shipped("customer")]))).toEqual(["layouts/customer /object"]);
  });
});

describe("shipped layouts", () => {
  it("cover every object of the standard and distribution packs, one file each", () => {
    const layouts = [...(standard.layouts ?? []), ...(distribution.layouts ?? [])];
    expect(layouts.map((layout) => layout.object).sort()).toEqual(objects.map((object) => object.name).sort());
  });

  it("validate: the standard pack on its own, and with the distribution pack", () => {
    const alone = validateModel({ objects: standard.objects, optionSets: standard.optionSets, layouts: standard.layouts });
    expect(formatIssues(alone)).toEqual([]);
    const both = validateModel({
      objects,
      optionSets: [...standard.optionSets, ...distribution.optionSets],
      roles: distribution.roles,
      grantRules: distribution.grantRules,
      workflows: [...(standard.workflows ?? []), ...(distribution.workflows ?? [])],
      layouts: [...(standard.layouts ?? []), ...(distribution.layouts ?? [])],
    });
    expect(formatIssues(both)).toEqual([]);
  });

  it("give quote, sales order, contract and 样品借用 print templates; amounts in capitals", () => {
    for (const name of ["quote", "sales_order", "contract"]) {
      const [template] = shipped(name).print ?? [];
      expect(template?.totals).toEqual([{ field: "total_amount", capitals: true }]);
      expect(template?.lines?.field).toBe("lines");
    }
    expect(shipped("sample_loan").print?.[0].lines?.columns).toEqual(["inventory_id", "loaned_quantity", "returned_quantity"]);
  });

  it("put customer contacts, activities, opportunities and orders in related tabs", () => {
    const relations = shipped("customer").detail.related!.map((tab) => tab.relation);
    expect(relations).toEqual(expect.arrayContaining(["contact", "activity", "opportunity", "sales_order"]));
  });
});

describe("defaultLayout", () => {
  it("is valid for every object", () => {
    const layouts = objects.map((object) => defaultLayout(object, objects));
    expect(formatIssues(validateLayouts(layouts))).toEqual([]);
  });

  it("lays an object out from its fields: number first, long texts full width, lines, system last", () => {
    const layout = defaultLayout(objects.find((object) => object.name === "quote")!, objects);
    expect(layout.list.columns[0]).toEqual({ field: "number", width: 160 });
    expect(layout.list.quickFilters).toEqual(["status", "owner_id"]);
    expect(layout.detail.sections.map((section) => section.name)).toEqual(["basic", "details", "lines", "system"]);
    expect(layout.detail.sections[1]).toMatchObject({ fields: [{ field: "remark", x: 0, w: 12, h: 2 }] });
    expect(layout.detail.sections[2]).toEqual({ name: "lines", kind: "lines", field: "lines", columns: ["inventory_id", "quantity", "unit_price", "discount", "amount"] });
  });
});

describe("fitLayout", () => {
  it("drops a field removed from the object everywhere it appears, and keeps the rest", () => {
    const without = objects.map((object) =>
      object.name === "quote" ? { ...object, fields: object.fields.filter((field) => field.name !== "valid_until" && field.name !== "remark") } : object,
    );
    const fitted = fitLayout(shipped("quote"), without)!;
    const text = JSON.stringify(fitted);
    expect(text).not.toContain("valid_until");
    expect(text).not.toContain('"remark"');
    expect(fitted.print![0].header).toEqual(["number", "quote_date", "customer_id", "contact_id", "owner_id"]);
    // (the object's own rule on valid_until breaks too: only the layout is under test here)
    const layoutIssues = validateLayouts([fitted], without).filter((issue) => issue.document?.startsWith("layouts/"));
    expect(formatIssues(layoutIssues)).toEqual([]);
  });

  it("falls back to the default layout when what is left would still be invalid", () => {
    const retyped = objects.map((object) =>
      object.name === "quote" ? { ...object, fields: object.fields.map((field) => (field.name === "total_amount" ? { ...field, type: "text" as const } : field)) } : object,
    );
    const fitted = fitLayout(shipped("quote"), retyped)!;
    expect(fitted).toEqual(defaultLayout(retyped.find((object) => object.name === "quote")!, retyped));
  });
});
