// A page of a user's list in the default order is planned once per session (records/read.ts asks queryCompiled for the
// generic plan, db/native-query.ts runs it on the generic-plan pool); a page with the user's own filter is planned
// for its values every time. PostgreSQL only: the embedded database has no second pool and no plan cache to inspect.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { genericPlanPoolOf } from "../../src/db/native-query";

const postgres = Boolean(process.env.DATABASE_URL);
let server: TestServer;
let wanglei: TestClient;

beforeAll(async () => {
  if (!postgres) return;
  server = await startTestServer();
  wanglei = await server.login("wanglei");
});

afterAll(async () => {
  await server?.close();
});

interface Prepared {
  statement: string;
  generic_plans: string;
  custom_plans: string;
}

/** What every session of the generic-plan pool has prepared (each connection in turn, all held at once). */
async function preparedOnGenericSessions(): Promise<Prepared[]> {
  const pool = genericPlanPoolOf(server.database.db);
  if (!pool) throw new Error("the server has no generic-plan pool");
  const sessions = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
  try {
    const rows = await Promise.all(sessions.map((session) => session.query<Prepared>("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")));
    return rows.flatMap((result) => result.rows);
  } finally {
    for (const session of sessions) session.release();
  }
}

describe.skipIf(!postgres)("how a list page is planned (PostgreSQL)", () => {
  it("plans a salesperson's page in the default order once, on the generic-plan pool, with his personal keys", async () => {
    for (let request = 0; request < 3; request += 1) {
      const page = await wanglei.get("/api/objects/customer/records?limit=20");
      expect(page.status).toBe(200);
    }
    const prepared = await preparedOnGenericSessions();
    const page = prepared.filter((row) => row.statement.includes('"related_keys"."customer"'));
    expect(page.length, JSON.stringify(prepared.map((row) => row.statement.slice(0, 120)))).toBeGreaterThan(0);
    const executions = page.reduce((sum, row) => sum + Number(row.generic_plans) + Number(row.custom_plans), 0);
    expect(executions).toBeGreaterThanOrEqual(3);
    for (const row of page) expect(Number(row.custom_plans), row.statement.slice(0, 200)).toBe(0);
  });

  it("plans a page with the user's own filter for its values, not on the generic-plan pool", async () => {
    await wanglei.get("/api/objects/customer/records?limit=20");
    const before = (await preparedOnGenericSessions()).length;
    const filter = encodeURIComponent(JSON.stringify({ "==": [{ var: "status" }, "potential"] }));
    const page = await wanglei.get(`/api/objects/customer/records?limit=20&filter=${filter}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    // Another statement text (its filter's condition is in it): run on the generic-plan pool, it would be prepared there.
    expect((await preparedOnGenericSessions()).length).toBe(before);
  });
});
