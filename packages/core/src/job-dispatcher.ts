import type { Job } from './job.js';

/**
 * Hands jobs to workers elsewhere (a queue such as BullMQ) instead of running them in
 * the runner's own process. The store stays the one place of progress, items and logs,
 * so nothing else changes for the UI.
 */
export interface JobDispatcher {
  /**
   * Called by `runner.start()` for an active job and by `runner.retry()`. Must be
   * idempotent per job id: a start that found the submission's job already active
   * dispatches it again, which closes the gap of a crash between create and dispatch.
   */
  dispatch(job: Job): Promise<void>;
  /** Called by `runner.cancel()` after the store recorded the cancel request. */
  cancel?(jobId: string): Promise<void>;
  /** Called once by `runner.close()`. */
  close?(): Promise<void>;
}
