import { settledJobOutcome, type FinishRequest, type Job, type JobStore, type NewLog } from '@review-jobs/core';

/**
 * End a job whose every item is recorded, as the runner would: `completed`, or `failed`
 * with the count. Whichever worker records the last item calls this; a worker that
 * re-runs that item after a crash calls it again, and finishJob lets only the first win.
 */
export async function finishIfSettled(store: JobStore, owner: string, job: Job): Promise<Job | null> {
  if (job.status !== 'running' || job.completedItems + job.failedItems < job.totalItems) return null;
  const finished = await store.finishJob(job.id, owner, settledJobOutcome(job));
  // Logged after the finish, so two workers racing to finish do not both log it.
  if (finished) {
    await store.appendLogs(job.id, [
      {
        level: 'info',
        message: `finished: ${finished.completedItems} succeeded, ${finished.failedItems} failed`,
        metadata: { succeeded: finished.completedItems, failed: finished.failedItems },
      },
    ]);
  }
  return finished;
}

/** End a job early (cancelled, or failed on a refused key), logging why when this call ended it. */
export async function finishEarly(store: JobStore, owner: string, jobId: string, request: FinishRequest, log: NewLog): Promise<Job | null> {
  const finished = await store.finishJob(jobId, owner, request);
  if (finished) await store.appendLogs(jobId, [log]);
  return finished;
}
