import { describe, expect, it } from "vitest";
import { MINE, parseSort, quickFilterLogic } from "./list-filter";

describe("quickFilterLogic", () => {
  it("is absent when nothing is chosen", () => {
    expect(quickFilterLogic({ status: undefined, category: "" }, "e1")).toBeUndefined();
  });

  it("compares one field, or ands several; 'mine' means the user's employee", () => {
    expect(quickFilterLogic({ status: "formal" }, "e1")).toEqual({ "==": [{ var: "status" }, "formal"] });
    expect(quickFilterLogic({ status: "formal", owner_id: MINE, active: false }, "e1")).toEqual({
      and: [{ "==": [{ var: "status" }, "formal"] }, { "==": [{ var: "owner_id" }, "e1"] }, { "==": [{ var: "active" }, false] }],
    });
  });

  it("drops 'mine' for an account without an employee", () => {
    expect(quickFilterLogic({ owner_id: MINE }, null)).toBeUndefined();
  });
});

describe("parseSort", () => {
  it("reads the first key of a sort", () => {
    expect(parseSort("-amount,name")).toEqual({ field: "amount", descending: true });
    expect(parseSort("name")).toEqual({ field: "name", descending: false });
    expect(parseSort(undefined)).toBeNull();
  });
});
