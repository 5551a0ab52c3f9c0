import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { JobsTable } from '@review-jobs/react';
import { FakeJobClient, makeJob } from './fake-job-client.js';
import { renderWithJobs } from './render-with-jobs.js';

function clientWithJobs() {
  return new FakeJobClient([
    makeJob({ id: 'old', status: 'completed', createdAt: '2025-01-01T00:00:00.000Z', completedItems: 4, progress: 100 }),
    makeJob({
      id: 'new',
      status: 'running',
      createdAt: '2025-01-03T00:00:00.000Z',
      completedItems: 1,
      failedItems: 1,
      progress: 50,
      payload: { submissionId: 'sub-2', placeName: '연남동 빵집', script: '크루아상', count: 4 },
      submissionId: 'sub-2',
    }),
    makeJob({ id: 'queued', status: 'pending', createdAt: '2025-01-02T00:00:00.000Z' }),
    makeJob({ id: 'broken', status: 'failed', createdAt: '2024-12-31T00:00:00.000Z', failedItems: 4, progress: 100 }),
  ]);
}

const rowIds = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.dataset.jobId);

describe('<JobsTable>', () => {
  it('lists the jobs newest first with running and pending counts', async () => {
    const client = clientWithJobs();
    renderWithJobs(<JobsTable />, { client });

    expect(screen.getByRole('heading', { name: '백그라운드 작업 관리' })).toBeTruthy();
    await waitFor(() => expect(rowIds()).toEqual(['new', 'queued', 'old', 'broken']));
    expect(screen.getByText('진행 중: 1').dataset.status).toBe('running');
    expect(screen.getByText('대기 중: 1').dataset.status).toBe('pending');

    const row = screen.getAllByRole('row')[1] as HTMLElement;
    expect(row.dataset.status).toBe('running');
    expect(within(row).getByText('연남동 빵집')).toBeTruthy();
    expect(within(row).getByText('진행 중')).toBeTruthy();
    expect(within(row).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    expect(row.querySelector('[data-field="counts"]')?.textContent).toBe('1 / 1 / 4');
    expect(client.listJobs).toHaveBeenCalledWith({ limit: 50 });
  });

  it('filters by tab: running (with pending), completed, failed', async () => {
    const client = clientWithJobs();
    renderWithJobs(<JobsTable createdBy="admin-1" />, { client });
    const tabs = within(screen.getByRole('tablist')).getAllByRole('tab');
    expect(tabs.map((tab) => tab.textContent)).toEqual(['전체', '진행 중', '완료', '실패']);
    expect(tabs[0]?.getAttribute('aria-selected')).toBe('true');

    await userEvent.click(screen.getByRole('tab', { name: '진행 중' }));
    await waitFor(() => expect(rowIds()).toEqual(['new', 'queued']));
    expect(client.listJobs).toHaveBeenLastCalledWith({ limit: 50, status: ['pending', 'running'], createdBy: 'admin-1' });
    expect(screen.getByRole('tab', { name: '진행 중' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(screen.getByRole('tab', { name: '진행 중' }).id);

    await userEvent.click(screen.getByRole('tab', { name: '실패' }));
    await waitFor(() => expect(rowIds()).toEqual(['broken']));
  });

  it('moves between tabs with the arrow keys', async () => {
    renderWithJobs(<JobsTable />, { client: clientWithJobs(), locale: 'en' });
    await userEvent.click(screen.getByRole('tab', { name: 'All' }));
    await userEvent.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Failed' }));
    expect(screen.getByRole('tab', { name: 'Failed' }).getAttribute('aria-selected')).toBe('true');
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'All' }).getAttribute('aria-selected')).toBe('true');
  });

  it('says so when there are no jobs, in English too', async () => {
    renderWithJobs(<JobsTable />, { locale: 'en' });
    expect(await screen.findByText('No jobs yet.')).toBeTruthy();
    expect(screen.getByText('Running: 0')).toBeTruthy();
  });
});
