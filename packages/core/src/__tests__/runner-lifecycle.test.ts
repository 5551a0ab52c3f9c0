import { describe, expect, it } from 'vitest';
import { JobNotFoundError, JobStateError, type JobItem } from '@review-jobs/core';
import { fakeGenerator, finished, indexOf, makeRunner, submission } from './runner-fixtures.js';

const slow = { latency: { medianMs: 100_000, sigma: 0.3 } }; // ~100 ms per call

describe('ReviewJobRunner: cancel, retry, close', () => {
  it('cancel aborts in-flight calls at once and records nothing after it', async () => {
    const generator = fakeGenerator(slow);
    const { runner, store } = makeRunner({ generator, concurrency: 4 });
    const { jobId } = await runner.start(submission({ count: 20 }));
    const recorded: JobItem[] = [];
    runner.on('item', ({ item }) => recorded.push(item));
    await new Promise<void>((resolve) => runner.once('item', () => resolve()));

    const requested = await runner.cancel(jobId);
    const atCancel = recorded.length;
    expect(requested?.cancelRequestedAt).not.toBeNull();
    const job = await finished(runner, jobId);

    expect(job.status).toBe('cancelled');
    expect(generator.stats.aborted).toBeGreaterThan(0);
    expect(recorded).toHaveLength(atCancel);
    expect(job.completedItems + job.failedItems).toBe(atCancel);
    const items = await store.listItems(jobId);
    expect(items.filter((item) => item.status !== 'pending')).toHaveLength(atCancel);
    await new Promise((resolve) => setTimeout(resolve, 150)); // late answers would land now
    expect((await store.getJob(jobId))!.completedItems).toBe(atCancel);
  });

  it('a cancel asked through the store (another process) reaches the runner by heartbeat', async () => {
    const generator = fakeGenerator(slow);
    const { runner, store } = makeRunner({ generator, concurrency: 2, lease: { durationMs: 500, heartbeatMs: 20 } });
    const { jobId } = await runner.start(submission({ count: 10 }));
    await new Promise<void>((resolve) => runner.once('item', () => resolve()));
    await store.requestCancel(jobId);
    const job = await finished(runner, jobId);
    expect(job.status).toBe('cancelled');
    expect(generator.stats.aborted).toBeGreaterThan(0);
  });

  it('cancel of a pending job (not running here) cancels it at once', async () => {
    const { runner } = makeRunner({ autoRun: false });
    const { jobId } = await runner.start(submission({ count: 3 }));
    const job = await runner.cancel(jobId);
    expect(job?.status).toBe('cancelled');
    expect((await finished(runner, jobId)).status).toBe('cancelled');
    expect(await runner.cancel('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('retry regenerates only failed items; succeeded texts stay as they were', async () => {
    const failing = new Set([2, 5, 9]);
    const generator = fakeGenerator({
      faultsFor: (_, request) => (failing.has(indexOf(request.prompt)) ? 'blocked' : undefined),
    });
    const { runner } = makeRunner({ generator });
    const { jobId } = await runner.start(submission({ count: 10 }));
    const first = await finished(runner, jobId);
    expect(first).toMatchObject({ status: 'failed', errorMessage: '3 of 10 items failed' });
    const before = await runner.listItems(jobId);

    failing.clear();
    generator.reset();
    const statuses: string[] = [];
    runner.on('status', (job) => statuses.push(job.status));
    const reset = await runner.retry(jobId);
    expect(reset).toMatchObject({ status: 'pending', retryCount: 1, failedItems: 0 });
    const second = await finished(runner, jobId);

    expect(second).toMatchObject({ status: 'completed', completedItems: 10, failedItems: 0, retryCount: 1 });
    expect(generator.stats.calls).toBe(3);
    expect(generator.requests.map((request) => indexOf(request.prompt)).sort((a, b) => a - b)).toEqual([2, 5, 9]);
    const after = await runner.listItems(jobId);
    for (const item of before.filter((candidate) => candidate.status === 'succeeded')) {
      expect(after[item.index - 1]!.text).toBe(item.text);
    }
    expect(after[1]).toMatchObject({ status: 'succeeded', attempts: 2 }); // 1 before + 1 now
    expect(statuses).toEqual(['pending', 'running', 'completed']);
  });

  it('retry passes JobStateError through and names unknown jobs', async () => {
    const { runner } = makeRunner();
    const { jobId } = await runner.start(submission({ count: 2 }));
    await finished(runner, jobId);
    await expect(runner.retry(jobId)).rejects.toBeInstanceOf(JobStateError); // nothing to retry
    await expect(runner.retry('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it('close() aborts in flight without cancelling, releases the lease, and another runner resumes at once', async () => {
    const generator = fakeGenerator(slow);
    const a = makeRunner({ generator, concurrency: 3 });
    const { jobId } = await a.runner.start(submission({ count: 9 }));
    await new Promise<void>((resolve) => a.runner.once('item', () => resolve()));
    await a.runner.close();
    await a.runner.close(); // idempotent

    const paused = (await a.store.getJob(jobId))!;
    expect(paused).toMatchObject({ status: 'running', leaseOwner: null, cancelRequestedAt: null });
    expect(generator.stats.aborted).toBeGreaterThan(0);
    expect(paused.completedItems).toBeLessThan(9);
    const logs = (await a.store.listLogs(jobId)).rows.map((log) => log.message);
    expect(logs[0]).toMatch(/^paused: /);

    const resumer = fakeGenerator();
    const b = makeRunner({ store: a.store, generator: resumer });
    const controller = new AbortController();
    const working = b.runner.work({ signal: controller.signal, pollIntervalMs: 10 });
    const job = await finished(b.runner, jobId);
    controller.abort();
    await working;
    expect(job).toMatchObject({ status: 'completed', completedItems: 9 });
    expect(resumer.stats.calls).toBe(9 - paused.completedItems);
  });

  it('waitForJob rejects on timeout, on abort and for an unknown job', async () => {
    const { runner } = makeRunner({ autoRun: false });
    const { jobId } = await runner.start(submission({ count: 1 }));
    await expect(runner.waitForJob(jobId, { timeoutMs: 30, pollIntervalMs: 5 })).rejects.toThrow(/Timed out after 30 ms/);
    const controller = new AbortController();
    const waiting = runner.waitForJob(jobId, { signal: controller.signal });
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    await expect(runner.waitForJob('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(JobNotFoundError);
  });
});
