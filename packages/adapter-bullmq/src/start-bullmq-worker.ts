import { RetryPolicy, runnerOptionsSchema, toGenerationError, type TextGenerator } from '@review-jobs/core';
import { Queue, Worker, type Job as BullJob } from 'bullmq';
import { z } from 'zod';
import { FleetControl } from './fleet-control.js';
import { fleetOptionsSchema, parseFleetOptions, type FleetOptions } from './fleet-options.js';
import { DEFAULT_SKEW_MS, fleetRateLimit, type FixedWindowLimit, type FleetRateLimitOptions } from './fleet-rate-limit.js';
import type { ItemJobData } from './item-job.js';
import { ItemProcessor, STOP_REASON, type ItemOutcome } from './item-processor.js';
import { RetryItemError } from './retry-item-error.js';
import { stopChannelOf, subscribeToStops } from './stop-channel.js';

export interface BullMQWorkerOptions extends FleetOptions {
  generator: TextGenerator;
  /** Items in flight in this process. Default 10. */
  concurrency?: number | undefined;
  /** Items in flight across the whole fleet (`queue.setGlobalConcurrency`). */
  globalConcurrency?: number | undefined;
  /**
   * The provider's quota, shared by every worker (`queue.setGlobalRateLimit`): a quota
   * (split by fleetRateLimit so it holds in any window), or BullMQ's raw fixed window.
   * Every worker of a queue should be given the same value; the last one started wins.
   */
  rateLimit?: FleetRateLimitOptions | FixedWindowLimit | undefined;
  /** As the runner's options, same defaults. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number } | undefined;
  timeoutMs?: number | undefined;
  output?: { minLength?: number; maxLength?: number } | undefined;
  prompt?: z.input<typeof runnerOptionsSchema>['prompt'];
  maxOutputTokens?: number | undefined;
  temperature?: number | undefined;
  /**
   * Crash recovery (BullMQ's stalled-job check): a dead worker's item goes back to the
   * queue once its lock (`lockDurationMs`, default 30 000, renewed every half) lapses,
   * seen by a check every `stalledIntervalMs` (default 30 000). `maxStalledCount` (default 1)
   * stalls after which the item is recorded failed instead.
   */
  lockDurationMs?: number | undefined;
  stalledIntervalMs?: number | undefined;
  maxStalledCount?: number | undefined;
  /** Background failures (store, Redis); never an unhandled rejection. Default: console.error. */
  onError?: ((error: Error) => void) | undefined;
}

const rateLimitSchema = z.union([
  z.strictObject({
    requestsPerMinute: z.number().int().min(2),
    windowMs: z.number().int().positive().optional(),
    slices: z.number().int().positive().optional(),
    skewMs: z.number().int().min(0).optional(),
  }),
  z.strictObject({ max: z.number().int().positive(), duration: z.number().int().positive() }),
]);

const workerOptionsSchema = fleetOptionsSchema
  .extend(
    runnerOptionsSchema.pick({
      generator: true,
      concurrency: true,
      retry: true,
      timeoutMs: true,
      output: true,
      prompt: true,
      maxOutputTokens: true,
      temperature: true,
    }).shape,
  )
  .extend({
    globalConcurrency: z.number().int().positive().optional(),
    rateLimit: rateLimitSchema.optional(),
    lockDurationMs: z.number().int().positive().default(30_000),
    stalledIntervalMs: z.number().int().positive().default(30_000),
    maxStalledCount: z.number().int().min(0).default(1),
    onError: z.custom<(error: Error) => void>((value) => typeof value === 'function', 'must be a function').optional(),
  })
  .strict();

export interface BullMQWorkerHandle {
  readonly worker: Worker<ItemJobData, ItemOutcome>;
  readonly queue: Queue<ItemJobData>;
  /** The limit written to the queue, when `rateLimit` was given. */
  readonly rateLimit: FixedWindowLimit | undefined;
  /** Graceful: stops taking items, waits for the running ones, closes every connection. */
  close(): Promise<void>;
}

/**
 * A fleet worker: processes review items from the queue that `BullMQDispatcher` fills,
 * writing results, progress and logs to the store as the runner does. Start one per
 * process (or several); all share the queue's rate limit and concurrency.
 */
export async function startBullMQWorker(input: BullMQWorkerOptions): Promise<BullMQWorkerHandle> {
  const options = parseFleetOptions('startBullMQWorker', workerOptionsSchema, input);
  const { connection, prefix, queueName, store, owner } = options;
  const onError = (error: Error) => {
    try {
      (options.onError ?? console.error)(error);
    } catch {
      // A throwing error handler must not become an unhandled rejection in a BullMQ callback.
    }
  };
  const retryPolicy = new RetryPolicy(options.retry);
  const queue = new Queue<ItemJobData>(queueName, { connection, prefix });
  queue.on('error', onError);
  const control = new FleetControl(connection, queue, store, stopChannelOf(prefix, queueName));
  /** Our BullMQ job ids running in this process, per review job: what a stop has to abort. */
  const running = new Map<string, Set<string>>();

  const limit = options.rateLimit && ('max' in options.rateLimit ? options.rateLimit : fleetRateLimit(options.rateLimit));
  // Half of the skew the limit was split for: the other half covers the trip to the provider.
  const skewMs = options.rateLimit && !('max' in options.rateLimit) ? (options.rateLimit.skewMs ?? DEFAULT_SKEW_MS) : undefined;

  let worker!: Worker<ItemJobData, ItemOutcome>;
  const processor = new ItemProcessor({
    store,
    generator: options.generator,
    owner,
    leaseMs: options.leaseMs,
    retryPolicy,
    settings: options,
    pauseFleet: (ms) => worker.rateLimit(ms),
    callWithinMs: skewMs === undefined ? undefined : skewMs / 2,
    async stopJob(jobId) {
      const job = await store.getJob(jobId);
      if (job) await control.stop(job);
    },
  });

  worker = new Worker<ItemJobData, ItemOutcome>(
    queueName,
    async (bullJob, token, signal) => {
      const { jobId } = bullJob.data;
      const ids = running.get(jobId) ?? new Set<string>();
      running.set(jobId, ids);
      ids.add(bullJob.id!);
      try {
        // BullMQ passes a signal to processors that declare a third parameter (it always does here).
        return await processor.process(bullJob, token, signal ?? new AbortController().signal);
      } finally {
        ids.delete(bullJob.id!);
        if (ids.size === 0) running.delete(jobId);
      }
    },
    {
      connection,
      prefix,
      autorun: false,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: options.maxStalledCount,
      settings: {
        // Our RetryItemError carries the RetryPolicy's delay; anything else (the store
        // unreachable...) counts as transient under the same policy.
        backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) => {
          if (error instanceof RetryItemError) return error.delayMs;
          const decision = retryPolicy.decide(toGenerationError(error), attemptsMade);
          return decision.retry ? decision.delayMs : -1;
        },
      },
    },
  );
  worker.on('error', onError);
  worker.on('failed', (bullJob: BullJob<ItemJobData> | undefined, error: Error) => {
    // Failed for good (not a retry, which BullMQ reports as delayed/waiting, not here).
    if (!bullJob || error instanceof RetryItemError) return;
    const finalFailure = bullJob.finishedOn !== undefined;
    if (!finalFailure) return;
    processor.abandon(bullJob, error.message).catch((cause: unknown) => {
      onError(new Error(`Recording the abandoned item ${bullJob.id} failed`, { cause }));
    });
  });

  const subscription = await subscribeToStops(
    connection,
    stopChannelOf(prefix, queueName),
    (jobId) => {
      processor.forget(jobId);
      for (const id of running.get(jobId) ?? []) worker.cancelJob(id, STOP_REASON);
    },
    onError,
  );
  if (limit) await queue.setGlobalRateLimit(limit.max, limit.duration);
  if (options.globalConcurrency !== undefined) await queue.setGlobalConcurrency(options.globalConcurrency);
  void worker.run().catch((error: unknown) => onError(new Error('The BullMQ worker stopped on an error', { cause: error })));

  let closing: Promise<void> | undefined;
  return {
    worker,
    queue,
    rateLimit: limit,
    close() {
      closing ??= (async () => {
        await worker.close();
        await Promise.allSettled([subscription.close(), control.close(), queue.close()]);
      })();
      return closing;
    },
  };
}
