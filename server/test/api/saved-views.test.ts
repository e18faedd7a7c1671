// Saved list views (sys.saved_views) over the API: each user's own views, validated like list filters against the
// fields that user may see, and invisible to everyone else (404).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
let wanglei: TestClient;
let liuyang: TestClient;
let gaoying: TestClient;

const VIEWS = "/api/objects/customer/views";
const formalFilter = { and: [{ "==": [{ var: "status" }, "formal"] }, { ">=": [{ var: "credit_limit" }, 10000] }] };

beforeAll(async () => {
  server = await startTestServer();
  [wanglei, liuyang, gaoying] = await Promise.all(["wanglei", "liuyang", "gaoying"].map((username) => server.login(username)));
});

afterAll(async () => {
  await server?.close();
});

describe("saved views", () => {
  it("creates, lists, renames and deletes a user's own view", async () => {
    const created = await wanglei.post(VIEWS, { name: " 大客户 ", filter: formalFilter, sort: "-credit_limit,name", columns: ["name", "status", "credit_limit"] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ object: "customer", name: "大客户", filter: formalFilter, sort: "-credit_limit,name", columns: ["name", "status", "credit_limit"] });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);

    const plain = await wanglei.post(VIEWS, { name: "全部" });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ filter: null, sort: null, columns: null });

    const listed = await wanglei.get(VIEWS);
    expect(listed.status).toBe(200);
    expect(listed.body.views.map((view: { name: string }) => view.name).sort()).toEqual(["全部", "大客户"].sort());

    // The stored filter is accepted by the list API as it is.
    const records = await wanglei.get(`/api/objects/customer/records?filter=${encodeURIComponent(JSON.stringify(created.body.filter))}&sort=${created.body.sort}`);
    expect(records.status, JSON.stringify(records.body)).toBe(200);

    const renamed = await wanglei.patch(`${VIEWS}/${created.body.id}`, { name: "正式大客户", sort: null });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ name: "正式大客户", sort: null, filter: formalFilter });
    expect(Date.parse(renamed.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));

    expect((await wanglei.delete(`${VIEWS}/${plain.body.id}`)).status).toBe(204);
    expect((await wanglei.get(VIEWS)).body.views.map((view: { name: string }) => view.name)).toEqual(["正式大客户"]);
    expect((await wanglei.delete(`${VIEWS}/${plain.body.id}`)).status).toBe(404);
  });

  it("keeps views per object and refuses a second view of the same name", async () => {
    expect((await wanglei.post(VIEWS, { name: "重名" })).status).toBe(201);
    const again = await wanglei.post(VIEWS, { name: "重名" });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("DUPLICATE_VALUE");
    expect(again.body.error.details).toEqual([{ path: "/name", message: expect.objectContaining({ en: 'A view named "重名" already exists' }) }]);
    // Another user, or another object, may use the name.
    expect((await liuyang.post(VIEWS, { name: "重名" })).status).toBe(201);
    expect((await wanglei.post("/api/objects/contact/views", { name: "重名" })).status).toBe(201);
    expect((await wanglei.get("/api/objects/contact/views")).body.views).toHaveLength(1);
  });

  it("hides other users' views: listing, changing and deleting them answer as if they did not exist", async () => {
    const own = await liuyang.post(VIEWS, { name: "刘洋的视图", filter: { "==": [{ var: "status" }, "potential"] } });
    expect(own.status).toBe(201);
    const names = (await wanglei.get(VIEWS)).body.views.map((view: { name: string }) => view.name);
    expect(names).not.toContain("刘洋的视图");
    const patch = await wanglei.patch(`${VIEWS}/${own.body.id}`, { name: "抢来的" });
    expect(patch.status).toBe(404);
    expect(patch.body.error.code).toBe("NOT_FOUND");
    expect((await wanglei.delete(`${VIEWS}/${own.body.id}`)).status).toBe(404);
    // Nor under another object's path, nor with an id that is no uuid.
    expect((await liuyang.patch(`/api/objects/contact/views/${own.body.id}`, { name: "x" })).status).toBe(404);
    expect((await liuyang.delete(`${VIEWS}/not-a-uuid`)).status).toBe(404);
    expect((await liuyang.get(VIEWS)).body.views.map((view: { name: string }) => view.name)).toContain("刘洋的视图");
  });

  it("refuses invalid bodies with the path of each problem", async () => {
    const shape = await wanglei.post(VIEWS, { name: "", columns: ["name", "name"], extra: 1, sort: "name;drop" });
    expect(shape.status).toBe(400);
    expect(shape.body.error.code).toBe("VALIDATION_FAILED");
    const paths = shape.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(["/name", "/columns", "/extra", "/sort"]));

    const operator = await wanglei.post(VIEWS, { name: "坏运算符", filter: { and: [{ "==": [{ var: "status" }, "formal"] }, { method: [{ var: "name" }, "toUpperCase"] }] } });
    expect(operator.status).toBe(400);
    expect(operator.body.error.details[0].path).toMatch(/^\/filter\/and\/1/);

    const unknownField = await wanglei.post(VIEWS, { name: "未知字段", filter: { "==": [{ var: "no_such_field" }, 1] } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.details[0].path).toBe("/filter/==/0/var");

    const wrongType = await wanglei.post(VIEWS, { name: "类型错误", filter: { ">": [{ var: "credit_limit" }, "many"] } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.details[0].path).toBe("/filter/>/1");

    const sort = await wanglei.post(VIEWS, { name: "排序", sort: "name,-no_such_field" });
    expect(sort.status).toBe(400);
    expect(sort.body.error.details).toEqual([expect.objectContaining({ path: "/sort/1" })]);

    const columns = await wanglei.post(VIEWS, { name: "列", columns: ["name", "no_such_field"] });
    expect(columns.status).toBe(400);
    expect(columns.body.error.details).toEqual([expect.objectContaining({ path: "/columns/1" })]);

    const empty = await wanglei.patch(`${VIEWS}/${(await wanglei.post(VIEWS, { name: "空补丁" })).body.id}`, {});
    expect(empty.status).toBe(400);
  });

  it("judges a view by the fields its user may see: hidden fields cannot be filtered, sorted or shown", async () => {
    // 普通客服 does not see credit_limit or bank_account on customers.
    const filtered = await gaoying.post(VIEWS, { name: "信用额度", filter: formalFilter });
    expect(filtered.status).toBe(400);
    expect(filtered.body.error.details).toEqual([expect.objectContaining({ path: "/filter/and/1/>=/0/var" })]);
    const sorted = await gaoying.post(VIEWS, { name: "按额度", sort: "-credit_limit" });
    expect(sorted.status).toBe(400);
    expect(sorted.body.error.details[0].path).toBe("/sort/0");
    const shown = await gaoying.post(VIEWS, { name: "银行", columns: ["name", "bank_account"] });
    expect(shown.status).toBe(400);
    expect(shown.body.error.details[0].path).toBe("/columns/1");
    expect((await gaoying.post(VIEWS, { name: "正式客户", filter: { "==": [{ var: "status" }, "formal"] }, columns: ["name", "status"] })).status).toBe(201);
  });

  it("needs a signed-in user who may view the object, and an object that exists", async () => {
    expect((await server.client().get(VIEWS)).status).toBe(401);
    const unknown = await wanglei.get("/api/objects/no_such_object/views");
    expect(unknown.status).toBe(404);
    // Salespeople have no view right on the knowledge base.
    const forbidden = await wanglei.post("/api/objects/knowledge_article/views", { name: "x" });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("FORBIDDEN");
  });
});
