// Data-driven tests of the json-logic → SQL compiler: exact SQL per case, the evaluator's answers, and rejections.
import { describe, expect, it } from "vitest";
import knex, { type Knex } from "knex";
import { ExpressionError } from "./errors";
import { matches } from "./engine";
import { compileFilter } from "./filter-sql";
import { CASE_FIELDS, FILTER_CASES, fullRecord } from "./filter-cases";

describe("compileFilter: cases", () => {
  it.each(FILTER_CASES.filter((c) => c[3] !== undefined))("%s", (_description, expression, _records, expectedSql, expectedBindings) => {
    expect(compileFilter(expression, CASE_FIELDS)).toEqual({ sql: expectedSql, bindings: expectedBindings ?? [] });
  });
});

describe("evaluate: cases", () => {
  it.each(FILTER_CASES.filter((c) => c[2] !== undefined))("%s", (_description, expression, records) => {
    for (const [record, expected] of records ?? []) {
      expect({ record, result: matches(expression, fullRecord(record)) }).toEqual({ record, result: expected });
    }
  });
});

const longList = Array.from({ length: 10_000 }, (_, index) => `v${index}`);
const deep = (levels: number): unknown => (levels === 0 ? { var: "active" } : { "!": deep(levels - 1) });

// [description, expression, JSON pointer of the error]
const ERROR_CASES: Array<[string, unknown, string]> = [
  ["unknown field", { "==": [{ var: "nope" }, 1] }, "/==/0/var"],
  ["unknown field in a bare var", { and: [true, { var: "nope" }] }, "/and/1/var"],
  ["dotted path into a field", { "==": [{ var: "name.length" }, 1] }, "/==/0/var"],
  ["var with a default", { "==": [{ var: ["name", "x"] }, "x"] }, "/==/0/var"],
  ["operator outside the filter subset", { "+": [1, 2] }, "/+"],
  ["operator outside every allowlist", { and: [{ log: "x" }] }, "/and/0/log"],
  ["method", { method: [{ var: "name" }, "toUpperCase"] }, "/method"],
  ["__proto__ var", { "==": [{ var: "__proto__" }, null] }, "/==/0/var"],
  ["constructor segment", { "==": [{ var: "name.constructor" }, null] }, "/==/0/var"],
  ["object with two keys", { and: [{ "==": [{ var: "name" }, "a"], "!=": [{ var: "name" }, "b"] }] }, "/and/0"],
  ["depth 50", deep(50), "/!/!/!/!/!/!/!/!/!/!/!/!/!/!/!/!"],
  ["10,000-element in list", { in: [{ var: "name" }, longList] }, "/in/1"],
  ["number literal on a text field", { "==": [{ var: "name" }, 5] }, "/==/1"],
  ["text literal on a number field", { and: [{ "<": [{ var: "amount" }, "5"] }] }, "/and/0/</1"],
  ["uppercase uuid", { "==": [{ var: "owner" }, "0B6A3F5E-1C2D-4E5F-8A9B-0C1D2E3F4A5B"] }, "/==/1"],
  ["impossible date", { "==": [{ var: "due" }, "2024-02-30"] }, "/==/1"],
  ["datetime without milliseconds", { ">": [{ var: "seen_at" }, "2024-03-01T08:00:00Z"] }, "/>/1"],
  ["datetime with an offset", { ">": [{ var: "seen_at" }, "2024-03-01T08:00:00.000+08:00"] }, "/>/1"],
  ["ordering on a boolean", { "<": [{ var: "active" }, true] }, "/</0"],
  ["ordering on a uuid", { ">=": [{ var: "owner" }, "0b6a3f5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"] }, "/>=/0"],
  ["ordering on an array", { "<": [{ var: "tags" }, "a"] }, "/</0"],
  ["ordering against null", { "<": [{ var: "amount" }, null] }, "/</1"],
  ["ordering text beyond U+E000", { "<": [{ var: "name" }, "，"] }, "/</1"],
  ["== on an array field", { "==": [{ var: "tags" }, "a"] }, "/==/0"],
  ["field compared with a field", { "==": [{ var: "name" }, { var: "name" }] }, "/=="],
  ["literal compared with a literal", { "==": [1, 1] }, "/=="],
  ["three-argument >", { ">": [10, { var: "amount" }, 1] }, "/>"],
  ["between with the field outside", { "<": [{ var: "amount" }, 1, 10] }, "/<"],
  ["empty and", { and: [] }, "/and"],
  ["empty in list", { in: [{ var: "name" }, []] }, "/in/1"],
  ["nested list in an in list", { in: [{ var: "name" }, [["a"]]] }, "/in/1/0"],
  ["in on a number field", { in: ["1", { var: "amount" }] }, "/in/1"],
  ["in a literal text", { in: [{ var: "name" }, "abc"] }, "/in"],
  ["substring that is not text", { in: [1, { var: "name" }] }, "/in/0"],
  ["string as a condition", { or: ["yes"] }, "/or/0"],
  ["null as a condition", null, ""],
  ["lone surrogate", { "==": [{ var: "name" }, "\ud800"] }, "/==/1"],
  ["NUL character", { "==": [{ var: "name" }, "a\u0000"] }, "/==/1"],
];

describe("compileFilter: rejections", () => {
  it.each(ERROR_CASES)("%s", (_description, expression, path) => {
    let caught: unknown;
    try {
      compileFilter(expression, CASE_FIELDS);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    expect((caught as ExpressionError).path).toBe(path);
    expect((caught as ExpressionError).code).toBe("VALIDATION_FAILED");
    expect((caught as ExpressionError).messages["zh-CN"]).not.toBe("");
  });
});

describe("compileFilter: identifiers and knex", () => {
  it("qualifies columns with the table alias and quotes them", () => {
    const fields = new Map([["odd", { name: "odd", column: 'we"ird', kind: "text" as const }]]);
    expect(compileFilter({ "==": [{ var: "odd" }, "x"] }, fields, { tableAlias: "r" })).toEqual({
      sql: '("r"."we""ird" IS NOT NULL AND "r"."we""ird" = ?)',
      bindings: ["x"],
    });
  });

  it("plugs into knex whereRaw with matching placeholders", () => {
    const filter = compileFilter({ and: [{ in: [{ var: "name" }, ["a", "b"]] }, { "<": [1, { var: "amount" }, 9] }] }, CASE_FIELDS);
    const db = knex({ client: "pg" });
    const query = db.select("id").from("t").whereRaw(filter.sql, filter.bindings as Knex.RawBinding[]).toSQL().toNative();
    expect(query.sql).toBe(
      'select "id" from "t" where (("name" IS NOT NULL AND "name" IN ($1, $2)) AND ("amount" IS NOT NULL AND "amount" > $3 AND "amount" < $4))',
    );
    expect(query.bindings).toEqual(["a", "b", 1, 9]);
  });
});
