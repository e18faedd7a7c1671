// Layouts: in the object description without hidden fields, read and replaced over HTTP (validated, dry run, versioned),
// following object changes, and shipped by packs idempotently.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relationsOf, type LayoutDefinition } from "@crm/metadata";
import { loadPackFolder, standardPackDir } from "@crm/metadata/load";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

const label = (zh: string, en: string) => ({ "zh-CN": zh, en });
const HIDDEN_FROM_SERVICE = ["bank_account", "bank_name", "credit_limit", "tax_number"];

let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
});

afterAll(async () => {
  await server?.close();
});

const fieldsOf = (layout: LayoutDefinition) => [
  ...layout.list.columns.map((column) => column.field),
  ...(layout.list.quickFilters ?? []),
  ...layout.detail.sections.flatMap((section) => ("fields" in section ? section.fields.map((cell) => cell.field) : section.columns)),
];

describe("layout in the object description", () => {
  it("leaves out the fields hidden for 普通客服 and the related lists she may not open", async () => {
    const gaoying = await server.login("gaoying");
    const described = await gaoying.get("/api/metadata/objects/customer");
    expect(described.status).toBe(200);
    const layout = described.body.layout as LayoutDefinition;
    expect(described.body.access.hidden.sort()).toEqual(HIDDEN_FROM_SERVICE);
    for (const hidden of HIDDEN_FROM_SERVICE) expect(JSON.stringify(layout)).not.toContain(`"${hidden}"`);
    // 财务信息 held only hidden fields; the other sections stay with their visible fields.
    expect(layout.detail.sections.map((section) => section.name)).toEqual(["basic", "contact", "remark", "system"]);
    expect(fieldsOf(layout)).toEqual(expect.arrayContaining(["name", "status", "phone", "owner_id"]));
    const tabs = layout.detail.related!.map((tab) => tab.relation);
    expect(tabs).toEqual(expect.arrayContaining(["contact", "activity", "contract", "service_request"]));
    for (const forbidden of ["opportunity", "quote", "sales_order"]) expect(tabs).not.toContain(forbidden);

    const full = (await admin.get("/api/metadata/objects/customer")).body.layout as LayoutDefinition;
    expect(full.detail.sections.map((section) => section.name)).toContain("finance");
    expect(fieldsOf(full)).toEqual(expect.arrayContaining(HIDDEN_FROM_SERVICE));
  });

  it("leaves read-only fields in (the description marks them read-only)", async () => {
    const hefang = await server.login("hefang");
    const described = (await hefang.get("/api/metadata/objects/customer")).body;
    expect(described.access.readOnly).toEqual(expect.arrayContaining(["bank_account", "credit_limit"]));
    expect(fieldsOf(described.layout)).toEqual(expect.arrayContaining(["bank_account", "credit_limit"]));
  });

  it("offers print templates only to users with the print right", async () => {
    const wanglei = await server.login("wanglei");
    expect((await wanglei.get("/api/metadata/objects/contract")).body.layout.print.map((t: { name: string }) => t.name)).toEqual(["contract"]);
    const gaoying = await server.login("gaoying");
    expect((await gaoying.get("/api/metadata/objects/contract")).body.layout.print).toEqual([]);
  });
});

describe("GET and PUT /api/metadata/layouts/:object", () => {
  it("answers the stored layout, and a computed one for an object created at run time", async () => {
    const stored = await admin.get("/api/metadata/layouts/customer");
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ object: "customer", isDefault: false, layout: { object: "customer" } });
    const crate = {
      name: "crate",
      label: label("货箱", "Crate"),
      displayField: "title",
      fields: [
        { name: "title", type: "text", label: label("名称", "Title") },
        { name: "colour", type: "picklist", options: ["red", "blue"], label: label("颜色", "Colour") },
        { name: "note", type: "textarea", label: label("说明", "Note") },
      ],
    };
    expect((await admin.put("/api/metadata/objects/crate", crate)).status).toBe(201);
    const computed = await admin.get("/api/metadata/layouts/crate");
    expect(computed.body).toMatchObject({ isDefault: true, layout: { object: "crate", list: { columns: [{ field: "title" }, { field: "colour" }], quickFilters: ["colour"] } } });
    expect((await admin.get("/api/metadata/objects/crate")).body.layout).toEqual(computed.body.layout);
  });

  it("validates with JSON paths, previews with dryRun, then stores a new version", async () => {
    const layout = (await admin.get("/api/metadata/layouts/crate")).body.layout as LayoutDefinition;
    const bad = structuredClone(layout);
    bad.list.columns.push({ field: "weight" });
    (bad.detail.sections[0] as { fields: { x: number }[] }).fields[0].x = 9;
    const refused = await admin.put("/api/metadata/layouts/crate", bad);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("INVALID_METADATA");
    expect(refused.body.error.details.map((detail: { document: string; path: string }) => `${detail.document} ${detail.path}`).sort()).toEqual([
      "layouts/crate /detail/sections/0/fields/0/w",
      "layouts/crate /detail/sections/0/fields/1",
      "layouts/crate /list/columns/2",
    ]);

    const changed = structuredClone(layout);
    changed.list.columns = [{ field: "colour", width: 100 }, { field: "title", width: 300 }];
    const versionBefore = (await admin.get("/api/health")).body.modelVersion;
    const preview = await admin.put("/api/metadata/layouts/crate?dryRun=1", changed);
    expect(preview.body).toMatchObject({ applied: false, dryRun: true, changed: true });
    expect((await admin.get("/api/metadata/layouts/crate")).body.isDefault).toBe(true);

    const saved = await admin.put("/api/metadata/layouts/crate", changed);
    expect(saved.body).toMatchObject({ applied: true, changed: true });
    expect(saved.body.version).toBeGreaterThan(versionBefore);
    const read = (await admin.get("/api/metadata/layouts/crate")).body;
    expect(read).toMatchObject({ isDefault: false, layout: { list: { columns: changed.list.columns } } });
    const history = await server.database.db("metadata_history").withSchema("sys").where({ kind: "layout", name: "crate" });
    expect(history).toHaveLength(1);
    expect((await admin.put("/api/metadata/layouts/crate", changed)).body).toMatchObject({ applied: false, changed: false });
  });

  it("refuses non-administrators, a layout of another object, and unknown objects", async () => {
    const layout = (await admin.get("/api/metadata/layouts/crate")).body.layout;
    const wanglei = await server.login("wanglei");
    expect((await wanglei.put("/api/metadata/layouts/crate", layout)).status).toBe(403);
    const mismatch = await admin.put("/api/metadata/layouts/customer", layout);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.details[0].path).toBe("/object");
    expect((await admin.put("/api/metadata/layouts/nothing", { ...layout, object: "nothing" })).status).toBe(404);
    expect((await admin.put("/api/metadata/layouts/crate", [])).status).toBe(400);
  });

  it("drops a field from the layout when the field is dropped from its object", async () => {
    const crate = (await admin.get("/api/metadata/objects/crate")).body;
    const withoutColour = { ...crate, fields: crate.fields.filter((field: { name: string }) => field.name !== "colour") };
    const dropped = await admin.put("/api/metadata/objects/crate?confirm=1", withoutColour);
    expect(dropped.status, JSON.stringify(dropped.body)).toBe(200);
    const layout = (await admin.get("/api/metadata/layouts/crate")).body.layout as LayoutDefinition;
    expect(layout.list.columns).toEqual([{ field: "title", width: 300 }]);
    expect(JSON.stringify(layout)).not.toContain("colour");
  });
});

describe("packs", () => {
  it("apply the shipped layouts once: a second application changes nothing; export carries them", async () => {
    const pack = await loadPackFolder(standardPackDir);
    const again = await admin.post("/api/packs/apply", pack);
    expect(again.body).toMatchObject({ changed: false, changedLayouts: [] });

    const customer = pack.layouts!.find((layout) => layout.object === "customer")!;
    const tuned = { ...pack, manifest: { ...pack.manifest, version: "0.1.1" }, layouts: [{ ...customer, list: { ...customer.list, defaultSort: "name" } }] };
    const first = await admin.post("/api/packs/apply", tuned);
    expect(first.body).toMatchObject({ changed: true, changedLayouts: ["customer"] });
    const second = await admin.post("/api/packs/apply", tuned);
    expect(second.body).toMatchObject({ changed: false, changedLayouts: [] });
    expect((await admin.get("/api/metadata/layouts/customer")).body.layout.list.defaultSort).toBe("name");

    const exported = (await admin.get("/api/packs/export")).body;
    const objects = exported.layouts.map((layout: LayoutDefinition) => layout.object);
    console.log(JSON.stringify(objects), (await server.database.db("metadata_documents").withSchema("sys").where({ kind: "layout" }).select("name")).map((r: any) => r.name).join(","));
    expect(objects).toEqual(expect.arrayContaining(["customer", "quote", "sample_loan", "crate"]));
  });

  it("name related lists the way the related-records route does", async () => {
    const model = await server.built.server.registry.current();
    const definitions = [...model.objects.values()].map((object) => object.definition);
    for (const object of model.objects.values()) {
      expect([...relationsOf(object.name, definitions).keys()].sort(), object.name).toEqual([...object.relations.keys()].sort());
    }
  });
});
