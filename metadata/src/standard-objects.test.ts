// The standard pack (metadata/ itself) loads, validates cleanly, is written in canonical form, and keeps its field names.
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import jsonLogic, { type RulesLogic } from "json-logic-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalObject, canonicalOptionSet, canonicalPackManifest, canonicalRole } from "./canonical";
import { loadPackFolder, standardPackDir } from "./load";
import type { ObjectDefinition, PackDocument } from "./types";
import { formatIssues, validateModel, validatePackManifest } from "./validate";

let pack: PackDocument;
beforeAll(async () => {
  pack = await loadPackFolder(standardPackDir);
});

const objectNamed = (name: string): ObjectDefinition => {
  const object = pack.objects.find((o) => o.name === name);
  if (!object) throw new Error(`no standard object ${name}`);
  return object;
};

/** Evaluates json-logic as written in the metadata (the server's engine adds SQL-like null comparisons). */
const apply = (expression: unknown, record: Record<string, unknown>): unknown => jsonLogic.apply(expression as RulesLogic, record);

/** The names of the object's validation rules a record breaks. */
const brokenRules = (name: string, record: Record<string, unknown>): string[] =>
  (objectNamed(name).validationRules ?? []).filter((rule) => !jsonLogic.truthy(apply(rule.expression, record))).map((rule) => rule.name);

/** The api names other code (server, seeds, UI) relies on; changing one is a breaking change. */
const expectedFields: Record<string, string[]> = {
  activity: [
    "subject", "activity_type", "status", "start_at", "end_at", "customer_id", "contact_id", "lead_id", "opportunity_id",
    "plan", "result", "campaign_id",
  ],
  campaign: [
    "name", "campaign_type", "status", "product_line", "start_date", "end_date", "budget", "actual_cost", "expected_response",
    "description",
  ],
  competitor: ["name", "product_lines", "website", "strengths", "weaknesses", "remark"],
  contact: ["customer_id", "name", "title", "department_name", "mobile", "phone", "email", "birthday", "gender", "is_primary", "remark"],
  contract: [
    "number", "name", "customer_id", "contact_id", "opportunity_id", "quote_id", "sign_date", "start_date", "end_date", "status",
    "total_amount", "payment_terms", "remark", "lines",
  ],
  contract_line: ["inventory_id", "quantity", "unit_price", "amount"],
  customer: [
    "code", "name", "short_name", "status", "category", "industry", "region", "phone", "email", "website", "tax_number",
    "bank_name", "bank_account", "credit_limit", "ship_to_address", "last_transaction_date", "new_product_categories",
    "product_lines", "source_lead_id", "remark",
  ],
  customer_asset: [
    "name", "customer_id", "inventory_id", "serial_number", "sales_order_id", "purchase_date", "warranty_until", "status", "remark",
  ],
  customer_category: ["code", "name", "band", "min_annual_sales", "remark"],
  department: ["code", "name", "parent_department_id", "department_type", "is_virtual", "manager_id", "phone", "remark"],
  employee: [
    "code", "name", "gender", "department_id", "title", "mobile", "email", "hire_date", "is_salesperson",
    "crm_login_enabled", "credit_limit", "training_notes",
  ],
  expense_request: [
    "number", "customer_id", "contact_id", "opportunity_id", "activity_id", "expense_type", "amount", "expense_date", "purpose",
    "status",
  ],
  industry: ["code", "name", "remark"],
  inventory: ["code", "name", "specification", "unit", "product_line", "new_product_category", "list_price", "active"],
  knowledge_article: ["title", "category", "product_line", "keywords", "content", "status"],
  lead: [
    "name", "company", "title", "lead_type", "source", "campaign_id", "referrer", "status", "mobile", "email", "website", "industry",
    "region", "product_line", "requirement", "estimated_amount", "expected_close_date", "remark",
    "converted_customer_id", "converted_contact_id", "converted_opportunity_id", "converted_at",
  ],
  opportunity: [
    "number", "name", "customer_id", "contact_id", "product_line", "stage", "amount", "probability", "weighted_amount",
    "expected_close_date", "source_lead_id", "lost_reason", "remark", "influencers", "competitors",
  ],
  opportunity_competitor: ["competitor_id", "threat_level", "notes"],
  opportunity_influencer: ["contact_id", "role", "attitude", "notes"],
  outbound: [
    "number", "customer_id", "sales_order_id", "shipment_id", "outbound_date", "warehouse", "status", "total_amount", "remark", "lines",
  ],
  outbound_line: ["inventory_id", "quantity"],
  price: ["price_type", "inventory_id", "customer_id", "salesperson_id", "unit_price", "valid_from", "valid_to"],
  product_line: ["code", "name", "remark"],
  questionnaire: ["title", "campaign_id", "status", "description", "questions"],
  questionnaire_response: ["questionnaire_id", "customer_id", "contact_id", "responded_at", "answers", "score"],
  quote: [
    "number", "customer_id", "contact_id", "opportunity_id", "quote_date", "valid_until", "status", "total_amount", "remark", "lines",
  ],
  quote_line: ["inventory_id", "quantity", "unit_price", "discount", "amount"],
  receipt: ["number", "customer_id", "sales_order_id", "receipt_date", "amount", "settlement_method", "status", "remark"],
  region: ["code", "name", "parent_region_id", "remark"],
  resource: ["name", "resource_type", "available", "description"],
  sales_order: [
    "number", "customer_id", "contact_id", "opportunity_id", "order_date", "delivery_date", "status", "sales_type", "involves_new_product",
    "total_amount", "remark", "lines", "quote_id", "contract_id",
  ],
  sales_order_line: ["inventory_id", "quantity", "unit_price", "amount"],
  service_plan: [
    "name", "customer_id", "asset_id", "plan_type", "frequency", "start_date", "end_date", "next_service_date", "status", "description",
  ],
  service_request: [
    "number", "subject", "customer_id", "contact_id", "asset_id", "request_type", "channel", "priority", "status", "reported_at",
    "description", "resolution", "resolved_at",
  ],
  shipment: [
    "number", "customer_id", "sales_order_id", "shipment_date", "status", "total_amount", "ship_to_address", "remark", "lines",
  ],
  shipment_line: ["inventory_id", "quantity", "unit_price", "amount"],
  work_order: [
    "number", "subject", "customer_id", "contact_id", "service_request_id", "asset_id", "assigned_to", "priority", "status",
    "scheduled_at", "completed_at", "description", "result",
  ],
};

/** Master-detail children and their masters: lines have no menu and no permissions of their own. */
const expectedMasters: Record<string, string> = {
  contract_line: "contract",
  opportunity_competitor: "opportunity",
  opportunity_influencer: "opportunity",
  outbound_line: "outbound",
  quote_line: "quote",
  sales_order_line: "sales_order",
  shipment_line: "shipment",
};

describe("standard pack", () => {
  it("has a valid manifest", () => {
    expect(pack.manifest).toMatchObject({ name: "standard", version: "0.1.0" });
    expect(validatePackManifest(pack.manifest)).toEqual([]);
  });

  it("validates without issues", () => {
    expect(formatIssues(validateModel(pack), "en")).toEqual([]);
  });

  it("loads objects sorted by file name", () => {
    expect(pack.objects.map((o) => o.name)).toEqual(Object.keys(expectedFields));
  });

  it.each(Object.entries(expectedFields))("%s keeps its field names", (name, fields) => {
    expect(objectNamed(name).fields.map((f) => f.name)).toEqual(fields);
  });

  it("uses every option set it ships", () => {
    const used = new Set(pack.objects.flatMap((o) => o.fields.map((f) => f.optionSet)));
    expect(pack.optionSets.map((s) => s.name).filter((name) => !used.has(name))).toEqual([]);
  });

  it("puts data permissions where the product needs them", () => {
    const withOwnership = pack.objects.filter((o) => o.ownership).map((o) => o.name);
    expect(withOwnership).toEqual([
      "activity", "campaign", "contact", "contract", "customer", "customer_asset", "expense_request", "lead", "opportunity", "outbound",
      "questionnaire_response", "quote", "receipt", "sales_order", "service_plan", "service_request", "shipment", "work_order",
    ]);
    const ofCustomer = pack.objects.filter((o) => o.belongsToCustomer).map((o) => o.name);
    expect(ofCustomer).toEqual([
      "activity", "contact", "contract", "customer_asset", "expense_request", "opportunity", "outbound", "questionnaire_response",
      "quote", "receipt", "sales_order", "service_plan", "service_request", "shipment", "work_order",
    ]);
    // Objects of a customer declare customer_id themselves (a lookup to customer), for its label and its place in forms.
    for (const name of ofCustomer) {
      expect(objectNamed(name).fields.find((f) => f.name === "customer_id"), name).toMatchObject({ type: "lookup", target: "customer" });
    }
    // customer_id is optional only on activities (they may concern a lead alone) and expense requests (travel, say).
    const optional = ofCustomer.filter((name) => !objectNamed(name).fields.find((f) => f.name === "customer_id")?.required);
    expect(optional).toEqual(["activity", "expense_request"]);
  });

  it("keeps base archives shared: in the base menu, without record ownership", () => {
    const base = pack.objects.filter((o) => o.module === "base").map((o) => o.name);
    expect(base).toEqual(["customer_category", "department", "employee", "industry", "inventory", "price", "product_line", "region"]);
    expect(base.filter((name) => objectNamed(name).ownership)).toEqual([]);
  });

  it("places every object with screens of its own in a menu, and no line", () => {
    for (const o of pack.objects) {
      if (o.name in expectedMasters) expect(o.module, o.name).toBeUndefined();
      else expect(["base", "marketing", "sales", "service"], o.name).toContain(o.module);
    }
  });

  it("links lines to their masters through master_detail fields", () => {
    const masters = Object.fromEntries(
      pack.objects.flatMap((o) => o.fields.filter((f) => f.type === "master_detail").map((f) => [f.target, o.name] as const)),
    );
    expect(masters).toEqual(expectedMasters);
    for (const child of Object.keys(expectedMasters)) {
      // Lines are seen and changed through their master: no owner, no customer of their own.
      expect(objectNamed(child).ownership, child).toBeUndefined();
      expect(objectNamed(child).fields.some((f) => f.name === "customer_id"), child).toBe(false);
    }
  });

  it("labels every option of an inline picklist in both languages", () => {
    for (const o of pack.objects) {
      for (const f of o.fields) {
        for (const option of f.options ?? []) {
          expect(option, `${o.name}.${f.name}`).toMatchObject({ label: { "zh-CN": expect.any(String), en: expect.any(String) } });
        }
      }
    }
  });

  it("numbers customers, opportunities and the CRM's own documents", () => {
    const formats = Object.fromEntries(
      pack.objects
        .filter((o) => o.numberField !== undefined)
        .map((o) => [o.name, o.fields.find((f) => f.name === o.numberField)?.format] as const),
    );
    expect(formats).toEqual({
      contract: "HT-{YYYY}-{SEQ:6}",
      customer: "C-{YYYY}-{SEQ:6}",
      expense_request: "EX-{YYYY}-{SEQ:6}",
      opportunity: "OP-{YYYY}-{SEQ:6}",
      quote: "QT-{YYYY}-{SEQ:6}",
      sales_order: "SO-{YYYY}-{SEQ:6}",
      service_request: "SR-{YYYY}-{SEQ:6}",
      work_order: "WO-{YYYY}-{SEQ:6}",
    });
    expect(objectNamed("customer")).toMatchObject({ numberField: "code" });
    expect(objectNamed("customer").fields[0]).toMatchObject({ type: "auto_number", format: "C-{YYYY}-{SEQ:6}" });
    expect(objectNamed("opportunity")).toMatchObject({ numberField: "number" });
    expect(objectNamed("opportunity").fields[0]).toMatchObject({ type: "auto_number", format: "OP-{YYYY}-{SEQ:6}" });
  });

  it("keeps the ERP's own numbers on shipments, outbound deliveries and receipts", () => {
    for (const name of ["shipment", "outbound", "receipt"]) {
      const object = objectNamed(name);
      expect(object, name).toMatchObject({ module: "sales", ownership: true, belongsToCustomer: true, displayField: "number" });
      expect(object.numberField, name).toBeUndefined();
      expect(object.fields[0], name).toMatchObject({ name: "number", type: "text", required: true, unique: true });
      expect(object.fields.find((f) => f.name === "sales_order_id"), name).toMatchObject({ type: "lookup", target: "sales_order" });
    }
  });

  it("prices quote lines after the discount, a missing discount being none", () => {
    const amount = objectNamed("quote_line").fields.find((f) => f.name === "amount");
    expect(amount).toMatchObject({ type: "formula", resultType: "amount" });
    const of = (line: Record<string, unknown>) => apply(amount?.expression, line);
    expect(of({ quantity: 10, unit_price: 20, discount: 15 })).toBe(170);
    expect(of({ quantity: 10, unit_price: 20, discount: 0 })).toBe(200);
    expect(of({ quantity: 10, unit_price: 20 })).toBe(200);
    expect(of({ quantity: 10, unit_price: 20, discount: null })).toBe(200);
  });

  it("requires the customer of a customer price and the salesperson of a salesperson price", () => {
    expect(brokenRules("price", { price_type: "inventory", inventory_id: "i", unit_price: 10 })).toEqual([]);
    expect(brokenRules("price", { price_type: "customer", inventory_id: "i", unit_price: 10 })).toEqual(["customer_price_needs_customer"]);
    expect(brokenRules("price", { price_type: "customer", customer_id: "c", inventory_id: "i", unit_price: 10 })).toEqual([]);
    expect(brokenRules("price", { price_type: "salesperson", inventory_id: "i", unit_price: 10 })).toEqual([
      "salesperson_price_needs_salesperson",
    ]);
    expect(brokenRules("price", { price_type: "inventory", valid_from: "2026-02-01", valid_to: "2026-01-31" })).toEqual([
      "valid_to_after_valid_from",
    ]);
  });

  it("is written in canonical form, so studio saves and exports diff cleanly", async () => {
    const expectFile = async (relative: string, canonical: unknown) => {
      const text = await readFile(path.join(standardPackDir, relative), "utf8");
      expect(text, relative).toBe(`${JSON.stringify(canonical, null, 2)}\n`);
    };
    await expectFile("pack.json", canonicalPackManifest(pack.manifest));
    for (const o of pack.objects) await expectFile(`objects/${o.name}.json`, canonicalObject(o));
    for (const s of pack.optionSets) await expectFile(`option-sets/${s.name}.json`, canonicalOptionSet(s));
    for (const r of pack.roles ?? []) await expectFile(`roles/${r.name}.json`, canonicalRole(r));
  });
});


describe("loadPackFolder", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "crm-pack-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const writeJson = async (relative: string, text: string) => {
    await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
    await writeFile(path.join(dir, relative), text);
  };

  it("reads documents in file-name order and treats a missing folder as empty", async () => {
    await writeJson("pack.json", '{ "name": "p" }');
    await writeJson("objects/b.json", '{ "name": "b" }');
    await writeJson("objects/a.json", '{ "name": "a" }');
    await writeJson("objects/notes.txt", "not a document");
    const loaded = await loadPackFolder(dir);
    expect(loaded.objects.map((o) => o.name)).toEqual(["a", "b"]);
    expect(loaded.optionSets).toEqual([]);
    expect(loaded.roles).toEqual([]);
  });

  it("reads roles/*.json in file-name order", async () => {
    await writeJson("roles/sales_rep.json", '{ "name": "sales_rep", "functions": { "customer": ["view"] } }');
    await writeJson("roles/admin.json", '{ "name": "admin", "functions": { "*": ["view", "edit"] } }');
    await writeJson("roles/README.md", "# not a document");
    const loaded = await loadPackFolder(dir);
    expect(loaded.roles).toEqual([
      { name: "admin", functions: { "*": ["view", "edit"] } },
      { name: "sales_rep", functions: { customer: ["view"] } },
    ]);
  });

  it("names the file that holds malformed JSON", async () => {
    await writeJson("option-sets/broken.json", '{ "name": "x", }');
    await expect(loadPackFolder(dir)).rejects.toThrow(/Malformed JSON in .*option-sets[\\/]broken\.json/);
  });
});
