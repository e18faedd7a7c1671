// Roles: their schema, their cross checks against the model, and their canonical form.
import { describe, expect, it } from "vitest";
import { canonicalRole } from "./canonical";
import { validateRole } from "./structural";
import { label, modelWithRoles, roleNamed, type TestModelWithRoles } from "./test-fixtures";
import type { MetadataIssue, RoleDefinition } from "./types";
import { formatIssues, validateModel } from "./validate";

const paths = (issues: MetadataIssue[]) => issues.map((i) => i.path).sort();
const where = (issues: MetadataIssue[]) => issues.map((i) => `${i.document} ${i.path}`);

function expectBilingual(issues: MetadataIssue[]): void {
  for (const { message } of issues) {
    expect(message["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
    expect(message.en).toMatch(/^[\x20-\x7e]+$/);
    expect(message.en).not.toBe(message["zh-CN"]);
  }
}

/** A minimal valid role with `extra` merged in. */
const roleWith = (extra: Record<string, unknown>) => ({ name: "r", label: label("R"), functions: {}, ...extra });
const viewCustomer = (view: unknown) => roleWith({ records: { customer: { view } } });

describe("validateRole", () => {
  it.each(modelWithRoles().roles)("accepts the fixture role $name", (role) => {
    expect(validateRole(role)).toEqual([]);
  });

  it("accepts a role with only name, label and functions", () => {
    expect(validateRole(roleWith({}))).toEqual([]);
  });

  const cases: Array<[string, unknown, string[]]> = [
    ["not an object", "sales_rep", [""]],
    ["no label and no functions", { name: "r" }, ["/functions", "/label"]],
    ["an upper-case name", roleWith({ name: "Sales" }), ["/name"]],
    ["an unknown key", roleWith({ permissions: {} }), ["/permissions"]],
    ["an extra language in the label", roleWith({ label: { ...label("R"), ja: "役" } }), ["/label/ja"]],
    // functions
    ["functions given as a list", roleWith({ functions: ["view"] }), ["/functions"]],
    ["a functions key that is not a name", roleWith({ functions: { Customer: ["view"] } }), ["/functions/Customer"]],
    ["a functions key with a slash (escaped)", roleWith({ functions: { "a/b": [] } }), ["/functions/a~1b"]],
    ["an action that is not a name", roleWith({ functions: { customer: ["view", "Update"] } }), ["/functions/customer/1"]],
    ["a repeated action", roleWith({ functions: { "*": ["view", "view"] } }), ["/functions/*"]],
    // menus
    ["a menu that is not a name", roleWith({ menus: ["Sales"] }), ["/menus/0"]],
    ["a repeated menu", roleWith({ menus: ["sales", "sales"] }), ["/menus"]],
    // records and scope terms
    ["a records key that is not a name", roleWith({ records: { "**": { view: "all" } } }), ["/records/**"]],
    ["an unknown rule key", roleWith({ records: { customer: { view: "all", delete: "none" } } }), ["/records/customer/delete"]],
    ["an unknown term", viewCustomer("ownr"), ["/records/customer/view"]],
    ["a term that is a number", viewCustomer(1), ["/records/customer/view"]],
    ["a term that is a bare list", viewCustomer(["owner"]), ["/records/customer/view"]],
    ["an empty any", viewCustomer({ any: [] }), ["/records/customer/view/any"]],
    ["any and all together", viewCustomer({ any: ["owner"], all: ["related"] }), ["/records/customer/view"]],
    ["an empty combinator", viewCustomer({}), ["/records/customer/view"]],
    ["a misspelt combinator", viewCustomer({ anx: ["owner"] }), ["/records/customer/view/anx"]],
    [
      "an unknown term deep inside",
      roleWith({ records: { customer: { edit: { any: ["owner", { all: ["department", "boss"] }] } } } }),
      ["/records/customer/edit/any/1/all/1"],
    ],
    // fields
    ["a fields key that is not a name", roleWith({ fields: { Customer: {} } }), ["/fields/Customer"]],
    ['a fields key "*" (field names belong to one object)', roleWith({ fields: { "*": { name: "hidden" } } }), ["/fields/*"]],
    ["a field name that is not a name", roleWith({ fields: { customer: { "*": "hidden" } } }), ["/fields/customer/*"]],
    ["an unknown field access", roleWith({ fields: { customer: { name: "write" } } }), ["/fields/customer/name"]],
    // dimensions
    ["an unknown dimension", roleWith({ dimensions: { region: "query" } }), ["/dimensions/region"]],
    ["an unknown dimension level", roleWith({ dimensions: { inventory: "read" } }), ["/dimensions/inventory"]],
    ["a level for the customer dimension", roleWith({ dimensions: { customer: "query" } }), ["/dimensions/customer"]],
  ];

  it.each(cases)("reports %s", (_description, doc, expected) => {
    const issues = validateRole(doc);
    expect(paths(issues)).toEqual(expected);
    expectBilingual(issues);
  });

  it("explains a malformed combinator and a bad key in both languages", () => {
    expect(validateRole(viewCustomer({ any: ["owner"], all: ["related"] }), "roles/r")).toEqual([
      {
        path: "/records/customer/view",
        document: "roles/r",
        message: {
          "zh-CN": '组合范围必须是 { "any": [...] } 或 { "all": [...] } 二者之一',
          en: 'must be exactly one of { "any": [...] } or { "all": [...] }',
        },
      },
    ]);
    const [key] = validateRole(roleWith({ functions: { Customer: ["view"] } }));
    expect(key.message).toEqual({
      "zh-CN": '应当匹配模式 "^(\\*|[a-z][a-z0-9_]{0,62})$"',
      en: 'must match pattern "^(\\*|[a-z][a-z0-9_]{0,62})$"',
    });
  });
});

type Case = [description: string, breakIt: (model: TestModelWithRoles) => void, expected: string[]];

const rep = (m: TestModelWithRoles) => roleNamed(m, "sales_rep");
const admin = (m: TestModelWithRoles) => roleNamed(m, "admin");

const crossCases: Case[] = [
  // documents
  ["a duplicate role name", (m) => m.roles.push(modelWithRoles().roles[1]), ["roles/admin /name"]],
  ["a role without a name", (m) => delete (m.roles[1] as Partial<RoleDefinition>).name, ["roles/#1 /name"]],
  [
    "a schema error (and nothing else: cross checks skip the role)",
    (m) => {
      rep(m).functions.customer.push("Update" as never);
      rep(m).functions.invoice = ["view"];
    },
    ["roles/sales_rep /functions/customer/3"],
  ],
  ["an action the object does not declare", (m) => rep(m).functions.customer.push("update"), ["roles/sales_rep /functions/customer/3"]],
  // objects named by the role
  ["functions of a missing object", (m) => (rep(m).functions.invoice = ["view"]), ["roles/sales_rep /functions/invoice"]],
  [
    "records of a missing object (no scope or edit issues on top)",
    (m) => (rep(m).records!.invoice = { view: "owner", edit: "owner" }),
    ["roles/sales_rep /records/invoice"],
  ],
  ["fields of a missing object", (m) => (rep(m).fields!.invoice = { total: "hidden" }), ["roles/sales_rep /fields/invoice"]],
  // fields named by the role
  ["a field the object does not have", (m) => (rep(m).fields!.customer.title = "hidden"), ["roles/sales_rep /fields/customer/title"]],
  ["a system field", (m) => (rep(m).fields!.customer.created_at = "read_only"), ["roles/sales_rep /fields/customer/created_at"]],
  [
    "an ownership field of an object without ownership",
    (m) => (rep(m).fields!.sales_order = { owner_id: "hidden", related_employee_ids: "hidden" }),
    ["roles/sales_rep /fields/sales_order/owner_id", "roles/sales_rep /fields/sales_order/related_employee_ids"],
  ],
  [
    "customer_id of an object that does not belong to a customer",
    (m) => (rep(m).fields!.customer.customer_id = "read_only"),
    ["roles/sales_rep /fields/customer/customer_id"],
  ],
  // scope terms
  ["customer on an object without a customer", (m) => (rep(m).records!.department = { view: "customer" }), ["roles/sales_rep /records/department/view"]],
  [
    "customer on customer itself (its own customer does not exist)",
    (m) => (rep(m).records!.customer.view = { any: ["owner", "customer"] }),
    ["roles/sales_rep /records/customer/view/any/1"],
  ],
  [
    "customer_dimension deep inside a scope",
    (m) => (rep(m).records!.department = { view: { any: ["all", { all: ["none", "customer_dimension"] }] } }),
    ["roles/sales_rep /records/department/view/any/1/all/1"],
  ],
  [
    "owner and related on an object without ownership",
    (m) => (rep(m).records!.sales_order.view = { any: ["owner", "related", "all"] }),
    ["roles/sales_rep /records/sales_order/view/any/0", "roles/sales_rep /records/sales_order/view/any/1"],
  ],
  [
    "department terms on an object without ownership",
    (m) => (rep(m).records!.department = { view: { any: ["department", "department_and_below", "department_range"] } }),
    [
      "roles/sales_rep /records/department/view/any/0",
      "roles/sales_rep /records/department/view/any/1",
      "roles/sales_rep /records/department/view/any/2",
    ],
  ],
  // edit scopes
  ["an edit scope without the edit function", (m) => (rep(m).records!.sales_order.edit = "all"), ["roles/sales_rep /records/sales_order/edit"]],
  [
    "an edit scope without the edit function, with a term that does not fit",
    (m) => (rep(m).records!.sales_order.edit = "owner"),
    ["roles/sales_rep /records/sales_order/edit", "roles/sales_rep /records/sales_order/edit"],
  ],
  [
    'the edit function in "*" for an object with functions of its own (they replace "*")',
    (m) => {
      rep(m).functions["*"] = ["view", "edit"];
      rep(m).records!.sales_order.edit = "all";
    },
    ["roles/sales_rep /records/sales_order/edit"],
  ],
  ['a "*" edit scope without any edit function', (m) => (admin(m).functions = { "*": ["view", "export"] }), ["roles/admin /records/*/edit"]],
  [
    'a "*" edit scope whose only editable object has a rule of its own',
    (m) => {
      admin(m).functions = { "*": ["view"], customer: ["view", "edit"] };
      admin(m).records!.customer = { view: "all" };
    },
    ["roles/admin /records/*/edit"],
  ],
];

describe("validateModel with roles", () => {
  it("accepts the fixture model and its roles", () => {
    expect(formatIssues(validateModel(modelWithRoles()), "en")).toEqual([]);
  });

  it.each(crossCases)("reports %s", (_description, breakIt, expected) => {
    const model = modelWithRoles();
    breakIt(model);
    const issues = validateModel(model);
    expect(where(issues)).toEqual(expected);
    expectBilingual(issues);
  });

  const accepted: Array<[string, (m: TestModelWithRoles) => void]> = [
    ["a role with only name, label and functions", (m) => m.roles.push({ name: "guest", label: label("Guest"), functions: {} })],
    ['the edit function through "*" for an object without functions of its own', (m) => {
      rep(m).functions["*"] = ["view", "edit"];
      rep(m).records!.department = { view: "all", edit: "all" };
    }],
    ['a "*" edit scope serving an object with the edit function', (m) => (admin(m).functions = { "*": ["view"], customer: ["view", "edit"] })],
    ["customer_dimension on customer itself", (m) => (rep(m).records!.customer.view = "customer_dimension")],
    [
      "customer terms on an object that declares customer_id",
      (m) => (rep(m).records!.sales_order.view = { any: ["customer", "customer_dimension"] }),
    ],
    ['terms under "*" that fit only some objects', (m) => (admin(m).records!["*"].view = { any: ["related", "customer_dimension", "department_range"] })],
    ["a declared customer_id on an object that does not belong to a customer", (m) => (rep(m).fields!.sales_order = { customer_id: "hidden" })],
    ["keys of objects that are structurally broken", (m) => {
      m.objects[0].fields.push({ name: "x" } as never);
      rep(m).fields!.department = { nope: "hidden" };
      rep(m).records!.department = { view: "owner" };
    }],
  ];

  it.each(accepted)("accepts %s", (_description, change) => {
    const model = modelWithRoles();
    change(model);
    // Only the schema issue planted in a broken object may remain.
    expect(formatIssues(validateModel(model), "en").filter((line) => line.startsWith("roles/"))).toEqual([]);
  });

  it("explains scope and edit problems in both languages", () => {
    const model = modelWithRoles();
    rep(model).records!.department = { view: { any: ["customer", "customer_dimension"] }, edit: "owner" };
    expect(validateModel(model).map((i) => [i.path, i.message])).toEqual([
      [
        "/records/department/view/any/0",
        {
          "zh-CN": '数据范围 "customer" 只适用于归属客户（有 customer_id）的对象，对象 "department" 不是',
          en: 'scope "customer" applies only to objects that belong to a customer (have customer_id); "department" does not',
        },
      ],
      [
        "/records/department/view/any/1",
        {
          "zh-CN": '数据范围 "customer_dimension" 只适用于客户对象和归属客户的对象，对象 "department" 两者都不是',
          en: 'scope "customer_dimension" applies only to customer and to objects that belong to a customer; "department" is neither',
        },
      ],
      [
        "/records/department/edit",
        {
          "zh-CN": '数据范围 "owner" 需要对象启用数据权限（ownership），对象 "department" 未启用',
          en: 'scope "owner" needs an object with ownership; "department" has none',
        },
      ],
      [
        "/records/department/edit",
        {
          "zh-CN": '设置了编辑范围，但角色没有对象 "department" 的编辑（edit）权限',
          en: 'edit scope without the edit permission on object "department"',
        },
      ],
    ]);
  });

  it("explains names that do not exist in both languages", () => {
    const model = modelWithRoles();
    rep(model).functions.invoice = ["view"];
    rep(model).fields!.customer.title = "hidden";
    expect(validateModel(model)).toEqual([
      {
        document: "roles/sales_rep",
        path: "/functions/invoice",
        message: { "zh-CN": '对象 "invoice" 不存在', en: 'object "invoice" does not exist' },
      },
      {
        document: "roles/sales_rep",
        path: "/fields/customer/title",
        message: { "zh-CN": '对象 "customer" 没有字段 "title"', en: 'object "customer" has no field "title"' },
      },
    ]);
  });
});

describe("canonicalRole", () => {
  const tidy: RoleDefinition = {
    name: "sales_rep",
    label: { "zh-CN": "销售", en: "Sales rep" },
    functions: { "*": ["view"], customer: ["view", "edit", "export"], lead: ["create", "convert"] },
    menus: ["sales", "base"],
    records: { "*": { view: "owner" }, customer: { view: { any: ["owner", "related"] }, edit: "owner" } },
    fields: { customer: { credit_limit: "hidden", name: "read_only" } },
    dimensions: { customer: "granted", inventory: "query", warehouse: "none" },
  };

  const messy = {
    dimensions: { warehouse: "none", customer: "granted", inventory: "query" },
    fields: { customer: { name: "read_only", credit_limit: "hidden" } },
    records: { customer: { edit: "owner", view: { any: ["owner", "related"] } }, "*": { view: "owner" } },
    menus: ["sales", "base"],
    functions: { lead: ["convert", "create"], customer: ["export", "edit", "view"], "*": ["view"] },
    description: undefined,
    label: { en: "Sales rep", "zh-CN": "销售" },
    name: "sales_rep",
  } as unknown as RoleDefinition;

  it("serializes equal roles identically", () => {
    expect(JSON.stringify(canonicalRole(messy))).toBe(JSON.stringify(canonicalRole(tidy)));
  });

  it('orders keys as types.ts declares them, object keys with "*" first, actions as ACTIONS lists them', () => {
    const canonical = canonicalRole(messy);
    expect(Object.keys(canonical)).toEqual(["name", "label", "functions", "menus", "records", "fields", "dimensions"]);
    expect(Object.keys(canonical.functions)).toEqual(["*", "customer", "lead"]);
    expect(canonical.functions.customer).toEqual(["view", "edit", "export"]);
    expect(canonical.functions.lead).toEqual(["create", "convert"]);
    expect(Object.keys(canonical.records!)).toEqual(["*", "customer"]);
    expect(Object.keys(canonical.records!.customer)).toEqual(["view", "edit"]);
    expect(Object.keys(canonical.fields!.customer)).toEqual(["credit_limit", "name"]);
    expect(Object.keys(canonical.dimensions!)).toEqual(["customer", "inventory", "warehouse"]);
  });

  it("keeps the order of menus and of any / all lists", () => {
    const canonical = canonicalRole({ ...tidy, records: { customer: { view: { all: ["related", { any: ["owner", "customer"] }] } } } });
    expect(canonical.menus).toEqual(["sales", "base"]);
    expect(JSON.stringify(canonical.records)).toBe('{"customer":{"view":{"all":["related",{"any":["owner","customer"]}]}}}');
  });

  it("keeps unknown keys after the known ones, sorted", () => {
    const canonical = canonicalRole({ ...tidy, zeta: 1, alpha: 2 } as unknown as RoleDefinition);
    expect(Object.keys(canonical).slice(-2)).toEqual(["alpha", "zeta"]);
  });

  it("is idempotent and does not mutate its input", () => {
    const before = JSON.stringify(messy);
    const once = canonicalRole(messy);
    expect(canonicalRole(once)).toEqual(once);
    expect(JSON.stringify(messy)).toBe(before);
  });
});
