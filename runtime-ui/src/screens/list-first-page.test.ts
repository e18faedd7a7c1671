// The first page of a signed-in visit's list, fetched before the list screen's code has run: the request is the
// one the screen would send, and the screen takes it only when it asks for exactly that, once, with the same token.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ListQuery } from "../api/client";
import type { ListResult, ObjectDescribe } from "../api/types";
import { arrivedFirstPage, firstPageRequest, prefetchFirstPage, takeFirstPage } from "./list-first-page";
import { listQuery, openingListState } from "./list-filter";

const label = (text: string) => ({ "zh-CN": text, en: text });
const customer = {
  name: "customer",
  label: label("客户"),
  module: "sales",
  fields: [{ name: "name", type: "text", label: label("客户名称") }],
  access: { actions: ["view"], hidden: [], readOnly: [] },
  systemFields: ["owner_id"],
  parent: null,
  relations: [],
  modelVersion: 1,
  layout: { object: "customer", list: { columns: [{ field: "name" }], defaultSort: "-created_at" }, detail: { sections: [] } },
} as unknown as ObjectDescribe;
const metadata = { user: { employeeId: "e1" }, objects: [customer] };
const page: ListResult = { records: [{ id: "c1", name: "天津化工" }], nextCursor: null, total: 1 };
/** What the list screen asks for when it opens. */
const opening: ListQuery = listQuery(openingListState("-created_at"), "e1");

function storage(token: string | null) {
  const values = new Map<string, string>(token ? [["crm.token", token]] : []);
  return { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value), removeItem: (key: string) => void values.delete(key) };
}

function recordsApi() {
  const calls: [string, ListQuery][] = [];
  let answer!: (result: ListResult) => void;
  const list = (object: string, query: ListQuery) => {
    calls.push([object, query]);
    return new Promise<ListResult>((resolve) => (answer = resolve));
  };
  return { calls, list: list as never, answer: (result: ListResult) => answer(result) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the visit's first list page", () => {
  beforeEach(() => {
    vi.stubGlobal("localStorage", storage("t1"));
    takeFirstPage("", {});
  });
  afterEach(() => vi.unstubAllGlobals());

  it("asks, once the metadata is here, for the page the list screen opens on", async () => {
    const api = recordsApi();
    prefetchFirstPage("customer", Promise.resolve(metadata), api.list);
    await settle();
    expect(api.calls).toEqual([["customer", firstPageRequest(opening)]]);
    expect(api.calls[0][1]).toEqual({ sort: "-created_at", filter: undefined, q: undefined, limit: 50, count: true });
  });

  it("lets the screen's first render show it once it has arrived, and hands the request over once", async () => {
    const api = recordsApi();
    prefetchFirstPage("customer", Promise.resolve(metadata), api.list);
    await settle();
    expect(arrivedFirstPage("customer", opening)).toBeUndefined();
    api.answer(page);
    await settle();
    expect(arrivedFirstPage("customer", opening)).toBe(page);
    await expect(takeFirstPage("customer", opening)).resolves.toBe(page);
    // A later visit of the list (navigated away and back) asks again.
    expect(takeFirstPage("customer", opening)).toBeUndefined();
    expect(arrivedFirstPage("customer", opening)).toBeUndefined();
  });

  it("is not used for another list, another query or after signing in again, and is dropped all the same", async () => {
    const api = recordsApi();
    prefetchFirstPage("customer", Promise.resolve(metadata), api.list);
    await settle();
    api.answer(page);
    await settle();
    expect(arrivedFirstPage("contact", opening)).toBeUndefined();
    expect(arrivedFirstPage("customer", { ...opening, q: "化工" })).toBeUndefined();
    vi.stubGlobal("localStorage", storage("t2"));
    expect(arrivedFirstPage("customer", opening)).toBeUndefined();
    expect(takeFirstPage("customer", opening)).toBeUndefined();
    vi.stubGlobal("localStorage", storage("t1"));
    expect(takeFirstPage("customer", opening)).toBeUndefined();
  });

  it("asks for nothing when the object is not one the user may see, or the metadata failed", async () => {
    const api = recordsApi();
    prefetchFirstPage("secret", Promise.resolve(metadata), api.list);
    prefetchFirstPage("customer", Promise.reject(new Error("401")), api.list);
    await settle();
    expect(api.calls).toEqual([]);
  });
});
