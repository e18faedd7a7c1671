// The one job interface: enqueue with idempotency keys, retries and back-off; handlers; repeatable schedules.
export interface Backoff {
  type: "fixed" | "exponential";
  /** ms before the first retry; exponential doubles it on each further attempt. */
  delay: number;
}

export interface JobOptions {
  /** Idempotency key: a job with the id of one still known to the queue is not added again. */
  jobId?: string;
  /** ms to wait before the first run. */
  delay?: number;
  /** Runs in total, the first included (default 3). */
  attempts?: number;
  backoff?: Backoff;
}

export interface JobInfo {
  id: string;
  name: string;
  /** 1 on the first run, 2 on the first retry … */
  attempt: number;
}

export type JobHandler = (data: unknown, job: JobInfo) => Promise<void>;

export interface JobQueue {
  readonly mode: "redis" | "in-process";
  /** Adds a job; answers its id (the existing one when the idempotency key is already known). */
  enqueue(name: string, data: unknown, options?: JobOptions): Promise<string>;
  /** The handler of a job name; jobs enqueued before it is set wait for it. */
  handle(name: string, handler: JobHandler): void;
  /** A repeatable job on a cron pattern; the same schedulerId replaces the earlier schedule. */
  schedule(schedulerId: string, input: { cron: string; name: string; data?: unknown }): Promise<void>;
  /** Removes a schedule (its already enqueued ticks still run). */
  unschedule(schedulerId: string): Promise<void>;
  /** The ids of the schedules this queue holds. */
  scheduleIds(): Promise<string[]>;
  /** Starts processing here (the API server in embedded mode, or the worker process). */
  start(): Promise<void>;
  /** Resolves when nothing is waiting, delayed or running (tests; orderly shutdown). */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF: Backoff = { type: "exponential", delay: 1000 };

/** ms before retry number `retry` (1 = the first retry). */
export function backoffDelay(backoff: Backoff, retry: number): number {
  return backoff.type === "fixed" ? backoff.delay : backoff.delay * 2 ** (retry - 1);
}
