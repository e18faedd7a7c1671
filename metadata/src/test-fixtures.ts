// A small valid model for tests: each test case breaks exactly one thing in a fresh copy.
import {
  ACTIONS,
  type FieldDefinition,
  type LocalizedText,
  type ObjectDefinition,
  type OptionSetDefinition,
  type RoleDefinition,
} from "./types";

export const label = (en: string): LocalizedText => ({ "zh-CN": `中文 ${en}`, en });

export const field = (name: string, type: FieldDefinition["type"], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  name,
  type,
  label: label(name),
  ...extra,
});

export interface TestModel {
  objects: ObjectDefinition[];
  optionSets: OptionSetDefinition[];
  roles?: RoleDefinition[];
}

/**
 * department, employee, customer (ownership, auto number, rules, indexes), sales_order with its
 * detail sales_order_line, and the option set customer_status. Field positions are part of the
 * fixture: tests address fields by index (customer: 0 code, 1 name, 2 status, 3 score, 4 level).
 */
export function validModel(): TestModel {
  return {
    objects: [
      {
        name: "department",
        label: label("Department"),
        fields: [field("name", "text"), field("manager_id", "employee")],
      },
      {
        name: "employee",
        label: label("Employee"),
        fields: [field("name", "text"), field("department_id", "department")],
      },
      {
        name: "customer",
        label: label("Customer"),
        ownership: true,
        displayField: "name",
        numberField: "code",
        defaultSort: "-created_at,name",
        fields: [
          field("code", "auto_number", { format: "C-{YYYY}{MM}-{SEQ:6}" }),
          field("name", "text", { required: true, maxLength: 100, default: "ACME" }),
          field("status", "picklist", { optionSet: "customer_status", default: "potential" }),
          field("score", "integer", { min: 0, max: 100, default: 50 }),
          field("level", "picklist", { options: ["a", { value: "b", label: label("B"), color: "green" }] }),
        ],
        validationRules: [
          {
            name: "score_when_formal",
            field: "score",
            expression: { or: [{ "!=": [{ var: "status" }, "formal"] }, { ">": [{ var: ["score", 0] }, 0] }] },
            message: label("Formal customers need a score"),
          },
        ],
        indexes: [{ name: "customer_owner_status", fields: ["owner_id", "status"] }],
      },
      {
        name: "sales_order",
        label: label("Sales order"),
        fields: [
          field("customer_id", "lookup", { target: "customer", required: true }),
          field("lines", "master_detail", { target: "sales_order_line" }),
          field("total", "formula", { expression: { "*": [{ var: "customer_id.discount" }, 1] }, resultType: "amount" }),
        ],
      },
      {
        name: "sales_order_line",
        label: label("Sales order line"),
        fields: [field("quantity", "decimal", { scale: 3, default: { expression: { var: "parent_id.default_quantity" } } })],
        validationRules: [{ name: "positive", expression: { ">": [{ var: "quantity" }, 0] }, message: label("Positive") }],
      },
    ],
    optionSets: [{ name: "customer_status", label: label("Customer status"), options: ["potential", "formal"] }],
  };
}

export function objectNamed(model: TestModel, name: string): ObjectDefinition {
  const object = model.objects.find((o) => o.name === name);
  if (!object) throw new Error(`fixture has no object ${name}`);
  return object;
}

/** What modelWithRoles() always has: the roles and their model are in the test's fresh copy. */
export interface TestModelWithRoles extends TestModel {
  roles: RoleDefinition[];
}

/**
 * validModel() plus contact (ownership, belongs to a customer) and two valid roles: sales_rep
 * (roles/0: per-object functions, scopes and field access) and admin (roles/1: everything via "*").
 */
export function modelWithRoles(): TestModelWithRoles {
  const model = validModel();
  model.objects.push({
    name: "contact",
    label: label("Contact"),
    ownership: true,
    belongsToCustomer: true,
    fields: [field("name", "text"), field("mobile", "phone")],
  });
  return {
    ...model,
    roles: [
      {
        name: "sales_rep",
        label: label("Sales rep"),
        functions: { customer: ["view", "create", "edit"], contact: ["view", "edit"], sales_order: ["view", "export"] },
        menus: ["sales"],
        records: {
          customer: { view: { any: ["owner", "related", "customer_dimension"] }, edit: "owner" },
          contact: { view: { any: ["customer", "department_and_below"] }, edit: { all: ["owner", "department"] } },
          sales_order: { view: "all" },
        },
        fields: { customer: { score: "read_only", owner_id: "hidden" }, contact: { customer_id: "read_only", mobile: "hidden" } },
        dimensions: { customer: "granted", inventory: "query" },
      },
      {
        name: "admin",
        label: label("Administrator"),
        description: label("Everything everywhere"),
        functions: { "*": [...ACTIONS] },
        menus: ["sales", "base"],
        records: { "*": { view: "all", edit: { any: ["owner", "customer"] } } },
        dimensions: { customer: "all", inventory: "supervisor", sales_type: "supervisor", supplier: "supervisor", warehouse: "none" },
      },
    ],
  };
}

export function roleNamed(model: TestModelWithRoles, name: string): RoleDefinition {
  const role = model.roles.find((r) => r.name === name);
  if (!role) throw new Error(`fixture has no role ${name}`);
  return role;
}
