/**
 * The job model, as every store keeps it and every client reads it.
 * Timestamps are ISO-8601 strings so a job looks the same in memory, in PostgreSQL
 * and over HTTP.
 */

export const JOB_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a job never leaves on its own (only `retry` takes it back to pending). */
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];
/** Statuses that make a job "active": at most one active job per submission. */
export const ACTIVE_STATUSES: readonly JobStatus[] = ['pending', 'running'];

export const isTerminal = (status: JobStatus): boolean => TERMINAL_STATUSES.includes(status);

export const ITEM_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What a job was asked to do: the validated submission (see submission.ts). */
export interface JobPayload {
  submissionId: string;
  placeName: string;
  script: string;
  count: number;
  model?: string | undefined;
  promptTemplate?: string | undefined;
  temperature?: number | undefined;
}

export interface Job {
  id: string;
  type: string;
  submissionId: string;
  status: JobStatus;
  payload: JobPayload;
  totalItems: number;
  completedItems: number;
  failedItems: number;
  /** (completed + failed) / total * 100, rounded to 2 decimals. */
  progress: number;
  usage: TokenUsage;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  errorMessage: string | null;
  retryCount: number;
  maxRetries: number;
  /** Set when a cancel was asked for while the job ran; the lease owner then stops. */
  cancelRequestedAt: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
}

export interface JobItem {
  jobId: string;
  /** 1..totalItems */
  index: number;
  status: ItemStatus;
  text: string | null;
  attempts: number;
  error: string | null;
  usage: TokenUsage | null;
  updatedAt: string | null;
}

export const LOG_LEVELS = ['info', 'warning', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface JobLog {
  id: string;
  jobId: string;
  level: LogLevel;
  message: string;
  metadata: Record<string, unknown> | null;
  createdAt: string;
}

/** The one formula for progress, shared by every store. */
export function progressOf(totalItems: number, completedItems: number, failedItems: number): number {
  if (totalItems <= 0) return 0;
  return Math.round(((completedItems + failedItems) / totalItems) * 10_000) / 100;
}
