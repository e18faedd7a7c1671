// Schema validation of single documents: bad documents → the exact JSON pointers ajv must report.
import { describe, expect, it } from "vitest";
import { validateObjectDefinition, validateOptionSet, validatePackManifest } from "./structural";
import { field, label } from "./test-fixtures";
import type { MetadataIssue } from "./types";

const objectWith = (...fields: unknown[]) => ({ name: "thing", label: label("Thing"), fields });

const paths = (issues: MetadataIssue[]) => issues.map((i) => i.path).sort();

function expectBilingual(issues: MetadataIssue[]): void {
  for (const { message } of issues) {
    expect(message["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
    expect(message.en).toMatch(/^[\x20-\x7e]+$/);
  }
}

const objectCases: Array<[string, unknown, string[]]> = [
  ["not an object", "customer", [""]],
  ["null", null, [""]],
  ["missing fields and a typo", { name: "thing", label: label("Thing"), fileds: [] }, ["/fields", "/fileds"]],
  ["no fields", objectWith(), ["/fields"]],
  ["upper-case name", { ...objectWith(field("a", "text")), name: "Customer" }, ["/name"]],
  ["name starting with a digit", { ...objectWith(field("a", "text")), name: "1st" }, ["/name"]],
  ["name of 64 characters", { ...objectWith(field("a", "text")), name: "a".repeat(64) }, ["/name"]],
  ["label without en", { ...objectWith(field("a", "text")), label: { "zh-CN": "东西" } }, ["/label/en"]],
  ["empty zh-CN label", { ...objectWith(field("a", "text")), label: { "zh-CN": "", en: "Thing" } }, ["/label/zh-CN"]],
  ["extra language in a label", { ...objectWith(field("a", "text")), label: { ...label("x"), ja: "物" } }, ["/label/ja"]],
  ["unknown object option", { ...objectWith(field("a", "text")), options: { workflows: true } }, ["/options/workflows"]],
  ["defaultSort with a space", { ...objectWith(field("a", "text")), defaultSort: "a desc" }, ["/defaultSort"]],
  ["unknown field type", objectWith(field("a", "lokup" as never)), ["/fields/0/type"]],
  ["misspelt field property", objectWith({ ...field("a", "text"), requried: true }), ["/fields/0/requried"]],
  ["lookup without target", objectWith(field("a", "lookup")), ["/fields/0/target"]],
  ["master_detail without target", objectWith(field("a", "master_detail")), ["/fields/0/target"]],
  ["target on a text field", objectWith(field("a", "text", { target: "customer" })), ["/fields/0/target"]],
  ["picklist without options or optionSet", objectWith(field("a", "picklist")), ["/fields/0/optionSet"]],
  ["picklist with both options and optionSet", objectWith(field("a", "multi_picklist", { options: ["x"], optionSet: "s" })), ["/fields/0/optionSet"]],
  ["picklist with no options", objectWith(field("a", "picklist", { options: [] })), ["/fields/0/options"]],
  ["option that is a number", objectWith(field("a", "picklist", { options: [1 as never] })), ["/fields/0/options/0"]],
  ["option with a bad colour", objectWith(field("a", "picklist", { options: [{ value: "x", color: "#12" }] })), ["/fields/0/options/0/color"]],
  ["options on a text field", objectWith(field("a", "text", { options: ["x"] })), ["/fields/0/options"]],
  ["formula without expression and resultType", objectWith(field("a", "formula")), ["/fields/0/expression", "/fields/0/resultType"]],
  ["formula with an unknown resultType", objectWith(field("a", "formula", { expression: 1, resultType: "money" as never })), ["/fields/0/resultType"]],
  ["formula with a null expression", objectWith(field("a", "formula", { expression: null, resultType: "text" })), ["/fields/0/expression"]],
  ["auto_number without format", objectWith(field("a", "auto_number")), ["/fields/0/format"]],
  ["maxLength on an integer", objectWith(field("a", "integer", { maxLength: 10 })), ["/fields/0/maxLength"]],
  ["a dimension on an amount", objectWith(field("a", "amount", { dimension: "inventory" })), ["/fields/0/dimension"]],
  ["an unknown field dimension", objectWith(field("a", "text", { dimension: "region" as never })), ["/fields/0/dimension"]],
  ["an unknown object dimension", { ...objectWith(field("a", "text")), dimension: "customer" }, ["/dimension"]],
  ["maxLength 0", objectWith(field("a", "text", { maxLength: 0 })), ["/fields/0/maxLength"]],
  ["maxLength 100001", objectWith(field("a", "textarea", { maxLength: 100001 })), ["/fields/0/maxLength"]],
  ["min and max on a date", objectWith(field("a", "date", { min: 0, max: 1 })), ["/fields/0/max", "/fields/0/min"]],
  ["scale 7", objectWith(field("a", "amount", { scale: 7 })), ["/fields/0/scale"]],
  ["scale on an integer", objectWith(field("a", "integer", { scale: 2 })), ["/fields/0/scale"]],
  ["default on an auto_number", objectWith(field("a", "auto_number", { format: "{SEQ:4}", default: "1" })), ["/fields/0/default"]],
  ["default object without expression", objectWith(field("a", "text", { default: { value: "x" } })), ["/fields/0/default/expression", "/fields/0/default/value"]],
  ["validation rule without message", { ...objectWith(field("a", "text")), validationRules: [{ name: "r", expression: true }] }, ["/validationRules/0/message"]],
  ["index without fields", { ...objectWith(field("a", "text")), indexes: [{ fields: [] }] }, ["/indexes/0/fields"]],
  ["index repeating a field", { ...objectWith(field("a", "text")), indexes: [{ fields: ["a", "a"] }] }, ["/indexes/0/fields"]],
];

describe("validateObjectDefinition", () => {
  it("accepts a definition using every field type correctly", () => {
    const doc = objectWith(
      field("a", "text", { maxLength: 10, required: true, unique: true, indexed: true, searchable: true }),
      field("b", "amount", { min: 0, max: 10, scale: 4, default: 1 }),
      field("c", "picklist", { options: ["x", { value: "y", label: label("Y"), color: "#00ff00" }] }),
      field("d", "multi_picklist", { optionSet: "s" }),
      field("e", "lookup", { target: "customer" }),
      field("f", "formula", { expression: { "+": [1, 1] }, resultType: "integer", scale: 0 }),
      field("g", "auto_number", { format: "X-{SEQ:4}" }),
      field("h", "date", { default: { expression: { var: "a" } } }),
    );
    expect(validateObjectDefinition(doc)).toEqual([]);
  });

  it.each(objectCases)("reports %s", (_description, doc, expected) => {
    const issues = validateObjectDefinition(doc);
    expect(paths(issues)).toEqual(expected);
    expectBilingual(issues);
  });

  it("tags issues with the document when given", () => {
    expect(validateObjectDefinition(null, "objects/x")).toEqual([
      { path: "", document: "objects/x", message: { "zh-CN": "应当是 object 类型", en: "must be object" } },
    ]);
  });

  it("explains properties forbidden by the field type in both languages", () => {
    const [issue] = validateObjectDefinition(objectWith(field("a", "integer", { maxLength: 10 })));
    expect(issue.message).toEqual({ "zh-CN": '该字段类型不允许设置 "maxLength"', en: '"maxLength" is not allowed for this field type' });
    const [both] = validateObjectDefinition(objectWith(field("a", "picklist", { options: ["x"], optionSet: "s" })));
    expect(both.message.en).toBe('must not be set together with "options"');
  });
});

describe("validateOptionSet", () => {
  it.each<[string, unknown, string[]]>([
    ["no options", { name: "s", label: label("S"), options: [] }, ["/options"]],
    ["an empty option value", { name: "s", label: label("S"), options: [""] }, ["/options/0"]],
    ["a misspelt option key", { name: "s", label: label("S"), options: [{ valeu: "x" }] }, ["/options/0/valeu", "/options/0/value"]],
  ])("reports %s", (_description, doc, expected) => {
    expect(paths(validateOptionSet(doc))).toEqual(expected);
  });
});

describe("validatePackManifest", () => {
  it("accepts a manifest", () => {
    expect(validatePackManifest({ name: "distribution", version: "1.2.0-beta.1", label: label("D"), requires: ["standard"] })).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ["a two-part version", { name: "p", version: "1.0", label: label("P") }, ["/version"]],
    ["a bad required pack name", { name: "p", version: "1.0.0", label: label("P"), requires: ["Standard"] }, ["/requires/0"]],
    ["a repeated required pack", { name: "p", version: "1.0.0", label: label("P"), requires: ["a", "a"] }, ["/requires"]],
    ["no label", { name: "p", version: "1.0.0" }, ["/label"]],
  ])("reports %s", (_description, doc, expected) => {
    expect(paths(validatePackManifest(doc))).toEqual(expected);
  });
});
