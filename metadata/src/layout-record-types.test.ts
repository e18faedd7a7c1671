// Record types in layouts: the detail a record is shown with, the shipped lead templates, and variants following
// their object when fields are renamed, dropped or lose options.
import { beforeAll, describe, expect, it } from "vitest";
import type { FieldSection, LayoutDefinition } from "./layout";
import { fitLayout, renameLayoutFields } from "./layout-prune";
import { detailLayoutFor } from "./layout-record-types";
import { loadPackFolder, standardPackDir } from "./load";
import { formatIssues, validateModel } from "./validate";
import type { ObjectDefinition, PackDocument } from "./types";

let standard: PackDocument;

beforeAll(async () => {
  standard = await loadPackFolder(standardPackDir);
});

const leadLayout = (): LayoutDefinition => structuredClone(standard.layouts!.find((layout) => layout.object === "lead")!);
const leadObject = (): ObjectDefinition => structuredClone(standard.objects.find((object) => object.name === "lead")!);
const withLead = (lead: ObjectDefinition) => standard.objects.map((object) => (object.name === "lead" ? lead : object));
const placedFields = (layout: { sections: LayoutDefinition["detail"]["sections"] }) =>
  layout.sections.flatMap((section) => ("fields" in section ? section.fields.map((cell) => cell.field) : []));
const layoutIssues = (layout: LayoutDefinition, objects: ObjectDefinition[]) =>
  formatIssues(validateModel({ objects, optionSets: standard.optionSets, layouts: [layout] }).filter((issue) => issue.document?.startsWith("layouts/")));

describe("detailLayoutFor", () => {
  const detail = { sections: [{ name: "basic", label: { "zh-CN": "基本", en: "Basic" }, fields: [{ field: "name", x: 0, y: 0, w: 6, h: 1 }] }] };
  const trade = { sections: [{ name: "show", label: { "zh-CN": "展会", en: "Show" }, fields: [{ field: "booth", x: 0, y: 0, w: 6, h: 1 }] }] };
  const web = { sections: [{ name: "web", label: { "zh-CN": "网站", en: "Web" }, fields: [{ field: "url", x: 0, y: 0, w: 6, h: 1 }] }] };
  const layout = {
    detail,
    recordTypes: { field: "kind", variants: [{ values: ["exhibition", "fair"], detail: trade }, { values: ["website"], detail: web }] },
  };

  it("answers the variant listing the record's type, whichever of its values it is", () => {
    expect(detailLayoutFor(layout, { kind: "exhibition" })).toBe(trade);
    expect(detailLayoutFor(layout, { kind: "fair" })).toBe(trade);
    expect(detailLayoutFor(layout, { kind: "website", name: "x" })).toBe(web);
  });

  it("answers the layout's own detail without a type, with a type no variant lists, or without record types", () => {
    expect(detailLayoutFor(layout, {})).toBe(detail);
    expect(detailLayoutFor(layout, { kind: null })).toBe(detail);
    expect(detailLayoutFor(layout, { kind: "phone" })).toBe(detail);
    expect(detailLayoutFor(layout, { kind: ["website"] })).toBe(detail);
    expect(detailLayoutFor({ detail }, { kind: "website" })).toBe(detail);
  });
});

describe("the shipped lead layout", () => {
  it("shows 商机线索 with the requirement and its amount, 客户线索 with the company; both with the source", () => {
    const layout = leadLayout();
    const opportunity = detailLayoutFor(layout, { lead_type: "opportunity" });
    const customer = detailLayoutFor(layout, { lead_type: "customer" });
    expect(customer).toBe(layout.detail);
    expect(placedFields(opportunity)).toEqual(expect.arrayContaining(["requirement", "estimated_amount", "expected_close_date", "product_line"]));
    expect(placedFields(opportunity)).not.toContain("website");
    expect(placedFields(customer)).toEqual(expect.arrayContaining(["industry", "website", "region", "title"]));
    expect(placedFields(customer)).not.toContain("requirement");
    for (const template of [customer, opportunity]) expect(placedFields(template)).toEqual(expect.arrayContaining(["source", "campaign_id", "referrer"]));
    expect(opportunity.related!.map((tab) => tab.relation)).toEqual(["activity", "opportunity"]);
    expect(customer.related!.map((tab) => tab.relation)).toEqual(["activity", "customer"]);
  });
});

describe("record types following their object", () => {
  it("drop a field removed from the object from every variant, and keep the rest", () => {
    const lead = leadObject();
    lead.fields = lead.fields.filter((field) => field.name !== "requirement" && field.name !== "referrer");
    const fitted = fitLayout(leadLayout(), withLead(lead))!;
    const opportunity = fitted.recordTypes!.variants[0].detail;
    expect(placedFields(opportunity)).toEqual(expect.arrayContaining(["estimated_amount", "expected_close_date"]));
    expect(JSON.stringify(fitted)).not.toContain('"field":"requirement"');
    expect(JSON.stringify(fitted)).not.toContain('"field":"referrer"');
    expect(layoutIssues(fitted, withLead(lead))).toEqual([]);
  });

  it("drop a variant left without a section, and the record types when no variant is left", () => {
    const layout = leadLayout();
    const only = { name: "demand", label: { "zh-CN": "需求", en: "Demand" }, fields: [{ field: "requirement", x: 0, y: 0, w: 12, h: 3 }] };
    layout.recordTypes!.variants.push({ values: ["customer"], detail: { sections: [only] } });
    const lead = leadObject();
    lead.fields = lead.fields.filter((field) => field.name !== "requirement");
    const fitted = fitLayout(layout, withLead(lead))!;
    expect(fitted.recordTypes!.variants.map((variant) => variant.values)).toEqual([["opportunity"]]);

    const withoutType = leadObject();
    withoutType.fields = withoutType.fields.filter((field) => field.name !== "lead_type");
    const untyped = fitLayout(leadLayout(), withLead(withoutType))!;
    expect(untyped.recordTypes).toBeUndefined();
    expect(untyped.detail.sections.map((section) => section.name)).toEqual(leadLayout().detail.sections.map((section) => section.name));
    expect(layoutIssues(untyped, withLead(withoutType))).toEqual([]);
  });

  it("drop values no longer among the type field's options, and the record types when the field stops being a single picklist", () => {
    const layout = leadLayout();
    layout.recordTypes!.variants[0].values = ["opportunity", "customer"];
    const lead = leadObject();
    const type = lead.fields.find((field) => field.name === "lead_type")!;
    type.options = type.options!.filter((option) => (typeof option === "string" ? option : option.value) !== "customer");
    type.default = "opportunity";
    const fitted = fitLayout(layout, withLead(lead))!;
    expect(fitted.recordTypes!.variants[0].values).toEqual(["opportunity"]);

    const retyped = leadObject();
    retyped.fields = retyped.fields.map((field) => (field.name === "lead_type" ? { ...field, type: "multi_picklist" as const, default: undefined } : field));
    expect(fitLayout(leadLayout(), withLead(retyped))!.recordTypes).toBeUndefined();
  });

  it("follow a renamed field, the type field included, before pruning", () => {
    const lead = leadObject();
    const newNames: Record<string, string> = { lead_type: "kind", requirement: "needs", estimated_amount: "budget" };
    lead.fields = lead.fields.map((field) => (newNames[field.name] ? { ...field, name: newNames[field.name] } : field));
    lead.actions = [];
    const renamed = renameLayoutFields(leadLayout(), new Map(Object.entries(newNames)), lead);
    const fitted = fitLayout(renamed, withLead(lead))!;
    expect(fitted.recordTypes!.field).toBe("kind");
    expect(placedFields(fitted.recordTypes!.variants[0].detail)).toEqual(expect.arrayContaining(["needs", "budget", "expected_close_date"]));
    expect(fitted.list.columns.map((column) => column.field)).toContain("kind");
    expect(fitted.list.quickFilters).toContain("kind");
    expect(placedFields(fitted.detail)).toContain("kind");
    expect(layoutIssues(fitted, withLead(lead))).toEqual([]);
    // Without following the rename, pruning takes the type field for a dropped one and the templates are lost.
    expect(fitLayout(leadLayout(), withLead(lead))!.recordTypes).toBeUndefined();
  });

  it("rename lines sections and related lists named after a renamed master_detail field", () => {
    const quote = structuredClone(standard.objects.find((object) => object.name === "quote")!);
    const layout = structuredClone(standard.layouts!.find((candidate) => candidate.object === "quote")!);
    layout.detail.related = [{ relation: "lines", label: { "zh-CN": "明细", en: "Lines" }, columns: ["inventory_id"] }];
    quote.fields = quote.fields.map((field) => (field.name === "lines" ? { ...field, name: "items" } : field));
    const renamed = renameLayoutFields(layout, new Map([["lines", "items"]]), quote);
    const lines = renamed.detail.sections.find((section) => section.kind === "lines");
    expect(lines).toMatchObject({ field: "items" });
    expect(renamed.detail.related![0].relation).toBe("items");
    expect(renamed.print![0].lines!.field).toBe("items");
    expect((renamed.detail.sections[0] as FieldSection).fields).toEqual((layout.detail.sections[0] as FieldSection).fields);
  });
});
