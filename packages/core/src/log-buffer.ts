import type { LogEvent } from './events.js';
import type { JobStore, NewLog } from './job-store.js';
import type { LogLevel } from './job.js';

export interface LogBufferOptions {
  store: JobStore;
  jobId: string;
  /** Each line, at once (the 'log' event). */
  onLine: (event: LogEvent) => void;
  onError: (error: Error) => void;
  flushIntervalMs?: number;
  maxLines?: number;
}

/**
 * The job's log, written in batches: one appendLogs per ~500 ms or 50 lines instead of
 * one write per retry. Lines keep their own time (`at`), so batching does not blur the
 * story. Writes are chained so batches land in order.
 */
export class LogBuffer {
  private pending: NewLog[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly flushIntervalMs: number;
  private readonly maxLines: number;

  constructor(private readonly options: LogBufferOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 500;
    this.maxLines = options.maxLines ?? 50;
  }

  add(level: LogLevel, message: string, metadata: Record<string, unknown> | null = null): void {
    const at = new Date().toISOString();
    this.pending.push({ level, message, metadata, at });
    this.options.onLine({ jobId: this.options.jobId, level, message, metadata, at });
    if (this.pending.length >= this.maxLines) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs);
  }

  /** Writes what is buffered; resolves when every earlier batch is written. Never rejects. */
  flush(): Promise<void> {
    this.clearTimer();
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      const { store, jobId } = this.options;
      this.writing = this.writing.then(() =>
        store.appendLogs(jobId, batch).catch((error: unknown) => {
          this.options.onError(new Error(`Writing ${batch.length} log lines of job ${jobId} failed`, { cause: error }));
        }),
      );
    }
    return this.writing;
  }

  /** Forget what is buffered (a runner that lost its lease must write nothing more). */
  discard(): void {
    this.clearTimer();
    this.pending = [];
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
