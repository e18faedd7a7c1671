// The standard pack (metadata/ itself) loads, validates cleanly, is written in canonical form, and keeps its field names.
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
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

/** The api names other code (server, seeds, UI) relies on; changing one is a breaking change. */
const expectedFields: Record<string, string[]> = {
  activity: [
    "subject", "activity_type", "status", "start_at", "end_at", "customer_id", "contact_id", "lead_id", "opportunity_id",
    "plan", "result",
  ],
  contact: ["customer_id", "name", "title", "department_name", "mobile", "phone", "email", "birthday", "gender", "is_primary", "remark"],
  customer: [
    "code", "name", "short_name", "status", "category", "industry", "region", "phone", "email", "website", "tax_number",
    "bank_name", "bank_account", "credit_limit", "ship_to_address", "last_transaction_date", "new_product_categories",
    "product_lines", "source_lead_id", "remark",
  ],
  department: ["code", "name", "parent_department_id", "department_type", "is_virtual", "manager_id", "phone", "remark"],
  employee: [
    "code", "name", "gender", "department_id", "title", "mobile", "email", "hire_date", "is_salesperson",
    "crm_login_enabled", "credit_limit", "training_notes",
  ],
  inventory: ["code", "name", "specification", "unit", "product_line", "new_product_category", "list_price", "active"],
  lead: [
    "name", "company", "lead_type", "source", "status", "mobile", "email", "region", "product_line", "remark",
    "converted_customer_id", "converted_contact_id", "converted_opportunity_id", "converted_at",
  ],
  opportunity: [
    "number", "name", "customer_id", "contact_id", "product_line", "stage", "amount", "probability", "weighted_amount",
    "expected_close_date", "source_lead_id", "lost_reason", "remark",
  ],
  sales_order: [
    "number", "customer_id", "contact_id", "opportunity_id", "order_date", "delivery_date", "status", "involves_new_product",
    "total_amount", "remark", "lines",
  ],
  sales_order_line: ["inventory_id", "quantity", "unit_price", "amount"],
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
    expect(withOwnership).toEqual(["activity", "contact", "customer", "lead", "opportunity", "sales_order"]);
    const ofCustomer = pack.objects.filter((o) => o.belongsToCustomer).map((o) => o.name);
    expect(ofCustomer).toEqual(["activity", "contact", "opportunity", "sales_order"]);
    // customer_id is optional only on activities (they may concern a lead alone).
    const customerId = (name: string) => objectNamed(name).fields.find((f) => f.name === "customer_id");
    expect([customerId("contact")?.required, customerId("opportunity")?.required, customerId("activity")?.required]).toEqual([true, true, undefined]);
  });

  it("numbers customers and opportunities", () => {
    expect(objectNamed("customer")).toMatchObject({ numberField: "code" });
    expect(objectNamed("customer").fields[0]).toMatchObject({ type: "auto_number", format: "C-{YYYY}-{SEQ:6}" });
    expect(objectNamed("opportunity")).toMatchObject({ numberField: "number" });
    expect(objectNamed("opportunity").fields[0]).toMatchObject({ type: "auto_number", format: "OP-{YYYY}-{SEQ:6}" });
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
