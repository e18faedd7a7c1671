// The canonical form: stable key order, defaults left out, equal definitions serialize identically.
import { describe, expect, it } from "vitest";
import { canonicalObject, canonicalOptionSet, stableStringify } from "./canonical";
import type { ObjectDefinition } from "./types";

/** The same object twice: keys shuffled, defaults spelt out, undefined values sprinkled in. */
const tidy: ObjectDefinition = {
  name: "customer",
  label: { "zh-CN": "客户", en: "Customer" },
  ownership: true,
  options: { workflow: true },
  fields: [
    { name: "name", type: "text", label: { "zh-CN": "名称", en: "Name" }, required: true, maxLength: 100 },
    { name: "status", type: "picklist", label: { "zh-CN": "状态", en: "Status" }, options: ["a", { value: "b", label: { "zh-CN": "乙", en: "B" } }] },
  ],
  indexes: [{ fields: ["name"], unique: true }],
};

const messy = {
  fields: [
    { maxLength: 100, required: true, unique: false, indexed: false, searchable: false, label: { en: "Name", "zh-CN": "名称" }, type: "text", name: "name", default: undefined },
    { options: [{ value: "a" }, { label: { en: "B", "zh-CN": "乙" }, value: "b" }], label: { en: "Status", "zh-CN": "状态" }, type: "picklist", name: "status" },
  ],
  belongsToCustomer: false,
  validationRules: [],
  indexes: [{ unique: true, fields: ["name"] }],
  options: { workflow: true },
  ownership: true,
  label: { en: "Customer", "zh-CN": "客户" },
  description: undefined,
  name: "customer",
} as unknown as ObjectDefinition;

describe("canonicalObject", () => {
  it("serializes equal definitions identically", () => {
    expect(JSON.stringify(canonicalObject(messy))).toBe(JSON.stringify(canonicalObject(tidy)));
  });

  it("orders keys as types.ts declares them", () => {
    const canonical = canonicalObject(messy);
    expect(Object.keys(canonical)).toEqual(["name", "label", "ownership", "options", "fields", "indexes"]);
    expect(Object.keys(canonical.label)).toEqual(["zh-CN", "en"]);
    expect(Object.keys(canonical.fields[0])).toEqual(["name", "type", "label", "required", "maxLength"]);
  });

  it("leaves out false defaults, empty lists and undefined, but keeps meaningful false", () => {
    const canonical = canonicalObject({
      ...tidy,
      options: { workflow: false, approval: false },
      fields: [{ name: "vip", type: "boolean", label: tidy.label, required: false, default: false }],
      validationRules: [],
      indexes: [{ fields: ["vip"], unique: false }],
    });
    expect(canonical.fields[0]).toEqual({ name: "vip", type: "boolean", label: tidy.label, default: false });
    expect(canonical.options).toEqual({ workflow: false, approval: false });
    expect(canonical.indexes).toEqual([{ fields: ["vip"] }]);
    expect("validationRules" in canonical).toBe(false);
  });

  it("drops an empty options object", () => {
    expect("options" in canonicalObject({ ...tidy, options: {} })).toBe(false);
  });

  it("writes a bare-value option as a string and orders the others", () => {
    const options = canonicalObject(messy).fields[1].options;
    expect(options).toEqual(["a", { value: "b", label: { "zh-CN": "乙", en: "B" } }]);
    expect(Object.keys(options![1] as object)).toEqual(["value", "label"]);
  });

  it("sorts keys inside free-form JSON (expressions, defaults) but keeps array order", () => {
    const canonical = canonicalObject({
      ...tidy,
      fields: [{ name: "f", type: "formula", label: tidy.label, resultType: "text", expression: { if: [{ var: "b" }, { z: 1, a: 2 }, "x"] } }],
    });
    expect(JSON.stringify(canonical.fields[0].expression)).toBe('{"if":[{"var":"b"},{"a":2,"z":1},"x"]}');
  });

  it("keeps unknown keys after the known ones, sorted, so nothing is silently lost", () => {
    const canonical = canonicalObject({ ...tidy, zeta: 1, alpha: { y: 1, x: 2 } } as unknown as ObjectDefinition);
    expect(Object.keys(canonical).slice(-2)).toEqual(["alpha", "zeta"]);
    expect(JSON.stringify((canonical as unknown as { alpha: unknown }).alpha)).toBe('{"x":2,"y":1}');
  });

  it("is idempotent and does not mutate its input", () => {
    const before = JSON.stringify(messy);
    const once = canonicalObject(messy);
    expect(canonicalObject(once)).toEqual(once);
    expect(JSON.stringify(messy)).toBe(before);
  });
});

describe("canonicalOptionSet", () => {
  it("orders keys and simplifies bare options", () => {
    const set = canonicalOptionSet({ options: [{ value: "x" }], label: { en: "S", "zh-CN": "集" }, name: "s" } as never);
    expect(JSON.stringify(set)).toBe('{"name":"s","label":{"zh-CN":"集","en":"S"},"options":["x"]}');
  });
});

describe("stableStringify", () => {
  it.each<[string, unknown, string]>([
    ["nested object keys", { b: 1, a: { d: 1, c: [2, { f: 1, e: 0 }] } }, '{"a":{"c":[2,{"e":0,"f":1}],"d":1},"b":1}'],
    ["undefined values", { a: undefined, b: null }, '{"b":null}'],
    ["undefined in arrays", [undefined, 1], "[null,1]"],
    ["dates", { at: new Date("2024-01-02T03:04:05.000Z") }, '{"at":"2024-01-02T03:04:05.000Z"}'],
    ["primitives", "x", '"x"'],
    ["undefined", undefined, "null"],
  ])("handles %s", (_description, value, expected) => {
    expect(stableStringify(value)).toBe(expected);
  });

  it("gives the same string for differently ordered equal values", () => {
    expect(stableStringify({ x: 1, y: [1, 2] })).toBe(stableStringify({ y: [1, 2], x: 1 }));
    expect(stableStringify([1, 2])).not.toBe(stableStringify([2, 1]));
  });
});
