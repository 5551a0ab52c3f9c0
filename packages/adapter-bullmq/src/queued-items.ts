import type { Job, JobStore } from '@review-jobs/core';
import type { Queue } from 'bullmq';
import { ITEM_JOB_NAME, itemJobId, type ItemJobData } from './item-job.js';

/**
 * BullMQ's own attempt cap, set high on purpose: the worker's RetryPolicy (core) decides
 * when an item has had enough (retryable kinds only, `retry.maxAttempts`), through the
 * worker's backoff strategy. This only bounds a worker misconfigured without it.
 */
const ATTEMPTS_CAP = 10_000;
const KEEP_FINISHED = { age: 24 * 3600, count: 10_000 };

/**
 * One BullMQ job per pending item of the job's current round. Priority = item index, so
 * items of all queued jobs interleave (item 1 of every job, then item 2, ...): the
 * round-robin the in-process scheduler gives, so one big job cannot starve the others.
 */
export async function enqueueItems(queue: Queue<ItemJobData>, store: JobStore, job: Job): Promise<number> {
  const pending = (await store.listItems(job.id)).filter((item) => item.status === 'pending');
  await queue.addBulk(
    pending.map((item) => ({
      name: ITEM_JOB_NAME,
      data: { jobId: job.id, index: item.index, round: job.retryCount, attemptsBefore: item.attempts },
      opts: {
        jobId: itemJobId(job.id, job.retryCount, item.index),
        priority: item.index,
        attempts: ATTEMPTS_CAP,
        backoff: { type: 'review-jobs' },
        removeOnComplete: KEEP_FINISHED,
        removeOnFail: KEEP_FINISHED,
      },
    })),
  );
  return pending.length;
}

/**
 * Take the job's not-yet-started items out of the queue (waiting, or delayed for a retry)
 * so a stopped job spends none of the shared quota: BullMQ's limiter counts every job it
 * hands out, even one that would only be skipped. Items running now are locked and stay:
 * the stop broadcast aborts them.
 */
export async function removeQueuedItems(queue: Queue<ItemJobData>, store: JobStore, job: Job): Promise<void> {
  const pending = (await store.listItems(job.id)).filter((item) => item.status === 'pending');
  await Promise.all(pending.map((item) => queue.remove(itemJobId(job.id, job.retryCount, item.index))));
}
