// The sales flow of the distribution pack over HTTP: lead → customer + opportunity → quote → order, prices,
// duplicate registration, close lost, make formal, and who may run which action on which record (issue 4).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { createdRecord as created } from "../support/sales-fixture";

let server: TestServer;
let admin: TestClient;
const as: Record<string, TestClient> = {};
const employee: Record<string, string> = {};
/** Inventory items by code. */
const item: Record<string, string> = {};

const actionUrl = (object: string, id: string, action: string) => `/api/objects/${object}/records/${id}/actions/${action}`;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  for (const username of ["wanglei", "lina", "zhaomin", "hefang", "chenjing", "luolin", "integration"]) as[username] = await server.login(username);
  const users = await server.database.db("users").withSchema("sys").select("username", "employee_id");
  for (const user of users) employee[user.username] = user.employee_id;
  // The ERP side (the integration account) maintains items and prices.
  for (const [code, listPrice] of [["TL-A", 40], ["TL-B", 20], ["TL-C", 10], ["TL-D", 8]] as const) {
    item[code] = (await created(as.integration, "inventory", { code, name: `涂料 ${code}`, unit: "kg", product_line: "coating", list_price: listPrice })).id;
  }
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("what the ERP owns (SPEC B3): CRM users read inventory and prices, only the integration account writes them", () => {
  it("answers 403 to a salesperson writing an item or a price, and lets the integration account do it", async () => {
    const itemWrite = await as.wanglei.post("/api/objects/inventory/records", { code: "X-1", name: "私自新增" });
    expect(itemWrite.status).toBe(403);
    expect(itemWrite.body.error.code).toBe("FORBIDDEN");
    const priceWrite = await as.wanglei.post("/api/objects/price/records", { price_type: "inventory", inventory_id: item["TL-A"], unit_price: 1 });
    expect(priceWrite.status).toBe(403);
    const price = await created(as.integration, "price", { price_type: "inventory", inventory_id: item["TL-D"], unit_price: 7.5, valid_to: "2000-01-01" });
    const edit = await as.wanglei.patch(`/api/objects/price/records/${price.id}`, { version: price.version, unit_price: 0.01 });
    expect(edit.status).toBe(403);
    expect((await as.wanglei.get(`/api/objects/price/records/${price.id}`)).body.unit_price).toBe(7.5);
  });
});

let lead: Record<string, any>;
let customerId: string;
let opportunityId: string;

describe("lead conversion (线索转换)", () => {
  beforeAll(async () => {
    lead = await created(as.wanglei, "lead", { name: "王经理", company: "天津海虹化工", mobile: "13800000001", email: "wang@haihong.cn", product_line: "coating" });
  });

  it("turns a lead into a potential customer, a contact and an opportunity that link back to it", async () => {
    const response = await as.wanglei.post(actionUrl("lead", lead.id, "convert"), { customer: {}, contact: {}, opportunity: { values: { amount: 50000 } } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const { record, created: made } = response.body;
    expect(made.customer).toMatchObject({ name: "天津海虹化工", status: "potential", phone: "13800000001", source_lead_id: lead.id, owner_id: employee.wanglei });
    expect(made.contact).toMatchObject({ name: "王经理", mobile: "13800000001", customer_id: made.customer.id });
    expect(made.opportunity).toMatchObject({ customer_id: made.customer.id, contact_id: made.contact.id, source_lead_id: lead.id, product_line: "coating", amount: 50000, stage: "initial" });
    expect(record).toMatchObject({
      status: "converted",
      converted_customer_id: made.customer.id,
      converted_contact_id: made.contact.id,
      converted_opportunity_id: made.opportunity.id,
    });
    expect(Date.parse(record.converted_at)).toBeGreaterThan(Date.now() - 60_000);
    customerId = made.customer.id;
    opportunityId = made.opportunity.id;
    const { history } = (await as.wanglei.get(`/api/objects/lead/records/${lead.id}/history`)).body;
    expect(history.map((entry: { action: string }) => entry.action)).toEqual(["create", "update"]);
  });

  it("cannot convert a converted lead again (422)", async () => {
    const again = await as.wanglei.post(actionUrl("lead", lead.id, "convert"), { customer: {} });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe("RULE_VIOLATION");
  });

  it("runs in one transaction: a failure in the middle leaves no customer, no contact and the lead as it was", async () => {
    const second = await created(as.wanglei, "lead", { name: "赵工", company: "泉州半途而废涂装", product_line: "resin" });
    const response = await as.wanglei.post(actionUrl("lead", second.id, "convert"), { customer: {}, contact: {}, opportunity: { values: { amount: -1 } } });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(["/opportunity/values/amount"]);
    const customers = await admin.get(`/api/objects/customer/records?filter=${encodeURIComponent(JSON.stringify({ "==": [{ var: "name" }, "泉州半途而废涂装"] }))}&count=true`);
    expect(customers.body.total).toBe(0);
    const contacts = await admin.get(`/api/objects/contact/records?filter=${encodeURIComponent(JSON.stringify({ "==": [{ var: "name" }, "赵工"] }))}&count=true`);
    expect(contacts.body.total).toBe(0);
    expect((await as.wanglei.get(`/api/objects/lead/records/${second.id}`)).body).toMatchObject({ status: "new", version: second.version, converted_customer_id: null });
  });

  it("attaches a contact to an existing customer the user can see, and refuses one they cannot see with a path", async () => {
    const third = await created(as.wanglei, "lead", { name: "孙采购", company: "天津海虹化工" });
    const response = await as.wanglei.post(actionUrl("lead", third.id, "convert"), { customer: { id: customerId }, contact: {} });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.created.customer).toBeUndefined();
    expect(response.body.created.contact).toMatchObject({ name: "孙采购", customer_id: customerId });
    expect(response.body.record).toMatchObject({ status: "converted", converted_customer_id: customerId });
    const linasCustomer = await created(as.lina, "customer", { name: "李娜的客户" });
    const fourth = await created(as.wanglei, "lead", { name: "周某" });
    const hidden = await as.wanglei.post(actionUrl("lead", fourth.id, "convert"), { customer: { id: linasCustomer.id }, contact: {} });
    expect(hidden.status).toBe(400);
    expect(hidden.body.error.details).toEqual([{ path: "/customer/id", message: expect.any(Object) }]);
    expect(JSON.stringify(hidden.body)).not.toContain("李娜的客户");
  });

  it("answers 400 with a path for a malformed body", async () => {
    const fifth = await created(as.wanglei, "lead", { name: "钱某" });
    const cases: [unknown, string][] = [
      [{ contact: {} }, "/customer"],
      [{ customer: { id: "not-an-id" } }, "/customer/id"],
      [{ customer: {}, colour: "red" }, "/colour"],
    ];
    for (const [body, path] of cases) {
      const response = await as.wanglei.post(actionUrl("lead", fifth.id, "convert"), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.details.map((detail: { path: string }) => detail.path), JSON.stringify(body)).toContain(path);
    }
  });
});

describe("price auto-fill (客户价格 > 业务员价格 > 存货价格 > 存货档案价格)", () => {
  beforeAll(async () => {
    const price = (body: Record<string, unknown>) => created(as.integration, "price", body);
    await price({ price_type: "customer", inventory_id: item["TL-A"], customer_id: customerId, unit_price: 30 });
    await price({ price_type: "customer", inventory_id: item["TL-B"], customer_id: customerId, unit_price: 11, valid_to: "2001-12-31" });
    await price({ price_type: "salesperson", inventory_id: item["TL-A"], salesperson_id: employee.wanglei, unit_price: 35 });
    await price({ price_type: "salesperson", inventory_id: item["TL-B"], salesperson_id: employee.wanglei, unit_price: 18 });
    await price({ price_type: "inventory", inventory_id: item["TL-A"], unit_price: 38 });
    await price({ price_type: "inventory", inventory_id: item["TL-C"], unit_price: 9, valid_from: "2020-01-01" });
  });

  it.each([
    ["customer price first", "TL-A", { customer: true, salesperson: true }, 30, "customer"],
    ["salesperson price without a customer price", "TL-A", { salesperson: true }, 35, "salesperson"],
    ["salesperson price when the customer price expired", "TL-B", { customer: true, salesperson: true }, 18, "salesperson"],
    ["inventory price", "TL-A", {}, 38, "inventory"],
    ["inventory price within its validity", "TL-C", { customer: true, salesperson: true }, 9, "inventory"],
    ["the item's list price when no price applies", "TL-D", { customer: true }, 8, "list_price"],
  ] as const)("GET /api/prices/resolve: %s", async (_case, code, who, unitPrice, source) => {
    const query = new URLSearchParams({ inventory_id: item[code], date: "2026-03-01" });
    if ("customer" in who) query.set("customer_id", customerId);
    if ("salesperson" in who) query.set("salesperson_id", employee.wanglei);
    const response = await as.wanglei.get(`/api/prices/resolve?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ unitPrice, source });
  });

  it("ignores prices not yet valid on the date, and answers 400 with the parameter's path", async () => {
    const early = await as.wanglei.get(`/api/prices/resolve?inventory_id=${item["TL-C"]}&date=2019-06-01`);
    expect(early.body).toMatchObject({ unitPrice: 10, source: "list_price" });
    const bad = await as.wanglei.get(`/api/prices/resolve?customer_id=nope&date=2026-13-45`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(["/inventory_id", "/customer_id", "/date"]);
  });
});

describe("opportunity → quote → order (生成单据)", () => {
  let quote: Record<string, any>;

  it("generates a quote from the opportunity, filling prices the lines leave out", async () => {
    const response = await as.wanglei.post(actionUrl("opportunity", opportunityId, "generate_quote"), {
      lines: [
        { inventory_id: item["TL-A"], quantity: 10, discount: 10 },
        { inventory_id: item["TL-B"], quantity: 5 },
        { inventory_id: item["TL-C"], quantity: 1, unit_price: 12 },
      ],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    quote = response.body.created.quote;
    expect(quote).toMatchObject({ customer_id: customerId, opportunity_id: opportunityId, status: "draft", owner_id: employee.wanglei });
    expect(quote.quote_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(quote.lines.map((line: { unit_price: number }) => line.unit_price)).toEqual([30, 18, 12]);
    expect(quote.lines[0].amount).toBe(270);
    // A quote keeps the customer potential.
    expect((await as.wanglei.get(`/api/objects/customer/records/${customerId}`)).body.status).toBe("potential");
  });

  it("generates an order from the quote: lines and discounted prices copied, the customer formal, its last transaction date set", async () => {
    const before = (await as.wanglei.get(`/api/objects/customer/records/${customerId}`)).body;
    expect(before.last_transaction_date).toBeNull();
    const response = await as.wanglei.post(actionUrl("quote", quote.id, "generate_order"), { values: { order_date: "2026-03-15" } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const order = response.body.created.sales_order;
    expect(order).toMatchObject({ customer_id: customerId, quote_id: quote.id, order_date: "2026-03-15" });
    expect(order.lines.map((line: Record<string, unknown>) => [line.inventory_id, line.quantity, line.unit_price])).toEqual([
      [item["TL-A"], 10, 27],
      [item["TL-B"], 5, 18],
      [item["TL-C"], 1, 12],
    ]);
    const customer = (await as.wanglei.get(`/api/objects/customer/records/${customerId}`)).body;
    expect(customer).toMatchObject({ status: "formal", last_transaction_date: "2026-03-15" });
    expect(customer.version).toBe(before.version + 2);
    const { history } = (await as.wanglei.get(`/api/objects/customer/records/${customerId}/history`)).body;
    const fields = history.slice(-2).map((entry: { changes: { field: string }[] }) => entry.changes.map((change) => change.field));
    expect(fields).toEqual([["last_transaction_date"], ["status"]]);
  });

  it("keeps the last transaction date the latest live order's: an older order leaves it, deleting the newest goes back", async () => {
    const older = await created(as.wanglei, "sales_order", { customer_id: customerId, order_date: "2026-01-10", lines: [{ inventory_id: item["TL-A"], quantity: 1, unit_price: 30 }] });
    expect((await as.wanglei.get(`/api/objects/customer/records/${customerId}`)).body.last_transaction_date).toBe("2026-03-15");
    const newest = await created(as.wanglei, "sales_order", { customer_id: customerId, order_date: "2026-04-01", lines: [{ inventory_id: item["TL-A"], quantity: 1, unit_price: 30 }] });
    expect((await as.wanglei.get(`/api/objects/customer/records/${customerId}`)).body.last_transaction_date).toBe("2026-04-01");
    expect((await as.wanglei.delete(`/api/objects/sales_order/records/${newest.id}`)).status).toBe(204);
    expect((await as.wanglei.get(`/api/objects/customer/records/${customerId}`)).body.last_transaction_date).toBe("2026-03-15");
    expect(older.order_date).toBe("2026-01-10");
  });

  it("makes the customer formal also when an order clerk, who may not edit it, generates a contract", async () => {
    const customer = await created(as.chenjing, "customer", { name: "陈静的潜在客户" });
    const opportunity = await created(as.hefang, "opportunity", { name: "跟单代做", customer_id: customer.id, product_line: "plastic" });
    const response = await as.hefang.post(actionUrl("opportunity", opportunity.id, "generate_contract"), { lines: [{ inventory_id: item["TL-C"], quantity: 2 }] });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.created.contract).toMatchObject({ customer_id: customer.id, opportunity_id: opportunity.id, name: "跟单代做" });
    expect(response.body.created.contract.lines[0].unit_price).toBe(9);
    expect((await as.chenjing.get(`/api/objects/customer/records/${customer.id}`)).body.status).toBe("formal");
  });
});

describe("duplicate registration (商机报备)", () => {
  it("refuses a second open opportunity for the same customer and product line (409), and allows another line", async () => {
    const duplicate = await as.wanglei.post("/api/objects/opportunity/records", { name: "重复报备", customer_id: customerId, product_line: "coating" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: "DUPLICATE_RECORD", messages: { "zh-CN": expect.stringContaining("未关闭的商机"), en: expect.any(String) } });
    expect(duplicate.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(["/customer_id", "/product_line"]);
    await created(as.wanglei, "opportunity", { name: "树脂商机", customer_id: customerId, product_line: "resin" });
  });

  it("catches a duplicate the user cannot see, without revealing its name, number, owner or id", async () => {
    const customer = await created(as.wanglei, "customer", { name: "王磊的老客户" });
    const hidden = await created(admin, "opportunity", { name: "张伟的秘密商机", customer_id: customer.id, product_line: "plastic", owner_id: employee.zhangwei });
    // The director sees the customer (her department range) but not an opportunity owned outside it.
    expect((await as.zhaomin.get(`/api/objects/customer/records/${customer.id}`)).status).toBe(200);
    expect((await as.zhaomin.get(`/api/objects/opportunity/records/${hidden.id}`)).status).toBe(404);
    const response = await as.zhaomin.post("/api/objects/opportunity/records", { name: "总监报备", customer_id: customer.id, product_line: "plastic" });
    expect(response.status).toBe(409);
    const text = JSON.stringify(response.body);
    for (const secret of [hidden.id, hidden.name, hidden.number, "张伟"]) expect(text).not.toContain(secret);
  });

  it("lets a lost opportunity be registered again", async () => {
    const customer = await created(as.wanglei, "customer", { name: "二次报备客户" });
    const first = await created(as.wanglei, "opportunity", { name: "第一次", customer_id: customer.id, product_line: "rubber" });
    const lost = await as.wanglei.post(actionUrl("opportunity", first.id, "close_lost"), { reason: "价格没有竞争力" });
    expect(lost.status, JSON.stringify(lost.body)).toBe(200);
    await created(as.wanglei, "opportunity", { name: "第二次", customer_id: customer.id, product_line: "rubber" });
  });
});

describe("duplicate rules declared on any object (metadata duplicateRules)", () => {
  it("flags instead of refusing when the rule says so, whoever's the existing record", async () => {
    const definition = {
      name: "visit_registration",
      label: { "zh-CN": "拜访登记", en: "Visit registration" },
      ownership: true,
      fields: [
        { name: "customer_id", type: "lookup", target: "customer", required: true, label: { "zh-CN": "客户", en: "Customer" } },
        { name: "topic", type: "text", label: { "zh-CN": "主题", en: "Topic" } },
        { name: "possible_duplicate", type: "boolean", label: { "zh-CN": "疑似重复", en: "Possible duplicate" } },
      ],
      duplicateRules: [
        {
          name: "same_customer_topic",
          fields: ["customer_id", "topic"],
          onDuplicate: "flag",
          flagField: "possible_duplicate",
          message: { "zh-CN": "同一客户同一主题已登记", en: "This customer and topic are already registered" },
        },
      ],
    };
    const put = await admin.put("/api/metadata/objects/visit_registration", definition);
    expect(put.status, JSON.stringify(put.body).slice(0, 500)).toBe(201);
    const first = await created(admin, "visit_registration", { customer_id: customerId, topic: "新品推介", owner_id: employee.lina });
    const second = await created(admin, "visit_registration", { customer_id: customerId, topic: "新品推介" });
    const other = await created(admin, "visit_registration", { customer_id: customerId, topic: "回款" });
    expect([first.possible_duplicate, second.possible_duplicate, other.possible_duplicate]).toEqual([false, true, false]);
  });
});

describe("close lost (输单) and make formal (转正式客户)", () => {
  it("closes an opportunity as lost with a required reason, after which nothing can be generated from it", async () => {
    const customer = await created(as.wanglei, "customer", { name: "输单客户" });
    const opportunity = await created(as.wanglei, "opportunity", { name: "输掉的商机", customer_id: customer.id, product_line: "coating" });
    for (const [body, path] of [[{}, "/reason"], [{ reason: "  " }, "/reason"], [{ reason: 5 }, "/reason"]] as const) {
      const bad = await as.wanglei.post(actionUrl("opportunity", opportunity.id, "close_lost"), body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.details[0].path).toBe(path);
    }
    const response = await as.wanglei.post(actionUrl("opportunity", opportunity.id, "close_lost"), { reason: "客户选择了竞争对手" });
    expect(response.status).toBe(200);
    expect(response.body.record).toMatchObject({ stage: "lost", lost_reason: "客户选择了竞争对手", version: opportunity.version + 1 });
    expect(response.body.created).toEqual({});
    const order = await as.wanglei.post(actionUrl("opportunity", opportunity.id, "generate_order"), {});
    expect(order.status).toBe(422);
    expect((await as.wanglei.post(actionUrl("opportunity", opportunity.id, "close_lost"), { reason: "again" })).status).toBe(422);
  });

  it("makes a potential customer formal by hand, once", async () => {
    const customer = await created(as.wanglei, "customer", { name: "手工转正客户" });
    const response = await as.wanglei.post(actionUrl("customer", customer.id, "make_formal"), {});
    expect(response.status).toBe(200);
    expect(response.body.record.status).toBe("formal");
    expect((await as.wanglei.post(actionUrl("customer", customer.id, "make_formal"), {})).status).toBe(422);
  });
});

describe("who may run an action on which record", () => {
  it("answers 404 for a record the user cannot see, and for an action the object does not declare", async () => {
    const customer = await created(as.lina, "customer", { name: "李娜的客户二" });
    const opportunity = await created(as.lina, "opportunity", { name: "李娜的商机", customer_id: customer.id, product_line: "resin" });
    const response = await as.wanglei.post(actionUrl("opportunity", opportunity.id, "close_lost"), { reason: "想关掉别人的商机" });
    expect(response.status).toBe(404);
    expect(JSON.stringify(response.body)).not.toContain("李娜的商机");
    expect((await as.lina.post(actionUrl("opportunity", opportunity.id, "teleport"), {})).status).toBe(404);
  });

  it("answers 403 without the action's function permission, and for a record seen but not editable", async () => {
    const customer = await created(as.chenjing, "customer", { name: "陈静的客户" });
    const opportunity = await created(as.chenjing, "opportunity", { name: "陈静的商机", customer_id: customer.id, product_line: "coating" });
    // The order clerk sees the Tianjin department's opportunities but edits only her own.
    expect((await as.hefang.get(`/api/objects/opportunity/records/${opportunity.id}`)).status).toBe(200);
    const notEditable = await as.hefang.post(actionUrl("opportunity", opportunity.id, "generate_order"), {});
    expect(notEditable.status).toBe(403);
    // She may generate orders but not close opportunities as lost.
    const noFunction = await as.hefang.post(actionUrl("opportunity", opportunity.id, "close_lost"), { reason: "不该由跟单关闭" });
    expect(noFunction.status).toBe(403);
    expect(noFunction.body.error.messages["zh-CN"]).toContain("输单关闭");
    // The sales assistant may not convert leads at all.
    const lead = await created(as.wanglei, "lead", { name: "助理不能转换" });
    expect((await as.luolin.post(actionUrl("lead", lead.id, "convert"), { customer: {} })).status).toBe(403);
    expect((await as.chenjing.get(`/api/objects/opportunity/records/${opportunity.id}`)).body.stage).toBe("initial");
  });
});

describe("metadata: declared actions are validated with the JSON path of the problem", () => {
  it.each([
    ["an unknown kind", (definition: any): void => void (definition.actions[3].kind = "teleport"), "/actions/3/kind"],
    ["an unknown target", (definition: any): void => void (definition.actions[0].target = "invoice"), "/actions/0/target"],
  ] as const)("refuses %s, and changes nothing", async (_case, breakIt, path) => {
    const current = (await admin.get("/api/metadata/objects/opportunity")).body;
    const broken = structuredClone(current);
    breakIt(broken);
    const response = await admin.put("/api/metadata/objects/opportunity", broken);
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toEqual([path]);
    expect((await admin.get("/api/metadata/objects/opportunity")).body).toEqual(current);
  });

  it("lists the declared actions a user may run in the object description", async () => {
    const described = (await as.wanglei.get("/api/metadata/objects/opportunity")).body;
    expect(described.access.actions).toEqual(expect.arrayContaining(["generate_quote", "generate_order", "generate_contract", "close_lost"]));
    expect((await as.hefang.get("/api/metadata/objects/opportunity")).body.access.actions).not.toContain("close_lost");
  });
});
