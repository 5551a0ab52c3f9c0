import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { SubmissionInput } from '@review-jobs/core/client';
import { GenerateReviewsButton } from '@review-jobs/react';
import { clientError, FakeJobClient, makeJob } from './fake-job-client.js';
import { renderWithJobs } from './render-with-jobs.js';

const submission: SubmissionInput = {
  submissionId: 'sub-1',
  placeName: '성수동 카페 온도',
  script: '핸드드립 커피가 맛있고 창가 자리가 조용함',
  count: 50,
};

/** A promise the test resolves when it wants. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('<GenerateReviewsButton>', () => {
  it('goes "AI 리뷰 일괄 생성" -> "시작 중..." -> "생성 중..." and shows the progress', async () => {
    const client = new FakeJobClient();
    const answer = deferred<{ job: ReturnType<typeof makeJob>; created: boolean }>();
    client.start.mockReturnValueOnce(answer.promise);
    const onStarted = vi.fn();
    renderWithJobs(<GenerateReviewsButton submission={submission} onStarted={onStarted} />, { client });

    await userEvent.click(screen.getByRole('button', { name: 'AI 리뷰 일괄 생성' }));
    const button = screen.getByRole('button', { name: '시작 중...' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(client.start).toHaveBeenCalledWith(submission);

    const job = makeJob({ id: 'job-9', totalItems: 50 });
    await act(async () => answer.resolve({ job, created: true }));
    expect(onStarted).toHaveBeenCalledWith({ jobId: 'job-9', created: true });
    expect(client.watchJob).toHaveBeenCalledWith('job-9', expect.any(Function));

    act(() => client.emit('job-9', { type: 'snapshot', job: { ...job, status: 'running' }, items: [] }));
    expect((screen.getByRole('button', { name: '생성 중...' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('progressbar')).toBeTruthy();
    // One watch for the button and its <JobProgress> (and the logs inside it).
    expect(client.openWatches('job-9')).toBe(1);

    act(() => client.emit('job-9', { type: 'status', job: { ...job, status: 'completed', completedItems: 50, progress: 100 } }));
    expect((screen.getByRole('button', { name: 'AI 리뷰 일괄 생성' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('adopts the active job on a 409 job_active instead of showing an error', async () => {
    const client = new FakeJobClient([makeJob({ id: 'job-active', status: 'running' })]);
    client.start.mockRejectedValueOnce(clientError(409, 'job_active', 'a job is already running', { jobId: 'job-active' }));
    const onStarted = vi.fn();
    renderWithJobs(<GenerateReviewsButton submission={submission} onStarted={onStarted} />, { client });

    await userEvent.click(screen.getByRole('button', { name: 'AI 리뷰 일괄 생성' }));
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith({ jobId: 'job-active', created: false }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(client.watchJob).toHaveBeenCalledWith('job-active', expect.any(Function));
  });

  it('shows why the server refused, field by field', async () => {
    const client = new FakeJobClient();
    client.start.mockRejectedValueOnce(
      clientError(400, 'invalid_request', 'Invalid submission', { fieldErrors: { count: ['must be at most 500'] } }),
    );
    const onStarted = vi.fn();
    renderWithJobs(<GenerateReviewsButton submission={{ ...submission, count: 501 }} onStarted={onStarted} />, { client });

    await userEvent.click(screen.getByRole('button', { name: 'AI 리뷰 일괄 생성' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('작업 시작 실패: Invalid submission');
    expect(alert.querySelector('[data-field="count"]')?.textContent).toBe('count: must be at most 500');
    expect(onStarted).not.toHaveBeenCalled();
    expect((screen.getByRole('button', { name: 'AI 리뷰 일괄 생성' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('takes the submission as separate props, sending only its fields', async () => {
    const client = new FakeJobClient();
    renderWithJobs(<GenerateReviewsButton {...submission} className="mt-4" classNames={{ button: 'btn' }} />, {
      client,
      locale: 'en',
    });
    const button = screen.getByRole('button', { name: 'Generate AI reviews in bulk' });
    expect(button.className).toBe('rj-generate-reviews__button btn');
    await userEvent.click(button);
    expect(client.start).toHaveBeenCalledWith(submission);
  });
});
