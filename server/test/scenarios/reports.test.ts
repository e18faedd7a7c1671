// Reports over the fixed sales data set (server/test/support/sales-fixture.ts): exact hand-computed figures for
// the administrator, and the smaller figures of 王磊 (销售负责, own records) and 刘洋 (天津分公司部门经理).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPackFolder } from "@crm/metadata/load";
import { distributionPackDir } from "@crm/seeds";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { buildSalesFixture, type SalesFixture } from "../support/sales-fixture";

let server: TestServer;
let admin: TestClient;
let wanglei: TestClient;
let liuyang: TestClient;
let gaoying: TestClient;
let fixture: SalesFixture;

const MARCH = "from=2026-03-01&to=2026-03-31";

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  [wanglei, liuyang, gaoying] = await Promise.all(["wanglei", "liuyang", "gaoying"].map((username) => server.login(username)));
  fixture = await buildSalesFixture(server, admin);
});

afterAll(async () => {
  await server?.close();
});

async function report(client: TestClient, name: string, query = MARCH) {
  const response = await client.get(`/api/reports/${name}?${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

const counts = (total: number, not_started: number, in_progress: number, completed: number) => ({ total, by_status: { not_started, in_progress, completed } });

/** Rows keyed by id, so ties in the order (collation differs between databases) do not matter. */
const byKey = (rows: Record<string, unknown>[], key: string, names: Record<string, string>) => {
  const nameOf = Object.fromEntries(Object.entries(names).map(([name, id]) => [id, name]));
  return Object.fromEntries(rows.map((row) => [nameOf[row[key] as string] ?? String(row[key]), { total: row.total, by_status: row.by_status }]));
};

describe("activity_summary (员工行动统计)", () => {
  it("counts the period's activities per employee, per department and by status for the administrator", async () => {
    const body = await report(admin, "activity_summary");
    expect(body.statuses.map((status: { value: string }) => status.value)).toEqual(["not_started", "in_progress", "completed"]);
    expect(body.statuses[0].label).toEqual({ "zh-CN": "未开始", en: "Not started" });
    expect(byKey(body.employees, "employee_id", fixture.employee)).toEqual({
      wanglei: counts(4, 1, 1, 2),
      lina: counts(2, 0, 1, 1),
      chenjing: counts(2, 1, 0, 1),
      sunli: counts(1, 0, 1, 0),
      zhoujie: counts(1, 1, 0, 0),
    });
    expect(body.employees[0]).toMatchObject({ employee_id: fixture.employee.wanglei, employee_name: "王磊", total: 4 });
    expect(byKey(body.departments, "department_id", fixture.department)).toEqual({
      "0101": counts(6, 1, 2, 3),
      "0201": counts(3, 2, 0, 1),
      "0202": counts(1, 0, 1, 0),
    });
    expect(body.departments.find((row: { department_id: string }) => row.department_id === fixture.department["0201"]).department_name).toBe("天津分公司");
    expect(body.totals).toEqual(counts(10, 3, 3, 4));
  });

  it("takes the period's days in the requested time zone", async () => {
    // In UTC, A12 (1 March 01:00 Shanghai) falls in February and A10 (1 April 07:00 Shanghai) in March.
    const body = await report(admin, "activity_summary", `${MARCH}&time_zone=UTC`);
    expect(body.totals).toEqual(counts(10, 2, 4, 4));
    expect(byKey(body.employees, "employee_id", fixture.employee).zhoujie).toEqual(counts(1, 0, 1, 0));
  });

  it("narrows to a department tree or one owner", async () => {
    const tianjin = await report(admin, "activity_summary", `${MARCH}&department_id=${fixture.department["02"]}`);
    expect(tianjin.totals).toEqual(counts(4, 2, 1, 1));
    const rootOnly = await report(admin, "activity_summary", `${MARCH}&department_id=${fixture.department["02"]}&include_subdepartments=false`);
    expect(rootOnly.totals).toEqual(counts(0, 0, 0, 0));
    expect(rootOnly.employees).toEqual([]);
    const lina = await report(admin, "activity_summary", `${MARCH}&owner_id=${fixture.employee.lina}`);
    expect(lina.totals).toEqual(counts(2, 0, 1, 1));
  });

  it("shrinks to a salesperson's scope: own activities and those on own customers", async () => {
    const body = await report(wanglei, "activity_summary");
    expect(byKey(body.employees, "employee_id", fixture.employee)).toEqual({ wanglei: counts(4, 1, 1, 2), lina: counts(1, 0, 1, 0) });
    expect(byKey(body.departments, "department_id", fixture.department)).toEqual({ "0101": counts(5, 1, 2, 2) });
    expect(body.totals).toEqual(counts(5, 1, 2, 2));
  });

  it("shrinks to a department manager's range: Tianjin activities only", async () => {
    const body = await report(liuyang, "activity_summary");
    expect(byKey(body.employees, "employee_id", fixture.employee)).toEqual({ chenjing: counts(2, 1, 0, 1), sunli: counts(1, 0, 1, 0), zhoujie: counts(1, 1, 0, 0) });
    expect(byKey(body.departments, "department_id", fixture.department)).toEqual({ "0201": counts(3, 2, 0, 1), "0202": counts(1, 0, 1, 0) });
    expect(body.totals).toEqual(counts(4, 2, 1, 1));
  });
});

describe("customer_value_pyramid (客户价值金字塔)", () => {
  const bands = (body: { bands: { band: string; customers: number; revenue: number; share: number | null }[] }) =>
    Object.fromEntries(body.bands.map(({ band, customers, revenue, share }) => [band, [customers, revenue, share]]));

  it("bands the administrator's customers by cumulative revenue share (50 / 30 / 15 / rest)", async () => {
    // Ranked: C1 6000 (above 0), C3 2000 (above 6000 < 8000), C2 1500 (above 8000 < 9500), C4 400, C5 100, C6 0.
    const body = await report(admin, "customer_value_pyramid");
    expect(bands(body)).toEqual({ key: [1, 6000, 0.6], major: [1, 2000, 0.2], normal: [1, 1500, 0.15], minor: [3, 500, 0.05] });
    expect(body.totals).toEqual({ customers: 6, revenue: 10000 });
    expect(body.bands[0].label).toEqual({ "zh-CN": "关键客户", en: "Key customer" });
    expect(body.thresholds).toEqual({ key_share: 0.5, major_share: 0.3, normal_share: 0.15 });
  });

  it("takes the thresholds as parameters", async () => {
    const body = await report(admin, "customer_value_pyramid", `${MARCH}&key_share=0.7&major_share=0.2&normal_share=0.05`);
    expect(bands(body)).toEqual({ key: [2, 8000, 0.8], major: [1, 1500, 0.15], normal: [0, 0, 0], minor: [3, 500, 0.05] });
  });

  it("counts only the period's orders", async () => {
    const february = await report(admin, "customer_value_pyramid", "from=2026-02-01&to=2026-02-28");
    expect(bands(february)).toEqual({ key: [1, 900, 1], major: [0, 0, 0], normal: [0, 0, 0], minor: [5, 0, 0] });
    const none = await report(admin, "customer_value_pyramid", "from=2020-01-01&to=2020-12-31");
    expect(none.totals).toEqual({ customers: 6, revenue: 0 });
    expect(bands(none).minor).toEqual([6, 0, null]);
  });

  it("shrinks to a salesperson's own customers", async () => {
    // C1 6000 above 0 → key; C2 1500: above 6000 is not under 80% of 7500 but under 95% → normal.
    const body = await report(wanglei, "customer_value_pyramid");
    expect(bands(body)).toEqual({ key: [1, 6000, 0.8], major: [0, 0, 0], normal: [1, 1500, 0.2], minor: [0, 0, 0] });
    expect(body.totals).toEqual({ customers: 2, revenue: 7500 });
  });

  it("shrinks to a department manager's customers and the orders they may see", async () => {
    const body = await report(liuyang, "customer_value_pyramid");
    expect(bands(body)).toEqual({ key: [1, 400, 0.8], major: [0, 0, 0], normal: [1, 100, 0.2], minor: [1, 0, 0] });
    expect(body.totals).toEqual({ customers: 3, revenue: 500 });
    const adminTianjin = await report(admin, "customer_value_pyramid", `${MARCH}&department_id=${fixture.department["02"]}`);
    expect(bands(adminTianjin)).toEqual(bands(body));
  });
});

describe("opportunity_funnel (商机漏斗)", () => {
  const stages = (body: { stages: { value: string; count: number; amount: number; weighted_amount: number }[] }) =>
    body.stages.map(({ value, count, amount, weighted_amount }) => [value, count, amount, weighted_amount]);

  it("lists every stage in the option set's order with counts, amounts and the win rate", async () => {
    const body = await report(admin, "opportunity_funnel");
    expect(stages(body)).toEqual([
      ["initial", 1, 10000, 1000],
      ["qualified", 0, 0, 0],
      ["proposal", 1, 20000, 10000],
      ["negotiation", 1, 6000, 4800],
      ["won", 2, 8000, 8000],
      ["lost", 2, 10000, 400],
    ]);
    expect(body.stages[4].label).toEqual({ "zh-CN": "赢单", en: "Won" });
    expect(body.totals).toEqual({ count: 7, amount: 54000, weighted_amount: 24200, won: 2, lost: 2, win_rate: 0.5 });
  });

  it("shrinks to the salesperson's and the manager's opportunities", async () => {
    const own = await report(wanglei, "opportunity_funnel");
    expect(own.totals).toEqual({ count: 3, amount: 35000, weighted_amount: 16000, won: 1, lost: 0, win_rate: 1 });
    const tianjin = await report(liuyang, "opportunity_funnel");
    expect(stages(tianjin).filter(([, count]) => count)).toEqual([
      ["negotiation", 1, 6000, 4800],
      ["won", 1, 3000, 3000],
      ["lost", 1, 2000, 400],
    ]);
    expect(tianjin.totals).toEqual({ count: 3, amount: 11000, weighted_amount: 8200, won: 1, lost: 1, win_rate: 0.5 });
  });

  it("answers a null win rate when nothing in the period is closed", async () => {
    const body = await report(admin, "opportunity_funnel", "from=2026-03-10&to=2026-03-20");
    expect(body.totals).toEqual({ count: 2, amount: 30000, weighted_amount: 11000, won: 0, lost: 0, win_rate: null });
  });
});

describe("lead_source_conversion (线索来源与转化)", () => {
  // Leads are created today: a period of a few days around now holds all of them.
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const today = () => `from=${day(-2)}&to=${day(2)}`;
  const sources = (body: { sources: { value: string; leads: number; converted: number; conversion_rate: number | null; to_customers: number; to_opportunities: number }[] }) =>
    Object.fromEntries(body.sources.map(({ value, leads, converted, conversion_rate, to_customers, to_opportunities }) => [value, [leads, converted, conversion_rate, to_customers, to_opportunities]]));

  it("counts leads, conversions and what they became per source", async () => {
    const body = await report(admin, "lead_source_conversion", today());
    expect(sources(body)).toEqual({
      exhibition: [3, 2, 0.6667, 2, 1],
      website: [1, 1, 1, 1, 1],
      phone: [2, 1, 0.5, 0, 0],
      referral: [0, 0, null, 0, 0],
      advertising: [0, 0, null, 0, 0],
      other: [0, 0, null, 0, 0],
      "": [1, 0, 0, 0, 0],
    });
    expect(body.sources.at(-1).label).toEqual({ "zh-CN": "未填写来源", en: "No source" });
    expect(body.totals).toEqual({ leads: 7, converted: 4, conversion_rate: 0.5714, to_customers: 3, to_opportunities: 2 });
    const past = await report(admin, "lead_source_conversion", "from=2020-01-01&to=2020-12-31");
    expect(past.totals).toEqual({ leads: 0, converted: 0, conversion_rate: null, to_customers: 0, to_opportunities: 0 });
  });

  it("shrinks to the salesperson's and the manager's leads", async () => {
    const own = await report(wanglei, "lead_source_conversion", today());
    expect(sources(own)).toMatchObject({ exhibition: [2, 1, 0.5, 1, 0], website: [1, 1, 1, 1, 1], phone: [0, 0, null, 0, 0] });
    expect(own.totals).toEqual({ leads: 3, converted: 2, conversion_rate: 0.6667, to_customers: 2, to_opportunities: 1 });
    const tianjin = await report(liuyang, "lead_source_conversion", today());
    expect(sources(tianjin)).toMatchObject({ exhibition: [1, 1, 1, 1, 1], phone: [2, 1, 0.5, 0, 0], "": [1, 0, 0, 0, 0] });
    expect(tianjin.totals).toEqual({ leads: 4, converted: 2, conversion_rate: 0.5, to_customers: 1, to_opportunities: 1 });
  });
});

describe("listing and refusing", () => {
  it("lists the reports the caller may run", async () => {
    const all = await admin.get("/api/reports");
    expect(all.status).toBe(200);
    expect(all.body.reports.map((item: { name: string }) => item.name)).toEqual(["activity_summary", "customer_value_pyramid", "opportunity_funnel", "lead_source_conversion"]);
    expect(all.body.reports[1]).toMatchObject({ label: { "zh-CN": "客户价值金字塔", en: "Customer value pyramid" }, objects: ["customer", "sales_order"] });
    expect(all.body.reports[1].parameters.properties.key_share.default).toBe(0.5);
    // 普通客服 may view customers and activities, but not sales orders, opportunities or leads.
    const service = await gaoying.get("/api/reports");
    expect(service.body.reports.map((item: { name: string }) => item.name)).toEqual(["activity_summary"]);
    expect((await gaoying.get(`/api/reports/activity_summary?${MARCH}`)).status).toBe(200);
    for (const name of ["customer_value_pyramid", "opportunity_funnel", "lead_source_conversion"]) {
      const run = await gaoying.get(`/api/reports/${name}?${MARCH}`);
      expect(run.status, name).toBe(403);
      expect(run.body.error.code).toBe("FORBIDDEN");
    }
  });

  it("answers 400 with the parameter's path for bad parameters", async () => {
    const cases: [string, string][] = [
      ["activity_summary?from=2026-13-01", "/from"],
      ["activity_summary?from=2026-03-31&to=2026-03-01", "/to"],
      ["activity_summary?department_id=tianjin", "/department_id"],
      ["activity_summary?include_subdepartments=maybe", "/include_subdepartments"],
      ["activity_summary?colour=blue", "/colour"],
      ["activity_summary?time_zone=Mars/Olympus", "/time_zone"],
      ["customer_value_pyramid?key_share=half", "/key_share"],
      ["customer_value_pyramid?key_share=1.5", "/key_share"],
      ["customer_value_pyramid?key_share=0.7&major_share=0.3&normal_share=0.15", "/normal_share"],
    ];
    for (const [url, path] of cases) {
      const response = await admin.get(`/api/reports/${url}`);
      expect(response.status, url).toBe(400);
      expect(response.body.error.code).toBe("VALIDATION_FAILED");
      expect(response.body.error.details.map((detail: { path: string }) => detail.path), url).toContain(path);
    }
    expect((await admin.get("/api/reports/no_such_report")).status).toBe(404);
    expect((await server.client().get("/api/reports/activity_summary")).status).toBe(401);
  });

  it("refuses with 403, naming the field, when a field the report needs is hidden from the user", async () => {
    const pack = await loadPackFolder(distributionPackDir);
    const salesRep = pack.roles!.find((role) => role.name === "sales_rep")!;
    salesRep.fields = { ...salesRep.fields, sales_order: { ...salesRep.fields?.sales_order, total_amount: "hidden" } };
    const applied = await admin.post("/api/packs/apply", pack);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const refused = await wanglei.get(`/api/reports/customer_value_pyramid?${MARCH}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FIELD_HIDDEN");
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: "/sales_order/total_amount" })]);
    expect((await wanglei.get("/api/reports")).body.reports.map((item: { name: string }) => item.name)).not.toContain("customer_value_pyramid");
    expect((await wanglei.get(`/api/reports/activity_summary?${MARCH}`)).status).toBe(200);
  });
});
