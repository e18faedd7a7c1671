// 员工日程: an employee's activities overlapping a range of days, within the caller's view scope, over the
// fixed sales data set (server/test/support/sales-fixture.ts; times are Shanghai local).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { buildSalesFixture, type SalesFixture } from "../support/sales-fixture";

let server: TestServer;
let admin: TestClient;
let wanglei: TestClient;
let liuyang: TestClient;
let fixture: SalesFixture;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  [wanglei, liuyang] = await Promise.all(["wanglei", "liuyang"].map((username) => server.login(username)));
  fixture = await buildSalesFixture(server, admin);
});

afterAll(async () => {
  await server?.close();
});

async function calendar(client: TestClient, query: string) {
  const response = await client.get(`/api/calendar?${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** The fixture keys of the listed activities, in the answer's order. */
const keys = (body: { activities: { id: string }[] }) => {
  const keyOf = Object.fromEntries(Object.entries(fixture.activity).map(([key, id]) => [id, key]));
  return body.activities.map((activity) => keyOf[activity.id]);
};

describe("an employee's calendar", () => {
  it("defaults to the caller's own activities, owned or as a related employee, sorted by start", async () => {
    const march = await calendar(wanglei, "from=2026-03-01&to=2026-03-31");
    expect(march.employee_id).toBe(fixture.employee.wanglei);
    // A13 is 李娜's, with 王磊 among its related employees.
    expect(keys(march)).toEqual(["A1", "A2", "A13", "A3", "A8"]);
    expect(march.activities[0]).toMatchObject({ subject: "A1 拜访", start_at: "2026-03-02T01:00:00.000Z", end_at: "2026-03-02T02:00:00.000Z" });
    expect(march.truncated).toBe(false);
  });

  it("lists activities whose span overlaps the range", async () => {
    // A2 runs from 10 March 14:00 to 12 March 18:00.
    expect(keys(await calendar(wanglei, "from=2026-03-10&to=2026-03-12"))).toEqual(["A2", "A13"]);
    expect(keys(await calendar(wanglei, "from=2026-03-12&to=2026-03-12"))).toEqual(["A2"]);
    expect(keys(await calendar(wanglei, "from=2026-03-13&to=2026-03-19"))).toEqual([]);
    // An activity without an end is an instant: A3 on 20 March only.
    expect(keys(await calendar(wanglei, "from=2026-03-20&to=2026-03-20"))).toEqual(["A3"]);
    expect(keys(await calendar(wanglei, "from=2026-03-21&to=2026-03-24"))).toEqual([]);
  });

  it("takes the days in the requested time zone", async () => {
    const zhoujie = `employee_id=${fixture.employee.zhoujie}`;
    // A12 starts 1 March 01:00 in Shanghai, which is still 28 February in UTC; A10 starts 1 April 07:00 in Shanghai.
    expect(keys(await calendar(admin, `${zhoujie}&from=2026-03-01&to=2026-03-31`))).toEqual(["A12"]);
    expect(keys(await calendar(admin, `${zhoujie}&from=2026-03-01&to=2026-03-31&time_zone=UTC`))).toEqual(["A10"]);
  });

  it("shows another employee's calendar only within the caller's scope", async () => {
    const lina = `employee_id=${fixture.employee.lina}&from=2026-03-01&to=2026-03-31`;
    expect(keys(await calendar(admin, lina))).toEqual(["A13", "A4"]);
    // 王磊 sees A13 (on his customer C1), not A4 (on 李娜's customer C3).
    expect(keys(await calendar(wanglei, lina))).toEqual(["A13"]);
    const chenjing = `employee_id=${fixture.employee.chenjing}&from=2026-03-01&to=2026-04-30`;
    expect(keys(await calendar(liuyang, chenjing))).toEqual(["A5", "A6", "A9"]);
    // 王磊's visit to the Tianjin customer C4 belongs to 涂料事业部: outside 刘洋's range.
    expect(keys(await calendar(liuyang, `employee_id=${fixture.employee.wanglei}&from=2026-03-01&to=2026-03-31`))).toEqual([]);
  });

  it("answers 400 with the parameter's path for a bad or too long range", async () => {
    const cases: [string, string][] = [
      ["to=2026-03-31", "/from"],
      ["from=2026-03-01", "/to"],
      ["from=2026-03-31&to=2026-03-01", "/to"],
      ["from=2026-01-01&to=2026-04-03", "/to"],
      ["from=2026-03-01&to=2026-03-31&employee_id=wanglei", "/employee_id"],
      ["from=2026-03-01&to=2026-03-31&time_zone=Nowhere/Land", "/time_zone"],
    ];
    for (const [query, path] of cases) {
      const response = await wanglei.get(`/api/calendar?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.details.map((detail: { path: string }) => detail.path), query).toContain(path);
    }
    // 92 days is the longest range: 1 January to 2 April 2026 (31 + 28 + 31 + 2).
    expect((await wanglei.get("/api/calendar?from=2026-01-01&to=2026-04-02")).status).toBe(200);
    expect((await wanglei.get("/api/calendar?from=2026-03-01&to=2026-03-31&employee_id=00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await server.client().get("/api/calendar?from=2026-03-01&to=2026-03-31")).status).toBe(401);
  });
});
