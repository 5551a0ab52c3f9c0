import 'server-only';
import type { ReviewJobsConfig } from './review-jobs-config';

export const WORKER_PATH = '/api/workers/process-job';

/**
 * Asks the worker route to run (or continue) a job. The route answers 202 at once and
 * does the work after its response, so this resolves in milliseconds: the caller's own
 * time budget is not spent waiting for the next slice. Failures are logged, not thrown
 * (this runs inside `after()`, where nobody could catch them).
 */
export async function triggerWorker(origin: string, jobId: string, config: Pick<ReviewJobsConfig, 'workerSecret'>): Promise<void> {
  try {
    const response = await fetch(new URL(WORKER_PATH, origin), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(config.workerSecret ? { authorization: `Bearer ${config.workerSecret}` } : {}),
      },
      body: JSON.stringify({ jobId }),
    });
    if (response.status !== 202) console.error(`[review-jobs] worker trigger for job ${jobId} answered ${response.status}: ${await response.text()}`);
  } catch (error) {
    console.error(`[review-jobs] worker trigger for job ${jobId} failed`, error);
  }
}
