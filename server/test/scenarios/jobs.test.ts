// Jobs (issue 5): the same behaviour in-process and on BullMQ — retries with back-off, idempotency keys, delays,
// schedules — and a workflow effect whose job fails after committing is retried without creating a second record.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { InProcessQueue } from "../../src/jobs/in-process";
import { BullQueue } from "../../src/jobs/bullmq";
import type { JobQueue } from "../../src/jobs/queue";
import { runTriggerJob, shiftDate, TRIGGER_JOB, type TriggerJobData } from "../../src/workflow/triggers";
import { today } from "../../src/workflow/service";

const redisUrl = process.env.REDIS_URL;
const quiet = () => {};

let server: TestServer;
let overdueLoan: { id: string; number: string };

beforeAll(async () => {
  server = await startTestServer();
  const chenjing = await server.login("chenjing");
  const liuyang = await server.login("liuyang");
  const customer = await chenjing.post("/api/objects/customer/records", { name: "作业测试客户", status: "potential" });
  const loan = await chenjing.post("/api/objects/sample_loan/records", { customer_id: customer.body.id, loan_date: shiftDate(today(), -20), due_date: shiftDate(today(), -2) });
  overdueLoan = loan.body;
  const path = `/api/objects/sample_loan/records/${loan.body.id}/actions`;
  await chenjing.post(`${path}/submit`, {});
  await liuyang.post(`${path}/approve`, {});
  expect((await chenjing.post(`${path}/lend`, {})).body.record.status).toBe("on_loan");
});

afterAll(async () => {
  await server?.close();
});

const modes: Array<{ name: string; skip: boolean; make: () => JobQueue }> = [
  { name: "in-process", skip: false, make: () => new InProcessQueue(quiet) },
  {
    name: "BullMQ on Redis",
    skip: !redisUrl,
    // A queue and prefix of this file's own, so parallel test files and other developers never share jobs.
    make: () => new BullQueue({ redisUrl: redisUrl!, queueName: `jobs-test-${randomBytes(4).toString("hex")}`, prefix: "crmtest", onError: quiet }),
  },
];

describe.each(modes)("$name", ({ skip, make }) => {
  let jobs: JobQueue;

  beforeAll(async () => {
    if (skip) return;
    jobs = make();
    await jobs.start();
  });

  afterAll(async () => {
    if (!jobs) return;
    if (jobs instanceof BullQueue) await jobs.obliterate();
    await jobs.close();
  });

  it.skipIf(skip)("retries a failing job with back-off until it succeeds", async () => {
    const attempts: Array<{ attempt: number; at: number }> = [];
    jobs.handle("flaky", async (_data, job) => {
      attempts.push({ attempt: job.attempt, at: Date.now() });
      if (job.attempt < 3) throw new Error(`failure ${job.attempt}`);
    });
    await jobs.enqueue("flaky", { n: 1 }, { attempts: 3, backoff: { type: "exponential", delay: 100 } });
    await jobs.drain();
    expect(attempts.map((entry) => entry.attempt)).toEqual([1, 2, 3]);
    // Exponential: ~100 ms before the second run, ~200 ms before the third.
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(150);
  });

  it.skipIf(skip)("gives up after the last attempt", async () => {
    let runs = 0;
    jobs.handle("doomed", async () => {
      runs += 1;
      throw new Error("always");
    });
    await jobs.enqueue("doomed", {}, { attempts: 2, backoff: { type: "fixed", delay: 50 } });
    await jobs.drain();
    expect(runs).toBe(2);
  });

  it.skipIf(skip)("adds a job once per idempotency key", async () => {
    const seen: unknown[] = [];
    jobs.handle("keyed", async (data) => void seen.push(data));
    const first = await jobs.enqueue("keyed", { copy: 1 }, { jobId: "same-key" });
    const second = await jobs.enqueue("keyed", { copy: 2 }, { jobId: "same-key" });
    await jobs.drain();
    expect(second).toBe(first);
    expect(seen).toEqual([{ copy: 1 }]);
  });

  it.skipIf(skip)("waits for a delay", async () => {
    const enqueuedAt = Date.now();
    let ranAt = 0;
    jobs.handle("later", async () => void (ranAt = Date.now()));
    await jobs.enqueue("later", {}, { delay: 300 });
    await jobs.drain();
    expect(ranAt - enqueuedAt).toBeGreaterThanOrEqual(290);
  });

  it.skipIf(skip)("runs a repeatable schedule", async () => {
    let ticks = 0;
    jobs.handle("tick", async () => void (ticks += 1));
    await jobs.schedule("every-second", { cron: "* * * * * *", name: "tick" });
    const deadline = Date.now() + 5000;
    while (ticks === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await jobs.unschedule("every-second");
    expect(ticks).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(skip)("creates a trigger's effect exactly once when its job fails after committing and is retried", async () => {
    const deps = { db: server.database.db, registry: server.built.server.registry };
    const key = `jobs-test:${jobs.mode}:${overdueLoan.id}`;
    const subject = `样品逾期未还，请跟进归还：${overdueLoan.number}`;
    const countReminders = async () => (await server.database.db("activity").where({ subject }).select("id")).length;
    const before = await countReminders();
    const outcomes: string[] = [];
    jobs.handle(TRIGGER_JOB, async (data, job) => {
      outcomes.push(await runTriggerJob(deps, data as TriggerJobData));
      // The effect has committed; the acknowledgement is lost, so the queue runs the job again.
      if (job.attempt === 1) throw new Error("connection lost after commit");
    });
    const data: TriggerJobData = { object: "sample_loan", recordId: overdueLoan.id, trigger: "overdue_reminder", key, runAs: { principal: true } };
    await jobs.enqueue(TRIGGER_JOB, data, { attempts: 3, backoff: { type: "fixed", delay: 50 } });
    // The same work enqueued again under another job id (a duplicate scan) finds the key taken too.
    await jobs.enqueue(TRIGGER_JOB, data, { attempts: 1 });
    await jobs.drain();
    expect(outcomes.sort()).toEqual(["ran", "skipped", "skipped"]);
    expect((await countReminders()) - before).toBe(1);
    expect(await server.database.db("effect_runs").withSchema("sys").where({ key }).select("key")).toHaveLength(1);
  });
});
