// A custom object with every field type, through the HTTP API: define, CRUD, evolve, restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

const label = (zh: string, en: string) => ({ "zh-CN": zh, en });

const gadgetLine = {
  name: "gadget_line",
  label: label("器件明细", "Gadget line"),
  fields: [
    { name: "item", type: "text", required: true, label: label("品名", "Item") },
    { name: "quantity", type: "integer", required: true, min: 1, label: label("数量", "Quantity") },
    { name: "unit_price", type: "amount", label: label("单价", "Unit price") },
    {
      name: "line_amount",
      type: "formula",
      resultType: "amount",
      expression: { "*": [{ var: "quantity" }, { var: "unit_price" }] },
      label: label("金额", "Amount"),
    },
  ],
};

export const gadget = {
  name: "gadget",
  label: label("器件", "Gadget"),
  module: "base",
  displayField: "title",
  numberField: "number",
  ownership: true,
  defaultSort: "-created_at",
  fields: [
    { name: "title", type: "text", required: true, searchable: true, indexed: true, maxLength: 80, label: label("名称", "Title") },
    { name: "code", type: "text", unique: true, label: label("编码", "Code") },
    { name: "notes", type: "textarea", label: label("备注", "Notes") },
    { name: "qty", type: "integer", min: 0, default: 1, label: label("数量", "Quantity") },
    { name: "weight", type: "decimal", scale: 3, label: label("重量", "Weight") },
    { name: "price", type: "amount", indexed: true, label: label("价格", "Price") },
    { name: "discount", type: "percent", label: label("折扣", "Discount") },
    { name: "due_on", type: "date", label: label("到期日", "Due on") },
    { name: "met_at", type: "datetime", label: label("会面时间", "Met at") },
    { name: "active", type: "boolean", default: true, label: label("启用", "Active") },
    { name: "status", type: "picklist", options: ["draft", "open", "closed"], default: "draft", label: label("状态", "Status") },
    { name: "tags", type: "multi_picklist", options: ["red", "green", "blue"], label: label("标签", "Tags") },
    { name: "customer_id", type: "lookup", target: "customer", label: label("客户", "Customer") },
    { name: "handler_id", type: "employee", label: label("经办人", "Handler") },
    { name: "unit_id", type: "department", label: label("部门", "Department") },
    { name: "number", type: "auto_number", format: "GD-{YYYY}-{SEQ:6}", label: label("编号", "Number") },
    {
      name: "total",
      type: "formula",
      resultType: "amount",
      expression: { "*": [{ var: "qty" }, { var: "price" }] },
      label: label("总额", "Total"),
    },
    { name: "email", type: "email", label: label("邮箱", "Email") },
    { name: "phone", type: "phone", label: label("电话", "Phone") },
    { name: "address", type: "address", label: label("地址", "Address") },
    { name: "files", type: "attachment", label: label("附件", "Attachments") },
    { name: "lines", type: "master_detail", target: "gadget_line", label: label("明细", "Lines") },
  ],
  validationRules: [
    {
      name: "discount_range",
      field: "discount",
      expression: { or: [{ "==": [{ var: "discount" }, null] }, { "<=": [0, { var: "discount" }, 100] }] },
      message: label("折扣必须在 0 到 100 之间", "Discount must be between 0 and 100"),
    },
  ],
};

let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  expect((await admin.put("/api/metadata/objects/gadget_line", gadgetLine)).status).toBe(201);
  const created = await admin.put("/api/metadata/objects/gadget", gadget);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
});

afterAll(async () => {
  await server?.close();
});

describe("a custom object with every field type", () => {
  let id: string;

  it("creates a record with server-computed values and children", async () => {
    const response = await admin.post("/api/objects/gadget/records", {
      title: "阀门 A",
      code: "V-001",
      qty: 3,
      weight: 1.125,
      price: 12.5,
      discount: 10,
      due_on: "2026-12-31",
      met_at: "2026-11-20T08:30:00.000Z",
      tags: ["red", "blue"],
      email: "buyer@example.com",
      phone: "+86 21 5555-1234",
      address: { province: "上海", city: "上海", street: "浦东大道 1 号" },
      files: [{ name: "spec.pdf", url: "/files/spec.pdf", size: 1200 }],
      lines: [
        { item: "阀芯", quantity: 2, unit_price: 3.5 },
        { item: "密封圈", quantity: 10, unit_price: 0.25 },
      ],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const record = response.body;
    id = record.id;
    expect(record).toMatchObject({
      title: "阀门 A",
      qty: 3,
      weight: 1.125,
      price: 12.5,
      total: 37.5,
      active: true,
      status: "draft",
      due_on: "2026-12-31",
      met_at: "2026-11-20T08:30:00.000Z",
      tags: ["red", "blue"],
      address: { province: "上海", city: "上海", street: "浦东大道 1 号" },
      version: 1,
    });
    expect(record.number).toMatch(new RegExp(`^GD-${new Date().getFullYear()}-000001$`));
    expect(record.lines.map((line: { line_amount: number }) => line.line_amount)).toEqual([7, 2.5]);
  });

  it("numbers records in sequence", async () => {
    const second = await admin.post("/api/objects/gadget/records", { title: "阀门 B" });
    expect(second.status).toBe(201);
    expect(second.body.number).toMatch(/-000002$/);
    expect(second.body.qty).toBe(1);
  });

  it("reads, updates with a version check, and records history", async () => {
    const read = await admin.get(`/api/objects/gadget/records/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.lines).toHaveLength(2);
    const updated = await admin.patch(`/api/objects/gadget/records/${id}`, { version: 1, qty: 4, status: "open" });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject({ version: 2, qty: 4, total: 50, status: "open" });
    const stale = await admin.patch(`/api/objects/gadget/records/${id}`, { version: 1, qty: 5 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("VERSION_CONFLICT");
    const history = await admin.get(`/api/objects/gadget/records/${id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.history.map((entry: { action: string }) => entry.action)).toEqual(["create", "update"]);
    expect(history.body.history[1].changes).toEqual(
      expect.arrayContaining([
        { field: "qty", before: 3, after: 4 },
        { field: "status", before: "draft", after: "open" },
        { field: "total", before: 37.5, after: 50 },
      ]),
    );
    expect(history.body.history[1].username).toBe("admin");
  });

  it("replaces master-detail lines on update", async () => {
    const current = (await admin.get(`/api/objects/gadget/records/${id}`)).body;
    const [first] = current.lines;
    const updated = await admin.patch(`/api/objects/gadget/records/${id}`, {
      version: current.version,
      lines: [{ id: first.id, quantity: 5 }, { item: "螺栓", quantity: 1, unit_price: 1 }],
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.lines.map((line: { item: string; line_amount: number }) => [line.item, line.line_amount])).toEqual([
      ["阀芯", 17.5],
      ["螺栓", 1],
    ]);
    const related = await admin.get(`/api/objects/gadget/records/${id}/related/lines`);
    expect(related.status).toBe(200);
    expect(related.body.records).toHaveLength(2);
  });

  it("enforces unique values, validation rules and types with paths", async () => {
    const duplicate = await admin.post("/api/objects/gadget/records", { title: "x", code: "V-001" });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.code).toBe("DUPLICATE_VALUE");
    expect(duplicate.body.error.details[0].path).toBe("/code");
    const rule = await admin.post("/api/objects/gadget/records", { title: "x", discount: 150 });
    expect(rule.status).toBe(422);
    expect(rule.body.error.details[0]).toMatchObject({ path: "/discount", message: { en: "Discount must be between 0 and 100" } });
    const wrong = await admin.post("/api/objects/gadget/records", { qty: "many", status: "gone", tags: ["pink"], total: 5, extra: 1 });
    expect(wrong.status).toBe(400);
    const paths = wrong.body.error.details.map((detail: { path: string }) => detail.path).sort();
    expect(paths).toEqual(["/extra", "/qty", "/status", "/tags/0", "/title", "/total"]);
    for (const detail of wrong.body.error.details) {
      expect(detail.message["zh-CN"]).toBeTruthy();
      expect(detail.message.en).toBeTruthy();
    }
    const tooLong = await admin.post("/api/objects/gadget/records", { title: "长".repeat(81) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details[0].path).toBe("/title");
    const missingLookup = await admin.post("/api/objects/gadget/records", { title: "x", customer_id: "00000000-0000-4000-8000-000000000000" });
    expect(missingLookup.status).toBe(400);
    expect(missingLookup.body.error.details[0].path).toBe("/customer_id");
  });

  it("lists with filter, sort, search, count and cursor", async () => {
    for (let index = 0; index < 7; index += 1) {
      expect((await admin.post("/api/objects/gadget/records", { title: `泵 ${index}`, price: index * 10, qty: 2 })).status).toBe(201);
    }
    const filter = encodeURIComponent(JSON.stringify({ and: [{ ">=": [{ var: "price" }, 20] }, { "==": [{ var: "qty" }, 2] }] }));
    const first = await admin.get(`/api/objects/gadget/records?filter=${filter}&sort=-price&limit=2&count=true`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.total).toBe(5);
    expect(first.body.records.map((record: { price: number }) => record.price)).toEqual([60, 50]);
    const second = await admin.get(`/api/objects/gadget/records?filter=${filter}&sort=-price&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.records.map((record: { price: number }) => record.price)).toEqual([40, 30]);
    const third = await admin.get(`/api/objects/gadget/records?filter=${filter}&sort=-price&limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body.records.map((record: { price: number }) => record.price)).toEqual([20]);
    expect(third.body.nextCursor).toBeNull();
    const search = await admin.get(`/api/objects/gadget/records?q=${encodeURIComponent("阀门")}`);
    expect(search.body.records.map((record: { title: string }) => record.title).sort()).toEqual(["阀门 A", "阀门 B"]);
  });

  it("pages through NULLs and equal values in both directions without losing or repeating rows", async () => {
    for (const [index, weight] of [null, 2.5, null, 1, 2.5, null, 3, 1].entries()) {
      expect((await admin.post("/api/objects/gadget/records", { title: `分页 ${index}`, weight, code: `PG-${index}` })).status).toBe(201);
    }
    const filter = encodeURIComponent(JSON.stringify({ in: ["分页", { var: "title" }] }));
    for (const sort of ["weight", "-weight", "weight,-title", "-created_at"]) {
      const everything = (await admin.get(`/api/objects/gadget/records?filter=${filter}&sort=${sort}&limit=200`)).body.records.map((record: { id: string }) => record.id);
      expect(everything).toHaveLength(8);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { records: { id: string }[]; nextCursor: string | null } } = await admin.get(
          `/api/objects/gadget/records?filter=${filter}&sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        );
        paged.push(...page.body.records.map((record) => record.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged, sort).toEqual(everything);
    }
  });

  it("soft-deletes: the record is gone from get and list, history remains", async () => {
    const created = await admin.post("/api/objects/gadget/records", { title: "待删除" });
    const deleted = await admin.delete(`/api/objects/gadget/records/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expect((await admin.get(`/api/objects/gadget/records/${created.body.id}`)).status).toBe(404);
    const listed = await admin.get(`/api/objects/gadget/records?q=${encodeURIComponent("待删除")}`);
    expect(listed.body.records).toHaveLength(0);
    const row = await server.database.db("gadget").where({ id: created.body.id }).first();
    expect(row.deleted_at).toBeTruthy();
  });

  it("adds a field later, keeping existing rows", async () => {
    const before = (await admin.get("/api/objects/gadget/records?count=true")).body.total;
    const definition = (await admin.get("/api/metadata/objects/gadget")).body;
    const next = {
      ...gadget,
      id: definition.id,
      fields: [...definition.fields, { name: "color", type: "text", label: label("颜色", "Colour") }],
    };
    const preview = await admin.put("/api/metadata/objects/gadget?dryRun=1", next);
    expect(preview.status).toBe(200);
    expect(preview.body.applied).toBe(false);
    expect(preview.body.plan.steps.map((step: { type: string }) => step.type)).toEqual(["add_column"]);
    expect((await admin.get(`/api/objects/gadget/records/${id}`)).body).not.toHaveProperty("color");
    const applied = await admin.put("/api/metadata/objects/gadget", next);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect((await admin.get("/api/objects/gadget/records?count=true")).body.total).toBe(before);
    const record = (await admin.get(`/api/objects/gadget/records/${id}`)).body;
    expect(record).toMatchObject({ color: null, title: "阀门 A" });
    const painted = await admin.patch(`/api/objects/gadget/records/${id}`, { version: record.version, color: "红" });
    expect(painted.body.color).toBe("红");
  });

  it("renames a field, keeping its data", async () => {
    const definition = (await admin.get("/api/metadata/objects/gadget")).body;
    const fields = definition.fields.map((field: { name: string }) => (field.name === "color" ? { ...field, name: "colour" } : field));
    const plan = await admin.put("/api/metadata/objects/gadget?dryRun=1", { ...definition, fields });
    expect(plan.body.plan.steps.map((step: { type: string }) => step.type)).toContain("rename_column");
    expect(plan.body.plan.destructive).toEqual([]);
    expect((await admin.put("/api/metadata/objects/gadget", { ...definition, fields })).status).toBe(200);
    const record = (await admin.get(`/api/objects/gadget/records/${id}`)).body;
    expect(record.colour).toBe("红");
    expect(record).not.toHaveProperty("color");
  });

  it("refuses to drop a field unless confirmed, then archives its values", async () => {
    const definition = (await admin.get("/api/metadata/objects/gadget")).body;
    const fields = definition.fields.filter((field: { name: string }) => field.name !== "colour");
    const refused = await admin.put("/api/metadata/objects/gadget", { ...definition, fields });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("DESTRUCTIVE_CHANGE_NOT_CONFIRMED");
    expect((await admin.get(`/api/objects/gadget/records/${id}`)).body.colour).toBe("红");
    const confirmed = await admin.put("/api/metadata/objects/gadget?confirm=1", { ...definition, fields });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect((await admin.get(`/api/objects/gadget/records/${id}`)).body).not.toHaveProperty("colour");
    const archived = await server.database.db("archived_values").withSchema("sys").where({ object: "gadget", record_id: id });
    expect(archived.map((row) => row.value)).toContain("红");
  });

  it("rejects invalid definitions with the path, and changes nothing", async () => {
    const version = (await admin.get("/api/health")).body.modelVersion;
    const bad = await admin.put("/api/metadata/objects/widget", {
      name: "widget",
      label: label("部件", "Widget"),
      fields: [
        { name: "ok", type: "text", label: label("好", "Ok") },
        { name: "part", type: "lookup", target: "nowhere", label: label("零件", "Part") },
        { name: "select", type: "text", label: label("保留字", "Reserved") },
        { name: "broken", type: "no_such_type", label: label("坏", "Broken") },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("INVALID_METADATA");
    expect(bad.body.error.details.some((detail: { path: string }) => detail.path.startsWith("/fields/3"))).toBe(true);
    const crossChecked = await admin.put("/api/metadata/objects/widget", {
      name: "widget",
      label: label("部件", "Widget"),
      fields: [
        { name: "part", type: "lookup", target: "nowhere", label: label("零件", "Part") },
        { name: "select", type: "text", label: label("保留字", "Reserved") },
      ],
    });
    expect(crossChecked.status).toBe(400);
    const paths = crossChecked.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(["/fields/0/target", "/fields/1/name"]));
    expect((await admin.get("/api/metadata/objects/widget")).status).toBe(404);
    expect((await admin.get("/api/health")).body.modelVersion).toBe(version);
  });

  it("answers 404 for unknown objects and records", async () => {
    expect((await admin.get("/api/objects/nowhere/records")).status).toBe(404);
    expect((await admin.get("/api/objects/gadget/records/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await admin.get("/api/objects/gadget/records/not-a-uuid")).status).toBe(404);
    const unknownRelation = await admin.get(`/api/objects/gadget/records/${id}/related/nothing`);
    expect(unknownRelation.status).toBe(404);
    expect(unknownRelation.body.error.code).toBe("NOT_FOUND");
  });

  it("keeps the OpenAPI document current after a metadata change", async () => {
    const before = (await admin.get("/api/openapi.json")).body;
    expect(before.paths).toHaveProperty(["/api/objects/gadget/records"]);
    expect(before.paths).not.toHaveProperty(["/api/objects/gizmo/records"]);
    expect(
      (await admin.put("/api/metadata/objects/gizmo", { name: "gizmo", label: label("小玩意", "Gizmo"), fields: [{ name: "name", type: "text", label: label("名称", "Name") }] }))
        .status,
    ).toBe(201);
    const after = (await admin.get("/api/openapi.json")).body;
    expect(after.paths).toHaveProperty(["/api/objects/gizmo/records"]);
    expect(after.components.schemas.gizmo.properties).toHaveProperty("name");
    expect(after.components.schemas.gadget_create.properties.price).toMatchObject({ type: "number", nullable: true });
  });

  it("documents only routes that exist, platform routes included", async () => {
    const document = (await admin.get("/api/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
    const app = server.built.app;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        // Per-object paths are one parametric route each; the document spells every object out.
        const route = path
          .replace(/^\/api\/objects\/\w+\//, "/api/objects/:object/")
          .replace("{viewId}", "{id}")
          .replace(/\{(\w+)\}/g, ":$1");
        expect(app.hasRoute({ method: method.toUpperCase() as "GET", url: route }), `${method} ${path}`).toBe(true);
      }
    }
    for (const path of ["/api/auth/login", "/api/approvals/inbox", "/api/notifications/read-all", "/api/objects/gadget/records/bulk", "/api/objects/gadget/records/{id}/access"]) {
      expect(document.paths, path).toHaveProperty([path]);
    }
  });

  it("keeps data across a restart", async () => {
    await server.restart();
    const again = await server.login("admin");
    const record = await again.get(`/api/objects/gadget/records/${id}`);
    expect(record.status).toBe(200);
    expect(record.body.title).toBe("阀门 A");
    expect((await again.get("/api/metadata/objects/gizmo")).status).toBe(200);
  });
});
