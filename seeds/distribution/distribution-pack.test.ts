// The distribution (商贸流通) pack: validates over the standard pack, is written in canonical form, ships
// the 样品借用 custom object, and gives each role what section 4 of the source document describes.
import { readFile } from "node:fs/promises";
import path from "node:path";
import jsonLogic, { type RulesLogic } from "json-logic-js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  canonicalObject,
  canonicalOptionSet,
  canonicalRole,
  formatIssues,
  validateModel,
  validatePackManifest,
  type ObjectDefinition,
  type PackDocument,
  type RoleDefinition,
  type ScopeTerm,
} from "@crm/metadata";
import { loadPackFolder, standardPackDir } from "@crm/metadata/load";
import { distributionPackDir } from "@crm/seeds";

let standard: PackDocument;
let distribution: PackDocument;
let roles: RoleDefinition[];
/** Every role but the ERP integration account's: the roles of CRM users. */
let crmRoles: RoleDefinition[];

beforeAll(async () => {
  [standard, distribution] = await Promise.all([loadPackFolder(standardPackDir), loadPackFolder(distributionPackDir)]);
  roles = distribution.roles ?? [];
  // Principals of integrations and time-based workflows are not people: section 4's rules are about people.
  crmRoles = roles.filter((role) => role.name !== "integration" && role.name !== "workflow_robot");
});

const objectNamed = (name: string): ObjectDefinition => {
  const object = [...standard.objects, ...distribution.objects].find((o) => o.name === name);
  if (!object) throw new Error(`no object ${name}`);
  return object;
};

const roleNamed = (name: string): RoleDefinition => {
  const role = roles.find((r) => r.name === name);
  if (!role) throw new Error(`no role ${name}`);
  return role;
};

/** The names of the object's validation rules a record breaks (json-logic as written in the metadata). */
const brokenRules = (name: string, record: Record<string, unknown>): string[] =>
  (objectNamed(name).validationRules ?? [])
    .filter((rule) => !jsonLogic.truthy(jsonLogic.apply(rule.expression as RulesLogic, record)))
    .map((rule) => rule.name);

/** Every named dimension in a scope tree. */
const termsOf = (scope: ScopeTerm | undefined): string[] => {
  if (scope === undefined) return [];
  if (typeof scope === "string") return [scope];
  return ("any" in scope ? scope.any : scope.all).flatMap(termsOf);
};

const BASE_ARCHIVES = ["customer_category", "department", "employee", "industry", "inventory", "price", "product_line", "region"];
/** Owned by the ERP: read-only for every CRM role (SPEC B3, C7). */
const ERP_OWNED = ["inventory", "price", "shipment", "outbound", "receipt"];

describe("distribution pack", () => {
  it("has a valid manifest that requires the standard pack", () => {
    expect(validatePackManifest(distribution.manifest)).toEqual([]);
    expect(distribution.manifest).toMatchObject({ name: "distribution", requires: ["standard"] });
  });

  it("validates over the standard pack without issues", () => {
    const issues = validateModel({
      objects: [...standard.objects, ...distribution.objects],
      optionSets: [...standard.optionSets, ...distribution.optionSets],
      roles: distribution.roles,
      grantRules: distribution.grantRules,
    });
    expect(formatIssues(issues, "en")).toEqual([]);
  });

  it("ships the sample loan, its lines and its status, and no other documents", () => {
    expect(distribution.objects.map((o) => o.name)).toEqual(["sample_loan", "sample_loan_line"]);
    expect(distribution.optionSets.map((s) => s.name)).toEqual(["sample_loan_status"]);
    expect(roles.map((r) => r.name)).toEqual([
      "customer_service", "department_manager", "director", "executive_manager", "integration", "marketing_specialist",
      "order_clerk", "sales_assistant", "sales_rep", "workflow_robot",
    ]);
  });

  it("is written in canonical form, so studio saves and exports diff cleanly", async () => {
    const expectFile = async (relative: string, canonical: unknown) => {
      const text = await readFile(path.join(distributionPackDir, relative), "utf8");
      expect(text, relative).toBe(`${JSON.stringify(canonical, null, 2)}\n`);
    };
    for (const o of distribution.objects) await expectFile(`objects/${o.name}.json`, canonicalObject(o));
    for (const s of distribution.optionSets) await expectFile(`option-sets/${s.name}.json`, canonicalOptionSet(s));
    for (const r of roles) await expectFile(`roles/${r.name}.json`, canonicalRole(r));
  });
});

describe("样品借用 (sample loan), the custom-object example (SPEC I)", () => {
  it("sits in the 营销管理 menu, numbered, under data permissions, with approval and its lines", () => {
    const loan = objectNamed("sample_loan");
    expect(loan).toMatchObject({
      module: "marketing",
      numberField: "number",
      ownership: true,
      belongsToCustomer: true,
      options: { workflow: true, approval: true },
    });
    expect(loan.label).toEqual({ "zh-CN": "样品借用", en: "Sample loan" });
    const field = (name: string) => loan.fields.find((f) => f.name === name);
    expect(field("number")).toMatchObject({ type: "auto_number", format: "SL-{YYYY}-{SEQ:6}", unique: true });
    expect(field("customer_id")).toMatchObject({ type: "lookup", target: "customer", required: true });
    expect(field("contact_id")).toMatchObject({ type: "lookup", target: "contact" });
    expect(field("loan_date")).toMatchObject({ type: "date", required: true });
    expect(field("lines")).toMatchObject({ type: "master_detail", target: "sample_loan_line" });
    expect(objectNamed("sample_loan_line").fields.map((f) => f.name)).toEqual(["inventory_id", "loaned_quantity", "returned_quantity"]);
    expect(objectNamed("sample_loan_line").fields[0]).toMatchObject({ type: "lookup", target: "inventory", required: true });
  });

  it("moves through draft → pending → approved → on loan → partly returned → returned, or overdue", () => {
    expect(objectNamed("sample_loan").fields.find((f) => f.name === "status")).toMatchObject({
      type: "picklist",
      required: true,
      default: "draft",
      optionSet: "sample_loan_status",
    });
    const status = distribution.optionSets.find((s) => s.name === "sample_loan_status");
    const values = status?.options.map((option) => (typeof option === "string" ? option : option.value));
    expect(values).toEqual(["draft", "pending", "approved", "on_loan", "partly_returned", "returned", "overdue"]);
  });

  it("refuses a due date before the loan date and more returned than loaned", () => {
    expect(brokenRules("sample_loan", { loan_date: "2026-03-01", due_date: "2026-03-31" })).toEqual([]);
    expect(brokenRules("sample_loan", { loan_date: "2026-03-01", due_date: "2026-03-01" })).toEqual([]);
    expect(brokenRules("sample_loan", { loan_date: "2026-03-01" })).toEqual([]);
    expect(brokenRules("sample_loan", { loan_date: "2026-03-01", due_date: "2026-02-28" })).toEqual(["due_after_loan"]);
    expect(brokenRules("sample_loan", { loan_date: "2026-03-01", return_date: "2026-02-01" })).toEqual(["returned_after_loan"]);
    expect(brokenRules("sample_loan_line", { loaned_quantity: 5, returned_quantity: 0 })).toEqual([]);
    expect(brokenRules("sample_loan_line", { loaned_quantity: 5, returned_quantity: 5 })).toEqual([]);
    expect(brokenRules("sample_loan_line", { loaned_quantity: 5 })).toEqual([]);
    expect(brokenRules("sample_loan_line", { loaned_quantity: 5, returned_quantity: 6 })).toEqual(["returned_within_loaned"]);
    expect(objectNamed("sample_loan_line").fields.find((f) => f.name === "returned_quantity")).toMatchObject({ default: 0, min: 0 });
  });

  it("is lent and followed up by salespeople, approved by their managers", () => {
    expect(roleNamed("sales_rep").menus).toContain("marketing");
    expect(roleNamed("sales_rep").functions.sample_loan).toEqual(["view", "create", "edit", "delete", "print"]);
    expect(roleNamed("department_manager").functions.sample_loan).toContain("approve");
    expect(roleNamed("director").functions.sample_loan).toContain("approve");
    expect(roleNamed("sales_rep").functions.sample_loan).not.toContain("approve");
  });
});

describe("roles of the distribution pack (source document, section 4)", () => {
  it("lets every CRM role see the base archives, all of them", () => {
    for (const role of crmRoles) {
      for (const name of BASE_ARCHIVES) {
        expect(role.functions[name], `${role.name} ${name}`).toEqual(["view"]);
        expect(role.records?.[name], `${role.name} ${name}`).toEqual({ view: "all" });
      }
    }
  });

  it("gives every CRM role only view on what the ERP owns: inventory, prices, shipments, outbound deliveries, receipts", () => {
    for (const role of crmRoles) {
      for (const name of ERP_OWNED) {
        expect(role.functions[name], `${role.name} ${name}`).toEqual(["view"]);
        expect(role.records?.[name]?.edit, `${role.name} ${name}`).toBeUndefined();
      }
    }
  });

  it("shows ERP documents under the same data permissions as the role's sales orders (SPEC C7)", () => {
    for (const role of crmRoles) {
      // Customer service has no orders: it sees the documents of the customers it looks after, like their contacts.
      const view = role.records?.sales_order?.view ?? role.records?.contact?.view;
      for (const name of ["shipment", "outbound", "receipt"]) {
        expect(role.records?.[name], `${role.name} ${name}`).toEqual({ view });
      }
    }
  });

  it("gives a record scope to every object a role has functions on, and functions to every scope", () => {
    for (const role of roles) {
      expect(Object.keys(role.records ?? {}).sort(), role.name).toEqual(Object.keys(role.functions).sort());
    }
  });

  it("keeps salespeople to their own records and their customers' (负责员工, 客户权限维度)", () => {
    const salesRep = roleNamed("sales_rep");
    for (const [name, rule] of Object.entries(salesRep.records ?? {})) {
      expect(termsOf(rule.view).filter((term) => term.startsWith("department")), name).toEqual([]);
      expect(termsOf(rule.edit).filter((term) => term.startsWith("department")), name).toEqual([]);
    }
    for (const name of ["quote", "contract", "expense_request", "sample_loan", "questionnaire_response"]) {
      expect(salesRep.records?.[name], name).toEqual({
        view: { any: ["owner", "related", { all: ["customer", "customer_dimension"] }] },
        edit: { any: ["owner", "related"] },
      });
    }
  });

  it("lets managers and directors edit their department range's documents, the order clerk only own", () => {
    const range = { any: ["owner", "related", "department_range"] };
    for (const name of ["quote", "contract", "expense_request", "sample_loan"]) {
      expect(roleNamed("department_manager").records?.[name], name).toEqual({ view: range, edit: range });
      expect(roleNamed("director").records?.[name], name).toEqual({ view: range, edit: range });
    }
    for (const name of ["quote", "contract", "sample_loan"]) {
      expect(roleNamed("order_clerk").records?.[name], name).toEqual({ view: range, edit: { any: ["owner"] } });
    }
  });

  it("lets marketing specialists run campaigns and questionnaires", () => {
    const marketing = roleNamed("marketing_specialist");
    for (const name of ["campaign", "questionnaire"]) expect(marketing.functions[name], name).toEqual(expect.arrayContaining(["create", "edit"]));
    for (const role of roles.filter((r) => r.name !== "marketing_specialist")) {
      expect(role.functions.campaign ?? [], role.name).not.toContain("edit");
      expect(role.functions.questionnaire ?? [], role.name).not.toContain("edit");
    }
  });

  it("lets customer service handle service requests and work orders, seen through the customer, edited when own", () => {
    const service = roleNamed("customer_service");
    for (const name of ["service_request", "work_order"]) {
      expect(service.functions[name], name).toEqual(expect.arrayContaining(["view", "create", "edit"]));
      expect(service.records?.[name], name).toEqual({ view: { any: ["owner", "related", { all: ["customer"] }] }, edit: { any: ["owner"] } });
    }
    expect(service.functions.knowledge_article).toEqual(["view"]);
    expect(service.functions.customer).toEqual(["view"]);
  });

  it("leaves writing what the ERP owns to the integration account, which reads everything", () => {
    const integration = roleNamed("integration");
    expect(integration.functions["*"]).toEqual(["view"]);
    expect(integration.records?.["*"]).toEqual({ view: "all" });
    for (const name of ERP_OWNED) {
      expect(integration.functions[name], name).toEqual(["view", "create", "edit", "delete"]);
      expect(integration.records?.[name], name).toEqual({ view: "all", edit: "all" });
    }
  });

  it("grants the declared CRM actions: conversion, document generation, close lost, make formal", () => {
    const selling = { opportunity: ["generate_quote", "generate_order", "generate_contract", "close_lost"], quote: ["generate_order", "generate_contract"], customer: ["make_formal"] };
    for (const name of ["sales_rep", "department_manager", "director", "executive_manager"]) {
      for (const [object, actions] of Object.entries(selling)) expect(roleNamed(name).functions[object], `${name} ${object}`).toEqual(expect.arrayContaining(actions));
      expect(roleNamed(name).functions.lead, name).toContain("convert");
    }
    for (const object of ["opportunity", "quote"]) {
      expect(roleNamed("order_clerk").functions[object], object).toEqual(expect.arrayContaining(["generate_order", "generate_contract"]));
    }
    expect(roleNamed("order_clerk").functions.opportunity).not.toContain("close_lost");
    expect(roleNamed("customer_service").functions.customer).not.toContain("make_formal");
  });

  it("lets sales assistants review orders and follow shipping by department", () => {
    const assistant = roleNamed("sales_assistant");
    expect(assistant.functions.sales_order).toContain("approve");
    for (const name of ["sales_order", "shipment", "outbound", "receipt"]) {
      expect(assistant.records?.[name]?.view, name).toBe("department_range");
    }
  });
});
