// Picks the job queue: BullMQ when REDIS_URL is set, in-process otherwise (DESIGN: same interface, same semantics).
import { BullQueue, type BullQueueOptions } from "./bullmq";
import { InProcessQueue } from "./in-process";
import type { JobQueue } from "./queue";

export type { JobQueue, JobOptions, JobHandler, JobInfo } from "./queue";

export function createJobQueue(options: { redisUrl?: string } & Omit<BullQueueOptions, "redisUrl"> = {}): JobQueue {
  const onError =
    options.onError ??
    ((error: unknown, job: { id: string; name: string }) => {
      // AppErrors carry their reasons in details (paths and messages): log those rather than a bare "not valid".
      const details = (error as { details?: unknown[] })?.details;
      console.error(`job ${job.name} (${job.id}) failed: ${error instanceof Error ? error.message : String(error)}`, details?.length ? JSON.stringify(details) : "");
    });
  return options.redisUrl ? new BullQueue({ ...options, redisUrl: options.redisUrl, onError }) : new InProcessQueue(onError);
}
