// A worker killed mid-job (issue 5): `npm run worker` as a child process on Redis and PostgreSQL is SIGKILLed while a
// trigger job is inside its transaction; a new worker takes the stalled job over, and its effect exists exactly once.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { BullQueue, bullJobId } from "../../src/jobs/bullmq";
import { shiftDate, TRIGGER_JOB, type TriggerJobData } from "../../src/workflow/triggers";
import { today } from "../../src/workflow/service";

const redisUrl = process.env.REDIS_URL;
// The worker needs a database another process can open: real PostgreSQL only.
const skip = !redisUrl || !process.env.DATABASE_URL;
const root = fileURLToPath(new URL("../../../", import.meta.url));
const queueName = `worker-restart-${randomBytes(4).toString("hex")}`;
const LOCK_MS = 1500;

let server: TestServer;
let queue: BullQueue;
const workers: ChildProcess[] = [];
let loan: { id: string; number: string };

/** Starts `server/src/worker.ts` on this test's database and queue; resolves once it processes jobs. */
function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/src/worker.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: server.database.url, REDIS_URL: redisUrl, JOBS_QUEUE: queueName, JOBS_PREFIX: "crmtest", WORKER_LOCK_MS: String(LOCK_MS) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  workers.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("worker: processing jobs")) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => reject(new Error(`worker exited (${code}): ${output}`)));
  });
}

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  if (skip) return;
  server = await startTestServer();
  const chenjing = await server.login("chenjing");
  const liuyang = await server.login("liuyang");
  const customer = await chenjing.post("/api/objects/customer/records", { name: "重启测试客户", status: "potential" });
  const created = await chenjing.post("/api/objects/sample_loan/records", { customer_id: customer.body.id, loan_date: shiftDate(today(), -20), due_date: shiftDate(today(), -2) });
  loan = created.body;
  const path = `/api/objects/sample_loan/records/${loan.id}/actions`;
  await chenjing.post(`${path}/submit`, {});
  await liuyang.post(`${path}/approve`, {});
  expect((await chenjing.post(`${path}/lend`, {})).body.record.status).toBe("on_loan");
  // Enqueues only (never started): the workers run the jobs.
  queue = new BullQueue({ redisUrl: redisUrl!, queueName, prefix: "crmtest", onError: () => {} });
}, 60_000);

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
  if (queue) {
    await queue.obliterate();
    await queue.close();
  }
  await server?.close();
});

describe("a worker killed mid-job", () => {
  it.skipIf(skip)("completes the job on a new worker after a restart, creating its activity once", { timeout: 60_000 }, async () => {
    const db = server.database.db;
    const subject = `样品逾期未还，请跟进归还：${loan.number}`;
    const key = `worker-restart:${loan.id}`;
    const first = await startWorker();

    // The marker: this test holds the loan's row lock, so the job stops inside its transaction (key claimed, nothing committed).
    const marker = await db.transaction();
    await marker("sample_loan").where({ id: loan.id }).forUpdate().select("id");
    const data: TriggerJobData = { object: "sample_loan", recordId: loan.id, trigger: "overdue_reminder", key, runAs: { principal: true } };
    await queue.enqueue(TRIGGER_JOB, data, { jobId: key, attempts: 3, backoff: { type: "fixed", delay: 100 } });
    const bull = (queue as unknown as { queue: import("bullmq").Queue }).queue;
    await until(async () => (await bull.getJobState(bullJobId(key)!)) === "active", "the job to start");
    await until(async () => {
      const waiting = await db.raw("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
      return Number(waiting.rows[0].n) > 0;
    }, "the job to wait on the marker");

    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    await marker.commit();
    expect(await db("activity").where({ subject }).select("id")).toHaveLength(0);

    await startWorker();
    await until(async () => (await bull.getJobState(bullJobId(key)!)) === "completed", "the job to complete on the new worker", 40_000);
    expect(await db("activity").where({ subject }).select("id", "owner_id")).toHaveLength(1);
    expect(await db("effect_runs").withSchema("sys").where({ key }).select("key")).toHaveLength(1);
    // A duplicate of the job finds the key taken: still one activity.
    const duplicate = await queue.enqueue(TRIGGER_JOB, data, { attempts: 1 });
    // (Not drain(): the worker's hourly date-scan schedule always keeps a delayed job.)
    await until(async () => (await bull.getJobState(duplicate)) === "completed", "the duplicate job");
    expect(await db("activity").where({ subject }).select("id")).toHaveLength(1);
  });
});
