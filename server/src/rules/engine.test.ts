// Tests of the configured json-logic engine: null-safe ordering, no code execution, and the safety check.
import { describe, expect, it } from "vitest";
import { ExpressionError } from "./errors";
import { assertSafeExpression, engine, evaluate, matches, truthy, type SafetyOptions } from "./engine";

// [rule, data, expected]: the json-logic-js test format.
const EVALUATIONS: Array<[unknown, unknown, unknown]> = [
  [{ "<": [{ var: "x" }, 5] }, { x: null }, false],
  [{ "<": [{ var: "x" }, 5] }, {}, false],
  [{ "<=": [{ var: "x" }, 0] }, { x: null }, false],
  [{ ">": [{ var: "x" }, -1] }, { x: null }, false],
  [{ ">=": [{ var: "x" }, 0] }, { x: null }, false],
  [{ ">": [5, { var: "x" }] }, { x: null }, false],
  [{ "<": [null, null] }, {}, false],
  [{ "<": [1, { var: "x" }, 10] }, { x: null }, false],
  [{ "<=": [0, { var: "x" }, 10] }, { x: null }, false],
  [{ "<=": [0, 5, { var: "x" }] }, { x: null }, false],
  [{ "<": [1, { var: "x" }, 10] }, { x: 5 }, true],
  [{ "<": [1, { var: "x" }, 10] }, { x: 10 }, false],
  [{ "<=": [1, { var: "x" }, 10] }, { x: 10 }, true],
  [{ "<": [{ var: "x" }, 5] }, { x: 4 }, true],
  [{ ">=": [{ var: "x" }, "b"] }, { x: "b" }, true],
  [{ "!": { "<": [{ var: "x" }, 5] } }, { x: null }, true],
  // Everything else keeps standard json-logic semantics.
  [{ "==": [{ var: "x" }, null] }, { x: null }, true],
  [{ "==": [1, "1"] }, {}, true],
  [{ in: ["a", { var: "x" }] }, { x: null }, false],
  [{ and: [true, "x"] }, {}, "x"],
  [{ "!!": [[]] }, {}, false],
  [{ if: [{ var: "x" }, "yes", "no"] }, { x: 0 }, "no"],
  [{ cat: ["a", { var: "x.y" }] }, { x: { y: "b" } }, "ab"],
  [{ var: ["missing_key", 7] }, {}, 7],
  [{ missing: ["a", "b"] }, { a: 1 }, ["b"]],
  [{ missing_some: [1, ["a", "b"]] }, { a: 1 }, []],
];

describe("evaluate", () => {
  it.each(EVALUATIONS)("%j on %j is %j", (rule, data, expected) => {
    expect(evaluate(rule, data)).toEqual(expected);
  });

  it("has no method operation", () => {
    expect(() => engine.apply({ method: ["abc", "toUpperCase"] } as never, {})).toThrow(/Unrecognized operation/);
    expect(() => evaluate({ method: ["abc", "toUpperCase"] }, {})).toThrow(ExpressionError);
  });

  it("uses json-logic truthiness, where an empty array is false", () => {
    expect(truthy([])).toBe(false);
    expect(truthy("0")).toBe(true);
    expect(matches({ var: "tags" }, { tags: [] })).toBe(false);
    expect(matches({ var: "tags" }, { tags: ["a"] })).toBe(true);
  });
});

const longString = "x".repeat(10_001);
const nested = (levels: number): unknown => (levels === 0 ? 1 : { "+": [nested(levels - 1), 1] });

// [description, expression, options, JSON pointer of the error]
const UNSAFE: Array<[string, unknown, SafetyOptions, string]> = [
  ["unknown operator", { and: [{ "==": [1, 1] }, { map: [[1], { var: "" }] }] }, {}, "/and/1/map"],
  ["method", { method: ["x", "toString"] }, {}, "/method"],
  ["dotted operator", { "==.call": [1, 1] }, {}, "/==.call"],
  ["operator outside a custom allowlist", { "+": [1, 2] }, { allowedOperators: new Set(["=="]) }, "/+"],
  ["two keys", { "==": [1, 1], "!=": [1, 2] }, {}, ""],
  ["no key", { and: [{}] }, {}, "/and/0"],
  ["too deep", nested(17), {}, "/+/0".repeat(16)],
  ["too deep for a custom limit", nested(3), { maxDepth: 2 }, "/+/0/+/0"],
  ["literal arrays count as depth", { in: [1, [[[1]]]] }, { maxDepth: 3 }, "/in/1/0/0"],
  ["long array", { merge: [Array.from({ length: 501 }, () => 1)] }, {}, "/merge/0"],
  ["long argument list", { cat: Array.from({ length: 11 }, () => "a") }, { maxArrayLength: 10 }, "/cat"],
  ["long string", { "==": [{ var: "x" }, longString] }, {}, "/==/1"],
  ["computed var path", { var: { cat: ["a", "b"] } }, {}, "/var"],
  ["var with an empty path (the whole data)", { var: "" }, {}, "/var"],
  ["var with no path", { var: [] }, {}, "/var"],
  ["var with a null path", { var: null }, {}, "/var"],
  ["var __proto__", { var: "__proto__" }, {}, "/var"],
  ["var prototype", { var: "a.prototype" }, {}, "/var"],
  ["var constructor", { var: ["constructor", 1] }, {}, "/var/0"],
  ["var with an uppercase segment", { var: "a.toString" }, {}, "/var"],
  ["var with an empty segment", { var: "a..b" }, {}, "/var"],
  ["var with a negative index", { var: -1 }, {}, "/var"],
  ["var outside the allowed variables", { "!": { var: "salary.amount" } }, { allowedVariables: new Set(["name"]) }, "/!/var"],
  ["missing with a computed key", { missing: [{ var: "a" }] }, {}, "/missing/0"],
  ["missing with __proto__", { missing: [["a", "__proto__"]] }, {}, "/missing/0/1"],
  ["missing_some without a list", { missing_some: [1, "a"] }, {}, "/missing_some"],
  ["var default that is unsafe", { var: ["a", { method: [] }] }, {}, "/var/1/method"],
  ["escaped pointer segment", { "/": [1, { var: "a/b" }] }, {}, "/~1/1/var"],
  ["non-finite number", { "+": [1, Number.NaN] }, {}, "/+/1"],
  ["non-JSON value", { "==": [new Date(0), 1] }, {}, "/==/0"],
];

describe("assertSafeExpression", () => {
  it.each(UNSAFE)("rejects %s", (_description, expression, options, path) => {
    let caught: unknown;
    try {
      assertSafeExpression(expression, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    expect((caught as ExpressionError).path).toBe(path);
    expect((caught as ExpressionError).code).toBe("VALIDATION_FAILED");
    expect((caught as ExpressionError).messages.en).not.toBe("");
  });

  it.each([
    [{ and: [{ "==": [{ var: "status" }, "open"] }, { "<": [0, { var: "lines.0.amount" }, 100] }] }],
    [{ if: [{ missing: "a" }, { cat: ["x", { substr: [{ var: "name" }, 0, 2] }] }, { max: [1, 2] }] }],
    [{ var: 0 }],
    [{ var: ["items.2", null] }],
    [{ missing_some: [1, ["a", "b"]] }],
    [{ in: [{ var: "status" }, ["a", "b"]] }],
    [nested(15)],
    ["a literal"],
  ])("accepts %j", (expression) => {
    expect(() => assertSafeExpression(expression, { allowedVariables: new Set(["status", "lines", "name", "a", "b", "items", "0"]) })).not.toThrow();
  });

  it("checks a __proto__ key parsed from JSON", () => {
    const expression: unknown = JSON.parse('{"__proto__": {"var": "x"}}');
    expect(() => assertSafeExpression(expression)).toThrow(ExpressionError);
  });
});
