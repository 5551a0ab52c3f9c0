import type { Job, JobItem, JobLog, JobPayload, JobStatus, LogLevel, TokenUsage } from './job.js';

export interface NewJob {
  type: string;
  submissionId: string;
  payload: JobPayload;
  totalItems: number;
  maxRetries: number;
  createdBy: string | null;
}

export interface CreateJobResult {
  job: Job;
  /** false when an active (pending or running) job for the submission already existed. */
  created: boolean;
}

export interface ListJobsFilter {
  status?: JobStatus | readonly JobStatus[] | undefined;
  createdBy?: string | undefined;
  /** Default 50, at most 200. */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

export interface Page<T> {
  rows: T[];
  /** Pass back to get the next page; null on the last page. */
  nextCursor: string | null;
}

export interface ClaimRequest {
  /** Unique per runner instance; the fencing token of every later write. */
  owner: string;
  leaseMs: number;
  /** Claim this job only; without it, the oldest claimable job. */
  jobId?: string | undefined;
}

export interface HeartbeatResult {
  /** false: the lease is no longer ours (taken over, finished, released): stop at once. */
  held: boolean;
  cancelRequested: boolean;
}

export interface ItemResult {
  index: number;
  status: 'succeeded' | 'failed';
  text: string | null;
  error: string | null;
  attempts: number;
  usage: TokenUsage | null;
}

export type RecordRefusal = 'not_owner' | 'not_running' | 'cancel_requested' | 'already_recorded' | 'no_such_item';

export type RecordOutcome =
  | { recorded: true; job: Job }
  | { recorded: false; reason: RecordRefusal };

export interface NewLog {
  level: LogLevel;
  message: string;
  metadata?: Record<string, unknown> | null | undefined;
  /** ISO time the event happened; defaults to the time of the append. */
  at?: string | undefined;
}

export interface FinishRequest {
  status: 'completed' | 'failed' | 'cancelled';
  errorMessage?: string | null | undefined;
}

export type StatusCounts = Record<JobStatus, number>;

/**
 * Where all job state lives. The runner keeps nothing that a crash could lose: every
 * decision it makes is written here first. Every method is one atomic step; two
 * runners calling at the same moment must leave a state one of them alone could have
 * produced. `@review-jobs/core/testing` exports `runJobStoreTests`, which checks each
 * point below; a store is correct when it passes.
 */
export interface JobStore {
  /**
   * Create a job, status `pending`, with items 1..totalItems as `pending` and all
   * counters 0. Dedupe: when the submission already has an active job (pending or
   * running), return that job with `created: false` and write nothing.
   */
  createJob(input: NewJob): Promise<CreateJobResult>;

  /** The job, or null when there is no such id (also for malformed ids). */
  getJob(jobId: string): Promise<Job | null>;

  /** Newest first (createdAt, then id, descending); filters combine with AND. */
  listJobs(filter?: ListJobsFilter): Promise<Page<Job>>;

  /** How many jobs have each status (all statuses present, zeros included). */
  countJobs(filter?: { createdBy?: string | undefined }): Promise<StatusCounts>;

  /**
   * Take the lease of a claimable job: `pending`, or `running` whose lease expired or
   * was released. Sets status `running`, `startedAt` (first claim only), leaseOwner and
   * leaseExpiresAt = now + leaseMs. With `jobId`, only that job; without, the oldest
   * claimable one. Returns the claimed job, or null when nothing could be claimed
   * (also when another owner holds a live lease). Two concurrent claims of one job:
   * exactly one wins.
   */
  claimJob(request: ClaimRequest): Promise<Job | null>;

  /**
   * Renew the lease (expiry = now + leaseMs) when `owner` holds it and the job is
   * running. Reports whether the lease is still held and whether a cancel was asked.
   */
  heartbeat(jobId: string, owner: string, leaseMs: number): Promise<HeartbeatResult>;

  /**
   * Give the lease up without finishing (graceful shutdown, end of a time slice):
   * the job stays `running` and is claimable at once. No-op unless `owner` holds it.
   */
  releaseJob(jobId: string, owner: string): Promise<void>;

  /**
   * Record one item's final outcome, fenced: refused unless `owner` holds the lease,
   * the job is running and no cancel was requested. Refused when the item is already
   * succeeded or failed (no duplicates: the first record wins). In the same atomic
   * step: the item row, completedItems or failedItems + 1, progress, token usage.
   */
  recordItem(jobId: string, owner: string, result: ItemResult): Promise<RecordOutcome>;

  /** All items 1..totalItems in index order; [] for an unknown job. */
  listItems(jobId: string): Promise<JobItem[]>;

  /** Append log lines (one batch, one write), in order. Unknown job: no-op. */
  appendLogs(jobId: string, entries: readonly NewLog[]): Promise<void>;

  /** Newest first; default limit 50. */
  listLogs(jobId: string, options?: { limit?: number | undefined; cursor?: string | undefined }): Promise<Page<JobLog>>;

  /**
   * Ask a job to stop. `pending` (or `running` with no live lease): becomes `cancelled`
   * at once, finishedAt set. `running` with a live lease: cancelRequestedAt is set and
   * from then on recordItem is refused; the lease owner finishes it. Terminal: no change.
   * Returns the job after the change, or null when there is no such job.
   */
  requestCancel(jobId: string): Promise<Job | null>;

  /**
   * End the job, fenced by `owner`. When a cancel was requested, the status is
   * `cancelled` whatever was asked. Sets finishedAt, errorMessage, clears the lease.
   * Returns the finished job, or null when the owner did not hold the lease.
   */
  finishJob(jobId: string, owner: string, request: FinishRequest): Promise<Job | null>;

  /**
   * Take a terminal job that has failed or pending items back to `pending`: failed
   * items become pending again (text, error cleared; attempts kept), failedItems = 0,
   * progress recomputed, retryCount + 1, errorMessage, finishedAt and
   * cancelRequestedAt cleared. Succeeded items are untouched.
   * Throws JobStateError when the job is not terminal, has nothing to retry,
   * retryCount already reached maxRetries, or its submission has another active job
   * (retrying would make two: the dedupe of createJob holds here too); returns null
   * when there is no such job.
   */
  resetForRetry(jobId: string): Promise<Job | null>;
}

/** A state change that the job's current state does not allow (e.g. retrying a running job). */
export class JobStateError extends Error {
  override readonly name = 'JobStateError';
  constructor(
    message: string,
    readonly code: 'not_terminal' | 'nothing_to_retry' | 'retries_exhausted' | 'submission_active',
  ) {
    super(message);
  }
}
