import { act, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SubmissionInput } from '@review-jobs/core/client';
import { useStartJob } from '@review-jobs/react';
import { clientError, FakeJobClient } from './fake-job-client.js';
import { renderHookWithJobs } from './render-with-jobs.js';

const submission: SubmissionInput = { submissionId: 'sub-1', placeName: '카페', script: '맛있음', count: 3 };

describe('useStartJob', () => {
  it('sends one request for a double click', async () => {
    const { client, result } = renderHookWithJobs(() => useStartJob());
    let answers: unknown[] = [];
    await act(async () => {
      answers = await Promise.all([result.current.start(submission), result.current.start(submission)]);
    });
    expect(client.start).toHaveBeenCalledTimes(1);
    expect(answers[0]).toEqual(answers[1]);
    expect(result.current.jobId).toBe((answers[0] as { jobId: string }).jobId);
  });

  it('resolves null and keeps the error on a refusal, and clears it on the next start', async () => {
    const client = new FakeJobClient();
    client.start.mockRejectedValueOnce(clientError(401, 'unauthorized', 'sign in first'));
    const { result } = renderHookWithJobs(() => useStartJob(), { client });
    let answer: unknown;
    await act(async () => {
      answer = await result.current.start(submission);
    });
    expect(answer).toBeNull();
    expect(result.current.error?.message).toBe('sign in first');
    expect(result.current.isStarting).toBe(false);

    await act(async () => {
      await result.current.start(submission);
    });
    expect(result.current.error).toBeNull();
    expect(result.current.jobId).not.toBeNull();
  });
});
