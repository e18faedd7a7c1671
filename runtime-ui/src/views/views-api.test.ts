// Saved views on the list screen: what picking a view sets, and what saving the list's state stores.
import { describe, expect, it } from "vitest";
import { viewInput, viewState, type SavedView } from "./views-api";

const view = (overrides: Partial<SavedView>): SavedView => ({
  id: "v1",
  object: "customer",
  name: "大客户",
  filter: null,
  sort: null,
  columns: null,
  createdAt: "2026-03-01T00:00:00.000Z",
  updatedAt: "2026-03-01T00:00:00.000Z",
  ...overrides,
});

describe("viewState", () => {
  const visible = new Set(["name", "status", "owner_id"]);

  it("falls back to the layout's sort and columns", () => {
    expect(viewState(view({}), visible, "-created_at")).toEqual({ filter: undefined, sort: "-created_at", columns: null });
  });

  it("keeps only the columns the user may still see", () => {
    const filter = { "==": [{ var: "status" }, "formal"] };
    expect(viewState(view({ filter, sort: "name", columns: ["bank_account", "name", "status"] }), visible, "-created_at")).toEqual({ filter, sort: "name", columns: ["name", "status"] });
    expect(viewState(view({ columns: ["bank_account"] }), visible, undefined).columns).toBeNull();
  });
});

describe("viewInput", () => {
  it("stores the filter and the columns, and the sort only when it is not the default", () => {
    expect(viewInput({ name: " 大客户 ", filter: undefined, sort: "-created_at", defaultSort: "-created_at", columns: null })).toEqual({ name: "大客户", filter: null, sort: null, columns: null });
    const filter = { in: ["化工", { var: "name" }] };
    expect(viewInput({ filter, sort: "name", defaultSort: "-created_at", columns: ["name"] })).toEqual({ filter, sort: "name", columns: ["name"] });
  });
});
