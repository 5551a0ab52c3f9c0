import type { Job, JobItem, LogLevel } from './job.js';

export interface LogEvent {
  jobId: string;
  level: LogLevel;
  message: string;
  metadata: Record<string, unknown> | null;
  at: string;
}

export interface RateLimitedEvent {
  jobId: string;
  retryAfterMs: number | undefined;
  /** The effective concurrency after the cut. */
  concurrency: number;
}

/** Typed events of ReviewJobRunner (eventemitter3). */
export interface RunnerEvents {
  /** After every recorded item: the job as the store returned it. */
  progress: (job: Job) => void;
  /** One item recorded (succeeded or failed). */
  item: (event: { jobId: string; item: JobItem }) => void;
  /** Job claimed (running), finished (completed/failed/cancelled), or reset to pending by retry. */
  status: (job: Job) => void;
  log: (event: LogEvent) => void;
  'rate-limited': (event: RateLimitedEvent) => void;
  /** Store or heartbeat failures in background work; never an unhandled rejection. */
  error: (error: Error) => void;
}
