// The job worker process (`npm run worker`): runs workflow triggers and schedules from Redis, apart from the API servers.
import { openDatabase } from "./db/connect";
import { Registry } from "./registry/store";
import { createJobQueue } from "./jobs";
import { registerWorkflowJobs } from "./workflow/triggers";
import { registerFileJobs } from "./files/cleanup";

const redisUrl = process.env.REDIS_URL || undefined;
const databaseUrl = process.env.DATABASE_URL || undefined;

// Without Redis there is no queue to share, and the embedded database admits one process: the API server runs jobs itself.
if (!redisUrl || !databaseUrl) {
  console.error("npm run worker needs REDIS_URL and DATABASE_URL; without them the API server runs jobs in-process.");
  process.exit(1);
}

const database = await openDatabase({ databaseUrl });
// JOBS_QUEUE / JOBS_PREFIX name another queue (tests, several tenants on one Redis); WORKER_LOCK_MS: see BullQueueOptions.lockMs.
const jobs = createJobQueue({
  redisUrl,
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 4),
  queueName: process.env.JOBS_QUEUE || undefined,
  prefix: process.env.JOBS_PREFIX || undefined,
  lockMs: process.env.WORKER_LOCK_MS ? Number(process.env.WORKER_LOCK_MS) : undefined,
});
const registry = new Registry(database.db);
await registerWorkflowJobs(jobs, { db: database.db, registry });
await registerFileJobs(jobs, { db: database.db, registry });
await jobs.start();
console.log(`worker: processing jobs from ${new URL(redisUrl).host}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    // A job cut off here is not lost: BullMQ hands it to another worker (or this one after a restart), and its key keeps it single.
    jobs.close().then(
      () => database.close().then(() => process.exit(0)),
      () => process.exit(1),
    );
  });
}
