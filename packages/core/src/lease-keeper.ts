import type { JobStore } from './job-store.js';

export interface LeaseKeeperOptions {
  store: JobStore;
  jobId: string;
  owner: string;
  durationMs: number;
  heartbeatMs: number;
  /** A cancel was asked for elsewhere (another process, the HTTP API). */
  onCancelRequested: () => void;
  /** The lease is no longer ours: stop at once, write nothing more. */
  onLost: () => void;
  onError: (error: Error) => void;
}

/**
 * Renews the job's lease every `heartbeatMs`. The heartbeat is also how a cancel from
 * another process reaches this one. A failed heartbeat is reported and retried on the
 * next tick: if the store stays unreachable, the lease lapses and the store's fencing
 * refuses our later writes, which is the safe outcome.
 */
export class LeaseKeeper {
  private timer: ReturnType<typeof setInterval> | undefined;
  private beating = false;

  constructor(private readonly options: LeaseKeeperOptions) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.beat(), this.options.heartbeatMs);
    // A heartbeat alone must not keep a process alive; the work it guards does.
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async beat(): Promise<void> {
    if (this.beating) return; // a slow store: do not pile heartbeats up
    this.beating = true;
    const { store, jobId, owner, durationMs } = this.options;
    try {
      const result = await store.heartbeat(jobId, owner, durationMs);
      if (this.timer === undefined) return;
      if (!result.held) this.options.onLost();
      else if (result.cancelRequested) this.options.onCancelRequested();
    } catch (error) {
      this.options.onError(new Error(`Heartbeat of job ${jobId} failed`, { cause: error }));
    } finally {
      this.beating = false;
    }
  }
}
