import type { Job, JobItem, JobLog, JobStatus } from '../job.js';
import type { StatusCounts } from '../job-store.js';
import type { SubmissionInput } from '../submission.js';
import type { JobClientError } from './job-client-error.js';

/** A log line as the live stream carries it: not yet stored, so it may have no id. */
export type LiveJobLog = Omit<JobLog, 'id'> & { id?: string };

export type JobWatchEvent =
  /** The whole state: first, and again after a reconnect that could not be replayed. Replace, don't merge. */
  | { type: 'snapshot'; job: Job; items: JobItem[] }
  | { type: 'progress'; job: Job }
  | { type: 'item'; jobId: string; item: JobItem }
  | { type: 'log'; log: LiveJobLog }
  | { type: 'status'; job: Job }
  /** true: events arrive live (SSE); false: reconnecting or polling. */
  | { type: 'connection'; live: boolean }
  | { type: 'error'; error: JobClientError };

export interface ListJobsQuery {
  status?: JobStatus | JobStatus[];
  createdBy?: string;
  cursor?: string;
  limit?: number;
}

export interface WatchJobOptions {
  /** Poll interval when live events are not available. Default 2000 ms. */
  pollIntervalMs?: number;
  /** First reconnect delay of the live stream, doubled per failure (with jitter, at most 30 s). Default 1000 ms. */
  reconnectDelayMs?: number;
}

export interface JobClient {
  /** Starts a job. A submission that already has an active job: JobClientError code 'job_active' with its `jobId`. */
  start(submission: SubmissionInput): Promise<{ job: Job; created: boolean }>;
  getJob(jobId: string): Promise<Job>;
  listItems(jobId: string): Promise<JobItem[]>;
  listJobs(filter?: ListJobsQuery): Promise<{ jobs: Job[]; nextCursor: string | null; counts: StatusCounts }>;
  /** Newest first. */
  listLogs(jobId: string, options?: { cursor?: string; limit?: number }): Promise<{ logs: JobLog[]; nextCursor: string | null }>;
  cancel(jobId: string): Promise<Job>;
  retry(jobId: string): Promise<Job>;
  /**
   * Live events of a job until its terminal status: first a `snapshot`, then changes.
   * Returns the unsubscribe function. Never throws: failures arrive as `error` events.
   */
  watchJob(jobId: string, listener: (event: JobWatchEvent) => void, options?: WatchJobOptions): () => void;
}

export type HeadersInit = Record<string, string>;

export interface JobClientOptions {
  /** Where the handlers are mounted, e.g. '/api/review-jobs' or 'https://admin.example.com/api/review-jobs'. */
  baseUrl: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Extra headers on every request, e.g. an auth token; a function is called per request (tokens refresh). */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** false: watchJob polls instead of streaming (a proxy that buffers responses breaks SSE). Default true. */
  live?: boolean;
}
