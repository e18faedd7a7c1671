import { describe, expect, it } from "vitest";
import { emptyGroup } from "../filters/filter-model";
import { listQuery, MINE, openingListState, parseSort, quickFilterLogic } from "./list-filter";

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

describe("listQuery", () => {
  it("opens on the layout's default sort, nothing searched or filtered (the query the visit's first page is fetched with)", () => {
    expect(listQuery(openingListState("-created_at"), "e1")).toEqual({ q: undefined, sort: "-created_at", filter: undefined });
  });

  it("ands the quick filters with the builder's filter, or with a view's raw filter the builder cannot show", () => {
    const status = { type: "condition" as const, field: "status", operator: "eq" as const, value: "formal" };
    const state = { ...openingListState("name"), search: "化工", quickFilters: { owner_id: MINE }, advanced: { ...emptyGroup(), items: [status] } };
    expect(listQuery(state, "e1")).toEqual({ q: "化工", sort: "name", filter: { and: [{ "==": [{ var: "owner_id" }, "e1"] }, { "==": [{ var: "status" }, "formal"] }] } });
    const raw = { "!": [{ var: "is_key" }] };
    expect(listQuery({ ...openingListState("name"), advanced: null, rawFilter: raw }, "e1").filter).toEqual(raw);
  });
});
