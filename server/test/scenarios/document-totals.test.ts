// Document totals (issue 4): a quote's, an order's and a contract's total_amount is a roll-up (metadata `rollups`,
// sum over the lines via parent_id), kept by the server with every write of the document and its lines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPackFolder } from "@crm/metadata/load";
import { distributionPackDir } from "@crm/seeds";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { createdRecord as created } from "../support/sales-fixture";

let server: TestServer;
let admin: TestClient;
let wanglei: TestClient;
let integration: TestClient;
const item: Record<string, string> = {};
let customerId: string;

const sumOf = (lines: { amount: number }[]) => Math.round(lines.reduce((sum, line) => sum + line.amount, 0) * 100) / 100;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  wanglei = await server.login("wanglei");
  integration = await server.login("integration");
  for (const [code, listPrice] of [["TT-A", 12.5], ["TT-B", 3.2]] as const) {
    item[code] = (await created(integration, "inventory", { code, name: `合计测试 ${code}`, unit: "kg", product_line: "coating", list_price: listPrice })).id;
  }
  customerId = (await created(wanglei, "customer", { name: "合计测试客户" })).id;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("document totals (单据合计 = 明细金额之和)", () => {
  let order: Record<string, any>;

  it("creates an order with lines and stores the sum of their amounts, in the same version", async () => {
    order = await created(wanglei, "sales_order", {
      customer_id: customerId,
      order_date: "2026-05-01",
      lines: [
        { inventory_id: item["TT-A"], quantity: 3, unit_price: 12.5 },
        { inventory_id: item["TT-B"], quantity: 2.5, unit_price: 3.34 },
      ],
    });
    expect(order.lines.map((line: { amount: number }) => line.amount)).toEqual([37.5, 8.35]);
    expect(order.total_amount).toBe(45.85);
    expect(order.version).toBe(1);
    expect((await wanglei.get(`/api/objects/sales_order/records/${order.id}`)).body.total_amount).toBe(45.85);
    const { history } = (await wanglei.get(`/api/objects/sales_order/records/${order.id}/history`)).body;
    expect(history).toHaveLength(1);
    expect(history[0].changes).toContainEqual(expect.objectContaining({ field: "total_amount", after: 45.85 }));
  });

  it("follows a PATCH of the lines (changed, added and removed) and audits the new total", async () => {
    const [first] = order.lines;
    const response = await wanglei.patch(`/api/objects/sales_order/records/${order.id}`, {
      version: order.version,
      lines: [{ id: first.id, quantity: 4 }, { inventory_id: item["TT-B"], quantity: 10, unit_price: 1 }],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.lines.map((line: { amount: number }) => line.amount)).toEqual([50, 10]);
    expect(response.body.total_amount).toBe(60);
    expect(response.body.version).toBe(order.version + 1);
    const { history } = (await wanglei.get(`/api/objects/sales_order/records/${order.id}/history`)).body;
    expect(history.at(-1).changes).toEqual([{ field: "total_amount", before: 45.85, after: 60 }]);
    // A PATCH without lines leaves the total alone; removing every line makes it 0.
    const header = await wanglei.patch(`/api/objects/sales_order/records/${order.id}`, { version: response.body.version, remark: "加急" });
    expect(header.body.total_amount).toBe(60);
    const emptied = await wanglei.patch(`/api/objects/sales_order/records/${order.id}`, { version: header.body.version, lines: [] });
    expect(emptied.status, JSON.stringify(emptied.body)).toBe(200);
    expect(emptied.body.total_amount).toBe(0);
  });

  it("keeps every document of a bulk create and a bulk PATCH at the sum of its own lines", async () => {
    const bulk = await wanglei.post("/api/objects/quote/records/bulk", {
      records: [
        { customer_id: customerId, quote_date: "2026-05-02", lines: [{ inventory_id: item["TT-A"], quantity: 2, unit_price: 10, discount: 10 }] },
        { customer_id: customerId, quote_date: "2026-05-02", lines: [{ inventory_id: item["TT-A"], quantity: 1, unit_price: 7 }, { inventory_id: item["TT-B"], quantity: 1, unit_price: 0.5 }] },
      ],
    });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(201);
    const quotes = bulk.body.records;
    expect(quotes.map((quote: { total_amount: number }) => quote.total_amount)).toEqual([18, 7.5]);
    const patched = await wanglei.patch("/api/objects/quote/records/bulk", {
      records: quotes.map((quote: { id: string; version: number; lines: { id: string }[] }) => ({ id: quote.id, version: quote.version, lines: [{ id: quote.lines[0].id, quantity: 5 }] })),
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    for (const quote of patched.body.records) expect(quote.total_amount).toBe(sumOf(quote.lines));
    expect(patched.body.records.map((quote: { total_amount: number }) => quote.total_amount)).toEqual([45, 35]);
  });

  it("refuses a body that writes total_amount (400: computed by the server), on create, PATCH and bulk", async () => {
    const create = await wanglei.post("/api/objects/contract/records", { name: "手填合计", customer_id: customerId, total_amount: 999, lines: [] });
    expect(create.status).toBe(400);
    expect(create.body.error.code).toBe("VALIDATION_FAILED");
    expect(create.body.error.details).toEqual([{ path: "/total_amount", message: expect.objectContaining({ en: expect.stringContaining("computed by the server") }) }]);
    const current = (await wanglei.get(`/api/objects/sales_order/records/${order.id}`)).body;
    const patch = await wanglei.patch(`/api/objects/sales_order/records/${order.id}`, { version: current.version, total_amount: 1 });
    expect(patch.status).toBe(400);
    expect(patch.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(["/total_amount"]);
    const bulk = await wanglei.post("/api/objects/quote/records/bulk", { records: [{ customer_id: customerId, quote_date: "2026-05-03" }, { customer_id: customerId, quote_date: "2026-05-03", total_amount: 5 }] });
    expect(bulk.status).toBe(400);
    expect(bulk.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(["/records/1/total_amount"]);
    expect((await wanglei.get(`/api/objects/sales_order/records/${order.id}`)).body).toMatchObject({ total_amount: 0, version: current.version });
    // The record schema (OpenAPI, forms) offers no total to write, and still returns it.
    const metadata = (await wanglei.get("/api/metadata/objects/sales_order")).body;
    expect(metadata.recordSchema.properties.total_amount).toBeDefined();
    const openapi = JSON.stringify((await wanglei.get("/api/openapi.json")).body);
    expect(openapi).toContain("total_amount");
  });

  it("gives generated documents the sum of their copied and priced lines: opportunity → quote → order and contract", async () => {
    const opportunity = await created(wanglei, "opportunity", { name: "合计商机", customer_id: customerId, product_line: "coating" });
    const quoteResponse = await wanglei.post(`/api/objects/opportunity/records/${opportunity.id}/actions/generate_quote`, {
      lines: [{ inventory_id: item["TT-A"], quantity: 8, discount: 5 }, { inventory_id: item["TT-B"], quantity: 100 }],
    });
    expect(quoteResponse.status, JSON.stringify(quoteResponse.body)).toBe(201);
    const quote = quoteResponse.body.created.quote;
    expect(quote.lines.map((line: { unit_price: number }) => line.unit_price)).toEqual([12.5, 3.2]);
    expect(quote.total_amount).toBe(sumOf(quote.lines));
    expect(quote.total_amount).toBe(95 + 320);
    for (const action of ["generate_order", "generate_contract"]) {
      const response = await wanglei.post(`/api/objects/quote/records/${quote.id}/actions/${action}`, {});
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      const document = response.body.created.sales_order ?? response.body.created.contract;
      // Net prices are rounded to cents when copied (12.50 less 5 % = 11.88), the total follows the copied lines.
      expect(document.lines.map((line: { unit_price: number }) => line.unit_price)).toEqual([11.88, 3.2]);
      expect(document.total_amount, action).toBe(sumOf(document.lines));
      expect(document.total_amount, action).toBe(95.04 + 320);
      const stored = (await wanglei.get(`/api/objects/${response.body.created.sales_order ? "sales_order" : "contract"}/records/${document.id}`)).body;
      expect(stored.total_amount).toBe(document.total_amount);
    }
    const direct = await wanglei.post(`/api/objects/opportunity/records/${opportunity.id}/actions/generate_order`, { lines: [{ inventory_id: item["TT-B"], quantity: 7 }] });
    expect(direct.status, JSON.stringify(direct.body)).toBe(201);
    expect(direct.body.created.sales_order.total_amount).toBe(22.4);
  });

  it("keeps a total hidden from the user out of the answers, while still computing it (runs last: changes a role)", async () => {
    const pack = await loadPackFolder(distributionPackDir);
    const salesRep = pack.roles!.find((role) => role.name === "sales_rep")!;
    salesRep.fields = { ...salesRep.fields, sales_order: { ...salesRep.fields?.sales_order, total_amount: "hidden" } };
    expect((await admin.post("/api/packs/apply", pack)).status).toBe(200);
    const order = await created(wanglei, "sales_order", { customer_id: customerId, order_date: "2026-05-09", lines: [{ inventory_id: item["TT-A"], quantity: 2, unit_price: 6 }] });
    expect(order).not.toHaveProperty("total_amount");
    const patched = await wanglei.patch(`/api/objects/sales_order/records/${order.id}`, { version: order.version, lines: [{ id: order.lines[0].id, quantity: 3 }] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).not.toHaveProperty("total_amount");
    expect((await admin.get(`/api/objects/sales_order/records/${order.id}`)).body.total_amount).toBe(18);
  });
});
