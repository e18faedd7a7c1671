// Automatic grants (SPEC C6, source document section 4): 市场专员 by 关注新品类别, 常务经理 over named employees.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
let admin: TestClient;
const as: Record<string, TestClient> = {};
const employee: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  for (const username of ["machao", "qiankun", "wanglei", "zhangwei"]) as[username] = await server.login(username);
  for (const user of await server.database.db("users").withSchema("sys").select("username", "employee_id")) employee[user.username] = user.employee_id;
});

afterAll(async () => {
  await server?.close();
});

const customer = async (body: Record<string, unknown>) => {
  const response = await admin.post("/api/objects/customer/records", body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
};

describe("市场专员: 按照“关注新品类别”的值在客户档案上自动增加指定人员为相关员工", () => {
  it("makes 马超 a related employee of customers interested in 水性涂料, and only those", async () => {
    // 张伟 is overseen by nobody, so 马超 is the only automatic grant here.
    const interested = await customer({ name: "关注水性涂料的客户", owner_id: employee.zhangwei, new_product_categories: ["waterborne_coating"] });
    const other = await customer({ name: "关注生物基塑料的客户", owner_id: employee.zhangwei, new_product_categories: ["bio_based_plastic"] });
    expect(interested.related_employee_ids).toEqual([employee.machao]);
    expect(other.related_employee_ids).toEqual([]);
    expect((await as.machao.get(`/api/objects/customer/records/${interested.id}`)).status).toBe(200);
    expect((await as.machao.get(`/api/objects/customer/records/${other.id}`)).status).toBe(404);
    const edit = await as.machao.patch(`/api/objects/customer/records/${interested.id}`, { version: interested.version, remark: "新品跟进" });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
  });

  it("takes the grant back when the customer's interest changes", async () => {
    const record = await customer({ name: "改变兴趣的客户", owner_id: employee.zhangwei, new_product_categories: ["waterborne_coating"] });
    expect((await as.machao.get(`/api/objects/customer/records/${record.id}`)).status).toBe(200);
    const changed = await admin.patch(`/api/objects/customer/records/${record.id}`, { version: record.version, new_product_categories: ["powder_coating"] });
    expect(changed.body.related_employee_ids).toEqual([]);
    expect((await as.machao.get(`/api/objects/customer/records/${record.id}`)).status).toBe(404);
  });

  it("keeps related employees added by hand", async () => {
    const record = await customer({ name: "手工相关员工的客户", owner_id: employee.zhangwei, related_employee_ids: [employee.wanglei], new_product_categories: ["waterborne_coating"] });
    expect(record.related_employee_ids.sort()).toEqual([employee.wanglei, employee.machao].sort());
    const changed = await admin.patch(`/api/objects/customer/records/${record.id}`, { version: record.version, new_product_categories: [] });
    expect(changed.body.related_employee_ids).toEqual([employee.wanglei]);
  });

  it("re-applies when the person's followed category changes", async () => {
    const plastic = await customer({ name: "生物基塑料新客户", owner_id: employee.zhangwei, new_product_categories: ["bio_based_plastic"] });
    expect((await as.machao.get(`/api/objects/customer/records/${plastic.id}`)).status).toBe(404);
    const changed = await admin.patch("/api/admin/users/machao", { grants: { followsNewProductCategory: "bio_based_plastic" } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await as.machao.get(`/api/objects/customer/records/${plastic.id}`)).status).toBe(200);
    const coatings = (await as.machao.get("/api/objects/customer/records?limit=200")).body.records.map((record: { name: string }) => record.name);
    expect(coatings).not.toContain("关注水性涂料的客户");
    await admin.patch("/api/admin/users/machao", { grants: { followsNewProductCategory: "waterborne_coating" } });
  });

  it("re-applies when the rule itself changes", async () => {
    const record = await customer({ name: "粉末涂料客户", owner_id: employee.wanglei, new_product_categories: ["powder_coating"] });
    const pack = (await admin.get("/api/packs/export")).body;
    const rule = pack.grantRules.find((candidate: { name: string }) => candidate.name === "new_product_followers");
    const widened = {
      ...rule,
      condition: { or: [rule.condition, { in: ["powder_coating", { var: "record.new_product_categories" }] }] },
    };
    const applied = await admin.post("/api/packs/apply", { manifest: { name: "rule_tweak", version: "1.0.0", label: { "zh-CN": "规则调整", en: "Rule tweak" } }, objects: [], optionSets: [], grantRules: [widened] });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect((await as.machao.get(`/api/objects/customer/records/${record.id}`)).status).toBe(200);
  });
});

describe("常务经理: 把相应员工负责的档案上自动增加常务经理为相关员工", () => {
  it("lets 钱坤 edit the customers and contacts of 王磊 and 李娜, and only view their activities", async () => {
    const record = await customer({ name: "王磊负责的大客户", owner_id: employee.wanglei });
    expect(record.related_employee_ids).toContain(employee.qiankun);
    const contact = await admin.post("/api/objects/contact/records", { name: "大客户采购", customer_id: record.id, owner_id: employee.wanglei });
    const activity = await admin.post("/api/objects/activity/records", { subject: "大客户拜访", activity_type: "prospecting", customer_id: record.id, owner_id: employee.wanglei });
    expect((await as.qiankun.patch(`/api/objects/customer/records/${record.id}`, { version: record.version, remark: "常务经理跟进" })).status).toBe(200);
    expect((await as.qiankun.patch(`/api/objects/contact/records/${contact.body.id}`, { version: contact.body.version, title: "总监" })).status).toBe(200);
    expect((await as.qiankun.get(`/api/objects/activity/records/${activity.body.id}`)).status).toBe(200);
    expect((await as.qiankun.patch(`/api/objects/activity/records/${activity.body.id}`, { version: activity.body.version, result: "x" })).status).toBe(403);
    const notOverseen = await customer({ name: "张伟负责的客户", owner_id: employee.zhangwei });
    expect((await as.qiankun.get(`/api/objects/customer/records/${notOverseen.id}`)).status).toBe(404);
  });

  it("follows a reassignment: the grant moves with the owner", async () => {
    const record = await customer({ name: "将被转给张伟的客户", owner_id: employee.lina });
    expect((await as.qiankun.get(`/api/objects/customer/records/${record.id}`)).status).toBe(200);
    const moved = await admin.patch(`/api/objects/customer/records/${record.id}`, { version: record.version, owner_id: employee.zhangwei });
    expect(moved.status).toBe(200);
    expect((await as.qiankun.get(`/api/objects/customer/records/${record.id}`)).status).toBe(404);
  });

  it("keeps the grant when the same employee has a second account without it", async () => {
    const second = await admin.post("/api/admin/users", { username: "qiankun2", displayName: "钱坤（备用）", password: "demo123", employeeId: employee.qiankun, roles: ["executive_manager"] });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const record = await customer({ name: "双账号时的客户", owner_id: employee.lina });
    expect(record.related_employee_ids).toContain(employee.qiankun);
    expect((await as.qiankun.patch(`/api/objects/customer/records/${record.id}`, { version: record.version, remark: "仍可编辑" })).status).toBe(200);
  });

  it("re-applies only to the written record when two accounts of one employee oversee different people", async () => {
    // Found by the permission property test: the two accounts' conditions were joined by an OR that escaped the
    // record ids and the deleted_at test, so writing any customer granted every matching record, deleted ones too.
    const removed = await customer({ name: "张伟负责、已删除的客户", owner_id: employee.zhangwei });
    expect((await admin.delete(`/api/objects/customer/records/${removed.id}`)).status).toBe(204);
    const third = await admin.post("/api/admin/users", {
      username: "qiankun3",
      displayName: "钱坤（代管张伟）",
      password: "demo123",
      employeeId: employee.qiankun,
      roles: ["executive_manager"],
      grants: { oversees: [employee.zhangwei] },
    });
    expect(third.status, JSON.stringify(third.body)).toBe(201);
    const overseen = await customer({ name: "张伟负责、钱坤代管的客户", owner_id: employee.zhangwei });
    expect(overseen.related_employee_ids).toEqual([employee.qiankun]);
    await customer({ name: "李娜的另一个客户", owner_id: employee.lina });
    const [stored] = await server.database.db("customer").where({ id: removed.id }).select("related_employee_ids");
    expect(stored.related_employee_ids).toEqual([]);
    const [still] = await server.database.db("customer").where({ id: overseen.id }).select("related_employee_ids");
    expect(still.related_employee_ids).toEqual([employee.qiankun]);
    expect((await admin.patch("/api/admin/users/qiankun3", { active: false })).status).toBe(200);
  });

  it("cannot be widened by the person it grants to", async () => {
    const record = await customer({ name: "钱坤试图改负责人的客户", owner_id: employee.wanglei });
    const attempt = await as.qiankun.patch(`/api/objects/customer/records/${record.id}`, { version: record.version, related_employee_ids: [employee.qiankun, employee.zhangwei] });
    expect(attempt.status).toBe(403);
  });
});
