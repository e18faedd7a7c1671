// Pure, data-driven tests of type-change casts: the USING expression and whether the change is narrowing.
import { describe, expect, it } from "vitest";
import { castExpression, isNarrowing } from "./casts";

/** [from, to, USING expression for column "v", narrowing] */
const CASES: [string, string, string, boolean][] = [
  ["bigint", "numeric(18,2)", `"v"::numeric(18,2)`, false],
  ["numeric(18,2)", "bigint", `"v"::bigint`, true],
  ["numeric(18,2)", "numeric(18,4)", `"v"::numeric(18,4)`, false],
  ["numeric(18,4)", "numeric(18,2)", `"v"::numeric(18,2)`, true],
  ["integer", "bigint", `"v"::bigint`, false],
  ["bigint", "integer", `"v"::integer`, true],
  ["date", "timestamptz", `"v"::timestamptz`, false],
  ["timestamptz", "date", `"v"::date`, true],
  ["text", "bigint", `"v"::bigint`, true],
  ["bigint", "text", `"v"::text`, false],
  ["boolean", "text", `"v"::text`, false],
  ["uuid", "text", `"v"::text`, false],
  ["text", "uuid", `"v"::uuid`, true],
  ["bigint", "uuid", `"v"::text::uuid`, true],
  ["bigint", "date", `"v"::text::date`, true],
  ["bigint", "boolean", `("v" <> 0)`, true],
  ["boolean", "bigint", `"v"::integer::bigint`, true],
  ["text", "text[]", `CASE WHEN "v" IS NULL THEN NULL ELSE ARRAY["v"::text] END`, false],
  ["uuid", "uuid[]", `CASE WHEN "v" IS NULL THEN NULL ELSE ARRAY["v"::uuid] END`, false],
  ["text[]", "text", `array_to_string("v", ',')`, true],
  ["uuid[]", "uuid", `("v")[1]::uuid`, true],
  ["uuid[]", "text[]", `"v"::text[]`, false],
  ["text[]", "uuid[]", `"v"::uuid[]`, true],
  ["jsonb", "text", `("v" #>> '{}')::text`, true],
  ["jsonb", "bigint", `("v" #>> '{}')::bigint`, true],
  ["text", "jsonb", `to_jsonb("v")`, false],
  ["text[]", "jsonb", `to_jsonb("v")`, false],
];

describe("castExpression / isNarrowing", () => {
  it.each(CASES)("%s → %s: USING %s, narrowing %s", (from, to, using, narrowing) => {
    expect(castExpression(`"v"`, from, to)).toBe(using);
    expect(isNarrowing(from, to)).toBe(narrowing);
  });

  it("treats an unchanged type as no change", () => {
    expect(isNarrowing("numeric(18,2)", "numeric(18,2)")).toBe(false);
  });
});
