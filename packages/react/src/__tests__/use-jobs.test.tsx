import { act, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SubmissionInput } from '@review-jobs/core/client';
import { useJobProgress, useJobs, useStartJob } from '@review-jobs/react';
import { FakeJobClient, makeJob } from './fake-job-client.js';
import { renderHookWithJobs } from './render-with-jobs.js';

const submission: SubmissionInput = { submissionId: 'sub-1', placeName: '카페', script: '맛있음', count: 3 };

describe('useJobs', () => {
  it('refetches after start, cancel and retry in the same app', async () => {
    const running = makeJob({ id: 'job-1', status: 'running' });
    const client = new FakeJobClient([running]);
    const { result } = renderHookWithJobs(
      () => ({ jobs: useJobs({}, { refreshIntervalMs: 0 }), starter: useStartJob(), progress: useJobProgress('job-1') }),
      { client },
    );
    await waitFor(() => expect(result.current.jobs.jobs).toHaveLength(1));
    expect(result.current.jobs.counts).toMatchObject({ running: 1, pending: 0 });
    const calls = () => client.listJobs.mock.calls.length;
    const initial = calls();

    await act(async () => {
      await result.current.starter.start(submission);
    });
    await waitFor(() => expect(result.current.jobs.jobs).toHaveLength(2));
    expect(calls()).toBe(initial + 1);

    await act(async () => {
      await result.current.progress.cancel();
    });
    await waitFor(() => expect(result.current.jobs.counts).toMatchObject({ running: 0, cancelled: 1 }));
    expect(calls()).toBe(initial + 2);

    await act(async () => {
      await result.current.progress.retry();
    });
    await waitFor(() => expect(calls()).toBe(initial + 3));
  });

  it('keeps the error of a failed fetch and recovers on refresh', async () => {
    const client = new FakeJobClient([makeJob()]);
    client.listJobs.mockRejectedValueOnce(new Error('offline'));
    const { result } = renderHookWithJobs(() => useJobs({ status: 'running' }, { refreshIntervalMs: 0 }), { client });
    await waitFor(() => expect(result.current.error?.message).toBe('offline'));
    expect(result.current.isLoading).toBe(false);
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.error).toBeNull());
    expect(client.listJobs).toHaveBeenLastCalledWith({ status: 'running' });
  });
});
