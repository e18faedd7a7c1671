import { describe, expect, it } from "vitest";
import { availability } from "./available-when";

// [rule, record, expected]: the rules the standard objects declare, plus the fallbacks.
const CASES: [string, unknown, Record<string, unknown>, boolean | "unknown"][] = [
  ["no rule", undefined, {}, true],
  ["lead convert: new", { in: [{ var: "status" }, ["new", "working"]] }, { status: "new" }, true],
  ["lead convert: converted", { in: [{ var: "status" }, ["new", "working"]] }, { status: "converted" }, false],
  ["opportunity not lost", { "!=": [{ var: "stage" }, "lost"] }, { stage: "negotiation" }, true],
  ["opportunity lost", { "!=": [{ var: "stage" }, "lost"] }, { stage: "lost" }, false],
  ["close lost on won", { "!": { in: [{ var: "stage" }, ["won", "lost"]] } }, { stage: "won" }, false],
  ["close lost open", { "!": { in: [{ var: "stage" }, ["won", "lost"]] } }, { stage: "proposal" }, true],
  ["make formal", { "==": [{ var: "status" }, "potential"] }, { status: "formal" }, false],
  ["missing field is null", { "!!": [{ var: "due_date" }] }, {}, false],
  ["and / or", { and: [{ "==": [{ var: "a" }, 1] }, { or: [{ var: "b" }, { var: "c" }] }] }, { a: 1, c: "x" }, true],
  ["unknown operator", { ">": [{ var: "amount" }, 5] }, { amount: 9 }, "unknown"],
  ["unknown inside and", { and: [true, { some: [[], true] }] }, {}, "unknown"],
];

describe("availability of declared actions", () => {
  it.each(CASES)("%s", (_name, rule, record, expected) => {
    expect(availability(rule, record)).toBe(expected);
  });
});
