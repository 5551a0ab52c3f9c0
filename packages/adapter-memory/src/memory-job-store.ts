import {
  JOB_STATUSES,
  JobStateError,
  isTerminal,
  progressOf,
  type ClaimRequest,
  type CreateJobResult,
  type FinishRequest,
  type HeartbeatResult,
  type ItemResult,
  type Job,
  type JobItem,
  type JobLog,
  type JobStatus,
  type JobStore,
  type ListJobsFilter,
  type NewJob,
  type NewLog,
  type Page,
  type RecordOutcome,
  type StatusCounts,
} from '@review-jobs/core';
import { decodeCursor, encodeCursor } from './cursor.js';

export interface MemoryJobStoreOptions {
  /** Clock in epoch milliseconds; tests pass a fake one. Default `Date.now`. */
  now?: () => number;
  /** Job ids; default `crypto.randomUUID`. */
  idGenerator?: () => string;
}

interface StoredLog {
  /** Global append counter: orders logs written within the same millisecond. */
  seq: number;
  log: JobLog;
}

interface JobRecord {
  job: Job;
  createdMs: number;
  /** items[i - 1] is item i, so recordItem finds it in O(1). */
  items: JobItem[];
  /** In append order, which is also seq order. */
  logs: StoredLog[];
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;
const FINISH_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);
const ITEM_RESULT_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed']);

/**
 * A JobStore in this process's memory: the embedded default for development, tests,
 * CLIs and single-process servers. State is lost when the process exits, and leases
 * only fence runners that share this one instance.
 *
 * Every method does its whole change synchronously before its first `await`, so each
 * call is one atomic step (JavaScript runs one of them at a time). Callers only ever
 * get copies: mutating a returned job cannot change what is stored.
 */
export class MemoryJobStore implements JobStore {
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #jobs = new Map<string, JobRecord>();
  /** Ascending by (createdMs, id): listJobs walks it backwards, claimJob forwards. */
  readonly #byAge: JobRecord[] = [];
  /** The last job created (or retried) per submission; the dedupe check. */
  readonly #activeBySubmission = new Map<string, JobRecord>();
  #logSeq = 0;

  constructor(options: MemoryJobStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#newId = options.idGenerator ?? (() => globalThis.crypto.randomUUID());
  }

  async createJob(input: NewJob): Promise<CreateJobResult> {
    requireInteger('totalItems', input.totalItems, 1);
    requireInteger('maxRetries', input.maxRetries, 0);
    const active = this.#activeBySubmission.get(input.submissionId);
    if (active && !isTerminal(active.job.status)) return { job: copyJob(active.job), created: false };

    const id = this.#newId();
    if (this.#jobs.has(id)) throw new Error(`idGenerator returned an id already in use: ${id}`);
    const createdMs = this.#now();
    const createdAt = new Date(createdMs).toISOString();
    const job: Job = {
      id,
      type: input.type,
      submissionId: input.submissionId,
      status: 'pending',
      payload: { ...input.payload },
      totalItems: input.totalItems,
      completedItems: 0,
      failedItems: 0,
      progress: 0,
      usage: { inputTokens: 0, outputTokens: 0 },
      createdBy: input.createdBy,
      createdAt,
      startedAt: null,
      finishedAt: null,
      errorMessage: null,
      retryCount: 0,
      maxRetries: input.maxRetries,
      cancelRequestedAt: null,
      leaseOwner: null,
      leaseExpiresAt: null,
    };
    const items = Array.from({ length: input.totalItems }, (_, i): JobItem => ({
      jobId: id,
      index: i + 1,
      status: 'pending',
      text: null,
      attempts: 0,
      error: null,
      usage: null,
      updatedAt: null,
    }));
    const record: JobRecord = { job, createdMs, items, logs: [] };
    this.#jobs.set(id, record);
    this.#byAge.splice(this.#ageIndex(createdMs, id), 0, record);
    this.#activeBySubmission.set(input.submissionId, record);
    return { job: copyJob(job), created: true };
  }

  async getJob(jobId: string): Promise<Job | null> {
    const record = this.#jobs.get(jobId);
    return record ? copyJob(record.job) : null;
  }

  async listJobs(filter: ListJobsFilter = {}): Promise<Page<Job>> {
    const limit = pageLimit(filter.limit);
    const statuses = statusSet(filter.status);
    let start = this.#byAge.length - 1;
    if (filter.cursor !== undefined) {
      const [ms, id] = decodeCursor(filter.cursor, 2) as [string, string];
      const createdMs = Number(ms);
      if (!Number.isFinite(createdMs)) throw new TypeError(`cursor: not a cursor returned by this store`);
      start = this.#ageIndex(createdMs, id) - 1;
    }
    const rows: Job[] = [];
    let last: JobRecord | undefined;
    for (let i = start; i >= 0; i--) {
      const record = this.#byAge[i]!;
      if (statuses && !statuses.has(record.job.status)) continue;
      if (filter.createdBy !== undefined && record.job.createdBy !== filter.createdBy) continue;
      if (rows.length === limit) {
        // One more match exists, so there is a next page; it starts after `last`.
        return { rows, nextCursor: encodeCursor([last!.createdMs, last!.job.id]) };
      }
      rows.push(copyJob(record.job));
      last = record;
    }
    return { rows, nextCursor: null };
  }

  async countJobs(filter: { createdBy?: string | undefined } = {}): Promise<StatusCounts> {
    const counts = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as StatusCounts;
    for (const { job } of this.#jobs.values()) {
      if (filter.createdBy === undefined || job.createdBy === filter.createdBy) counts[job.status] += 1;
    }
    return counts;
  }

  async claimJob(request: ClaimRequest): Promise<Job | null> {
    requireOwner(request.owner);
    requireInteger('leaseMs', request.leaseMs, 1);
    const now = this.#now();
    let record: JobRecord | undefined;
    if (request.jobId !== undefined) {
      record = this.#jobs.get(request.jobId);
      if (record && !isClaimable(record.job, now)) record = undefined;
    } else {
      record = this.#byAge.find((candidate) => isClaimable(candidate.job, now));
    }
    if (!record) return null;
    const { job } = record;
    job.status = 'running';
    job.startedAt ??= new Date(now).toISOString();
    job.leaseOwner = request.owner;
    job.leaseExpiresAt = new Date(now + request.leaseMs).toISOString();
    return copyJob(job);
  }

  async heartbeat(jobId: string, owner: string, leaseMs: number): Promise<HeartbeatResult> {
    requireInteger('leaseMs', leaseMs, 1);
    const job = this.#jobs.get(jobId)?.job;
    if (!job) return { held: false, cancelRequested: false };
    const held = holds(job, owner);
    if (held) job.leaseExpiresAt = new Date(this.#now() + leaseMs).toISOString();
    return { held, cancelRequested: job.cancelRequestedAt !== null };
  }

  async releaseJob(jobId: string, owner: string): Promise<void> {
    const job = this.#jobs.get(jobId)?.job;
    if (job && holds(job, owner)) clearLease(job);
  }

  async recordItem(jobId: string, owner: string, result: ItemResult): Promise<RecordOutcome> {
    if (!ITEM_RESULT_STATUSES.has(result.status)) {
      throw new TypeError(`result.status: expected 'succeeded' or 'failed', got ${JSON.stringify(result.status)}`);
    }
    requireInteger('result.attempts', result.attempts, 0);
    const record = this.#jobs.get(jobId);
    if (!record) return { recorded: false, reason: 'not_owner' };
    const { job } = record;
    if (job.status !== 'running') return { recorded: false, reason: 'not_running' };
    if (job.leaseOwner !== owner) return { recorded: false, reason: 'not_owner' };
    if (job.cancelRequestedAt !== null) return { recorded: false, reason: 'cancel_requested' };
    const item = Number.isInteger(result.index) ? record.items[result.index - 1] : undefined;
    if (!item) return { recorded: false, reason: 'no_such_item' };
    if (item.status !== 'pending') return { recorded: false, reason: 'already_recorded' };

    item.status = result.status;
    item.text = result.text;
    item.error = result.error;
    item.attempts = result.attempts;
    item.usage = result.usage ? { ...result.usage } : null;
    item.updatedAt = new Date(this.#now()).toISOString();
    if (result.status === 'succeeded') job.completedItems += 1;
    else job.failedItems += 1;
    job.progress = progressOf(job.totalItems, job.completedItems, job.failedItems);
    if (result.usage) {
      job.usage.inputTokens += result.usage.inputTokens;
      job.usage.outputTokens += result.usage.outputTokens;
    }
    return { recorded: true, job: copyJob(job) };
  }

  async listItems(jobId: string): Promise<JobItem[]> {
    return this.#jobs.get(jobId)?.items.map(copyItem) ?? [];
  }

  async appendLogs(jobId: string, entries: readonly NewLog[]): Promise<void> {
    const record = this.#jobs.get(jobId);
    if (!record) return;
    const appendedAt = new Date(this.#now()).toISOString();
    for (const entry of entries) {
      const seq = ++this.#logSeq;
      record.logs.push({
        seq,
        log: {
          id: String(seq),
          jobId,
          level: entry.level,
          message: entry.message,
          metadata: entry.metadata == null ? null : structuredClone(entry.metadata),
          createdAt: entry.at ?? appendedAt,
        },
      });
    }
  }

  async listLogs(
    jobId: string,
    options: { limit?: number | undefined; cursor?: string | undefined } = {},
  ): Promise<Page<JobLog>> {
    const limit = pageLimit(options.limit);
    const logs = this.#jobs.get(jobId)?.logs ?? [];
    let start = logs.length - 1;
    if (options.cursor !== undefined) {
      const before = Number(decodeCursor(options.cursor, 1)[0]);
      if (!Number.isInteger(before)) throw new TypeError('cursor: not a cursor returned by this store');
      start = lowerBound(logs.length, (i) => logs[i]!.seq < before) - 1;
    }
    const end = Math.max(start - limit, -1);
    const rows: JobLog[] = [];
    for (let i = start; i > end; i--) rows.push(copyLog(logs[i]!.log));
    const nextCursor = end >= 0 ? encodeCursor([logs[end + 1]!.seq]) : null;
    return { rows, nextCursor };
  }

  async requestCancel(jobId: string): Promise<Job | null> {
    const job = this.#jobs.get(jobId)?.job;
    if (!job) return null;
    const now = this.#now();
    if (job.status === 'pending' || (job.status === 'running' && !hasLiveLease(job, now))) {
      // Nobody is working on it, so nobody else would ever finish it: cancel it here.
      job.status = 'cancelled';
      job.finishedAt = new Date(now).toISOString();
      clearLease(job);
    } else if (job.status === 'running') {
      job.cancelRequestedAt ??= new Date(now).toISOString();
    }
    return copyJob(job);
  }

  async finishJob(jobId: string, owner: string, request: FinishRequest): Promise<Job | null> {
    if (!FINISH_STATUSES.has(request.status)) {
      throw new TypeError(
        `request.status: expected 'completed', 'failed' or 'cancelled', got ${JSON.stringify(request.status)}`,
      );
    }
    const job = this.#jobs.get(jobId)?.job;
    if (!job || !holds(job, owner)) return null;
    job.status = job.cancelRequestedAt !== null ? 'cancelled' : request.status;
    job.finishedAt = new Date(this.#now()).toISOString();
    job.errorMessage = request.errorMessage ?? null;
    clearLease(job);
    return copyJob(job);
  }

  async resetForRetry(jobId: string): Promise<Job | null> {
    const record = this.#jobs.get(jobId);
    if (!record) return null;
    const { job, items } = record;
    if (!isTerminal(job.status)) {
      throw new JobStateError(`job ${jobId} is ${job.status}; only a finished job can be retried`, 'not_terminal');
    }
    if (job.completedItems === job.totalItems) {
      throw new JobStateError(`job ${jobId} has no failed or unfinished items to retry`, 'nothing_to_retry');
    }
    if (job.retryCount >= job.maxRetries) {
      throw new JobStateError(
        `job ${jobId} was already retried ${job.retryCount} times (maxRetries ${job.maxRetries})`,
        'retries_exhausted',
      );
    }
    const active = this.#activeBySubmission.get(job.submissionId);
    if (active && active !== record && !isTerminal(active.job.status)) {
      throw new JobStateError(
        `submission ${job.submissionId} already has an active job (${active.job.id}): finish or cancel it before retrying job ${jobId}`,
        'submission_active',
      );
    }
    const updatedAt = new Date(this.#now()).toISOString();
    for (const item of items) {
      if (item.status !== 'failed') continue;
      item.status = 'pending';
      item.text = null;
      item.error = null;
      item.updatedAt = updatedAt;
    }
    job.status = 'pending';
    job.failedItems = 0;
    job.progress = progressOf(job.totalItems, job.completedItems, 0);
    job.retryCount += 1;
    job.errorMessage = null;
    job.finishedAt = null;
    job.cancelRequestedAt = null;
    clearLease(job);
    this.#activeBySubmission.set(job.submissionId, record);
    return copyJob(job);
  }

  /** Where (createdMs, id) belongs in #byAge: the index of the first record not before it. */
  #ageIndex(createdMs: number, id: string): number {
    return lowerBound(this.#byAge.length, (i) => {
      const other = this.#byAge[i]!;
      return other.createdMs < createdMs || (other.createdMs === createdMs && other.job.id < id);
    });
  }
}

/** The first index in [0, length) for which `isBefore` is false; `isBefore` must be monotone. */
function lowerBound(length: number, isBefore: (index: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (isBefore(mid)) low = mid + 1;
    else high = mid;
  }
  return low;
}

function hasLiveLease(job: Job, now: number): boolean {
  return job.leaseOwner !== null && job.leaseExpiresAt !== null && Date.parse(job.leaseExpiresAt) > now;
}

function isClaimable(job: Job, now: number): boolean {
  return job.status === 'pending' || (job.status === 'running' && !hasLiveLease(job, now));
}

/**
 * The fencing check. An expired lease still counts as held until another owner takes
 * the job over: the takeover is what makes the old owner's writes unsafe.
 */
function holds(job: Job, owner: string): boolean {
  return job.status === 'running' && job.leaseOwner === owner;
}

function clearLease(job: Job): void {
  job.leaseOwner = null;
  job.leaseExpiresAt = null;
}

function copyJob(job: Job): Job {
  return { ...job, payload: { ...job.payload }, usage: { ...job.usage } };
}

function copyItem(item: JobItem): JobItem {
  return { ...item, usage: item.usage ? { ...item.usage } : null };
}

function copyLog(log: JobLog): JobLog {
  return { ...log, metadata: log.metadata === null ? null : structuredClone(log.metadata) };
}

function requireInteger(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`${field}: expected an integer >= ${min}, got ${String(value)}`);
  }
}

function requireOwner(owner: string): void {
  if (typeof owner !== 'string' || owner === '') throw new TypeError('owner: expected a non-empty string');
}

function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  requireInteger('limit', limit, 1);
  return Math.min(limit, MAX_PAGE);
}

function statusSet(status: ListJobsFilter['status']): ReadonlySet<JobStatus> | null {
  if (status === undefined) return null;
  const statuses: readonly JobStatus[] = typeof status === 'string' ? [status] : status;
  for (const value of statuses) {
    if (!(JOB_STATUSES as readonly string[]).includes(value)) {
      throw new TypeError(`status: unknown job status ${JSON.stringify(value)}`);
    }
  }
  return new Set(statuses);
}
