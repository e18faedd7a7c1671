// Printing: A4 HTML with 金额大写, escaped values, hidden fields never printed, print right (403), view scope (404), audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { amountInChineseCapitals } from "../../src/print/chinese-capitals";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
let admin: TestClient;
let wanglei: TestClient;
let contractId: string;
let contractNumber: string;

const printUrl = (id: string, query = "") => `/api/objects/contract/records/${id}/print${query}`;

const printAudits = async (recordId: string) =>
  server.database.db("audit_log").withSchema("sys").where({ action: "print", record_id: recordId }).select("user_id", "context");

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  wanglei = await server.login("wanglei");
  const item = await admin.post("/api/objects/inventory/records", { code: "TL-0001", name: "水性木器漆 <清漆>", unit: "桶" });
  expect(item.status, JSON.stringify(item.body)).toBe(201);
  const customer = await wanglei.post("/api/objects/customer/records", { name: "上海<b>华彩</b>涂料有限公司" });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const contract = await wanglei.post("/api/objects/contract/records", {
    name: "2025 年度供货合同",
    customer_id: customer.body.id,
    sign_date: "2025-03-01",
    payment_terms: "货到 30 天内付款 & 开具增值税专用发票",
    lines: [{ inventory_id: item.body.id, quantity: 3, unit_price: 4115.22333 }],
  });
  expect(contract.status, JSON.stringify(contract.body)).toBe(201);
  contractId = contract.body.id;
  contractNumber = contract.body.number;
});

afterAll(async () => {
  await server?.close();
});

describe("GET /api/objects/:object/records/:id/print", () => {
  it("renders the contract as printable HTML with the total in Chinese capitals, every value escaped", async () => {
    const response = await wanglei.get(printUrl(contractId));
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["content-security-policy"]).toContain("default-src 'none'");
    const html = response.body as string;
    const total = (await wanglei.get(`/api/objects/contract/records/${contractId}`)).body.total_amount;
    expect(html).toContain(amountInChineseCapitals(total));
    expect(html).toContain("壹万贰仟叁佰肆拾伍元陆角柒分");
    expect(html).toContain("¥12,345.67");
    expect(html).toContain("@page { size: A4");
    expect(html).toContain("<h1>购销合同</h1>");
    expect(html).toContain(contractNumber);
    // lookups print their names, escaped; the customer's markup never reaches the page as markup
    expect(html).toContain("上海&#60;b&#62;华彩&#60;/b&#62;涂料有限公司");
    expect(html).toContain("水性木器漆 &#60;清漆&#62;");
    expect(html).not.toContain("<b>");
    expect(html).toContain("货到 30 天内付款 &#38; 开具增值税专用发票");
    expect(html).toContain("付款条件");
    expect(html).toContain("单价");
    expect(html).toContain("甲方（供方）盖章");
    expect(html).toContain("王磊");
  });

  it("speaks English with ?locale=en, keeping the capitals", async () => {
    const html = (await wanglei.get(printUrl(contractId, "?locale=en&template=contract"))).body as string;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("<h1>Sales contract</h1>");
    expect(html).toContain("Payment terms");
    expect(html).toContain("壹万贰仟叁佰肆拾伍元陆角柒分");
    expect((await wanglei.get(printUrl(contractId, "?locale=fr"))).body.error.details[0].path).toBe("/locale");
  });

  it("writes an audit row per print, naming the template", async () => {
    const audits = await printAudits(contractId);
    expect(audits).toHaveLength(2);
    expect(audits[0].context).toMatchObject({ username: "wanglei", template: "contract", locale: "zh-CN", lines: 1 });
  });

  it("answers 403 without the print right and 404 for a record the user may not see, auditing neither", async () => {
    const gaoying = await server.login("gaoying");
    const forbidden = await gaoying.get(printUrl(contractId));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("FORBIDDEN");
    const zhangwei = await server.login("zhangwei");
    expect((await zhangwei.get(`/api/objects/contract/records/${contractId}`)).status).toBe(404);
    const invisible = await zhangwei.get(printUrl(contractId));
    expect(invisible.status).toBe(404);
    expect(invisible.body.error.code).toBe("NOT_FOUND");
    expect((await wanglei.get(printUrl("00000000-0000-4000-8000-000000000000"))).status).toBe(404);
    expect(await printAudits(contractId)).toHaveLength(2);
  });

  it("answers 404 naming /template for an unknown template", async () => {
    const response = await wanglei.get(printUrl(contractId, "?template=invoice"));
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({ code: "PRINT_TEMPLATE_NOT_FOUND", details: [{ path: "/template" }] });
  });

  it("never prints a field hidden for the user, on the record or in its lines", async () => {
    const model = await server.built.server.registry.current();
    const salesRep = structuredClone(model.roles.get("sales_rep")!);
    salesRep.fields = { ...salesRep.fields, contract: { payment_terms: "hidden" }, contract_line: { unit_price: "hidden" } };
    await server.mergeModel({ roles: [salesRep] });
    const html = (await wanglei.get(printUrl(contractId))).body as string;
    expect(html).toContain("壹万贰仟叁佰肆拾伍元陆角柒分");
    expect(html).toContain("数量");
    expect(html).not.toContain("付款条件");
    expect(html).not.toContain("货到 30 天内付款");
    expect(html).not.toContain("单价");
    expect(html).not.toContain("4,115.22");
    // the administrator still sees both
    const full = (await admin.get(printUrl(contractId))).body as string;
    expect(full).toContain("货到 30 天内付款");
    expect(full).toContain("¥4,115.22");
  });
});
