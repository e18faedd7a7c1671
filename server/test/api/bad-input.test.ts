// Hostile and broken requests: each gets a 4xx in the error shape, nothing is written, the server stays up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
let admin: TestClient;
let customerId: string;
let customerVersion: number;

const tableSnapshot = async () => {
  const db = server.database.db;
  const [customers] = await db("customer").count({ n: "*" });
  const [audit] = await db("audit_log").withSchema("sys").count({ n: "*" });
  const [versions] = await db("model_versions").withSchema("sys").count({ n: "*" });
  return { customers: Number(customers.n), audit: Number(audit.n), versions: Number(versions.n) };
};

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  const created = await admin.post("/api/objects/customer/records", { name: "上海华东涂料有限公司", status: "potential" });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  customerId = created.body.id;
  customerVersion = created.body.version;
});

afterAll(async () => {
  await server?.close();
});

const json = { "content-type": "application/json" };
const q = (value: unknown) => encodeURIComponent(typeof value === "string" ? value : JSON.stringify(value));

type Case = [description: string, send: () => Promise<{ status: number; body: any }>, status: number, path?: string];

const cases: Case[] = [
  ["malformed JSON body", () => admin.raw({ method: "POST", url: "/api/objects/customer/records", payload: '{"name": "x",', headers: json }), 400],
  ["a JSON array instead of an object", () => admin.raw({ method: "POST", url: "/api/objects/customer/records", payload: "[1,2]", headers: json }), 400, "/"],
  ["wrong type", () => admin.post("/api/objects/customer/records", { name: 12345 }), 400, "/name"],
  ["over-long string", () => admin.post("/api/objects/customer/records", { name: "长".repeat(100_000) }), 400, "/name"],
  ["unknown field", () => admin.post("/api/objects/customer/records", { name: "x", hacked: true }), 400, "/hacked"],
  ["SQL-looking field name", () => admin.post("/api/objects/customer/records", { name: "x", 'name"; DROP TABLE customer; --': 1 }), 400],
  ["system field in the body", () => admin.post("/api/objects/customer/records", { name: "x", id: "00000000-0000-4000-8000-000000000000" }), 400, "/id"],
  ["computed field in the body", () => admin.post("/api/objects/customer/records", { name: "x", code: "C-1" }), 400, "/code"],
  ["value outside the picklist", () => admin.post("/api/objects/customer/records", { name: "x", status: "vip" }), 400, "/status"],
  ["invalid email", () => admin.post("/api/objects/customer/records", { name: "x", email: "not-an-email" }), 400, "/email"],
  ["invalid date", () => admin.post("/api/objects/customer/records", { name: "x", last_transaction_date: "2026-02-30x" }), 400, "/last_transaction_date"],
  ["huge number", () => admin.post("/api/objects/customer/records", { name: "x", credit_limit: 1e30 }), 400, "/credit_limit"],
  ["too many decimals", () => admin.post("/api/objects/customer/records", { name: "x", credit_limit: 1.234 }), 400, "/credit_limit"],
  ["lookup that is not a uuid", () => admin.post("/api/objects/customer/records", { name: "x", source_lead_id: "1 OR 1=1" }), 400, "/source_lead_id"],
  ["huge limit", () => admin.get("/api/objects/customer/records?limit=1000000"), 400, "/limit"],
  ["negative limit", () => admin.get("/api/objects/customer/records?limit=-1"), 400, "/limit"],
  ["broken cursor", () => admin.get("/api/objects/customer/records?cursor=garbage!!"), 400, "/cursor"],
  ["forged cursor", () => admin.get(`/api/objects/customer/records?cursor=${Buffer.from(JSON.stringify({ s: "-created_at,-id", v: ["x'; --", "y"] })).toString("base64url")}`), 400, "/cursor"],
  ["cursor of another sort", () => admin.get(`/api/objects/customer/records?sort=name&cursor=${Buffer.from(JSON.stringify({ s: "-created_at,-id", v: [null, "00000000-0000-4000-8000-000000000000"] })).toString("base64url")}`), 400, "/cursor"],
  ["filter that is not JSON", () => admin.get(`/api/objects/customer/records?filter=${q("{name:")}`), 400, "/filter"],
  ["filter on an unknown field", () => admin.get(`/api/objects/customer/records?filter=${q({ "==": [{ var: "secret" }, 1] })}`), 400],
  ["filter with the method operator", () => admin.get(`/api/objects/customer/records?filter=${q({ method: [{ var: "name" }, "toString"] })}`), 400],
  ["filter through __proto__", () => admin.get(`/api/objects/customer/records?filter=${q({ "==": [{ var: "__proto__.polluted" }, 1] })}`), 400],
  ["deeply nested filter", () => admin.get(`/api/objects/customer/records?filter=${q(Array.from({ length: 60 }).reduce((inner) => ({ "!": [inner] }), { "==": [{ var: "name" }, "x"] }))}`), 400],
  ["filter with a huge list", () => admin.get(`/api/objects/customer/records?filter=${q({ in: [{ var: "name" }, Array.from({ length: 5000 }, (_, i) => `n${i}`)] })}`), 400],
  ["filter value of the wrong type", () => admin.get(`/api/objects/customer/records?filter=${q({ ">": [{ var: "credit_limit" }, "abc"] })}`), 400],
  ["sort on an unknown field", () => admin.get("/api/objects/customer/records?sort=-nonexistent"), 400, "/sort/0"],
  ["sort with SQL in it", () => admin.get(`/api/objects/customer/records?sort=${q("name desc; DROP TABLE customer")}`), 400],
  ["search too long", () => admin.get(`/api/objects/customer/records?q=${"x".repeat(500)}`), 400, "/q"],
  ["update without version", () => admin.patch(`/api/objects/customer/records/${customerId}`, { name: "y" }), 400, "/version"],
  ["update with a stale version", () => admin.patch(`/api/objects/customer/records/${customerId}`, { name: "y", version: customerVersion + 5 }), 409],
  ["bulk with nothing", () => admin.post("/api/objects/customer/records/bulk", { records: [] }), 400, "/records"],
  ["bulk where one record is bad", () => admin.post("/api/objects/customer/records/bulk", { records: [{ name: "好的" }, { name: 5 }] }), 400, "/records/1/name"],
  ["unknown object", () => admin.get("/api/objects/no_such_object/records"), 404],
  ["SQL-looking object name", () => admin.get(`/api/objects/${q("customer; DROP TABLE customer")}/records`), 404],
  ["metadata PUT with a bad body", () => admin.put("/api/metadata/objects/customer", { name: "customer", label: "客户", fields: "all" }), 400],
  ["metadata PUT with a reserved table name", () => admin.put("/api/metadata/objects/pg_class", { name: "pg_class", label: { "zh-CN": "x", en: "x" }, fields: [] }), 400],
];

describe("bad input", () => {
  it.each(cases)("%s", async (_description, send, status, path) => {
    const before = await tableSnapshot();
    const response = await send();
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(response.body.error.messages).toMatchObject({ "zh-CN": expect.any(String), en: expect.any(String) });
    expect(Array.isArray(response.body.error.details)).toBe(true);
    if (path) expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toContain(path);
    expect(await tableSnapshot()).toEqual(before);
  });

  it("is still up and the record unchanged afterwards", async () => {
    expect((await admin.get("/api/health")).status).toBe(200);
    const record = await admin.get(`/api/objects/customer/records/${customerId}`);
    expect(record.body).toMatchObject({ name: "上海华东涂料有限公司", version: customerVersion });
    const search = await admin.get(`/api/objects/customer/records?q=${q("50%_\\")}`);
    expect(search.status).toBe(200);
    expect(search.body.records).toEqual([]);
  });

  it("answers in English when asked", async () => {
    const response = await server.client(admin.token).raw({ method: "GET", url: "/api/objects/customer/records?limit=0", headers: { "accept-language": "en-US" } });
    expect(response.body.error.message).toBe("The request is not valid");
  });
});
