// The list's filter button renders without the builder's drawer (its own chunk, loaded when wanted); the drawer's
// editor, once loaded, shows the applied filter's conditions, and applying them sends the same json-logic.
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ObjectDescribe } from "../api/types";
import { MetadataProvider, preloadMetadata } from "../api/metadata-store";
import { LocaleProvider } from "../i18n/locale";
import { screenFields } from "../layout/fields";
import { FilterBuilder, preloadFilterDrawer } from "./FilterBuilder";
import { filterFieldsOf } from "./filter-fields";
import { fromJsonLogic, toJsonLogic, type FilterKind } from "./filter-model";

const label = (text: string) => ({ "zh-CN": text, en: text });
const customer = {
  name: "customer",
  label: label("客户"),
  fields: [
    { name: "name", type: "text", label: label("客户名称") },
    { name: "status", type: "picklist", options: ["potential", "formal"], label: label("客户状态") },
    { name: "credit_limit", type: "amount", label: label("信用额度") },
  ],
  access: { actions: ["view"], hidden: [], readOnly: [] },
  systemFields: ["owner_id"],
  parent: null,
  relations: [],
  modelVersion: 1,
} as unknown as ObjectDescribe;
const ANSWERS: Record<string, unknown> = {
  "/api/auth/me": { id: "u1", username: "wanglei", displayName: "王磊", employeeId: "e1", roles: [], isAdmin: false, locale: "zh-CN", department: null, menus: [] },
  "/api/metadata/objects": { version: 1, objects: [customer] },
  "/api/metadata/option-sets": { optionSets: [] },
};

const fields = filterFieldsOf(screenFields(customer));
const kinds = new Map<string, FilterKind>([...fields].map(([name, field]) => [name, field.kind]));
/** A saved view's filter: formal customers named 化工, or with a credit limit of at least 100 000. */
const logic = { or: [{ and: [{ "==": [{ var: "status" }, "formal"] }, { in: ["化工", { var: "name" }] }] }, { ">=": [{ var: "credit_limit" }, 100000] }] };
const applied = fromJsonLogic(logic, kinds)!;

const page = (children: ReactNode) => renderToString(createElement(LocaleProvider, null, createElement(MetadataProvider, { fallback: "loading", onError: () => undefined, children })));

describe("FilterBuilder", () => {
  beforeAll(async () => {
    const values = new Map([["crm.token", "t1"]]);
    vi.stubGlobal("localStorage", { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value), removeItem: () => undefined });
    vi.stubGlobal("fetch", async (path: string) => new Response(JSON.stringify(ANSWERS[path]), { status: 200 }));
    await preloadMetadata();
  });
  afterAll(() => vi.unstubAllGlobals());

  it("shows the button with the applied conditions' count, without the drawer", () => {
    const html = page(createElement(FilterBuilder, { fields, value: applied, onApply: () => undefined }));
    expect(html).toContain("高级筛选");
    expect(html).toMatch(/ant-badge[^>]*>[\s\S]*>3</);
    expect(html).not.toContain("filter-builder");
    expect(html).not.toContain("filter-condition");
  });

  it("loads the drawer's editor, which shows the applied conditions; applying them unchanged sends the same json-logic", async () => {
    await preloadFilterDrawer();
    const { FilterEditor } = await import("./FilterDrawer");
    const html = page(createElement(FilterEditor, { fields, value: applied, draft: applied, onDraftChange: () => undefined }));
    expect([...html.matchAll(/data-filter-field="(\w+)"/g)].map((match) => match[1])).toEqual(["status", "name", "credit_limit"]);
    expect(html).toContain("满足任一条件");
    expect(toJsonLogic(applied)).toEqual(logic);
  });
});
