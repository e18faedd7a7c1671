// The filter builder's json-logic, operator by operator and type by type, and its parsing back into builder state.
import { describe, expect, it } from "vitest";
import {
  combineFilters,
  countConditions,
  emptyGroup,
  filterKindOf,
  fromJsonLogic,
  isComplete,
  newCondition,
  OPERATORS,
  toJsonLogic,
  type FilterCondition,
  type FilterGroup,
  type FilterKind,
  type OperatorId,
} from "./filter-model";

const kinds = new Map<string, FilterKind>([
  ["name", "text"],
  ["credit_limit", "number"],
  ["last_transaction_date", "date"],
  ["created_at", "datetime"],
  ["is_key", "boolean"],
  ["status", "option"],
  ["product_lines", "options"],
  ["owner_id", "reference"],
  ["related_employee_ids", "references"],
]);

const c = (field: string, operator: OperatorId, value?: unknown): FilterCondition =>
  value === undefined ? { type: "condition", field, operator } : { type: "condition", field, operator, value };
const group = (junction: "and" | "or", ...items: FilterGroup["items"]): FilterGroup => ({ type: "group", junction, items });
const v = (name: string) => ({ var: name });
const ID = "8f3c2a1e-0000-4000-8000-000000000001";
const ID2 = "8f3c2a1e-0000-4000-8000-000000000002";

// [condition, json-logic]: every operator of every kind.
const CASES: [FilterCondition, unknown][] = [
  [c("name", "contains", "化工"), { in: ["化工", v("name")] }],
  [c("name", "not_contains", "化工"), { "!": { in: ["化工", v("name")] } }],
  [c("name", "eq", "天津化工"), { "==": [v("name"), "天津化工"] }],
  [c("name", "ne", "天津化工"), { "!=": [v("name"), "天津化工"] }],
  [c("name", "empty"), { "==": [v("name"), null] }],
  [c("name", "not_empty"), { "!=": [v("name"), null] }],
  [c("credit_limit", "eq", 5000), { "==": [v("credit_limit"), 5000] }],
  [c("credit_limit", "ne", 5000), { "!=": [v("credit_limit"), 5000] }],
  [c("credit_limit", "gt", 5000), { ">": [v("credit_limit"), 5000] }],
  [c("credit_limit", "gte", 5000), { ">=": [v("credit_limit"), 5000] }],
  [c("credit_limit", "lt", 5000), { "<": [v("credit_limit"), 5000] }],
  [c("credit_limit", "lte", 5000), { "<=": [v("credit_limit"), 5000] }],
  [c("credit_limit", "between", [1000, 9000]), { "<=": [1000, v("credit_limit"), 9000] }],
  [c("credit_limit", "empty"), { "==": [v("credit_limit"), null] }],
  [c("last_transaction_date", "eq", "2026-03-01"), { "==": [v("last_transaction_date"), "2026-03-01"] }],
  [c("last_transaction_date", "between", ["2026-03-01", "2026-03-31"]), { "<=": ["2026-03-01", v("last_transaction_date"), "2026-03-31"] }],
  [c("created_at", "gte", "2026-03-01T00:00:00.000Z"), { ">=": [v("created_at"), "2026-03-01T00:00:00.000Z"] }],
  [c("is_key", "is_true"), { "==": [v("is_key"), true] }],
  [c("is_key", "is_false"), { "==": [v("is_key"), false] }],
  [c("status", "in", ["formal", "potential"]), { in: [v("status"), ["formal", "potential"]] }],
  [c("status", "not_in", ["formal"]), { "!": { in: [v("status"), ["formal"]] } }],
  [c("status", "eq", "formal"), { "==": [v("status"), "formal"] }],
  [c("status", "not_empty"), { "!=": [v("status"), null] }],
  [c("product_lines", "has", "coating"), { in: ["coating", v("product_lines")] }],
  [c("product_lines", "not_has", "coating"), { "!": { in: ["coating", v("product_lines")] } }],
  [c("owner_id", "eq", ID), { "==": [v("owner_id"), ID] }],
  [c("owner_id", "in", [ID, ID2]), { in: [v("owner_id"), [ID, ID2]] }],
  [c("owner_id", "not_in", [ID]), { "!": { in: [v("owner_id"), [ID]] } }],
  [c("related_employee_ids", "has", ID), { in: [ID, v("related_employee_ids")] }],
  [c("related_employee_ids", "not_has", ID), { "!": { in: [ID, v("related_employee_ids")] } }],
];

describe("json-logic of each operator", () => {
  it.each(CASES)("%j", (condition, logic) => {
    expect(OPERATORS[kinds.get(condition.field)!]).toContain(condition.operator);
    expect(toJsonLogic(condition)).toEqual(logic);
  });

  it.each(CASES)("parses %j back", (condition, logic) => {
    expect(fromJsonLogic(logic, kinds)).toEqual(group("and", condition));
  });
});

describe("groups", () => {
  const nested = group("and", c("status", "eq", "formal"), group("or", c("credit_limit", "gte", 10000), c("name", "contains", "化工")));
  const logic = { and: [{ "==": [v("status"), "formal"] }, { or: [{ ">=": [v("credit_limit"), 10000] }, { in: ["化工", v("name")] }] }] };

  it("nests and / or groups", () => {
    expect(toJsonLogic(nested)).toEqual(logic);
    expect(fromJsonLogic(logic, kinds)).toEqual(nested);
  });

  it("leaves out incomplete conditions and empty groups, and collapses single items", () => {
    const partial = group("and", c("status", "eq"), c("credit_limit", "between", [1, undefined]), group("or"), group("or", c("name", "contains", "化工")), c("owner_id", "in", []));
    expect(toJsonLogic(partial)).toEqual({ in: ["化工", v("name")] });
    expect(countConditions(partial)).toBe(1);
    expect(toJsonLogic(emptyGroup())).toBeUndefined();
    expect(countConditions(nested)).toBe(3);
  });

  it("reads no filter as an empty group, and refuses what it cannot show", () => {
    expect(fromJsonLogic(undefined, kinds)).toEqual(emptyGroup());
    expect(fromJsonLogic({ "==": [v("unknown_field"), 1] }, kinds)).toBeNull();
    expect(fromJsonLogic({ "+": [1, 2] }, kinds)).toBeNull();
    expect(fromJsonLogic({ and: [{ "==": [v("status"), "formal"] }, { "!": { var: "name" } }] }, kinds)).toBeNull();
    expect(fromJsonLogic({ "==": [v("status"), { var: "name" }] }, kinds)).toBeNull();
    // contains on a field that is neither text nor an array is not a builder condition.
    expect(fromJsonLogic({ in: ["x", v("status")] }, kinds)).toBeNull();
    expect(fromJsonLogic({ ">": [v("credit_limit"), null] }, kinds)).toBeNull();
  });

  it("reads a list quick filter's == on a boolean as yes / no", () => {
    expect(fromJsonLogic({ and: [{ "==": [v("is_key"), true] }, { "==": [v("owner_id"), ID] }] }, kinds)).toEqual(group("and", c("is_key", "is_true"), c("owner_id", "eq", ID)));
  });
});

describe("combining filters", () => {
  it("ands quick filters, the builder and a view, flattening ands", () => {
    const quick = { and: [{ "==": [v("status"), "formal"] }, { "==": [v("owner_id"), ID] }] };
    const advanced = { ">": [v("credit_limit"), 0] };
    expect(combineFilters(quick, undefined, advanced)).toEqual({ and: [...quick.and, advanced] });
    expect(combineFilters(undefined, advanced)).toEqual(advanced);
    expect(combineFilters(undefined, null)).toBeUndefined();
    expect(combineFilters({ or: [advanced, advanced] })).toEqual({ or: [advanced, advanced] });
  });
});

describe("fields and new conditions", () => {
  it("gives each field type its kind, and none to fields lists cannot filter by", () => {
    const kindOf = (type: string, name = "x") => filterKindOf({ name, type: type as never });
    expect(["text", "textarea", "email", "phone", "auto_number"].map((type) => kindOf(type))).toEqual(Array(5).fill("text"));
    expect(["integer", "decimal", "amount", "percent"].map((type) => kindOf(type))).toEqual(Array(4).fill("number"));
    expect(kindOf("date")).toBe("date");
    expect(kindOf("datetime")).toBe("datetime");
    expect(kindOf("boolean")).toBe("boolean");
    expect(kindOf("picklist")).toBe("option");
    expect(kindOf("multi_picklist")).toBe("options");
    expect(["lookup", "employee", "department"].map((type) => kindOf(type))).toEqual(Array(3).fill("reference"));
    expect(kindOf("employee", "related_employee_ids")).toBe("references");
    expect(["address", "attachment", "master_detail", "formula"].map((type) => kindOf(type))).toEqual([null, null, null, null]);
  });

  it("starts a condition with the kind's first operator; value-less operators are complete at once", () => {
    expect(newCondition("name", "text")).toEqual(c("name", "contains"));
    expect(newCondition("status", "option")).toEqual(c("status", "in"));
    expect(isComplete(c("is_key", "is_true"))).toBe(true);
    expect(isComplete(c("name", "contains", ""))).toBe(false);
    expect(isComplete(c("credit_limit", "eq", 0))).toBe(true);
  });
});
