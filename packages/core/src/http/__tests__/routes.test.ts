import { afterEach, describe, expect, it } from 'vitest';
import type { Job, JobItem, JobLog } from '../../job.js';
import { createJobHandlers } from '../create-job-handlers.js';
import { createHarness, submission } from './harness.js';

let harness: ReturnType<typeof createHarness> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});
const setup = (options: Parameters<typeof createHarness>[0] = {}) => (harness = createHarness(options));
const json = async <T>(response: Response) => (await response.json()) as T;

describe('routes', () => {
  it('POST /jobs starts a job: 201 { job, created: true }', async () => {
    const h = setup({ autoRun: false });
    const response = await h.call('POST', '/jobs', { body: submission({ count: 2, submissionId: 'place-42' }) });
    expect(response.status).toBe(201);
    const { job, created } = await json<{ job: Job; created: boolean }>(response);
    expect(created).toBe(true);
    expect(job).toMatchObject({ submissionId: 'place-42', status: 'pending', totalItems: 2, createdBy: 'user-1' });
    expect(await h.store.getJob(job.id)).toMatchObject({ id: job.id });
  });

  it('POST /jobs for a submission with an active job: 409 job_active with its jobId, nothing new written', async () => {
    const h = setup({ autoRun: false });
    const body = submission();
    const first = await json<{ job: Job }>(await h.call('POST', '/jobs', { body }));
    const again = await h.call('POST', '/jobs', { body });
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({ error: { code: 'job_active', jobId: first.job.id } });
    expect(await h.jobCount()).toBe(1);
  });

  it('GET /jobs/:id, /items and /logs of a finished job', async () => {
    const h = setup();
    const job = await h.start({ count: 3 });
    await h.runner.waitForJob(job.id, { timeoutMs: 10_000 });

    const got = await json<{ job: Job }>(await h.call('GET', `/jobs/${job.id}`));
    expect(got.job).toMatchObject({ id: job.id, status: 'completed', completedItems: 3, progress: 100 });

    const { items } = await json<{ items: JobItem[] }>(await h.call('GET', `/jobs/${job.id}/items`));
    expect(items.map((i) => [i.index, i.status])).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
      [3, 'succeeded'],
    ]);

    const firstPage = await json<{ logs: JobLog[]; nextCursor: string | null }>(await h.call('GET', `/jobs/${job.id}/logs?limit=1`));
    expect(firstPage.logs).toHaveLength(1);
    expect(firstPage.nextCursor).not.toBeNull();
    const all = await json<{ logs: JobLog[] }>(await h.call('GET', `/jobs/${job.id}/logs`));
    expect(all.logs.length).toBeGreaterThan(1);
    expect(all.logs[0]).toEqual(firstPage.logs[0]); // newest first
    const next = await json<{ logs: JobLog[] }>(await h.call('GET', `/jobs/${job.id}/logs?limit=1&cursor=${firstPage.nextCursor}`));
    expect(next.logs[0]).toEqual(all.logs[1]);
  });

  it('GET /jobs lists newest first with a status filter, paging and counts', async () => {
    const h = setup({ autoRun: false });
    const tick = () => new Promise((r) => setTimeout(r, 3)); // distinct createdAt: same-ms jobs order by id
    const a = await h.start();
    await tick();
    const b = await h.start();
    await tick();
    const c = await h.start();
    await h.call('POST', `/jobs/${b.id}/cancel`);

    type List = { jobs: Job[]; nextCursor: string | null; counts: Record<string, number> };
    const all = await json<List>(await h.call('GET', '/jobs'));
    expect(all.jobs.map((j) => j.id)).toEqual([c.id, b.id, a.id]);
    expect(all.counts).toMatchObject({ pending: 2, cancelled: 1, running: 0, completed: 0, failed: 0 });
    expect(all.nextCursor).toBeNull();

    const pending = await json<List>(await h.call('GET', '/jobs?status=pending'));
    expect(pending.jobs.map((j) => j.id)).toEqual([c.id, a.id]);
    const both = await json<List>(await h.call('GET', '/jobs?status=cancelled,pending'));
    expect(both.jobs).toHaveLength(3);

    const page1 = await json<List>(await h.call('GET', '/jobs?limit=2'));
    expect(page1.jobs.map((j) => j.id)).toEqual([c.id, b.id]);
    const page2 = await json<List>(await h.call('GET', `/jobs?limit=2&cursor=${encodeURIComponent(page1.nextCursor!)}`));
    expect(page2.jobs.map((j) => j.id)).toEqual([a.id]);
    expect(page2.nextCursor).toBeNull();
  });

  it('POST /jobs/:id/cancel cancels a pending job', async () => {
    const h = setup({ autoRun: false });
    const job = await h.start();
    const response = await h.call('POST', `/jobs/${job.id}/cancel`);
    expect(response.status).toBe(200);
    expect((await json<{ job: Job }>(response)).job.status).toBe('cancelled');
    expect((await h.store.getJob(job.id))?.status).toBe('cancelled');
  });

  it('POST /jobs/:id/cancel stops a running job; accepts an empty JSON object as body', async () => {
    const h = setup({ generator: { timeScale: 0.05 } }); // ~600 ms per call: still running when cancelled
    const job = await h.start({ count: 8 });
    await new Promise((r) => setTimeout(r, 50));
    const response = await h.call('POST', `/jobs/${job.id}/cancel`, { body: {} });
    expect(response.status).toBe(200);
    const final = await h.runner.waitForJob(job.id, { timeoutMs: 5_000 });
    expect(final.status).toBe('cancelled');
    expect(final.completedItems).toBeLessThan(8);
  });

  it('POST /jobs/:id/retry: 200 for a failed job, then 409 nothing_to_retry once it completed', async () => {
    const h = setup({ generator: { faultsFor: (callNo) => (callNo <= 2 ? 'blocked' : undefined) } }); // the first 2 calls refused
    const job = await h.start({ count: 2 });
    expect(await h.runner.waitForJob(job.id, { timeoutMs: 10_000 })).toMatchObject({ status: 'failed', failedItems: 2 });

    const retried = await h.call('POST', `/jobs/${job.id}/retry`);
    expect(retried.status).toBe(200);
    expect((await json<{ job: Job }>(retried)).job).toMatchObject({ retryCount: 1, failedItems: 0 });
    expect(await h.runner.waitForJob(job.id, { timeoutMs: 10_000 })).toMatchObject({ status: 'completed', completedItems: 2 });

    const again = await h.call('POST', `/jobs/${job.id}/retry`);
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({ error: { code: 'nothing_to_retry', jobId: job.id } });
  });

  it('POST /jobs/:id/retry of a pending job: 409 not_terminal', async () => {
    const h = setup({ autoRun: false });
    const job = await h.start();
    const response = await h.call('POST', `/jobs/${job.id}/retry`);
    expect(response.status).toBe(409);
    expect(await json(response)).toMatchObject({ error: { code: 'not_terminal' } });
  });

  it('accepts a trailing slash and answers 404 outside basePath', async () => {
    const h = setup({ autoRun: false });
    expect((await h.call('GET', '/jobs/')).status).toBe(200);
    const outside = await h.handlers(new Request('http://test/api/other/jobs'));
    expect(outside.status).toBe(404);
  });

  it('an unexpected store failure is a 500 with a generic message, reported to onError', async () => {
    const errors: unknown[] = [];
    const h = setup({ autoRun: false, onError: (e) => errors.push(e) });
    h.store.listJobs = async () => {
      throw new Error('connection refused at 10.0.0.3:5432');
    };
    const response = await h.call('GET', '/jobs');
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('10.0.0.3');
    expect(errors).toHaveLength(1);
  });

  it('refuses bad options with a TypeError naming the option', () => {
    const { runner } = setup({ autoRun: false });
    const authorize = () => true;
    expect(() => createJobHandlers({ runner: {} as never, authorize })).toThrow(/runner/);
    expect(() => createJobHandlers({ runner, authorize, basePath: 'api' })).toThrow(/basePath/);
    expect(() => createJobHandlers({ runner, authorize, pollIntervalMs: 0 })).toThrow(/pollIntervalMs/);
    expect(() => createJobHandlers({ runner, authorize, maxBodyBytes: Number.NaN })).toThrow(/maxBodyBytes/);
  });

  it('is usable as Next.js route exports: { GET, POST }', async () => {
    const h = setup({ autoRun: false });
    const { GET, POST } = h.handlers;
    const started = await POST(new Request('http://test/api/review-jobs/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(submission()),
    }));
    expect(started.status).toBe(201);
    expect((await GET(new Request('http://test/api/review-jobs/jobs'))).status).toBe(200);
  });
});
