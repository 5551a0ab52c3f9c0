/** The BullMQ job name of one review item. */
export const ITEM_JOB_NAME = 'review-item';

/** What one BullMQ job carries: which item of which review job. Everything else is read from the store. */
export interface ItemJobData {
  jobId: string;
  /** 1..totalItems */
  index: number;
  /** The job's retryCount when it was dispatched: each runner.retry() is a new round of BullMQ jobs. */
  round: number;
  /** The item's attempts in earlier rounds, so the stored count stays cumulative as the runner keeps it. */
  attemptsBefore: number;
  /** 429s so far in this round: the RetryPolicy counts them apart from the item's own attempts. */
  rateLimited?: number;
}

/**
 * The BullMQ job id of an item, derived from our job id: dispatching the same round twice
 * (a double start) adds nothing, because BullMQ ignores a job whose id it already holds.
 * BullMQ refuses ids with ':' (its key separator) and integer ids; this one is neither.
 */
export function itemJobId(jobId: string, round: number, index: number): string {
  if (jobId.includes(':')) throw new TypeError(`jobId: BullMQ job ids cannot contain ':' (got ${jobId})`);
  return `${jobId}.r${round}.i${index}`;
}
