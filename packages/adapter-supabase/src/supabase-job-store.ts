import type { SupabaseClient } from '@supabase/supabase-js';
import {
  JOB_STATUSES,
  LOG_LEVELS,
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
  type RecordRefusal,
  type StatusCounts,
} from '@review-jobs/core';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import { itemFromRow, jobFromRow, logFromRow, type ItemRow, type JobRow, type LogRow } from './rows.js';
import { toStoreError } from './supabase-store-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are uuids: anything else names no job, and must not reach PostgreSQL as a cast error. */
const isJobId = (value: string): boolean => typeof value === 'string' && UUID.test(value);

const DEFAULT_LIMIT = 50;
const MAX_JOBS_LIMIT = 200;
const MAX_LOGS_LIMIT = 1000;
const PG_INT_MAX = 2_147_483_647;

/**
 * JobStore on Supabase: every write is one RPC function of the review-jobs migration
 * (`supabase/migrations`), one transaction, fenced in SQL; reads go through PostgREST
 * and are filtered by RLS.
 *
 * Workers need a client made with the service_role key (the functions that write are
 * granted to service_role only). A client signed in as a user reads that user's jobs and
 * may cancel or retry them; everything else is refused by the database.
 *
 * @example
 * const store = new SupabaseJobStore(createClient(url, serviceRoleKey, { auth: { persistSession: false } }));
 */
export class SupabaseJobStore implements JobStore {
  readonly #client: SupabaseClient;

  constructor(client: SupabaseClient) {
    if (!client || typeof client.rpc !== 'function' || typeof client.from !== 'function') {
      throw new TypeError('client: expected a SupabaseClient from @supabase/supabase-js createClient()');
    }
    this.#client = client;
  }

  async createJob(input: NewJob): Promise<CreateJobResult> {
    requireText('input.type', input.type);
    requireText('input.submissionId', input.submissionId);
    requireInteger('input.totalItems', input.totalItems, 1);
    requireInteger('input.maxRetries', input.maxRetries, 0);
    if (input.payload === null || typeof input.payload !== 'object') {
      throw new TypeError('input.payload: expected an object');
    }
    if (input.createdBy !== null && typeof input.createdBy !== 'string') {
      throw new TypeError('input.createdBy: expected a string or null');
    }
    const result = await this.#rpc<{ job: JobRow; created: boolean }>('createJob', 'review_jobs_create_job', {
      p_type: input.type,
      p_submission_id: input.submissionId,
      p_payload: input.payload,
      p_total_items: input.totalItems,
      p_max_retries: input.maxRetries,
      p_created_by: input.createdBy,
    });
    return { job: jobFromRow(result.job), created: result.created };
  }

  async getJob(jobId: string): Promise<Job | null> {
    if (!isJobId(jobId)) return null;
    const { data, error } = await this.#client.from('background_jobs').select('*').eq('id', jobId).maybeSingle();
    if (error) throw toStoreError('getJob', error);
    return data ? jobFromRow(data as JobRow) : null;
  }

  async listJobs(filter: ListJobsFilter = {}): Promise<Page<Job>> {
    const limit = filter.limit ?? DEFAULT_LIMIT;
    requireInteger('limit', limit, 1, MAX_JOBS_LIMIT);
    const cursor = filter.cursor === undefined ? null : decodeCursor(filter.cursor);
    // One row more than asked tells whether there is a next page.
    const rows = await this.#rpc<JobRow[]>('listJobs', 'review_jobs_list_jobs', {
      p_statuses: statusesOf(filter.status),
      p_created_by: filter.createdBy ?? null,
      p_limit: limit + 1,
      p_cursor_created_at: cursor?.createdAt ?? null,
      p_cursor_id: cursor?.id ?? null,
    });
    return pageOf(rows.map(jobFromRow), limit);
  }

  async countJobs(filter: { createdBy?: string | undefined } = {}): Promise<StatusCounts> {
    return this.#rpc<StatusCounts>('countJobs', 'review_jobs_count_jobs', { p_created_by: filter.createdBy ?? null });
  }

  async claimJob(request: ClaimRequest): Promise<Job | null> {
    requireText('owner', request.owner);
    requireInteger('leaseMs', request.leaseMs, 1);
    if (request.jobId !== undefined && !isJobId(request.jobId)) return null;
    const row = await this.#rpc<JobRow | null>('claimJob', 'review_jobs_claim_job', {
      p_owner: request.owner,
      p_lease_ms: request.leaseMs,
      p_job_id: request.jobId ?? null,
    });
    return row ? jobFromRow(row) : null;
  }

  async heartbeat(jobId: string, owner: string, leaseMs: number): Promise<HeartbeatResult> {
    requireText('owner', owner);
    requireInteger('leaseMs', leaseMs, 1);
    if (!isJobId(jobId)) return { held: false, cancelRequested: false };
    const result = await this.#rpc<{ held: boolean; cancel_requested: boolean }>('heartbeat', 'review_jobs_heartbeat', {
      p_job_id: jobId,
      p_owner: owner,
      p_lease_ms: leaseMs,
    });
    return { held: result.held, cancelRequested: result.cancel_requested };
  }

  async releaseJob(jobId: string, owner: string): Promise<void> {
    requireText('owner', owner);
    if (!isJobId(jobId)) return;
    await this.#rpc<null>('releaseJob', 'review_jobs_release_job', { p_job_id: jobId, p_owner: owner });
  }

  async recordItem(jobId: string, owner: string, result: ItemResult): Promise<RecordOutcome> {
    requireText('owner', owner);
    if (result.status !== 'succeeded' && result.status !== 'failed') {
      throw new TypeError(`result.status: expected 'succeeded' or 'failed', got ${JSON.stringify(result.status)}`);
    }
    requireInteger('result.index', result.index, Number.MIN_SAFE_INTEGER);
    requireInteger('result.attempts', result.attempts, 0, PG_INT_MAX);
    // Indexes outside 1..int4 name no item; answered here rather than as a cast error.
    if (!isJobId(jobId) || result.index < 1 || result.index > PG_INT_MAX) return { recorded: false, reason: 'no_such_item' };
    const outcome = await this.#rpc<{ recorded: boolean; job?: JobRow; reason?: RecordRefusal }>(
      'recordItem',
      'review_jobs_record_item',
      {
        p_job_id: jobId,
        p_owner: owner,
        p_index: result.index,
        p_status: result.status,
        p_text: result.text,
        p_error: result.error,
        p_attempts: result.attempts,
        p_input_tokens: result.usage?.inputTokens ?? null,
        p_output_tokens: result.usage?.outputTokens ?? null,
      },
    );
    return outcome.recorded && outcome.job
      ? { recorded: true, job: jobFromRow(outcome.job) }
      : { recorded: false, reason: outcome.reason ?? 'no_such_item' };
  }

  async listItems(jobId: string): Promise<JobItem[]> {
    if (!isJobId(jobId)) return [];
    const { data, error } = await this.#client
      .from('background_job_items')
      .select('*')
      .eq('job_id', jobId)
      .order('item_index', { ascending: true });
    if (error) throw toStoreError('listItems', error);
    return (data as ItemRow[]).map(itemFromRow);
  }

  async appendLogs(jobId: string, entries: readonly NewLog[]): Promise<void> {
    entries.forEach((entry, i) => {
      if (!LOG_LEVELS.includes(entry.level)) {
        throw new TypeError(`entries[${i}].level: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(entry.level)}`);
      }
      if (typeof entry.message !== 'string') throw new TypeError(`entries[${i}].message: expected a string`);
      if (entry.at !== undefined && Number.isNaN(Date.parse(entry.at))) {
        throw new TypeError(`entries[${i}].at: expected an ISO timestamp, got ${JSON.stringify(entry.at)}`);
      }
    });
    if (entries.length === 0 || !isJobId(jobId)) return;
    await this.#rpc<null>('appendLogs', 'review_jobs_append_logs', {
      p_job_id: jobId,
      p_entries: entries.map((entry) => ({
        level: entry.level,
        message: entry.message,
        metadata: entry.metadata ?? null,
        at: entry.at ?? null,
      })),
    });
  }

  async listLogs(
    jobId: string,
    options: { limit?: number | undefined; cursor?: string | undefined } = {},
  ): Promise<Page<JobLog>> {
    const limit = options.limit ?? DEFAULT_LIMIT;
    requireInteger('limit', limit, 1, MAX_LOGS_LIMIT);
    const cursor = options.cursor === undefined ? null : decodeCursor(options.cursor);
    if (cursor && !/^\d+$/.test(cursor.id)) {
      throw new TypeError(`cursor: not a cursor returned by this store (${JSON.stringify(options.cursor)})`);
    }
    if (!isJobId(jobId)) return { rows: [], nextCursor: null };
    const rows = await this.#rpc<LogRow[]>('listLogs', 'review_jobs_list_logs', {
      p_job_id: jobId,
      p_limit: limit + 1,
      p_cursor_created_at: cursor?.createdAt ?? null,
      p_cursor_id: cursor?.id ?? null,
    });
    return pageOf(rows.map(logFromRow), limit);
  }

  async requestCancel(jobId: string): Promise<Job | null> {
    if (!isJobId(jobId)) return null;
    const row = await this.#rpc<JobRow | null>('requestCancel', 'review_jobs_request_cancel', { p_job_id: jobId });
    return row ? jobFromRow(row) : null;
  }

  async finishJob(jobId: string, owner: string, request: FinishRequest): Promise<Job | null> {
    requireText('owner', owner);
    if (!['completed', 'failed', 'cancelled'].includes(request.status)) {
      throw new TypeError(
        `request.status: expected 'completed', 'failed' or 'cancelled', got ${JSON.stringify(request.status)}`,
      );
    }
    if (!isJobId(jobId)) return null;
    const row = await this.#rpc<JobRow | null>('finishJob', 'review_jobs_finish_job', {
      p_job_id: jobId,
      p_owner: owner,
      p_status: request.status,
      p_error_message: request.errorMessage ?? null,
    });
    return row ? jobFromRow(row) : null;
  }

  async resetForRetry(jobId: string): Promise<Job | null> {
    if (!isJobId(jobId)) return null;
    const row = await this.#rpc<JobRow | null>('resetForRetry', 'review_jobs_reset_for_retry', { p_job_id: jobId });
    return row ? jobFromRow(row) : null;
  }

  async #rpc<T>(operation: string, fn: string, args: Record<string, unknown>): Promise<T> {
    const { data, error } = await this.#client.rpc(fn, args);
    if (error) throw toStoreError(operation, error);
    return data as T;
  }
}

/** `limit + 1` rows were asked for: the extra one only says that another page exists. */
function pageOf<T extends { id: string; createdAt: string }>(rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1]!;
  return { rows: page, nextCursor: encodeCursor(last.createdAt, last.id) };
}

function statusesOf(status: ListJobsFilter['status']): JobStatus[] | null {
  if (status === undefined) return null;
  const statuses = typeof status === 'string' ? [status] : [...status];
  for (const value of statuses) {
    if (!JOB_STATUSES.includes(value)) throw new TypeError(`status: unknown job status ${JSON.stringify(value)}`);
  }
  return statuses;
}

function requireText(field: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${field}: expected a non-empty string`);
}

function requireInteger(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new TypeError(`${field}: expected an integer ${range}, got ${String(value)}`);
  }
}
