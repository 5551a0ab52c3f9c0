import type { ItemStatus, Job, JobItem, JobLog, JobPayload, JobStatus, LogLevel } from '@review-jobs/core';

/**
 * The tables' rows as PostgreSQL renders them in JSON (to_jsonb / json_agg), and their
 * mapping to the camelCase model. bigint and numeric columns arrive as JSON numbers;
 * Number() keeps the mapping right should a caller's PostgREST render them as strings.
 */
export interface JobRow {
  id: string;
  type: string;
  submission_id: string;
  status: JobStatus;
  payload: JobPayload;
  total_items: number;
  completed_items: number;
  failed_items: number;
  progress_percentage: number | string;
  input_tokens: number | string;
  output_tokens: number | string;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  error_message: string | null;
  retry_count: number;
  max_retries: number;
  cancel_requested_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
}

export interface ItemRow {
  job_id: string;
  item_index: number;
  status: ItemStatus;
  text: string | null;
  error: string | null;
  attempts: number;
  input_tokens: number | null;
  output_tokens: number | null;
  updated_at: string | null;
}

export interface LogRow {
  id: number | string;
  job_id: string;
  level: LogLevel;
  message: string;
  metadata: Record<string, unknown> | null;
  created_at: string;
}

/** PostgreSQL writes "2025-01-02T03:04:05.678+00:00"; the model wants toISOString(). */
const iso = (value: string): string => new Date(value).toISOString();
const isoOrNull = (value: string | null): string | null => (value === null ? null : iso(value));

export function jobFromRow(row: JobRow): Job {
  return {
    id: row.id,
    type: row.type,
    submissionId: row.submission_id,
    status: row.status,
    payload: row.payload,
    totalItems: row.total_items,
    completedItems: row.completed_items,
    failedItems: row.failed_items,
    progress: Number(row.progress_percentage),
    usage: { inputTokens: Number(row.input_tokens), outputTokens: Number(row.output_tokens) },
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.completed_at),
    errorMessage: row.error_message,
    retryCount: row.retry_count,
    maxRetries: row.max_retries,
    cancelRequestedAt: isoOrNull(row.cancel_requested_at),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: isoOrNull(row.lease_expires_at),
  };
}

export function itemFromRow(row: ItemRow): JobItem {
  return {
    jobId: row.job_id,
    index: row.item_index,
    status: row.status,
    text: row.text,
    attempts: row.attempts,
    error: row.error,
    usage:
      row.input_tokens === null && row.output_tokens === null
        ? null
        : { inputTokens: Number(row.input_tokens ?? 0), outputTokens: Number(row.output_tokens ?? 0) },
    updatedAt: isoOrNull(row.updated_at),
  };
}

export function logFromRow(row: LogRow): JobLog {
  return {
    id: String(row.id),
    jobId: row.job_id,
    level: row.level,
    message: row.message,
    metadata: row.metadata,
    createdAt: iso(row.created_at),
  };
}
