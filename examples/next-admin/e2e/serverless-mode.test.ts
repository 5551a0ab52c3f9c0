import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appApi } from './api';
import { launchBrowser, type Browser } from './browser';
import { clickGenerate, watchCard } from './job-card';
import { startNextServer, type NextServer } from './next-server';

// Serverless mode: the runner never runs a job by itself; the worker route runs it in
// slices of at most 4 s (~3 calls of ~1.2 s each per slot), and continues itself.
const ENV = {
  REVIEW_JOBS_MODE: 'serverless',
  REVIEW_JOBS_SLICE_MS: '4000',
  REVIEW_JOBS_TIME_SCALE: '0.1',
  REVIEW_JOBS_CONCURRENCY: '3',
  REVIEW_JOBS_WORKER_SECRET: 'e2e-worker-secret',
};

let server: NextServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startNextServer(ENV);
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('serverless mode: the worker route runs jobs in time slices', () => {
  it('says so on the page', async () => {
    await page.goto(`${server.url}/submissions`);
    await expect(page.locator('.demo-banner').getAttribute('data-mode')).resolves.toBe('serverless');
  });

  it('finishes a 20-review job over several slices of the worker route', async () => {
    await page.goto(`${server.url}/submissions/sub-jeju-guesthouse`);
    const jobId = await clickGenerate(page);
    const done = (await watchCard(page, (s) => s.status === 'completed' && s.reviews === 20)).at(-1)!;
    expect(done).toMatchObject({ completed: 20, failed: 0, progress: 100 });

    const slices = server.output().split('\n').filter((line) => line.includes(`worker slice: job ${jobId}`));
    expect(slices.length).toBeGreaterThanOrEqual(2);
    expect(slices.at(-1)).toContain('done=true');
    expect(slices.slice(0, -1).every((line) => line.includes('done=false'))).toBe(true);
  });

  it('refuses worker calls without the secret, and bad bodies with the field named', async () => {
    const job = (await appApi(server.url).listJobs()).jobs[0]!;
    const call = (headers: Record<string, string>, body: unknown) =>
      fetch(`${server.url}/api/workers/process-job`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect((await call({}, { jobId: job.id })).status).toBe(401);
    const bad = await call({ authorization: 'Bearer e2e-worker-secret' }, { jobId: 'nope' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^jobId:/);
    const finished = await call({ authorization: 'Bearer e2e-worker-secret' }, { jobId: job.id });
    await expect(finished.json()).resolves.toMatchObject({ done: true, status: 'completed' });
  });
});
