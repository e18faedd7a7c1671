// Jobs without Redis: the same semantics as the BullMQ queue (idempotency keys, retries with back-off, schedules) in this process.
import { randomUUID } from "node:crypto";
import { CronExpressionParser } from "cron-parser";
import { backoffDelay, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, type JobHandler, type JobOptions, type JobQueue } from "./queue";

interface Job {
  id: string;
  name: string;
  data: unknown;
  options: JobOptions;
  attempt: number;
  state: "waiting" | "delayed" | "active" | "completed" | "failed";
  error?: string;
  finishedAt?: number;
}

/** Finished jobs are remembered this long, so their idempotency keys keep working (like BullMQ's removeOnComplete age). */
const KEEP_FINISHED_MS = 24 * 60 * 60 * 1000;

export class InProcessQueue implements JobQueue {
  readonly mode = "in-process" as const;
  private readonly jobs = new Map<string, Job>();
  private readonly handlers = new Map<string, JobHandler>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly schedules = new Map<string, NodeJS.Timeout>();
  private started = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly onError: (error: unknown, job: { id: string; name: string }) => void = () => {}) {}

  async enqueue(name: string, data: unknown, options: JobOptions = {}): Promise<string> {
    const id = options.jobId ?? randomUUID();
    if (this.jobs.has(id)) return id;
    const job: Job = { id, name, data: structuredClone(data), options, attempt: 0, state: options.delay ? "delayed" : "waiting" };
    this.jobs.set(id, job);
    this.later(() => this.run(job), options.delay ?? 0);
    return id;
  }

  handle(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
    for (const job of this.jobs.values()) if (job.name === name && job.state === "waiting") this.later(() => this.run(job), 0);
  }

  async schedule(schedulerId: string, input: { cron: string; name: string; data?: unknown }): Promise<void> {
    clearTimeout(this.schedules.get(schedulerId));
    const expression = CronExpressionParser.parse(input.cron);
    const next = () => {
      const at = expression.next().getTime();
      const timer = setTimeout(() => {
        // The tick time is the idempotency key: two servers (or a restart) do not run one tick twice.
        void this.enqueue(input.name, input.data ?? {}, { jobId: `${schedulerId}:${at}` });
        next();
      }, Math.max(0, at - Date.now()));
      timer.unref();
      this.schedules.set(schedulerId, timer);
    };
    next();
  }

  async unschedule(schedulerId: string): Promise<void> {
    clearTimeout(this.schedules.get(schedulerId));
    this.schedules.delete(schedulerId);
  }

  async scheduleIds(): Promise<string[]> {
    return [...this.schedules.keys()];
  }

  async start(): Promise<void> {
    this.started = true;
    for (const job of this.jobs.values()) if (job.state === "waiting") this.later(() => this.run(job), 0);
  }

  /** Counts jobs that will still run. */
  private busy(): number {
    return [...this.jobs.values()].filter((job) => job.state === "waiting" || job.state === "delayed" || job.state === "active").length;
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    if (this.busy() === 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`jobs still running after ${timeoutMs} ms`)), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of [...this.timers, ...this.schedules.values()]) clearTimeout(timer);
    this.timers.clear();
    this.schedules.clear();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Jobs' states, for tests and the health route. */
  states(): Array<Pick<Job, "id" | "name" | "state" | "attempt" | "error">> {
    return [...this.jobs.values()].map(({ id, name, state, attempt, error }) => ({ id, name, state, attempt, error }));
  }

  private later(action: () => Promise<void>, delay: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void action();
    }, delay);
    this.timers.add(timer);
  }

  private async run(job: Job): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (!this.started || !handler || job.state === "active" || job.state === "completed" || job.state === "failed" || this.closed) {
      if (job.state === "delayed") job.state = "waiting";
      return;
    }
    job.state = "active";
    job.attempt += 1;
    try {
      await handler(structuredClone(job.data), { id: job.id, name: job.name, attempt: job.attempt });
      job.state = "completed";
      job.finishedAt = Date.now();
    } catch (error) {
      job.error = error instanceof Error ? error.message : String(error);
      this.onError(error, job);
      if (job.attempt < (job.options.attempts ?? DEFAULT_ATTEMPTS)) {
        job.state = "delayed";
        this.later(() => this.run(job), backoffDelay(job.options.backoff ?? DEFAULT_BACKOFF, job.attempt));
      } else {
        job.state = "failed";
        job.finishedAt = Date.now();
      }
    }
    this.forgetOldJobs();
    if (this.busy() === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private forgetOldJobs(): void {
    const cutoff = Date.now() - KEEP_FINISHED_MS;
    for (const job of this.jobs.values()) if (job.finishedAt !== undefined && job.finishedAt < cutoff) this.jobs.delete(job.id);
  }
}
