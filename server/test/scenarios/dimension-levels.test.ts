// 存货 / 销售类型 / 供应商 / 仓库 levels (无权 / 查询 / 主管, SPEC C2): a role's level for a dimension decides
// whether its users may open the dimension's archive and see or change the fields that carry the dimension.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoleDefinition } from "@crm/metadata";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
let admin: TestClient;
let wanglei: TestClient;
let salesRep: RoleDefinition;
let inventoryId: string;
let orderId: string;

const PACK = { name: "dimension_roles", version: "1.0.0", label: { "zh-CN": "维度角色", en: "Dimension roles" } };

/** Gives wanglei one role: the 销售负责 role with other dimension levels and, optionally, more functions. */
async function useRole(name: string, dimensions: RoleDefinition["dimensions"], functions: RoleDefinition["functions"] = {}) {
  const role: RoleDefinition = {
    ...salesRep,
    name,
    label: { "zh-CN": `测试角色 ${name}`, en: `Test role ${name}` },
    functions: { ...salesRep.functions, ...functions },
    dimensions: { ...salesRep.dimensions, ...dimensions },
  };
  const applied = await admin.post("/api/packs/apply", { manifest: PACK, objects: [], optionSets: [], roles: [role] });
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  const patched = await admin.patch("/api/admin/users/wanglei", { roles: [name] });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
}

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  wanglei = await server.login("wanglei");
  salesRep = (await admin.get("/api/packs/export")).body.roles.find((role: RoleDefinition) => role.name === "sales_rep");
  const item = await admin.post("/api/objects/inventory/records", { code: "ZC-6204", name: "深沟球轴承 6204", unit: "套", list_price: 12.5 });
  expect(item.status, JSON.stringify(item.body)).toBe(201);
  inventoryId = item.body.id;
  const me = (await wanglei.get("/api/auth/me")).body;
  const customer = await admin.post("/api/objects/customer/records", { name: "天津恒通机电有限公司", owner_id: me.employeeId });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const order = await admin.post("/api/objects/sales_order/records", {
    customer_id: customer.body.id,
    owner_id: me.employeeId,
    order_date: "2026-11-20",
    sales_type: "consignment",
    lines: [{ inventory_id: inventoryId, quantity: 10, unit_price: 12.5 }],
  });
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  orderId = order.body.id;
});

afterAll(async () => {
  await server?.close();
});

describe("the demo 销售负责 (inventory and sales type 主管)", () => {
  it("sees the inventory archive and the dimension fields, and may set the sales type", async () => {
    await useRole("rep_supervisor", { inventory: "supervisor", sales_type: "supervisor" });
    expect((await wanglei.get("/api/objects/inventory/records")).status).toBe(200);
    const order = (await wanglei.get(`/api/objects/sales_order/records/${orderId}`)).body;
    expect(order.sales_type).toBe("consignment");
    expect(order.lines[0].inventory_id).toBe(inventoryId);
    const changed = await wanglei.patch(`/api/objects/sales_order/records/${orderId}`, { version: order.version, sales_type: "normal" });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.sales_type).toBe("normal");
  });
});

describe("查询 (query)", () => {
  it("shows the dimension but refuses to change it, naming the field", async () => {
    await useRole("rep_query", { inventory: "query", sales_type: "query" });
    const order = (await wanglei.get(`/api/objects/sales_order/records/${orderId}`)).body;
    expect(order.sales_type).toBe("normal");
    expect(order.lines[0].inventory_id).toBe(inventoryId);
    const refused = await wanglei.patch(`/api/objects/sales_order/records/${orderId}`, { version: order.version, sales_type: "installment" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(["/sales_type"]);
    const describe = (await wanglei.get("/api/metadata/objects/sales_order")).body;
    expect(describe.access.readOnly).toContain("sales_type");
  });

  it("lets the archive be viewed but never written, even by a role whose functions allow it", async () => {
    await useRole("rep_query_writer", { inventory: "query" }, { inventory: ["view", "create", "edit"] });
    expect((await wanglei.get("/api/objects/inventory/records")).body.records.map((row: { id: string }) => row.id)).toContain(inventoryId);
    const created = await wanglei.post("/api/objects/inventory/records", { code: "ZC-6205", name: "深沟球轴承 6205", unit: "套" });
    expect(created.status).toBe(403);
    await useRole("rep_supervisor_writer", { inventory: "supervisor" }, { inventory: ["view", "create", "edit"] });
    expect((await wanglei.post("/api/objects/inventory/records", { code: "ZC-6205", name: "深沟球轴承 6205", unit: "套" })).status).toBe(201);
  });
});

describe("无权 (none)", () => {
  it("closes the archive and hides the fields that carry the dimension everywhere", async () => {
    await useRole("rep_blind", { inventory: "none", sales_type: "none" });
    expect((await wanglei.get("/api/objects/inventory/records")).status).toBe(403);
    expect((await wanglei.get(`/api/objects/inventory/records/${inventoryId}`)).status).toBe(403);
    const order = (await wanglei.get(`/api/objects/sales_order/records/${orderId}`)).body;
    expect(order).not.toHaveProperty("sales_type");
    expect(order.lines[0]).not.toHaveProperty("inventory_id");
    expect(order.lines[0].quantity).toBe(10);
    const filtered = await wanglei.get(`/api/objects/sales_order/records?filter=${encodeURIComponent(JSON.stringify({ "==": [{ var: "sales_type" }, "normal"] }))}`);
    expect(filtered.status).toBe(400);
    const lines = await wanglei.get(`/api/objects/sales_order/records/${orderId}/related/lines`);
    expect(lines.status).toBe(200);
    expect(lines.body.records).toHaveLength(1);
    expect(lines.body.records[0]).not.toHaveProperty("inventory_id");
    const history = (await wanglei.get(`/api/objects/sales_order/records/${orderId}/history`)).body.history;
    expect(JSON.stringify(history)).not.toContain("consignment");
  });

  it("keeps the other dimensions independent, and a second role with a higher level wins", async () => {
    await useRole("rep_blind_inventory", { inventory: "none", sales_type: "supervisor" });
    const order = (await wanglei.get(`/api/objects/sales_order/records/${orderId}`)).body;
    expect(order.sales_type).toBe("normal");
    expect(order.lines[0]).not.toHaveProperty("inventory_id");
    expect((await admin.patch("/api/admin/users/wanglei", { roles: ["rep_blind_inventory", "rep_query"] })).status).toBe(200);
    const union = (await wanglei.get(`/api/objects/sales_order/records/${orderId}`)).body;
    expect(union.lines[0].inventory_id).toBe(inventoryId);
    expect((await wanglei.get("/api/objects/inventory/records")).status).toBe(200);
  });
});
