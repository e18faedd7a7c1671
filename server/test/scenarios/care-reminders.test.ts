// Care reminders (issue 5): 关怀 activities for a contact's owner N days before the contact's birthday (every year) and
// before the pack's declared holidays, run as the pack's principal, created once even when the job is retried or runs twice.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";
import { InProcessQueue } from "../../src/jobs/in-process";
import { BullQueue } from "../../src/jobs/bullmq";
import type { JobQueue } from "../../src/jobs/queue";
import { runTriggerJob, scanDateTriggers, shiftDate, TRIGGER_JOB, type TriggerJobData } from "../../src/workflow/triggers";
import { today } from "../../src/workflow/service";

const redisUrl = process.env.REDIS_URL;
const quiet = () => {};

let server: TestServer;
let admin: TestClient;
const employee: Record<string, string> = {};
let customerId: string;

/** The same month and day as `date` in 1985 (a birthday whose next occurrence is `date`). */
const birthdayOn = (date: string) => `1985${date.slice(4)}`;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  for (const user of await server.database.db("users").withSchema("sys").select("username", "employee_id")) employee[user.username] = user.employee_id;
  const customer = await admin.post("/api/objects/customer/records", { name: "关怀测试客户", owner_id: employee.wanglei });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  customerId = customer.body.id;
  // 李娜 reads English: the reminders planned for her are written in it.
  const english = await admin.patch("/api/admin/users/lina", { locale: "en" });
  expect(english.status, JSON.stringify(english.body)).toBe(200);
});

afterAll(async () => {
  await server?.close();
});

const contact = async (values: Record<string, unknown>) => {
  const response = await admin.post("/api/objects/contact/records", { customer_id: customerId, owner_id: employee.wanglei, ...values });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; name: string };
};

const careActivities = (contactId: string) => server.database.db("activity").where({ contact_id: contactId, activity_type: "care" }).whereNull("deleted_at").select("*");

const modes: Array<{ name: string; skip: boolean; make: () => JobQueue }> = [
  { name: "in-process", skip: false, make: () => new InProcessQueue(quiet) },
  {
    name: "BullMQ on Redis",
    skip: !redisUrl,
    make: () => new BullQueue({ redisUrl: redisUrl!, queueName: `care-test-${randomBytes(4).toString("hex")}`, prefix: "crmtest", onError: quiet }),
  },
];

describe.each(modes)("$name", ({ name, skip, make }) => {
  let jobs: JobQueue;
  const outcomes: string[] = [];

  beforeAll(async () => {
    if (skip) return;
    jobs = make();
    const deps = { db: server.database.db, registry: server.built.server.registry };
    jobs.handle(TRIGGER_JOB, async (data, job) => {
      outcomes.push(await runTriggerJob(deps, data as TriggerJobData));
      // The first run commits, then its acknowledgement is lost: the queue retries it.
      if (job.attempt === 1) throw new Error("lost acknowledgement");
    });
    await jobs.start();
  });

  afterAll(async () => {
    if (!jobs) return;
    if (jobs instanceof BullQueue) await jobs.obliterate();
    await jobs.close();
  });

  const scan = async (day: string) => {
    const deps = { db: server.database.db, registry: server.built.server.registry };
    const count = await scanDateTriggers(deps, jobs, day);
    await jobs.drain();
    return count;
  };

  it.skipIf(skip)("plans a birthday care activity for the contact's owner three days ahead, exactly once", async () => {
    const day = today();
    const soon = await contact({ name: `生日将至${name}`, birthday: birthdayOn(shiftDate(day, 3)) });
    const later = await contact({ name: `生日尚远${name}`, birthday: birthdayOn(shiftDate(day, 20)) });
    await scan(day);
    // Twice: the scan runs hourly, and a second worker may scan too.
    await scan(day);
    const activities = await careActivities(soon.id);
    expect(activities).toHaveLength(1);
    const occasion = shiftDate(day, 3);
    expect(activities[0]).toMatchObject({ owner_id: employee.wanglei, customer_id: customerId, status: "not_started", subject: `生日关怀：${soon.name}（${occasion}）` });
    // Run as the pack's principal, never as an administrator.
    const robot = await server.database.db("users").withSchema("sys").where({ username: "workflow_robot" }).first("id", "password_hash", "active");
    expect(activities[0].created_by).toBe(robot.id);
    expect(robot).toMatchObject({ password_hash: "!", active: false });
    expect(await careActivities(later.id)).toHaveLength(0);
    // The retried first run found its key taken.
    expect(outcomes).toContain("skipped");
    expect(await server.database.db("effect_runs").withSchema("sys").where("key", "like", `contact:birthday_care:${soon.id}:%`).select("key")).toEqual([{ key: `contact:birthday_care:${soon.id}:${occasion}` }]);
  });

  it.skipIf(skip)("comes round again the next year, and catches up on a day the scan missed", async () => {
    const day = today();
    // Birthday in one day (two in the rare case that would be 29 February), so it was due before today.
    const occasion = shiftDate(day, shiftDate(day, 1).endsWith("-02-29") ? 2 : 1);
    const missed = await contact({ name: `错过扫描${name}`, birthday: birthdayOn(occasion) });
    await scan(day);
    expect((await careActivities(missed.id)).map((activity) => activity.subject)).toEqual([`生日关怀：${missed.name}（${occasion}）`]);
    const nextYear = `${Number(occasion.slice(0, 4)) + 1}${occasion.slice(4)}`;
    await scan(shiftDate(nextYear, -3));
    const subjects = (await careActivities(missed.id)).map((activity) => activity.subject).sort();
    expect(subjects).toEqual([`生日关怀：${missed.name}（${occasion}）`, `生日关怀：${missed.name}（${nextYear}）`].sort());
  });

  it.skipIf(skip)("writes the reminders in the language of the contact's owner", async () => {
    const day = today();
    const occasion = shiftDate(day, 3);
    const english = await contact({ name: `Mr Li ${name}`, owner_id: employee.lina, is_primary: true, birthday: birthdayOn(occasion) });
    await scan(day);
    await scan("2027-01-30");
    const activities = await careActivities(english.id);
    expect(activities.map((activity) => [activity.subject, activity.plan, activity.owner_id]).sort()).toEqual(
      [
        [`Birthday care: ${english.name} (${occasion})`, "Send the contact greetings or a gift three days before the birthday", employee.lina],
        [`Spring Festival care: ${english.name} (2027-02-06)`, "Send the primary contact holiday greetings a week before the holiday", employee.lina],
      ].sort(),
    );
  });

  it.skipIf(skip)("plans 春节 and 中秋节 care for primary contacts a week before the declared dates", async () => {
    const primary = await contact({ name: `主要联系人${name}`, is_primary: true });
    const other = await contact({ name: `普通联系人${name}`, is_primary: false });
    await scan("2027-01-30");
    await scan("2027-01-31");
    await scan("2027-09-08");
    const subjects = (await careActivities(primary.id)).map((activity) => activity.subject).sort();
    expect(subjects).toEqual([`中秋节关怀：${primary.name}（2027-09-15）`, `春节关怀：${primary.name}（2027-02-06）`].sort());
    expect(await careActivities(other.id)).toHaveLength(0);
    // Before the week ahead nothing is due.
    await scan("2027-08-20");
    expect(await careActivities(primary.id)).toHaveLength(2);
  });
});
