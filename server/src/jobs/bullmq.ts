// Jobs on Redis with BullMQ (REDIS_URL): one queue, one worker dispatching on the job name.
import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, type JobHandler, type JobOptions, type JobQueue } from "./queue";

export interface BullQueueOptions {
  redisUrl: string;
  /** Queue name; tests use their own so they never share jobs. */
  queueName?: string;
  /** Redis key prefix (default "crm"). */
  prefix?: string;
  concurrency?: number;
  /**
   * How long a worker's hold on a running job lasts without renewal (BullMQ lockDuration, default 30 s): a worker
   * that dies mid-job loses the job to another worker after about this long (stalled-job check at the same interval).
   */
  lockMs?: number;
  onError?: (error: unknown, job: { id: string; name: string }) => void;
}

/** Completed jobs stay a day so their idempotency keys keep refusing duplicates. */
const KEEP_COMPLETED = { age: 24 * 60 * 60 };
const KEEP_FAILED = { age: 7 * 24 * 60 * 60 };

/**
 * BullMQ refuses ":" in custom job ids (it separates its Redis keys); our idempotency keys use it, so it is
 * escaped (injectively: "%" first) rather than dropped.
 */
export const bullJobId = (key: string | undefined) => key?.replaceAll("%", "%25").replaceAll(":", "%3A");

// BullMQ needs maxRetriesPerRequest: null on its connections (blocking commands must not time out).
const connect = (url: string) => new Redis(url, { maxRetriesPerRequest: null });

export class BullQueue implements JobQueue {
  readonly mode = "redis" as const;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly queueConnection: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;

  constructor(private readonly options: BullQueueOptions) {
    this.queueConnection = connect(options.redisUrl);
    this.queue = new Queue(options.queueName ?? "crm-jobs", { connection: this.queueConnection, prefix: options.prefix ?? "crm" });
  }

  async enqueue(name: string, data: unknown, options: JobOptions = {}): Promise<string> {
    const job = await this.queue.add(name, data, {
      jobId: bullJobId(options.jobId),
      delay: options.delay,
      attempts: options.attempts ?? DEFAULT_ATTEMPTS,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    });
    return job.id!;
  }

  handle(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  async schedule(schedulerId: string, input: { cron: string; name: string; data?: unknown }): Promise<void> {
    await this.queue.upsertJobScheduler(schedulerId, { pattern: input.cron }, { name: input.name, data: input.data ?? {} });
  }

  async unschedule(schedulerId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId);
  }

  async scheduleIds(): Promise<string[]> {
    return (await this.queue.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key);
  }

  async start(): Promise<void> {
    if (this.worker) return;
    this.workerConnection = connect(this.options.redisUrl);
    this.worker = new Worker(
      this.queue.name,
      async (job: Job) => {
        const handler = this.handlers.get(job.name);
        // Thrown, so BullMQ keeps the job (and retries it) until a worker that knows the name runs it.
        if (!handler) throw new Error(`no handler for job "${job.name}"`);
        await handler(job.data, { id: job.id!, name: job.name, attempt: job.attemptsMade + 1 });
      },
      {
        connection: this.workerConnection,
        prefix: this.options.prefix ?? "crm",
        concurrency: this.options.concurrency ?? 4,
        ...(this.options.lockMs ? { lockDuration: this.options.lockMs, stalledInterval: this.options.lockMs } : {}),
      },
    );
    this.worker.on("failed", (job, error) => this.options.onError?.(error, { id: job?.id ?? "?", name: job?.name ?? "?" }));
    await this.worker.waitUntilReady();
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await this.queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
      if (Object.values(counts).every((count) => count === 0)) return;
      if (Date.now() > deadline) throw new Error(`jobs still running after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Removes every job and schedule of this queue (tests clean up their own queue). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.queueConnection.disconnect();
  }
}
