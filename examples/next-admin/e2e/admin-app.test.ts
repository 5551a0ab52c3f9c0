import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appApi, waitFor, type AppApi } from './api';
import { launchBrowser, type Browser } from './browser';
import { clickGenerate, documentIsMarked, markDocument, readCard, watchCard, type CardState } from './job-card';
import { startNextServer, type NextServer } from './next-server';

// Demo mode (in-memory store, simulated model) on a compressed clock: a "12 s" call
// takes ~2.4 s, so 50 reviews at concurrency 10 take ~15 s.
const ENV = { REVIEW_JOBS_TIME_SCALE: '0.2', REVIEW_JOBS_CONCURRENCY: '10' };
const screenshots = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

let server: NextServer;
let browser: Browser;
let api: AppApi;

beforeAll(async () => {
  server = await startNextServer(ENV);
  browser = await launchBrowser();
  api = appApi(server.url);
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openSubmission(id: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/submissions/${id}`);
  return page;
}

const isNonDecreasing = (readings: readonly CardState[]) => readings.every((r, i) => i === 0 || r.progress >= readings[i - 1]!.progress);

describe('the admin app in a browser (demo mode)', () => {
  it('says it runs on an in-memory store and a simulated model', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/submissions`);
    await expect(page.locator('.demo-banner').textContent()).resolves.toContain('demo mode: in-memory store, simulated model');
    await expect(page.locator('tr[data-submission-id]').count()).resolves.toBe(6);
    await page.close();
  });

  it('runs a 50-review job with live progress, and shows the same job after leaving mid-job', async () => {
    const page = await openSubmission('sub-seongsu-cafe');
    await markDocument(page);
    const jobId = await clickGenerate(page);

    // The bar rises on its own: several distinct values, never lower, same document.
    const before = await watchCard(page, (s) => s.progress >= 30);
    expect(new Set(before.map((r) => r.progress)).size).toBeGreaterThan(3);
    expect(isNonDecreasing(before)).toBe(true);
    expect(await documentIsMarked(page)).toBe(true);
    await page.locator('[data-testid="current-job"]').screenshot({ path: `${screenshots}progress-card.png` });

    // Leave (a full navigation to another page), then come back: the server finds the
    // submission's running job; nothing was kept in the browser.
    const left = await readCard(page);
    expect(left.status).toBe('running');
    await page.goto(`${server.url}/admin/background-jobs`);
    await page.locator(`tr[data-job-id="${jobId}"]`).waitFor();
    await page.goto(`${server.url}/submissions/sub-seongsu-cafe`);
    const back = await readCard(page);
    expect(back.jobId).toBe(jobId);
    expect(back.status).toBe('running');
    expect(back.progress).toBeGreaterThanOrEqual(left.progress);

    await markDocument(page);
    const after = await watchCard(page, (s) => s.status === 'completed' && s.reviews === 50);
    expect(isNonDecreasing(after)).toBe(true);
    expect(await documentIsMarked(page)).toBe(true);
    const done = after.at(-1)!;
    expect(done).toMatchObject({ progress: 100, completed: 50, failed: 0, reviews: 50 });
    expect((await api.listItems(jobId)).filter((item) => item.status === 'succeeded')).toHaveLength(50);

    // Back on the list, the submission counts its 50 generated reviews.
    await page.goto(`${server.url}/submissions`);
    await expect(page.locator('tr[data-submission-id="sub-seongsu-cafe"] [data-field="generated"]').textContent()).resolves.toBe('50');
    await page.close();
  });

  it('cancels a job mid-run: counts consistent, and nothing is added afterwards', async () => {
    const page = await openSubmission('sub-mangwon-bakery');
    const jobId = await clickGenerate(page);
    await watchCard(page, (s) => s.completed >= 5);
    await page.getByRole('button', { name: '취소', exact: true }).click();

    const cancelled = (await watchCard(page, (s) => s.status === 'cancelled')).at(-1)!;
    const finished = cancelled.completed + cancelled.failed;
    expect(finished).toBeGreaterThanOrEqual(5);
    expect(finished).toBeLessThan(50);
    expect(cancelled.listed).toBe(finished);

    await page.waitForTimeout(3_000);
    const later = await readCard(page);
    expect(later).toMatchObject({ status: 'cancelled', completed: cancelled.completed, failed: cancelled.failed, listed: finished });
    const items = await api.listItems(jobId);
    expect(items.filter((item) => item.status !== 'pending')).toHaveLength(finished);
    expect(await api.getJob(jobId)).toMatchObject({ status: 'cancelled', completedItems: cancelled.completed, failedItems: cancelled.failed });
    await page.close();
  });

  it('shows failed items when the model fails, and retry completes them', async () => {
    // "blocked" answers are not retryable: each one is a failed item at once.
    await api.setFaultRate(0.4);
    const page = await openSubmission('sub-yeonnam-pasta');
    const jobId = await clickGenerate(page);
    const failed = (await watchCard(page, (s) => s.status === 'failed')).at(-1)!;
    expect(failed.failed).toBeGreaterThan(0);
    expect(failed.completed + failed.failed).toBe(30);
    await expect(page.locator('[data-testid="current-job"] [role="alert"]').count()).resolves.toBe(1);

    await api.setFaultRate(0);
    await page.getByRole('button', { name: '재시도' }).click();
    const done = (await watchCard(page, (s) => s.status === 'completed' && s.reviews === 30)).at(-1)!;
    expect(done).toMatchObject({ jobId, completed: 30, failed: 0, progress: 100, reviews: 30 });
    expect(await api.getJob(jobId)).toMatchObject({ status: 'completed', retryCount: 1 });
    await page.close();
  });

  it('runs two jobs on two submissions at once', async () => {
    const [first, second] = await Promise.all([openSubmission('sub-jeju-guesthouse'), openSubmission('sub-busan-gukbap')]);
    const [firstId, secondId] = await Promise.all([clickGenerate(first), clickGenerate(second)]);
    expect(firstId).not.toBe(secondId);

    // At one moment both are running and both have made progress: they share the slots.
    await waitFor(
      () => Promise.all([api.getJob(firstId), api.getJob(secondId)]),
      (jobs) => jobs.every((job) => job.status === 'running' && job.completedItems > 0),
    );
    const [a, b] = await Promise.all([
      watchCard(first, (s) => s.status === 'completed' && s.reviews === 20),
      watchCard(second, (s) => s.status === 'completed' && s.reviews === 20),
    ]);
    expect(a.at(-1)).toMatchObject({ completed: 20, failed: 0 });
    expect(b.at(-1)).toMatchObject({ completed: 20, failed: 0 });
    await Promise.all([first.close(), second.close()]);
  });

  it('lists the jobs on /admin/background-jobs, with tabs that filter', async () => {
    // A failed job (every call blocked) and a running one, beside the earlier ones.
    await api.setFaultRate(1);
    const failedJob = await api.start({ submissionId: 'sub-hongdae-ramen', placeName: '홍대 라멘 스미레', script: '돈코츠 국물이 진하고 차슈가 두툼함', count: 10 });
    await waitFor(() => api.getJob(failedJob.id), (job) => job.status === 'failed');
    await api.setFaultRate(0);
    const cancelled = (await api.listJobs('cancelled')).jobs[0]!;
    const running = await api.start({ ...cancelled.payload, count: cancelled.totalItems - cancelled.completedItems });

    const page = await browser.context.newPage();
    await page.goto(`${server.url}/admin/background-jobs`);
    await expect(page.getByRole('heading', { name: '백그라운드 작업 관리' }).count()).resolves.toBe(1);
    const rows = page.locator('.rj-jobs-table__row');
    const tab = (name: string) => page.getByRole('tab', { name, exact: true });

    await tab('진행 중').click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    await expect(rows.first().getAttribute('data-job-id')).resolves.toBe(running.id);
    await expect(page.locator('.rj-jobs-table__countBadge[data-status="running"]').textContent()).resolves.toMatch(/진행 중: 1/);

    await tab('전체').click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(7);
    await page.screenshot({ path: `${screenshots}jobs-page.png`, fullPage: true });

    // Once nothing runs any more, each tab holds exactly the jobs of its statuses.
    await waitFor(() => api.getJob(running.id), (job) => job.status === 'completed');
    const { counts } = await api.listJobs();
    expect(counts).toMatchObject({ pending: 0, running: 0, completed: 5, failed: 1, cancelled: 1 });
    for (const [name, statuses, expected] of [
      ['진행 중', ['pending', 'running'], 0],
      ['완료', ['completed'], counts.completed],
      ['실패', ['failed'], counts.failed],
      ['전체', ['pending', 'running', 'completed', 'failed', 'cancelled'], 7],
    ] as const) {
      await tab(name).click();
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(expected);
      const shown = await rows.evaluateAll((elements) => elements.map((row) => row.getAttribute('data-status')));
      expect(shown.every((status) => (statuses as readonly string[]).includes(status ?? ''))).toBe(true);
    }
    await page.close();
  });
});
