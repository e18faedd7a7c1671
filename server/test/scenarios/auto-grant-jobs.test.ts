// Automatic grants through the trigger machinery (issue 5): a customer write enqueues its grant re-application as a
// job keyed per record version; the job repairs a person's change that raced the write, once however often it runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { GRANTS_JOB, runGrantJob, type GrantJobData } from "../../src/access/grant-jobs";

let server: TestServer;
let admin: TestClient;
const employee: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  for (const user of await server.database.db("users").withSchema("sys").select("username", "employee_id")) employee[user.username] = user.employee_id;
});

afterAll(async () => {
  await server?.close();
});

const relatedOf = async (id: string) => (await server.database.db("customer").where({ id }).first("related_employee_ids")).related_employee_ids;

describe("市场专员自动授权作为作业", () => {
  it("shows the grant in the write's answer and re-applies it after commit under the record version's key", async () => {
    const created = await admin.post("/api/objects/customer/records", { name: "作业授权客户", owner_id: employee.zhangwei, new_product_categories: ["waterborne_coating"] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.related_employee_ids).toEqual([employee.machao]);
    await server.built.jobs.drain();
    const key = `grants:customer:${created.body.id}:v1`;
    expect(await server.database.db("effect_runs").withSchema("sys").where({ key }).select("key")).toHaveLength(1);
    expect(await relatedOf(created.body.id)).toEqual([employee.machao]);
    const changed = await admin.patch(`/api/objects/customer/records/${created.body.id}`, { version: 1, remark: "再次保存" });
    expect(changed.status).toBe(200);
    await server.built.jobs.drain();
    expect(await server.database.db("effect_runs").withSchema("sys").where({ key: `grants:customer:${created.body.id}:v2` }).select("key")).toHaveLength(1);
  });

  it("repairs a person's change that committed between the write and its job, exactly once", async () => {
    const created = await admin.post("/api/objects/customer/records", { name: "竞态授权客户", owner_id: employee.zhangwei, new_product_categories: ["waterborne_coating"] });
    await server.built.jobs.drain();
    // 马超 now follows another category, committed without re-application (as if it raced the write).
    const db = server.database.db;
    const before = await db("users").withSchema("sys").where({ username: "machao" }).first("grants");
    await db("users").withSchema("sys").where({ username: "machao" }).update({ grants: JSON.stringify({ ...before.grants, followsNewProductCategory: "bio_based_plastic" }) });
    try {
      const data: GrantJobData = { object: "customer", recordIds: [created.body.id], key: `grants:customer:${created.body.id}:race` };
      // The job twice (a retry, a duplicate under another job id): one run.
      await server.built.jobs.enqueue(GRANTS_JOB, data, { jobId: data.key });
      await server.built.jobs.enqueue(GRANTS_JOB, data, { jobId: `${data.key}:copy` });
      await server.built.jobs.drain();
      expect(await relatedOf(created.body.id)).toEqual([]);
      expect(await db("auto_grants").withSchema("sys").where({ record_id: created.body.id }).select("rule")).toEqual([]);
      expect(await runGrantJob({ db, registry: server.built.server.registry }, data)).toBeNull();
    } finally {
      await db("users").withSchema("sys").where({ username: "machao" }).update({ grants: JSON.stringify(before.grants) });
    }
  });
});
