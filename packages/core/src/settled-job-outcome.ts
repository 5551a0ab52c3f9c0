import type { Job } from './job.js';

/**
 * How a job whose every item is recorded ends. An item that ran out of attempts does not
 * stop the others, but the job is not `completed` with holes in it: `failed` with the
 * count, so the UI offers retry. Shared by the runner's job loop and the queue workers.
 */
export function settledJobOutcome(job: Pick<Job, 'failedItems' | 'totalItems'>): {
  status: 'completed' | 'failed';
  errorMessage: string | null;
} {
  return job.failedItems === 0
    ? { status: 'completed', errorMessage: null }
    : { status: 'failed', errorMessage: `${job.failedItems} of ${job.totalItems} items failed` };
}
