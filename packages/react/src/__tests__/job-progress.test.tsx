import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { JobProgress } from '@review-jobs/react';
import { clientError, FakeJobClient, makeItem, makeJob } from './fake-job-client.js';
import { renderWithJobs } from './render-with-jobs.js';

const started = '2025-01-02T03:04:05.000Z';

describe('<JobProgress>', () => {
  it('says it is loading until the first snapshot', () => {
    const { container } = renderWithJobs(<JobProgress jobId="job-1" />);
    expect(screen.getByText('불러오는 중...')).toBeTruthy();
    expect(container.querySelector('section')?.dataset.status).toBe('loading');
  });

  it('shows status, bar, counts and items as the job runs, in Korean by default', () => {
    const job = makeJob({ id: 'job-1', status: 'running', totalItems: 4, startedAt: started });
    const client = new FakeJobClient([job]);
    const { container } = renderWithJobs(<JobProgress jobId="job-1" showLogs={false} />, { client });
    act(() => client.emit('job-1', { type: 'snapshot', job, items: [] }));

    const root = container.querySelector('section');
    expect(root?.dataset.status).toBe('running');
    expect(root?.className).toContain('rj-job-progress');
    expect(screen.getByText('진행 중').dataset.status).toBe('running');
    expect(screen.getByRole('button', { name: '취소' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: '재시도' })).toBeNull();
    expect(screen.getByText('시작 시간')).toBeTruthy();
    expect(screen.getByText('경과 시간')).toBeTruthy();

    act(() => client.emit('job-1', { type: 'item', jobId: 'job-1', item: makeItem('job-1', 1, { text: '커피가 정말 맛있어요' }) }));
    act(() =>
      client.emit('job-1', { type: 'progress', job: { ...job, completedItems: 1, failedItems: 1, progress: 50 } }),
    );
    const bar = screen.getByRole('progressbar', { name: '진행률' });
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    const stat = (key: string) => container.querySelector(`[data-stat="${key}"] dd`)?.textContent;
    expect([stat('total'), stat('completed'), stat('failed')]).toEqual(['4', '1', '1']);
    const items = screen.getByRole('list', { name: '생성된 리뷰' });
    expect(within(items).getByText('커피가 정말 맛있어요').dataset.status).toBe('succeeded');
  });

  it('cancels with the button while running', async () => {
    const job = makeJob({ id: 'job-1', status: 'running', startedAt: started });
    const client = new FakeJobClient([job]);
    renderWithJobs(<JobProgress jobId="job-1" showLogs={false} />, { client });
    act(() => client.emit('job-1', { type: 'snapshot', job, items: [] }));

    await userEvent.click(screen.getByRole('button', { name: '취소' }));
    expect(client.cancel).toHaveBeenCalledWith('job-1');
    expect(screen.getByText('취소됨')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '취소' })).toBeNull();
    // Cancelled with items left unfinished: retry is offered.
    expect(screen.getByRole('button', { name: '재시도' })).toBeTruthy();
  });

  it('shows why a cancel was refused, and keeps the job on screen', async () => {
    const job = makeJob({ id: 'job-1', status: 'running', startedAt: started });
    const client = new FakeJobClient([job]);
    client.cancel.mockRejectedValueOnce(clientError(403, 'forbidden', 'Not allowed.'));
    renderWithJobs(<JobProgress jobId="job-1" showLogs={false} />, { client });
    act(() => client.emit('job-1', { type: 'snapshot', job, items: [] }));

    await userEvent.click(screen.getByRole('button', { name: '취소' }));
    const alert = screen.getByRole('alert');
    expect(alert.querySelector('[data-error="client"]')?.textContent).toBe('Not allowed.');
    expect(alert.querySelector('[data-error="job"]')).toBeNull();
    expect(screen.getByText('진행 중', { selector: '[data-status]' })).toBeTruthy();
    expect((screen.getByRole('button', { name: '취소' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows the error and a retry button when the job failed, and retries', async () => {
    const job = makeJob({
      id: 'job-1',
      status: 'failed',
      startedAt: started,
      finishedAt: '2025-01-02T03:09:05.000Z',
      completedItems: 1,
      failedItems: 3,
      progress: 100,
      errorMessage: 'API key rejected',
    });
    const client = new FakeJobClient([job]);
    renderWithJobs(<JobProgress jobId="job-1" showLogs={false} />, { client });
    act(() => client.emit('job-1', { type: 'snapshot', job, items: [] }));

    expect(screen.getByRole('alert').textContent).toContain('API key rejected');
    expect(screen.getByText('종료 시간')).toBeTruthy();
    expect(screen.queryByText('경과 시간')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: '재시도' }));
    expect(client.retry).toHaveBeenCalledWith('job-1');
    expect(screen.getByText('대기 중')).toBeTruthy();
    expect(screen.getByRole('button', { name: '취소' })).toBeTruthy();
  });

  it('offers no retry once the retry budget is spent', () => {
    const job = makeJob({ id: 'job-1', status: 'failed', failedItems: 4, retryCount: 3, maxRetries: 3 });
    const client = new FakeJobClient([job]);
    renderWithJobs(<JobProgress jobId="job-1" showLogs={false} />, { client });
    act(() => client.emit('job-1', { type: 'snapshot', job, items: [] }));
    expect(screen.getByText('실패', { selector: '[data-status]' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: '재시도' })).toBeNull();
  });

  it('renders the results slot once completed', () => {
    const job = makeJob({ id: 'job-1', status: 'completed', completedItems: 4, progress: 100 });
    const client = new FakeJobClient([job]);
    renderWithJobs(
      <JobProgress jobId="job-1" showLogs={false} renderResults={({ items }) => <a href="/results">{items.length} results</a>} />,
      { client },
    );
    act(() => client.emit('job-1', { type: 'snapshot', job, items: [1, 2, 3, 4].map((index) => makeItem('job-1', index)) }));
    expect(screen.getByRole('link', { name: '4 results' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: '재시도' })).toBeNull();
    expect(screen.queryByRole('button', { name: '취소' })).toBeNull();
  });

  it('speaks English with locale="en", takes label overrides and class names', () => {
    const job = makeJob({ id: 'job-1', status: 'completed', completedItems: 4, progress: 100 });
    const client = new FakeJobClient([job]);
    const { container } = renderWithJobs(
      <JobProgress jobId="job-1" resultsHref="/reviews" className="card" classNames={{ bar: 'h-2', badge: 'pill' }} />,
      { client, locale: 'en', labels: { seeResults: 'Open reviews', status: { completed: 'Done' } } },
    );
    act(() => client.emit('job-1', { type: 'snapshot', job, items: [] }));
    expect(screen.getByText('Done').className).toBe('rj-job-progress__badge pill');
    expect(screen.getByRole('progressbar', { name: 'Progress' }).className).toBe('rj-job-progress__bar h-2');
    expect(screen.getByRole('link', { name: 'Open reviews' }).getAttribute('href')).toBe('/reviews');
    expect(screen.getByText('Total')).toBeTruthy();
    expect(container.querySelector('section')?.className).toBe('rj-job-progress card');
  });

  it('says the progress could not be loaded when the first answer is an error', () => {
    const client = new FakeJobClient();
    renderWithJobs(<JobProgress jobId="missing" />, { client });
    act(() =>
      client.emit('missing', { type: 'error', error: clientError(404, 'not_found', 'job missing not found') }),
    );
    expect(screen.getByRole('alert').textContent).toBe('진행률 조회 실패: job missing not found');
  });
});
