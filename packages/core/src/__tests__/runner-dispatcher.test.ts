import { describe, expect, it } from 'vitest';
import type { Job, JobDispatcher } from '@review-jobs/core';
import { makeRunner, submission } from './runner-fixtures.js';

/** Records what the runner hands it; runs nothing. */
function recordingDispatcher() {
  const calls: Array<{ method: 'dispatch' | 'cancel' | 'close'; jobId?: string }> = [];
  const dispatcher: JobDispatcher = {
    dispatch: async (job: Job) => void calls.push({ method: 'dispatch', jobId: job.id }),
    cancel: async (jobId: string) => void calls.push({ method: 'cancel', jobId }),
    close: async () => void calls.push({ method: 'close' }),
  };
  return { dispatcher, calls };
}

describe('runner with a dispatcher', () => {
  it('hands started jobs to the dispatcher instead of running them here', async () => {
    const { dispatcher, calls } = recordingDispatcher();
    const { runner, generator } = makeRunner({ dispatcher });
    const input = submission();
    const first = await runner.start(input);
    const second = await runner.start(input);

    expect(second).toMatchObject({ jobId: first.jobId, created: false });
    // Dispatched both times (idempotent per job id on the dispatcher's side).
    expect(calls).toEqual([
      { method: 'dispatch', jobId: first.jobId },
      { method: 'dispatch', jobId: first.jobId },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(generator.stats.calls).toBe(0);
    expect((await runner.getJob(first.jobId))?.status).toBe('pending');
  });

  it('passes cancel, retry and close on', async () => {
    const { dispatcher, calls } = recordingDispatcher();
    const { runner } = makeRunner({ dispatcher });
    const { jobId } = await runner.start(submission());

    expect((await runner.cancel(jobId))?.status).toBe('cancelled');
    await runner.retry(jobId);
    await runner.close();

    expect(calls.map((call) => call.method)).toEqual(['dispatch', 'cancel', 'dispatch', 'close']);
    expect((await runner.getJob(jobId))?.retryCount).toBe(1);
  });

  it('refuses a dispatcher without dispatch(), naming the option', () => {
    expect(() => makeRunner({ dispatcher: {} as JobDispatcher })).toThrow(/dispatcher/);
  });
});
