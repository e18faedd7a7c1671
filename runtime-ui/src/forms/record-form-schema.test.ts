import { describe, expect, it } from "vitest";
import { getDefaultFormState, type RJSFSchema } from "@rjsf/utils";
import type { FieldDefinition, LocalizedText, ObjectDescribe } from "../api/types";
import { screenFields } from "../layout/fields";
import type { DetailSection } from "../layout/layout-types";
import { ADDRESS_FIELD, buildRecordForm, formSections, LINES_FIELD, NO_SCHEMA_DEFAULTS, requiredOnCreate, type RecordFormInput } from "./record-form-schema";
import { recordValidator } from "./record-validator";

const label = (zh: string, en: string): LocalizedText => ({ "zh-CN": zh, en });
const FIELDS: FieldDefinition[] = [
  { name: "code", type: "auto_number", label: label("编号", "Code") },
  { name: "name", type: "text", required: true, maxLength: 100, label: label("客户名称", "Name") },
  { name: "status", type: "picklist", required: true, default: "potential", options: ["potential", "active"], label: label("状态", "Status") },
  { name: "email", type: "email", label: label("邮箱", "Email") },
  { name: "credit_limit", type: "amount", label: label("信用额度", "Credit limit") },
  { name: "tags", type: "multi_picklist", options: ["a", "b"], label: label("标签", "Tags") },
  { name: "region", type: "address", label: label("地区", "Region") },
  { name: "opened_on", type: "date", required: true, default: { expression: { today: [] } }, label: label("开户日期", "Opened on") },
  { name: "source_lead_id", type: "lookup", target: "lead", label: label("来源线索", "Source lead") },
  { name: "lines", type: "master_detail", target: "order_line", label: label("明细", "Lines") },
  { name: "bank_account", type: "text", label: label("银行账号", "Bank account") },
];

/** What GET /api/metadata/objects/:object sends (record-schema.ts readSchema), trimmed to the fields above. */
const RECORD_SCHEMA = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    version: { type: "integer" },
    owner_id: { type: ["string", "null"], format: "uuid" },
    related_employee_ids: { type: "array", uniqueItems: true, maxItems: 500, items: { type: "string", format: "uuid" } },
    created_at: { type: "string", format: "date-time" },
    code: { type: "string" },
    name: { type: ["string", "null"], maxLength: 100 },
    status: { type: ["string", "null"], enum: ["potential", "active", null] },
    email: { type: ["string", "null"], format: "email", maxLength: 254 },
    credit_limit: { type: ["number", "null"], minimum: -9999999999999999.99, maximum: 9999999999999999.99, maxScale: 2 },
    tags: { type: ["array", "null"], uniqueItems: true, maxItems: 100, items: { type: "string", enum: ["a", "b"] } },
    region: { type: ["object", "null"], properties: { province: { type: "string", maxLength: 200 }, city: { type: "string", maxLength: 200 } }, additionalProperties: false },
    opened_on: { type: ["string", "null"], format: "date" },
    source_lead_id: { type: ["string", "null"], format: "uuid" },
    lines: {
      type: "array",
      maxItems: 1000,
      items: {
        type: "object",
        properties: { product: { type: "string", maxLength: 50 }, quantity: { type: "number", minimum: 0, maxScale: 3 }, id: { type: "string", format: "uuid" } },
        required: ["product", "quantity"],
        additionalProperties: false,
      },
    },
  },
};

const SECTIONS: DetailSection[] = [
  {
    name: "basic",
    label: label("基本信息", "Basic"),
    fields: [
      { field: "code", x: 0, y: 0, w: 6, h: 1 },
      { field: "name", x: 6, y: 0, w: 6, h: 1 },
      { field: "status", x: 0, y: 1, w: 6, h: 1 },
      { field: "email", x: 6, y: 1, w: 6, h: 1 },
      { field: "credit_limit", x: 0, y: 2, w: 6, h: 1 },
      { field: "tags", x: 6, y: 2, w: 6, h: 1 },
      { field: "region", x: 0, y: 3, w: 12, h: 1 },
      { field: "opened_on", x: 0, y: 4, w: 6, h: 1 },
      { field: "source_lead_id", x: 6, y: 4, w: 6, h: 1 },
    ],
  },
  { name: "finance", label: label("财务信息", "Finance"), fields: [{ field: "bank_account", x: 0, y: 0, w: 6, h: 1 }] },
  { kind: "lines", name: "lines", field: "lines", columns: ["product", "quantity"] },
  {
    name: "system",
    label: label("系统信息", "System"),
    fields: [
      { field: "owner_id", x: 0, y: 0, w: 6, h: 1 },
      { field: "related_employee_ids", x: 6, y: 0, w: 6, h: 1 },
      { field: "created_at", x: 0, y: 1, w: 6, h: 1 },
    ],
  },
];

function describeOf(access: Partial<ObjectDescribe["access"]> = {}): ObjectDescribe {
  return {
    name: "customer",
    label: label("客户", "Customer"),
    fields: FIELDS.filter((field) => !(access.hidden ?? []).includes(field.name)),
    access: { actions: ["view", "create", "edit"], hidden: [], readOnly: [], ...access },
    systemFields: ["id", "version", "created_at", "updated_at", "owner_id", "department_id", "related_employee_ids"],
    parent: null,
    relations: [],
    modelVersion: 1,
    recordSchema: RECORD_SCHEMA,
  } as ObjectDescribe;
}

const zh = (text: LocalizedText | undefined, fallback = "") => text?.["zh-CN"] ?? fallback;
const en = (text: LocalizedText | undefined, fallback = "") => text?.en ?? fallback;

function input(options: { access?: Partial<ObjectDescribe["access"]>; writable?: boolean; creating?: boolean; text?: RecordFormInput["text"] } = {}): RecordFormInput {
  const describe = describeOf(options.access);
  return { describe, sections: SECTIONS, fields: screenFields(describe, options.writable ?? true), creating: options.creating ?? false, text: options.text ?? zh };
}

const property = (schema: RJSFSchema, name: string) => (schema.properties as Record<string, RJSFSchema>)[name];

describe("buildRecordForm: the JSON Schema", () => {
  it("reuses the server's record schema (types, formats, enums, lengths) with labels in the current language as titles", () => {
    const { schema } = buildRecordForm(input());
    expect(property(schema, "email")).toEqual({ type: ["string", "null"], format: "email", maxLength: 254, title: "邮箱" });
    expect(property(schema, "credit_limit")).toMatchObject({ type: ["number", "null"], maxScale: 2, title: "信用额度" });
    expect(property(schema, "related_employee_ids")).toMatchObject({ type: "array", items: { type: "string", format: "uuid" }, title: "相关员工" });
    expect(property(buildRecordForm(input({ text: en })).schema, "email").title).toBe("Email");
  });

  it("takes null out of required fields, as the server's write schema does", () => {
    const { schema } = buildRecordForm(input());
    expect(property(schema, "name")).toEqual({ type: "string", maxLength: 100, title: "客户名称" });
    expect(property(schema, "status")).toEqual({ type: "string", enum: ["potential", "active"], title: "状态" });
    expect(property(schema, "source_lead_id").type).toEqual(["string", "null"]);
  });

  it("requires, when creating, the required writable fields that no server expression fills", () => {
    expect(buildRecordForm(input({ creating: true })).schema.required).toEqual(["name", "status"]);
    // Editing sends only what changed: nothing is required to be present.
    expect(buildRecordForm(input()).schema.required).toBeUndefined();
    expect(buildRecordForm(input({ creating: true, access: { readOnly: ["name"] } })).schema.required).toEqual(["status"]);
  });

  it("leaves hidden fields out entirely, and server-filled ones out of a new record", () => {
    const hidden = buildRecordForm(input({ access: { hidden: ["bank_account"] } }));
    expect(Object.keys(hidden.schema.properties!)).not.toContain("bank_account");
    expect(hidden.uiSchema.bank_account).toBeUndefined();
    expect(hidden.sections.map((section) => section.name)).toEqual(["basic", "lines", "system"]);

    const creating = buildRecordForm(input({ creating: true }));
    expect(Object.keys(creating.schema.properties!)).not.toContain("code");
    expect(Object.keys(creating.schema.properties!)).not.toContain("created_at");
    expect(Object.keys(buildRecordForm(input()).schema.properties!)).toEqual(expect.arrayContaining(["code", "created_at"]));
  });

  it("checks line values but leaves completeness and extra columns of lines to the server", () => {
    const lines = property(buildRecordForm(input()).schema, "lines");
    expect(lines.items).toEqual({ type: "object", properties: { product: { type: "string", maxLength: 50 }, quantity: { type: "number", minimum: 0, maxScale: 3 }, id: { type: "string", format: "uuid" } } });
  });

  it("falls back to the field type's JSON type when the server sends no schema for a field", () => {
    const describe = { ...describeOf(), recordSchema: undefined };
    const { schema } = buildRecordForm({ ...input(), describe });
    expect(property(schema, "credit_limit")).toEqual({ type: "number", title: "信用额度" });
    expect(property(schema, "tags")).toEqual({ type: "array", items: { type: "string" }, title: "标签" });
    expect(property(schema, "related_employee_ids")).toEqual({ type: "array", items: { type: "string" }, title: "相关员工" });
    expect(property(schema, "region").type).toBe("object");
  });
});

describe("buildRecordForm: the schema's $id", () => {
  it("is the same for the same form, so ajv compiles it once, and differs when the form differs", () => {
    const id = buildRecordForm(input()).schema.$id;
    expect(id).toMatch(/^record-form-/);
    expect(buildRecordForm(input()).schema.$id).toBe(id);
    expect(buildRecordForm(input({ text: en })).schema.$id).not.toBe(id);
    expect(buildRecordForm(input({ creating: true })).schema.$id).not.toBe(id);
    expect(buildRecordForm(input({ access: { hidden: ["bank_account"] } })).schema.$id).not.toBe(id);
  });
});

describe("buildRecordForm: the uiSchema", () => {
  it("names the widget of each field type and passes the field definition to it", () => {
    const { uiSchema } = buildRecordForm(input());
    expect(uiSchema.email).toEqual({ "ui:widget": "email", "ui:options": { definition: FIELDS[3] } });
    expect(uiSchema.source_lead_id["ui:widget"]).toBe("lookup");
    expect(uiSchema.owner_id["ui:widget"]).toBe("employee");
    expect(uiSchema.region).toEqual({ "ui:field": ADDRESS_FIELD, "ui:options": { definition: FIELDS[6] } });
    expect(uiSchema.lines).toEqual({ "ui:field": LINES_FIELD, "ui:label": false, "ui:options": { definition: FIELDS[9], columns: ["product", "quantity"] } });
  });

  it("marks read-only fields, and every field of a record the user may not write", () => {
    const { uiSchema } = buildRecordForm(input({ access: { readOnly: ["email"] } }));
    expect(uiSchema.email["ui:readonly"]).toBe(true);
    expect(uiSchema.code["ui:readonly"]).toBe(true);
    expect(uiSchema.name["ui:readonly"]).toBeUndefined();
    const viewOnly = buildRecordForm(input({ writable: false }));
    for (const name of Object.keys(viewOnly.schema.properties!)) expect(viewOnly.uiSchema[name]["ui:readonly"], name).toBe(true);
  });

  it("carries the layout sections for the layout template, with titles in the current language", () => {
    const { uiSchema } = buildRecordForm(input({ text: en, creating: true }));
    const sections = uiSchema["ui:sections"] as ReturnType<typeof formSections>;
    expect(sections.map((section) => [section.kind, section.title])).toEqual([
      ["fields", "Basic"],
      ["fields", "Finance"],
      ["lines", "Lines"],
      ["fields", "System"],
    ]);
    expect(sections[0].kind === "fields" && sections[0].placements.map((placement) => placement.field)).not.toContain("code");
    expect(uiSchema["ui:submitButtonOptions"]).toEqual({ norender: true });
  });
});

describe("requiredOnCreate", () => {
  const fields = screenFields(describeOf(), true);
  it("is true for a required field with a literal default (filled in, can be cleared) and false for expression defaults", () => {
    expect(requiredOnCreate(fields.get("status")!)).toBe(true);
    expect(requiredOnCreate(fields.get("opened_on")!)).toBe(false);
    expect(requiredOnCreate(fields.get("email")!)).toBe(false);
  });
});

describe("the generated form with rjsf's ajv validator", () => {
  const record = {
    id: "0e5bd85b-bc0c-407d-bff1-e7be5a753826",
    version: 2,
    code: "C-0001",
    name: "天津测试化工",
    status: "active",
    email: null,
    credit_limit: null,
    tags: null,
    region: null,
    opened_on: "2026-07-21",
    source_lead_id: null,
    owner_id: "568c37b3-8098-44b3-b255-adbd020bbd16",
    related_employee_ids: [],
    created_at: "2026-07-21T05:30:07.000Z",
    lines: [{ id: "ca15ad71-f086-402a-bb9d-861aac72782a", version: 1, line_no: 1, product: "P-1", quantity: 2 }],
  };

  it("accepts a record as the server returns it: nulls, empty lists, line columns the form does not edit", () => {
    const { schema } = buildRecordForm(input());
    expect(recordValidator.validateFormData(record, schema).errors).toEqual([]);
  });

  it("accepts a new record with only the required fields", () => {
    const { schema } = buildRecordForm(input({ creating: true }));
    expect(recordValidator.validateFormData({ name: "甲公司", status: "potential", source_lead_id: null }, schema).errors).toEqual([]);
  });

  it("refuses what the server would refuse", () => {
    const { schema } = buildRecordForm(input({ creating: true }));
    const { errors } = recordValidator.validateFormData({ status: null, email: "not-an-email", credit_limit: 1.234, lines: [{ quantity: -1 }] }, schema);
    const found = errors.map((error) => `${error.property} ${error.name}`);
    expect(found).toEqual(expect.arrayContaining(["name required", ".status type", ".email format", ".credit_limit maxScale", ".lines.0.quantity minimum"]));
    expect(errors.find((error) => error.name === "maxScale")?.params).toEqual({ limit: 2 });
  });

  it("adds no defaults of its own to a loaded record or a new one", () => {
    const { schema } = buildRecordForm(input());
    expect(getDefaultFormState(recordValidator, schema, record, schema, false, NO_SCHEMA_DEFAULTS)).toEqual(record);
    const creating = buildRecordForm(input({ creating: true })).schema;
    expect(getDefaultFormState(recordValidator, creating, { status: "potential" }, creating, false, NO_SCHEMA_DEFAULTS)).toEqual({ status: "potential" });
  });
});
