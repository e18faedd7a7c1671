// Who sees and edits which customers, contacts and activities: the demo org of the distribution pack, role by role.
// Each case names the sentence of the source document (section 4, 权限设置) it checks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
let admin: TestClient;
const as: Record<string, TestClient> = {};
const employee: Record<string, string> = {};
/** Customer id by owner username. */
const customerOf: Record<string, string> = {};
const contactOf: Record<string, string> = {};
const activityOf: Record<string, string> = {};
const orderOf: Record<string, string> = {};

const people = ["wanglei", "lina", "zhangwei", "zhaomin", "liuyang", "chenjing", "sunli", "hefang", "wugang", "linfeng", "gaoying", "luolin"];

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  for (const username of people) as[username] = await server.login(username);
  const employees = (await admin.get("/api/objects/employee/records?limit=200")).body.records;
  const users = await server.database.db("users").withSchema("sys").select("username", "employee_id");
  for (const user of users) employee[user.username] = user.employee_id;
  expect(employees.length).toBeGreaterThanOrEqual(people.length);
  const item = await admin.post("/api/objects/inventory/records", { code: "TL-WB-01", name: "水性木器漆", unit: "kg", product_line: "coating", list_price: 38.5 });
  expect(item.status, JSON.stringify(item.body)).toBe(201);
  for (const owner of ["wanglei", "lina", "zhangwei", "chenjing", "sunli", "wugang", "linfeng"]) {
    const customer = await admin.post("/api/objects/customer/records", {
      name: `${owner} 的客户`,
      owner_id: employee[owner],
      bank_account: `6222-${owner}`,
    });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    customerOf[owner] = customer.body.id;
    const contact = await admin.post("/api/objects/contact/records", { name: `${owner} 客户的联系人`, customer_id: customer.body.id, owner_id: employee[owner] });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    contactOf[owner] = contact.body.id;
    const activity = await admin.post("/api/objects/activity/records", {
      subject: `${owner} 的拜访`,
      activity_type: "prospecting",
      customer_id: customer.body.id,
      owner_id: employee[owner],
    });
    expect(activity.status, JSON.stringify(activity.body)).toBe(201);
    activityOf[owner] = activity.body.id;
    const order = await admin.post("/api/objects/sales_order/records", {
      customer_id: customer.body.id,
      owner_id: employee[owner],
      order_date: "2026-11-20",
      lines: [{ inventory_id: item.body.id, quantity: 10, unit_price: 38.5 }],
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    orderOf[owner] = order.body.id;
  }
});

afterAll(async () => {
  await server?.close();
});

/** The seeded customers (one per owner) the user sees; customers created by later cases are left out. */
const visibleCustomers = async (client: TestClient) => {
  const response = await client.get("/api/objects/customer/records?limit=200&count=true");
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body.total).toBe(response.body.records.length);
  const seeded = new Set(Object.values(customerOf));
  return response.body.records.map((record: { id: string }) => record.id).filter((id: string) => seeded.has(id)).sort();
};
const customersOwnedBy = (...owners: string[]) => owners.map((owner) => customerOf[owner]).sort();

describe("销售负责: 一般业务员控制方式仅为“负责员工”权限，只能查看和维护自己的数据", () => {
  it("lists, counts and searches only own customers", async () => {
    expect(await visibleCustomers(as.wanglei)).toEqual(customersOwnedBy("wanglei"));
    const search = await as.wanglei.get(`/api/objects/customer/records?q=${encodeURIComponent("的客户")}&count=true`);
    expect(search.body.total).toBe(1);
  });

  it("answers 404 for a colleague's customer, on every path", async () => {
    const other = customerOf.lina;
    expect((await as.wanglei.get(`/api/objects/customer/records/${other}`)).status).toBe(404);
    expect((await as.wanglei.patch(`/api/objects/customer/records/${other}`, { version: 1, name: "改名" })).status).toBe(404);
    expect((await as.wanglei.delete(`/api/objects/customer/records/${other}`)).status).toBe(404);
    expect((await as.wanglei.get(`/api/objects/customer/records/${other}/related/contact`)).status).toBe(404);
    expect((await as.wanglei.get(`/api/objects/customer/records/${other}/history`)).status).toBe(404);
    const filter = encodeURIComponent(JSON.stringify({ "==": [{ var: "id" }, other] }));
    expect((await as.wanglei.get(`/api/objects/customer/records?filter=${filter}&count=true`)).body.total).toBe(0);
  });

  it("edits own customers but cannot hand them to someone else", async () => {
    const own = (await as.wanglei.get(`/api/objects/customer/records/${customerOf.wanglei}`)).body;
    const renamed = await as.wanglei.patch(`/api/objects/customer/records/${own.id}`, { version: own.version, short_name: "申华" });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    const handed = await as.wanglei.patch(`/api/objects/customer/records/${own.id}`, { version: renamed.body.version, owner_id: employee.lina });
    expect(handed.status).toBe(403);
    const created = await as.wanglei.post("/api/objects/customer/records", { name: "替别人建的客户", owner_id: employee.lina });
    expect(created.status).toBe(403);
  });

  it("creates customers that become own", async () => {
    const created = await as.wanglei.post("/api/objects/customer/records", { name: "王磊新开发的客户" });
    expect(created.status).toBe(201);
    expect(created.body.owner_id).toBe(employee.wanglei);
    expect((await as.lina.get(`/api/objects/customer/records/${created.body.id}`)).status).toBe(404);
  });
});

describe("联系人的权限，要有所属客户的权限才能有权: 相关/负责员工 or (所属客户 and 其他维度)", () => {
  it("shows a contact owned by someone else when its customer is visible", async () => {
    const byLina = await admin.post("/api/objects/contact/records", { name: "李娜建的联系人", customer_id: customerOf.wanglei, owner_id: employee.lina });
    expect(byLina.status).toBe(201);
    expect((await as.wanglei.get(`/api/objects/contact/records/${byLina.body.id}`)).status).toBe(200);
    expect((await as.zhangwei.get(`/api/objects/contact/records/${byLina.body.id}`)).status).toBe(404);
    const related = await as.wanglei.get(`/api/objects/customer/records/${customerOf.wanglei}/related/contact?count=true`);
    expect(related.body.total).toBe(2);
  });

  it("moves a contact's inherited visibility with its customer (reassigned, then deleted)", async () => {
    const moving = await admin.post("/api/objects/customer/records", { name: "将转手的客户", owner_id: employee.wanglei });
    const contact = await admin.post("/api/objects/contact/records", { name: "转手客户的联系人", customer_id: moving.body.id, owner_id: employee.zhangwei });
    expect((await as.wanglei.get(`/api/objects/contact/records/${contact.body.id}`)).status).toBe(200);
    expect((await as.lina.get(`/api/objects/contact/records/${contact.body.id}`)).status).toBe(404);
    const moved = await admin.patch(`/api/objects/customer/records/${moving.body.id}`, { version: moving.body.version, owner_id: employee.lina });
    expect(moved.status).toBe(200);
    expect((await as.wanglei.get(`/api/objects/contact/records/${contact.body.id}`)).status).toBe(404);
    expect((await as.lina.get(`/api/objects/contact/records/${contact.body.id}`)).status).toBe(200);
    const other = await admin.post("/api/objects/customer/records", { name: "联系人的新客户", owner_id: employee.wanglei });
    const relinked = await admin.patch(`/api/objects/contact/records/${contact.body.id}`, { version: contact.body.version, customer_id: other.body.id });
    expect(relinked.status).toBe(200);
    expect((await as.wanglei.get(`/api/objects/contact/records/${contact.body.id}`)).status).toBe(200);
    expect((await admin.delete(`/api/objects/customer/records/${other.body.id}`)).status).toBe(204);
    expect((await as.wanglei.get(`/api/objects/contact/records/${contact.body.id}`)).status).toBe(404);
    expect((await as.zhangwei.get(`/api/objects/contact/records/${contact.body.id}`)).status).toBe(200);
  });

  it("shows a salesperson no contact of other customers", async () => {
    const contacts = (await as.wanglei.get("/api/objects/contact/records?limit=200")).body.records;
    expect(contacts.every((contact: { customer_id: string }) => contact.customer_id === customerOf.wanglei)).toBe(true);
  });
});

describe("部门经理/总监: 管理下属所有人员的客户、联系人（都能编辑），对下属的行动仅查看", () => {
  it("天津分公司部门经理 sees every Tianjin department's customers", async () => {
    expect(await visibleCustomers(as.liuyang)).toEqual(customersOwnedBy("chenjing", "sunli"));
  });

  it("上海涂料部总监 sees 涂料事业部 and every 分公司涂料部", async () => {
    expect(await visibleCustomers(as.zhaomin)).toEqual(customersOwnedBy("wanglei", "lina", "sunli", "linfeng"));
  });

  it("edits subordinates' customers and contacts, but only views their activities", async () => {
    const customer = (await as.liuyang.get(`/api/objects/customer/records/${customerOf.chenjing}`)).body;
    expect((await as.liuyang.patch(`/api/objects/customer/records/${customer.id}`, { version: customer.version, remark: "经理复核" })).status).toBe(200);
    const contact = (await as.liuyang.get(`/api/objects/contact/records/${contactOf.chenjing}`)).body;
    expect((await as.liuyang.patch(`/api/objects/contact/records/${contact.id}`, { version: contact.version, title: "采购经理" })).status).toBe(200);
    const activity = await as.liuyang.get(`/api/objects/activity/records/${activityOf.chenjing}`);
    expect(activity.status).toBe(200);
    const edit = await as.liuyang.patch(`/api/objects/activity/records/${activityOf.chenjing}`, { version: activity.body.version, result: "经理改写" });
    expect(edit.status).toBe(403);
  });

  it("may reassign a subordinate's customer within the branch", async () => {
    const customer = (await as.liuyang.get(`/api/objects/customer/records/${customerOf.sunli}`)).body;
    const moved = await as.liuyang.patch(`/api/objects/customer/records/${customer.id}`, { version: customer.version, owner_id: employee.chenjing });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const back = await as.liuyang.patch(`/api/objects/customer/records/${customer.id}`, { version: moved.body.version, owner_id: employee.sunli });
    expect(back.status).toBe(200);
  });
});

describe("跟单: 跟部门经理的权限区别就是没有编辑权限，只有自己的数据（负责员工）才能编辑", () => {
  it("sees like the Tianjin manager but edits nothing of others", async () => {
    expect(await visibleCustomers(as.hefang)).toEqual(customersOwnedBy("chenjing", "sunli"));
    const customer = (await as.hefang.get(`/api/objects/customer/records/${customerOf.chenjing}`)).body;
    expect((await as.hefang.patch(`/api/objects/customer/records/${customer.id}`, { version: customer.version, remark: "x" })).status).toBe(403);
    const own = await as.hefang.post("/api/objects/customer/records", { name: "跟单自己的客户" });
    expect(own.status).toBe(201);
    expect((await as.hefang.patch(`/api/objects/customer/records/${own.body.id}`, { version: 1, remark: "可以改" })).status).toBe(200);
  });
});

describe("普通客服: 负责某些部门的客户、联系人，客户仅查看，可新建联系人，建行动", () => {
  it("sees the chosen departments' customers read-only, without the hidden fields", async () => {
    expect(await visibleCustomers(as.gaoying)).toEqual(customersOwnedBy("chenjing", "sunli"));
    const customer = await as.gaoying.get(`/api/objects/customer/records/${customerOf.chenjing}`);
    expect(customer.body).not.toHaveProperty("bank_account");
    expect(customer.body.name).toBe("chenjing 的客户");
    expect((await as.gaoying.patch(`/api/objects/customer/records/${customerOf.chenjing}`, { version: customer.body.version, remark: "x" })).status).toBe(403);
    const filterOnHidden = encodeURIComponent(JSON.stringify({ "==": [{ var: "bank_account" }, "6222-chenjing"] }));
    expect((await as.gaoying.get(`/api/objects/customer/records?filter=${filterOnHidden}`)).status).toBe(400);
    expect((await as.gaoying.get("/api/objects/customer/records?sort=bank_account")).status).toBe(400);
    const history = await as.gaoying.get(`/api/objects/customer/records/${customerOf.chenjing}/history`);
    expect(JSON.stringify(history.body)).not.toContain("6222-chenjing");
    const list = await as.gaoying.get("/api/objects/customer/records?limit=200");
    expect(JSON.stringify(list.body)).not.toContain("6222-");
    expect(list.body.records.every((record: object) => !("bank_account" in record))).toBe(true);
    const search = await as.gaoying.get(`/api/objects/customer/records?q=6222`);
    expect(search.body.records).toEqual([]);
    const openapi = await as.gaoying.get("/api/metadata/objects/customer");
    expect(openapi.body.recordSchema.properties).not.toHaveProperty("bank_account");
  });

  it("creates contacts and activities for visible customers only", async () => {
    const contact = await as.gaoying.post("/api/objects/contact/records", { name: "回访联系人", customer_id: customerOf.chenjing });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const activity = await as.gaoying.post("/api/objects/activity/records", { subject: "客户回访", activity_type: "care", customer_id: customerOf.chenjing });
    expect(activity.status, JSON.stringify(activity.body)).toBe(201);
    const elsewhere = await as.gaoying.post("/api/objects/contact/records", { name: "越权联系人", customer_id: customerOf.wanglei });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.details[0].path).toBe("/customer_id");
  });

  it("cannot write a hidden field", async () => {
    const created = await as.gaoying.post("/api/objects/customer/records", { name: "x" });
    expect(created.status).toBe(403);
  });
});

describe("打印、输出权限严格控制，以免大量数据轻易外泄", () => {
  it("refuses functions a role does not have", async () => {
    expect((await as.luolin.post("/api/objects/customer/records", { name: "助理建客户" })).status).toBe(403);
    expect((await as.gaoying.delete(`/api/objects/customer/records/${customerOf.chenjing}`)).status).toBe(403);
  });
});

describe("metadata tells the UI which fields are hidden or read-only", () => {
  it("describes the customer object per user", async () => {
    const forService = (await as.gaoying.get("/api/metadata/objects/customer")).body;
    expect(forService.access.hidden).toEqual(expect.arrayContaining(["bank_account", "bank_name", "tax_number", "credit_limit"]));
    expect(forService.fields.map((field: { name: string }) => field.name)).not.toContain("bank_account");
    expect(forService.access.actions).toEqual(["view"]);
    const forClerk = (await as.hefang.get("/api/metadata/objects/customer")).body;
    expect(forClerk.access.readOnly).toEqual(expect.arrayContaining(["credit_limit", "bank_account"]));
    expect(forClerk.access.hidden).toEqual([]);
  });
});

describe("explain access (GET …/access)", () => {
  it("tells a salesperson which rule lets them edit their customer", async () => {
    const response = await as.wanglei.get(`/api/objects/customer/records/${customerOf.wanglei}/access`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.view.allowed).toBe(true);
    expect(response.body.edit.allowed).toBe(true);
    const role = response.body.view.roles.find((verdict: { role: string }) => verdict.role === "sales_rep");
    expect(role.terms).toEqual(expect.arrayContaining([expect.objectContaining({ term: "owner", holds: true }), expect.objectContaining({ term: "related", holds: false })]));
    expect(response.body.view.reason.en).toMatch(/owner/);
  });

  it("answers 404 when users ask about a record they cannot see", async () => {
    expect((await as.wanglei.get(`/api/objects/customer/records/${customerOf.lina}/access`)).status).toBe(404);
    expect((await as.wanglei.get(`/api/objects/customer/records/${customerOf.wanglei}/access?user=lina`)).status).toBe(403);
  });

  it("lets an administrator ask why a manager can view but not edit an activity", async () => {
    const response = await admin.get(`/api/objects/activity/records/${activityOf.chenjing}/access?user=liuyang`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ user: "liuyang", view: { allowed: true }, edit: { allowed: false } });
    const manager = response.body.view.roles[0];
    expect(manager.terms.find((term: { term: string }) => term.term === "department_range").holds).toBe(true);
    expect(response.body.edit.reason["zh-CN"]).toBe("没有任何角色的规则对该记录成立");
  });

  it("shows why a salesperson sees nothing of another branch", async () => {
    const response = await admin.get(`/api/objects/customer/records/${customerOf.wugang}/access?user=zhangwei`);
    expect(response.body.view.allowed).toBe(false);
    expect(response.body.view.roles[0].terms.every((term: { holds: boolean }) => !term.holds)).toBe(true);
  });
});

describe("人员档案: 业务员必须在末级部门 (U8中业务员必须在末级部门中)", () => {
  it("refuses a salesperson in a department that has sub-departments", async () => {
    const departments = (await admin.get("/api/objects/department/records?limit=200")).body.records;
    const tianjin = departments.find((department: { code: string }) => department.code === "02");
    const leaf = departments.find((department: { code: string }) => department.code === "0201");
    const inner = await admin.post("/api/objects/employee/records", { code: "T900", name: "放错部门的业务员", department_id: tianjin.id, is_salesperson: true });
    expect(inner.status).toBe(422);
    expect(inner.body.error.details[0].path).toBe("/department_id");
    const ok = await admin.post("/api/objects/employee/records", { code: "T901", name: "天津新业务员", department_id: leaf.id, is_salesperson: true });
    expect(ok.status).toBe(201);
    const below = await admin.post("/api/objects/department/records", { code: "020101", name: "虚拟部门下级", parent_department_id: leaf.id });
    expect(below.status).toBe(422);
  });

  it("gives each role its menus", async () => {
    expect((await as.gaoying.get("/api/auth/me")).body.menus).toEqual(["base", "sales", "service"]);
    expect((await as.wanglei.get("/api/auth/me")).body.menus).toEqual(["base", "marketing", "sales"]);
  });
});

describe("输出: export is its own permission and exports only what the user may see", () => {
  it("refuses a salesperson and gives a manager only the branch's customers, audited", async () => {
    expect((await as.wanglei.get("/api/objects/customer/export?format=csv")).status).toBe(403);
    const response = await as.liuyang.raw({ method: "GET", url: "/api/objects/customer/export?format=csv" });
    expect(response.status).toBe(200);
    const text = String(response.body);
    expect(text).toContain("chenjing 的客户");
    expect(text).toContain("sunli 的客户");
    expect(text).not.toContain("wanglei 的客户");
    const audit = await server.database.db("audit_log").withSchema("sys").where({ action: "export", object: "customer" }).orderBy("id", "desc").first();
    expect(audit.context).toMatchObject({ username: "liuyang", format: "csv" });
    expect(audit.context.rows).toBeGreaterThanOrEqual(2);
  });

  it("never exports hidden fields", async () => {
    const exported = (await admin.get("/api/packs/export")).body;
    const service = exported.roles.find((role: { name: string }) => role.name === "customer_service");
    const withExport = { ...service, name: "service_exporter", label: { "zh-CN": "可输出客服", en: "Service with export" }, functions: { ...service.functions, customer: ["view", "export"] } };
    const applied = await admin.post("/api/packs/apply", { manifest: { name: "export_role", version: "1.0.0", label: { "zh-CN": "输出角色", en: "Export role" } }, objects: [], optionSets: [], roles: [withExport] });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect((await admin.patch("/api/admin/users/gaoying", { roles: ["service_exporter"] })).status).toBe(200);
    const response = await as.gaoying.raw({ method: "GET", url: "/api/objects/customer/export?format=csv" });
    await admin.patch("/api/admin/users/gaoying", { roles: ["customer_service"] });
    expect(response.status).toBe(200);
    const text = String(response.body);
    expect(text).toContain("chenjing 的客户");
    expect(text).not.toContain("6222-chenjing");
    expect(text).not.toContain("银行账号");
  });
});

describe("订单: 后续业务都以客户信息为中心，对客户有权才能对该对象有权", () => {
  const visibleOrders = async (client: TestClient) => {
    const response = await client.get("/api/objects/sales_order/records?limit=200&count=true");
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const seeded = new Set(Object.values(orderOf));
    return response.body.records.map((record: { id: string }) => record.id).filter((id: string) => seeded.has(id)).sort();
  };
  const ordersOf = (...owners: string[]) => owners.map((owner) => orderOf[owner]).sort();

  it("shows each role the orders of its scope", async () => {
    expect(await visibleOrders(as.wanglei)).toEqual(ordersOf("wanglei"));
    expect(await visibleOrders(as.zhaomin)).toEqual(ordersOf("wanglei", "lina", "sunli", "linfeng"));
    expect(await visibleOrders(as.liuyang)).toEqual(ordersOf("chenjing", "sunli"));
    // 销售助理: 主要按各自负责的部门来控制数据权限 (罗琳: the Shanghai product divisions).
    expect(await visibleOrders(as.luolin)).toEqual(ordersOf("wanglei", "lina", "zhangwei"));
    expect((await as.gaoying.get("/api/objects/sales_order/records")).status).toBe(403);
  });

  it("lets the sales assistant review orders of her departments only", async () => {
    const order = (await as.luolin.get(`/api/objects/sales_order/records/${orderOf.zhangwei}`)).body;
    expect(order.lines).toHaveLength(1);
    expect(order.lines[0].amount).toBe(385);
    const reviewed = await as.luolin.patch(`/api/objects/sales_order/records/${order.id}`, { version: order.version, status: "approved" });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    expect((await as.luolin.get(`/api/objects/sales_order/records/${orderOf.chenjing}`)).status).toBe(404);
  });

  it("keeps order lines with their order: no direct access to a colleague's lines", async () => {
    const lines = await as.wanglei.get("/api/objects/sales_order_line/records?limit=200");
    expect(lines.status).toBe(200);
    const own = (await as.wanglei.get(`/api/objects/sales_order/records/${orderOf.wanglei}`)).body.lines.map((line: { id: string }) => line.id);
    expect(lines.body.records.map((line: { id: string }) => line.id).sort()).toEqual(own.sort());
    const explained = await as.wanglei.get(`/api/objects/sales_order_line/records/${own[0]}/access`);
    expect(explained.body).toMatchObject({ object: "sales_order_line", via: { object: "sales_order", record: orderOf.wanglei }, view: { allowed: true }, edit: { allowed: true } });
  });

  it("keeps inventory read-only for CRM users", async () => {
    const items = await as.wanglei.get("/api/objects/inventory/records");
    expect(items.status).toBe(200);
    expect((await as.wanglei.post("/api/objects/inventory/records", { code: "X-1", name: "私建存货" })).status).toBe(403);
    expect((await as.wanglei.patch(`/api/objects/inventory/records/${items.body.records[0].id}`, { version: 1, list_price: 1 })).status).toBe(403);
  });
});
