// validateModel's cross-document checks: each row breaks one thing and names exactly the issues it must cause.
import { describe, expect, it } from "vitest";
import { field, label, objectNamed, validModel, type TestModel } from "./test-fixtures";
import type { MetadataIssue } from "./types";
import {
  autoNumberFormatProblem,
  collectVarReferences,
  formatIssues,
  isValidIdentifier,
  RESERVED_WORDS,
  validateModel,
} from "./validate";

const where = (issues: MetadataIssue[]) => issues.map((i) => `${i.document} ${i.path}`);

function expectBilingual(issues: MetadataIssue[]): void {
  for (const { message } of issues) {
    expect(message["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
    expect(message.en).not.toBe("");
    expect(message.en).not.toBe(message["zh-CN"]);
  }
}

type Case = [description: string, breakIt: (model: TestModel) => void, expected: string[]];

const customer = (m: TestModel) => objectNamed(m, "customer");
const addCustomerField = (m: TestModel, f: ReturnType<typeof field>) => customer(m).fields.push(f);

const cases: Case[] = [
  // names
  ["duplicate object name", (m) => m.objects.push(validModel().objects[0]), ["objects/department /name"]],
  ["duplicate option set name", (m) => m.optionSets.push({ ...m.optionSets[0] }), ["option-sets/customer_status /name"]],
  ["duplicate field name", (m) => addCustomerField(m, field("name", "text")), ["objects/customer /fields/5/name"]],
  ["SQL reserved field name", (m) => addCustomerField(m, field("order", "text")), ["objects/customer /fields/5/name"]],
  ["SQL reserved object name", (m) => m.objects.push({ name: "user", label: label("x"), fields: [field("a", "text")] }), ["objects/user /name"]],
  ["sys_ object name", (m) => m.objects.push({ name: "sys_config", label: label("x"), fields: [field("a", "text")] }), ["objects/sys_config /name"]],
  ["pg_ object name", (m) => m.objects.push({ name: "pg_stats", label: label("x"), fields: [field("a", "text")] }), ["objects/pg_stats /name"]],
  [
    "duplicate field ids across objects",
    (m) => {
      customer(m).fields[1].id = "fld_1";
      objectNamed(m, "employee").fields[0].id = "fld_1";
    },
    ["objects/customer /fields/1/id"],
  ],
  [
    "duplicate object ids",
    (m) => {
      customer(m).id = "obj_1";
      objectNamed(m, "sales_order").id = "obj_1";
    },
    ["objects/sales_order /id"],
  ],
  // platform-managed names
  ["system field declared", (m) => addCustomerField(m, field("created_at", "datetime")), ["objects/customer /fields/5/name"]],
  ["ownership field on an ownership object", (m) => addCustomerField(m, field("owner_id", "employee")), ["objects/customer /fields/5/name"]],
  ["parent_id declared", (m) => addCustomerField(m, field("parent_id", "lookup", { target: "customer" })), ["objects/customer /fields/5/name"]],
  ["customer_id that is not a lookup", (m) => addCustomerField(m, field("customer_id", "text")), ["objects/customer /fields/5/type"]],
  [
    "customer_id looking up something else",
    (m) => addCustomerField(m, field("customer_id", "lookup", { target: "employee" })),
    ["objects/customer /fields/5/target"],
  ],
  // references
  ["lookup to a missing object", (m) => addCustomerField(m, field("region_id", "lookup", { target: "region" })), ["objects/customer /fields/5/target"]],
  [
    "employee and department fields without those objects",
    (m) => (m.objects = m.objects.filter((o) => o.name !== "employee")),
    ["objects/department /fields/1/type", "objects/customer /ownership"],
  ],
  [
    "belongsToCustomer without a customer object",
    (m) => {
      objectNamed(m, "department").belongsToCustomer = true;
      m.objects = m.objects.filter((o) => o.name !== "customer");
    },
    ["objects/department /belongsToCustomer", "objects/sales_order /fields/0/target"],
  ],
  ["master_detail to itself", (m) => addCustomerField(m, field("children", "master_detail", { target: "customer" })), ["objects/customer /fields/5/target"]],
  [
    "detail object with two masters",
    (m) => m.objects.push({ name: "invoice", label: label("x"), fields: [field("lines", "master_detail", { target: "sales_order_line" })] }),
    ["objects/invoice /fields/0/target"],
  ],
  ["missing option set", (m) => (customer(m).fields[2].optionSet = "customer_state"), ["objects/customer /fields/2/optionSet"]],
  ["duplicate inline option value", (m) => customer(m).fields[4].options!.push({ value: "a" }), ["objects/customer /fields/4/options/2"]],
  ["duplicate option set value", (m) => m.optionSets[0].options.push("formal"), ["option-sets/customer_status /options/2"]],
  // fields named by the object
  ["displayField that does not exist", (m) => (customer(m).displayField = "title"), ["objects/customer /displayField"]],
  ["displayField may not be a system field", (m) => (customer(m).displayField = "id"), ["objects/customer /displayField"]],
  ["numberField that is not auto_number", (m) => (customer(m).numberField = "name"), ["objects/customer /numberField"]],
  ["numberField that does not exist", (m) => (customer(m).numberField = "number"), ["objects/customer /numberField"]],
  ["defaultSort on an unknown field", (m) => (customer(m).defaultSort = "-created_at,title"), ["objects/customer /defaultSort"]],
  ["index on an unknown field", (m) => (customer(m).indexes![0].fields = ["owner_id", "stauts"]), ["objects/customer /indexes/0/fields/1"]],
  ["duplicate index name", (m) => customer(m).indexes!.push({ name: "customer_owner_status", fields: ["name"] }), ["objects/customer /indexes/1/name"]],
  ["validation rule on an unknown field", (m) => (customer(m).validationRules![0].field = "scor"), ["objects/customer /validationRules/0/field"]],
  [
    "duplicate validation rule name",
    (m) => customer(m).validationRules!.push({ ...customer(m).validationRules![0] }),
    ["objects/customer /validationRules/1/name"],
  ],
  // auto numbers
  ["format without {SEQ:n}", (m) => (customer(m).fields[0].format = "C-{YYYY}"), ["objects/customer /fields/0/format"]],
  ["format with {SEQ:13}", (m) => (customer(m).fields[0].format = "C-{SEQ:13}"), ["objects/customer /fields/0/format"]],
  ["format with an unknown token", (m) => (customer(m).fields[0].format = "C-{HH}-{SEQ:4}"), ["objects/customer /fields/0/format"]],
  ["format with two sequences", (m) => (customer(m).fields[0].format = "{SEQ:2}-{SEQ:4}"), ["objects/customer /fields/0/format"]],
  ["format with a stray brace", (m) => (customer(m).fields[0].format = "C-{SEQ:4}}"), ["objects/customer /fields/0/format"]],
  // expressions
  [
    "formula var on an unknown field (path escapes the / operator)",
    (m) => addCustomerField(m, field("half", "formula", { expression: { "/": [{ var: "scroe" }, 2] }, resultType: "decimal" })),
    ["objects/customer /fields/5/expression/~1/0/var"],
  ],
  [
    "validation rule var [name, default] on an unknown field",
    (m) => (customer(m).validationRules![0].expression = { ">": [{ var: ["points", 0] }, 0] }),
    ["objects/customer /validationRules/0/expression/>/0/var/0"],
  ],
  [
    "default expression on an unknown field",
    (m) => (customer(m).fields[1].default = { expression: { cat: ["x", { var: "nmae" }] } }),
    ["objects/customer /fields/1/default/expression/cat/1/var"],
  ],
  // defaults and bounds
  ["string default on an integer", (m) => (customer(m).fields[3].default = "50"), ["objects/customer /fields/3/default"]],
  ["fractional default on an integer", (m) => (customer(m).fields[3].default = 1.5), ["objects/customer /fields/3/default"]],
  ["default outside min..max", (m) => (customer(m).fields[3].default = 101), ["objects/customer /fields/3/default"]],
  ["default not among option set values", (m) => (customer(m).fields[2].default = "lost"), ["objects/customer /fields/2/default"]],
  ["default not among inline options", (m) => (customer(m).fields[4].default = "c"), ["objects/customer /fields/4/default"]],
  ["default longer than maxLength", (m) => (customer(m).fields[1].default = "x".repeat(101)), ["objects/customer /fields/1/default"]],
  ["impossible date default", (m) => addCustomerField(m, field("since", "date", { default: "2024-02-30" })), ["objects/customer /fields/5/default"]],
  ["datetime default without time", (m) => addCustomerField(m, field("at", "datetime", { default: "2024-02-03" })), ["objects/customer /fields/5/default"]],
  ["boolean default that is a string", (m) => addCustomerField(m, field("vip", "boolean", { default: "yes" })), ["objects/customer /fields/5/default"]],
  [
    "multi_picklist default that is not an array",
    (m) => addCustomerField(m, field("tags", "multi_picklist", { options: ["x"], default: "x" })),
    ["objects/customer /fields/5/default"],
  ],
  ["min greater than max", (m) => Object.assign(customer(m).fields[3], { min: 10, max: 5, default: undefined }), ["objects/customer /fields/3/max"]],
  // structural problems inside a model
  ["schema error in one document", (m) => ((customer(m).fields[1] as unknown as Record<string, unknown>).lenght = 5), ["objects/customer /fields/1/lenght"]],
  [
    "document without a name (so references to it break too)",
    (m) => delete (m.objects[4] as Partial<TestModel["objects"][0]>).name,
    ["objects/#4 /name", "objects/sales_order /fields/1/target"],
  ],
];

describe("validateModel", () => {
  it("accepts the fixture model", () => {
    expect(formatIssues(validateModel(validModel()), "en")).toEqual([]);
  });

  it.each(cases)("reports %s", (_description, breakIt, expected) => {
    const model = validModel();
    breakIt(model);
    const issues = validateModel(model);
    expect(where(issues)).toEqual(expected);
    expectBilingual(issues);
  });

  const accepted: Array<[string, (m: TestModel) => void]> = [
    ["ownership names on objects without ownership", (m) => objectNamed(m, "department").fields.push(field("owner_id", "employee"))],
    ["customer_id declared as a lookup to customer", (m) => addCustomerField(m, field("customer_id", "lookup", { target: "customer" }))],
    ["a lookup to the object itself", (m) => addCustomerField(m, field("parent_customer_id", "lookup", { target: "customer" }))],
    ["vars naming implicit fields and the whole record", (m) => (customer(m).validationRules![0].expression = { and: [{ var: "owner_id" }, { var: "" }] })],
    ["vars with computed names", (m) => (customer(m).validationRules![0].expression = { var: { cat: ["na", "me"] } })],
    ["a valid datetime default", (m) => addCustomerField(m, field("at", "datetime", { default: "2024-02-03T08:00:00+08:00" }))],
  ];

  it.each(accepted)("accepts %s", (_description, change) => {
    const model = validModel();
    change(model);
    expect(formatIssues(validateModel(model), "en")).toEqual([]);
  });

  it("skips cross checks of a structurally broken document but still counts its name", () => {
    const model = validModel();
    (customer(model) as unknown as Record<string, unknown>).colour = "red";
    customer(model).displayField = "nope";
    // sales_order's lookup to customer stays valid; customer's bad displayField is not reported yet.
    expect(where(validateModel(model))).toEqual(["objects/customer /colour"]);
  });
});

describe("formatIssues", () => {
  const issues: MetadataIssue[] = [
    { document: "objects/customer", path: "/fields/3/type", message: { "zh-CN": "类型无效", en: "bad type" } },
    { path: "", message: { "zh-CN": "应当是 object 类型", en: "must be object" } },
  ];

  it("prints one line per issue in the chosen language", () => {
    expect(formatIssues(issues, "en")).toEqual(["objects/customer /fields/3/type: bad type", "/: must be object"]);
    expect(formatIssues(issues, "zh-CN")).toEqual(["objects/customer /fields/3/type：类型无效", "/：应当是 object 类型"]);
  });
});

describe("identifiers", () => {
  // The words the product brief names explicitly; the list itself follows PostgreSQL's docs.
  const mustBeReserved =
    "select from where user order group table column limit offset all and or not null true false default check " +
    "primary references foreign union case when end create grant to as on in is with having distinct desc asc " +
    "between like cast constraint unique analyse analyze array both collate current_date current_user do else " +
    "except fetch for initially intersect into lateral leading only placing returning session_user some symmetric " +
    "then trailing using variadic window any authorization binary concurrently cross freeze full ilike inner join " +
    "left natural notnull outer overlaps right similar tablesample verbose isnull";

  it.each(mustBeReserved.split(" "))("reserves %s", (word) => {
    expect(RESERVED_WORDS.has(word)).toBe(true);
    expect(isValidIdentifier(word)).toBe(false);
  });

  it.each([
    ["customer", true],
    ["sales_order_line", true],
    ["a".repeat(63), true],
    ["a".repeat(64), false],
    ["Customer", false],
    ["_customer", false],
    ["customer-name", false],
    ["", false],
    [42, false],
  ])("isValidIdentifier(%j) is %s", (name, expected) => {
    expect(isValidIdentifier(name)).toBe(expected);
  });
});

describe("autoNumberFormatProblem", () => {
  it.each(["C-{YYYY}-{SEQ:6}", "{YY}{MM}{DD}{SEQ:1}", "SEQ{SEQ:12}", "订单-{SEQ:4}"])("accepts %s", (format) => {
    expect(autoNumberFormatProblem(format)).toBeUndefined();
  });

  it.each(["C-{YYYY}", "{SEQ:0}", "{SEQ:13}", "{SEQ}", "{yyyy}-{SEQ:4}", "{SEQ:4}{SEQ:4}", "{SEQ:4", "}{SEQ:4}"])(
    "rejects %s",
    (format) => {
      expect(autoNumberFormatProblem(format)?.en).toBeTruthy();
    },
  );
});

describe("collectVarReferences", () => {
  it("finds names in both var forms, under any operator, with escaped pointers", () => {
    const expression = { if: [{ var: "a.b" }, { "/": [{ var: ["c", 0] }, 2] }, { var: { cat: [{ var: "d" }] } }] };
    expect(collectVarReferences(expression, "/expression")).toEqual([
      { field: "a", path: "/expression/if/0/var" },
      { field: "c", path: "/expression/if/1/~1/0/var/0" },
      { field: "d", path: "/expression/if/2/var/cat/0/var" },
    ]);
  });

  it("ignores primitives and the whole-record var", () => {
    expect(collectVarReferences(true, "")).toEqual([]);
    expect(collectVarReferences({ var: "" }, "")).toEqual([]);
  });
});
