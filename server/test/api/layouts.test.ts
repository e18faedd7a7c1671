// Layouts: in the object description without hidden fields, read and replaced over HTTP (validated, dry run, versioned),
// following object changes, record types with templates of their own, and shipped by packs idempotently.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detailLayoutFor, relationsOf, type FieldSection, type LayoutDefinition } from "@crm/metadata";
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

describe("record types", () => {
  const issuesOf = (body: { error: { details: { document: string; path: string }[] } }) =>
    body.error.details.map((detail) => `${detail.document} ${detail.path}`).sort();

  it("ship 商机线索 with a template of its own, described with the lead", async () => {
    const layout = (await admin.get("/api/metadata/objects/lead")).body.layout as LayoutDefinition;
    expect(layout.recordTypes?.field).toBe("lead_type");
    const opportunity = detailLayoutFor(layout, { lead_type: "opportunity" });
    expect(opportunity).not.toBe(layout.detail);
    expect(opportunity.sections.map((section) => section.name)).toContain("requirement");
    expect(detailLayoutFor(layout, { lead_type: "customer" })).toBe(layout.detail);
  });

  it("are stored by PUT and described as stored; an unknown type value or a field that is not a single picklist answers 400 with the path", async () => {
    const original = (await admin.get("/api/metadata/layouts/lead")).body.layout as LayoutDefinition;
    const changed = structuredClone(original);
    const customerTemplate = structuredClone(changed.detail);
    customerTemplate.sections = customerTemplate.sections.filter((section) => section.name !== "conversion");
    changed.recordTypes!.variants.push({ values: ["customer"], detail: customerTemplate });
    try {
      const saved = await admin.put("/api/metadata/layouts/lead", changed);
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body).toMatchObject({ applied: true, changed: true });
      const described = (await admin.get("/api/metadata/objects/lead")).body.layout as LayoutDefinition;
      expect(described.recordTypes).toEqual(changed.recordTypes);
      expect(detailLayoutFor(described, { lead_type: "customer" }).sections.map((section) => section.name)).not.toContain("conversion");

      const unknownValue = structuredClone(changed);
      unknownValue.recordTypes!.variants[1].values.push("partner");
      const refusedValue = await admin.put("/api/metadata/layouts/lead", unknownValue);
      expect(refusedValue.status).toBe(400);
      expect(refusedValue.body.error.code).toBe("INVALID_METADATA");
      expect(issuesOf(refusedValue.body)).toEqual(["layouts/lead /recordTypes/variants/1/values/1"]);
      expect(refusedValue.body.error.details[0].message).toMatchObject({ "zh-CN": expect.stringContaining("partner"), en: expect.stringContaining("not an option") });

      const notPicklist = { ...structuredClone(changed), recordTypes: { ...changed.recordTypes!, field: "company" } };
      const refusedField = await admin.put("/api/metadata/layouts/lead", notPicklist);
      expect(refusedField.status).toBe(400);
      expect(issuesOf(refusedField.body)).toEqual(["layouts/lead /recordTypes/field"]);

      const unknownInVariant = structuredClone(changed);
      (unknownInVariant.recordTypes!.variants[0].detail.sections[0] as FieldSection).fields[0].field = "budget";
      const refusedCell = await admin.put("/api/metadata/layouts/lead", unknownInVariant);
      expect(issuesOf(refusedCell.body)).toEqual(["layouts/lead /recordTypes/variants/0/detail/sections/0/fields/0"]);
    } finally {
      // The pack test below applies the standard pack expecting nothing to change.
      expect((await admin.put("/api/metadata/layouts/lead", original)).status).toBe(200);
    }
    expect((await admin.get("/api/metadata/layouts/lead")).body.layout).toEqual(original);
  });

  it("leave fields hidden for the user out of every template", async () => {
    const original = (await admin.get("/api/metadata/layouts/customer")).body.layout as LayoutDefinition;
    const typed = structuredClone(original);
    typed.recordTypes = { field: "status", variants: [{ values: ["formal"], detail: structuredClone(original.detail) }] };
    expect((await admin.put("/api/metadata/layouts/customer", typed)).status).toBe(200);
    try {
      const gaoying = await server.login("gaoying");
      const layout = (await gaoying.get("/api/metadata/objects/customer")).body.layout as LayoutDefinition;
      const formal = layout.recordTypes!.variants[0].detail;
      for (const hidden of HIDDEN_FROM_SERVICE) expect(JSON.stringify(formal)).not.toContain(`"${hidden}"`);
      expect(formal.sections.map((section) => section.name)).toEqual(["basic", "contact", "remark", "system"]);
      const full = (await admin.get("/api/metadata/objects/customer")).body.layout as LayoutDefinition;
      expect(full.recordTypes!.variants[0].detail.sections.map((section) => section.name)).toContain("finance");
    } finally {
      expect((await admin.put("/api/metadata/layouts/customer", original)).status).toBe(200);
    }
  });

  it("follow a renamed type field and drop what names a dropped field", async () => {
    const bin = {
      name: "bin",
      label: label("料箱", "Bin"),
      displayField: "title",
      fields: [
        { name: "title", type: "text", label: label("名称", "Title") },
        { name: "size", type: "picklist", options: ["small", "large"], label: label("规格", "Size") },
        { name: "load", type: "integer", label: label("载重", "Load") },
        { name: "note", type: "textarea", label: label("说明", "Note") },
      ],
    };
    expect((await admin.put("/api/metadata/objects/bin", bin)).status).toBe(201);
    const layout = (await admin.get("/api/metadata/layouts/bin")).body.layout as LayoutDefinition;
    const large = {
      sections: [
        { name: "main", label: label("主要", "Main"), fields: [{ field: "title", x: 0, y: 0, w: 6, h: 1 }, { field: "size", x: 6, y: 0, w: 6, h: 1 }] },
        { name: "load", label: label("载重", "Load"), fields: [{ field: "load", x: 0, y: 0, w: 6, h: 1 }] },
      ],
    };
    layout.recordTypes = { field: "size", variants: [{ values: ["large"], detail: large }] };
    expect((await admin.put("/api/metadata/layouts/bin", layout)).status).toBe(200);

    const stored = (await admin.get("/api/metadata/objects/bin")).body;
    const fields = stored.fields
      .filter((field: { name: string }) => field.name !== "load")
      .map((field: { name: string }) => (field.name === "size" ? { ...field, name: "grade" } : field));
    const changed = await admin.put("/api/metadata/objects/bin?confirm=1", { ...stored, fields });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const followed = (await admin.get("/api/metadata/layouts/bin")).body.layout as LayoutDefinition;
    expect(followed.recordTypes).toEqual({
      field: "grade",
      variants: [{ values: ["large"], detail: { sections: [{ ...large.sections[0], fields: [large.sections[0].fields[0], { ...large.sections[0].fields[1], field: "grade" }] }] } }],
    });
    expect(followed.list.columns.map((column) => column.field)).toContain("grade");
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
