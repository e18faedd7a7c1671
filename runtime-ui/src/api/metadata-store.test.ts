// The shared metadata's provider renders the app at once when the visit's preloaded metadata has already arrived
// (the entry asks for it alongside the code), and its fallback otherwise; never another session's metadata.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const label = (text: string) => ({ "zh-CN": text, en: text });
const ANSWERS: Record<string, unknown> = {
  "/api/auth/me": { id: "u1", username: "wanglei", displayName: "王磊", employeeId: "e1", roles: [], isAdmin: false, locale: "zh-CN", department: null, menus: [] },
  "/api/metadata/objects": { version: 3, objects: [{ name: "customer", label: label("客户"), fields: [] }] },
  "/api/metadata/option-sets": { optionSets: [] },
};

function storage(token: string | null) {
  const values = new Map<string, string>(token ? [["crm.token", token]] : []);
  return { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value), removeItem: (key: string) => void values.delete(key) };
}

async function freshStore() {
  // The preloaded metadata lives in the module: each test starts from a fresh one.
  vi.resetModules();
  return import("./metadata-store");
}

async function render(store: Awaited<ReturnType<typeof freshStore>>) {
  const Shown = () => createElement("p", null, `objects: ${store.useMetadata().objects.map((object) => object.name).join(",")}`);
  return renderToString(createElement(store.MetadataProvider, { fallback: "loading", onError: () => undefined, children: createElement(Shown) }));
}

describe("MetadataProvider", () => {
  const requests: string[] = [];
  beforeEach(() => {
    requests.length = 0;
    vi.stubGlobal("localStorage", storage("t1"));
    vi.stubGlobal("fetch", async (path: string) => {
      requests.push(path);
      return new Response(JSON.stringify(ANSWERS[path]), { status: 200, headers: { "content-type": "application/json" } });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("shows the app in its first render when the preloaded metadata has arrived", async () => {
    const store = await freshStore();
    const metadata = await store.preloadMetadata();
    expect(metadata.version).toBe(3);
    expect(await render(store)).toContain("objects: customer");
    expect(requests.sort()).toEqual(["/api/auth/me", "/api/metadata/objects", "/api/metadata/option-sets"]);
  });

  it("shows its fallback while the metadata is on its way", async () => {
    const store = await freshStore();
    void store.preloadMetadata();
    expect(await render(store)).toContain("loading");
  });

  it("does not show metadata preloaded for another session (the token had expired and the user signed in again)", async () => {
    const store = await freshStore();
    await store.preloadMetadata();
    vi.stubGlobal("localStorage", storage("t2"));
    expect(await render(store)).toContain("loading");
  });
});
