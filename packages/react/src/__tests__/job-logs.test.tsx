import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobLogs } from '@review-jobs/react';
import { FakeJobClient, makeJob, makeLog } from './fake-job-client.js';
import { renderWithJobs } from './render-with-jobs.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('<JobLogs>', () => {
  it('lists the log newest first in a collapsible section, each line with its level', async () => {
    const client = new FakeJobClient();
    client.logs.set('job-1', [
      makeLog('job-1', { message: 'started', createdAt: '2025-01-02T03:04:06.000Z' }),
      makeLog('job-1', { message: 'item 3 failed: blocked', level: 'error', createdAt: '2025-01-02T03:04:09.000Z' }),
      makeLog('job-1', { message: 'rate limited, waiting', level: 'warning', createdAt: '2025-01-02T03:04:08.000Z' }),
    ]);
    const { container } = renderWithJobs(<JobLogs jobId="job-1" />, { client });

    const summary = await screen.findByText('작업 로그 (3)');
    const details = summary.closest('details');
    expect(details?.open).toBe(false);
    const lines = within(details as HTMLElement).getAllByRole('listitem');
    expect(lines.map((line) => [line.dataset.level, line.querySelector('.rj-job-logs__message')?.textContent])).toEqual([
      ['error', 'item 3 failed: blocked'],
      ['warning', 'rate limited, waiting'],
      ['info', 'started'],
    ]);
    expect(container.querySelector('time')?.getAttribute('dateTime')).toBe('2025-01-02T03:04:09.000Z');
    expect(client.listLogs).toHaveBeenCalledWith('job-1', { limit: 50 });
  });

  it('polls while the job runs, fetches once more when it ends, then stops', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const job = makeJob({ id: 'job-1', status: 'running' });
    const client = new FakeJobClient([job]);
    renderWithJobs(<JobLogs jobId="job-1" refreshIntervalMs={1000} />, { client, locale: 'en' });
    act(() => client.emit('job-1', { type: 'snapshot', job, items: [] }));
    await waitFor(() => expect(client.listLogs).toHaveBeenCalled());
    const beforeTicks = client.listLogs.mock.calls.length;

    client.logs.set('job-1', [makeLog('job-1', { message: 'item 1 done' })]);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2000);
    });
    expect(client.listLogs.mock.calls.length).toBe(beforeTicks + 2);
    expect(screen.getByText('Job logs (1)')).toBeTruthy();

    client.logs.set('job-1', [makeLog('job-1', { message: 'finished' }), makeLog('job-1', { message: 'item 1 done' })]);
    act(() => client.emit('job-1', { type: 'status', job: { ...job, status: 'completed' } }));
    await screen.findByText('Job logs (2)');
    const afterEnd = client.listLogs.mock.calls.length;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    expect(client.listLogs.mock.calls.length).toBe(afterEnd);
  });

  it('shows a line heard on the live watch at once, then keeps one copy when the poll brings the stored line', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const job = makeJob({ id: 'job-1', status: 'running' });
    const client = new FakeJobClient([job]);
    client.logs.set('job-1', [makeLog('job-1', { message: 'started', createdAt: '2025-01-02T03:04:06.000Z' })]);
    renderWithJobs(<JobLogs jobId="job-1" />, { client, locale: 'en' });
    act(() => client.emit('job-1', { type: 'snapshot', job, items: [] }));
    await screen.findByText('Job logs (1)');
    const fetchesBefore = client.listLogs.mock.calls.length;

    // The runner has not written its batch yet: only the stream knows this line (no id).
    const at = '2025-01-02T03:04:07.250Z';
    act(() =>
      client.emit('job-1', { type: 'log', log: { jobId: 'job-1', level: 'warning', message: 'rate limited, waiting', metadata: null, createdAt: at } }),
    );
    expect(screen.getByText('Job logs (2)')).toBeTruthy();
    expect(screen.getAllByRole('listitem').map((line) => [line.dataset.level, line.textContent?.includes('rate limited')])).toEqual([
      ['warning', true],
      ['info', false],
    ]);
    expect(client.listLogs.mock.calls.length).toBe(fetchesBefore);
    // Another job's line on this stream is not this job's log.
    act(() => client.emit('job-1', { type: 'log', log: { jobId: 'job-2', level: 'info', message: 'other', metadata: null, createdAt: at } }));
    expect(screen.getByText('Job logs (2)')).toBeTruthy();

    // The stored copy comes back with an id and the database's spelling of the same instant.
    client.logs.set('job-1', [
      makeLog('job-1', { message: 'rate limited, waiting', level: 'warning', createdAt: '2025-01-02T03:04:07.25+00:00' }),
      makeLog('job-1', { message: 'started', createdAt: '2025-01-02T03:04:06.000Z' }),
    ]);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    expect(client.listLogs.mock.calls.length).toBe(fetchesBefore + 1);
    expect(screen.getByText('Job logs (2)')).toBeTruthy();
    expect(screen.getAllByText('rate limited, waiting')).toHaveLength(1);
  });

  it('shows live lines before the first fetch answers, within the page limit', async () => {
    const job = makeJob({ id: 'job-1', status: 'running' });
    const client = new FakeJobClient([job]);
    client.listLogs.mockImplementation(() => new Promise(() => {}));
    renderWithJobs(<JobLogs jobId="job-1" limit={2} />, { client });
    for (const second of [6, 7, 8]) {
      act(() =>
        client.emit('job-1', {
          type: 'log',
          log: { jobId: 'job-1', level: 'info', message: `item ${second} done`, metadata: null, createdAt: `2025-01-02T03:04:0${second}.000Z` },
        }),
      );
    }
    expect(screen.getByText('작업 로그 (2)')).toBeTruthy();
    expect(screen.getAllByRole('listitem').map((line) => line.querySelector('.rj-job-logs__message')?.textContent)).toEqual([
      'item 8 done',
      'item 7 done',
    ]);
  });
});
