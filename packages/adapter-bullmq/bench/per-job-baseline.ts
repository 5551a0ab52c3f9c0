/**
 * The granularity we did NOT choose, kept to measure against: one BullMQ job per review
 * job, the core runner's own window inside it (`runner.runFor`). BullMQ's limiter then
 * counts review jobs, not requests; a per-request quota can only be split statically
 * between the workers (`requestsPerMinute / workers` in each runner).
 */
import { ReviewJobRunner, type Job, type JobDispatcher, type JobStore, type TextGenerator } from '@review-jobs/core';
import { Queue, Worker } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import type { FixedWindowLimit } from '../src/index.js';

const QUEUE = 'review-jobs-whole';

export class PerJobDispatcher implements JobDispatcher {
  private readonly queue: Queue<{ jobId: string }>;
  constructor(connection: RedisOptions, prefix: string) {
    this.queue = new Queue(QUEUE, { connection, prefix });
  }
  async dispatch(job: Job): Promise<void> {
    await this.queue.add('review-job', { jobId: job.id }, { jobId: `${job.id}.r${job.retryCount}` });
  }
  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface PerJobWorkerOptions {
  connection: RedisOptions;
  prefix: string;
  store: JobStore;
  generator: TextGenerator;
  /** Review jobs at once in this process. */
  jobs: number;
  /** Calls in flight in this process (the runner's scheduler, shared by its jobs). */
  concurrency: number;
  /** This process's share of the quota, enforced by the runner's sliding window. */
  runnerRateLimit?: { requestsPerMinute: number; windowMs: number } | undefined;
  /** BullMQ's limiter, which here counts review jobs. */
  bullmqLimit?: FixedWindowLimit | undefined;
}

export async function startPerJobWorker(options: PerJobWorkerOptions): Promise<{ close(): Promise<void> }> {
  const runner = new ReviewJobRunner({
    store: options.store,
    generator: options.generator,
    concurrency: options.concurrency,
    rateLimit: options.runnerRateLimit ?? {},
    autoRun: false,
  });
  const worker = new Worker<{ jobId: string }>(
    QUEUE,
    async (job) => {
      await runner.runFor(job.data.jobId, { deadline: Date.now() + 3_600_000 });
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.jobs },
  );
  worker.on('error', (error) => console.error(error));
  if (options.bullmqLimit) {
    const queue = new Queue(QUEUE, { connection: options.connection, prefix: options.prefix });
    await queue.setGlobalRateLimit(options.bullmqLimit.max, options.bullmqLimit.duration);
    await queue.close();
  }
  return {
    async close() {
      await worker.close();
      await runner.close();
    },
  };
}
