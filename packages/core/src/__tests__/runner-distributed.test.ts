import { MemoryJobStore } from '@review-jobs/adapter-memory';
import { describe, expect, it } from 'vitest';
import type { JobStore } from '@review-jobs/core';
import { fakeGenerator, finished, makeRunner, submission } from './runner-fixtures.js';

/** The store as a runner sees it; `die()` cuts that runner off like a crashed process (no release, no writes). */
function severable(store: JobStore): JobStore & { die(): void } {
  let dead = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'die') return () => (dead = true);
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (dead ? Promise.reject(new Error('process is dead')) : value.apply(target, args));
    },
  }) as JobStore & { die(): void };
}

describe('ReviewJobRunner: leases, takeover, time slices', () => {
  it('takeover: a runner dies mid-job, another resumes after lease expiry with exactly N items and no duplicate', async () => {
    const shared = new MemoryJobStore();
    const store = severable(shared);
    const first = fakeGenerator({ latency: { medianMs: 30_000, sigma: 0.3 } });
    const a = makeRunner({ store, generator: first, concurrency: 3, lease: { durationMs: 150, heartbeatMs: 50 } });
    const { jobId } = await a.runner.start(submission({ count: 12 }));
    await new Promise<void>((resolve) => a.runner.on('progress', (job) => job.completedItems >= 4 && resolve()));
    store.die();
    const atDeath = (await shared.getJob(jobId))!;
    expect(atDeath).toMatchObject({ status: 'running', leaseOwner: a.runner.owner });
    const doneBefore = (await shared.listItems(jobId)).filter((item) => item.status === 'succeeded');

    const second = fakeGenerator();
    const b = makeRunner({ store: shared, generator: second, lease: { durationMs: 150, heartbeatMs: 50 } });
    const controller = new AbortController();
    const working = b.runner.work({ signal: controller.signal, pollIntervalMs: 20 });
    const job = await finished(b.runner, jobId);
    controller.abort();
    await working;

    expect(job).toMatchObject({ status: 'completed', completedItems: 12, failedItems: 0, progress: 100 });
    const items = await shared.listItems(jobId);
    expect(items.map((item) => item.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(items.every((item) => item.status === 'succeeded')).toBe(true);
    expect(second.stats.calls).toBe(12 - doneBefore.length);
    for (const item of doneBefore) expect(items[item.index - 1]!.text).toBe(item.text);
    expect(a.errors.length).toBeGreaterThan(0); // the dead runner reported, never threw
  });

  it('a runner that lost its lease stops and writes nothing more', async () => {
    const store = new MemoryJobStore();
    const generator = fakeGenerator({ latency: { medianMs: 40_000, sigma: 0.2 } });
    const a = makeRunner({ store, generator, concurrency: 2, lease: { durationMs: 60, heartbeatMs: 20 } });
    const running = new Promise<void>((resolve) => a.runner.once('status', () => resolve()));
    const { jobId } = await a.runner.start(submission({ count: 6 }));
    await running;
    // Simulate a stall: another owner takes the lease over (as after an expiry).
    await store.releaseJob(jobId, a.runner.owner);
    const taken = await store.claimJob({ owner: 'intruder', leaseMs: 10_000, jobId });
    expect(taken?.leaseOwner).toBe('intruder');
    await new Promise((resolve) => setTimeout(resolve, 150));

    const job = (await store.getJob(jobId))!;
    expect(job).toMatchObject({ status: 'running', leaseOwner: 'intruder', completedItems: 0 });
    expect(generator.stats.aborted).toBeGreaterThan(0);
    expect(a.errors.some((error) => /Lost the lease/.test(error.message))).toBe(true);
  });

  it('runFor stops before the deadline leaving the job claimable, and a second runFor finishes it', async () => {
    const generator = fakeGenerator({ latency: { medianMs: 20_000, sigma: 0.3 } });
    const { runner, store } = makeRunner({ generator, concurrency: 2, autoRun: false });
    const { jobId } = await runner.start(submission({ count: 30 }));
    const deadline = Date.now() + 150;
    const slice = await runner.runFor(jobId, { deadline, marginMs: 30 });

    expect(slice.done).toBe(false);
    expect(Date.now()).toBeLessThanOrEqual(deadline);
    expect(slice.job).toMatchObject({ status: 'running', leaseOwner: null });
    const afterFirst = (await store.getJob(jobId))!;
    expect(afterFirst.completedItems).toBeGreaterThan(0);
    expect(afterFirst.completedItems).toBeLessThan(30);
    expect(afterFirst.leaseOwner).toBeNull();

    const next = await runner.runFor(jobId, { deadline: new Date(Date.now() + 10_000) });
    expect(next.done).toBe(true);
    expect(next.job).toMatchObject({ status: 'completed', completedItems: 30 });
    const items = await store.listItems(jobId);
    expect(items.every((item) => item.status === 'succeeded')).toBe(true);
    expect(generator.stats.succeeded - generator.stats.aborted).toBeLessThanOrEqual(30);
  });

  it('runFor finishes the job when the last item ends too close to the deadline to start another', async () => {
    // One 100 ms call in a 180 ms slice: once it is back, another would not fit, so the
    // slice is over while the item's write is still on its way. The job is complete all
    // the same and must not wait for another slice to say so.
    const generator = fakeGenerator({ latency: { medianMs: 100_000, sigma: 0 } });
    const { runner, store } = makeRunner({ generator, autoRun: false });
    const { jobId } = await runner.start(submission({ count: 1 }));
    const slice = await runner.runFor(jobId, { deadline: Date.now() + 180, marginMs: 0 });

    expect(slice.done).toBe(true);
    expect(slice.job).toMatchObject({ status: 'completed', completedItems: 1, progress: 100, leaseOwner: null });
    expect((await store.getJob(jobId))!.status).toBe('completed');
    expect(generator.stats.calls).toBe(1);
  });

  it('runFor finishes the job when its deadline falls while the last item is being recorded', async () => {
    // A 5 ms call, then a 200 ms write: the 100 ms deadline lands in the middle of it.
    class SlowRecordStore extends MemoryJobStore {
      override async recordItem(...args: Parameters<MemoryJobStore['recordItem']>) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return super.recordItem(...args);
      }
    }
    const generator = fakeGenerator({ latency: { medianMs: 5_000, sigma: 0 } });
    const { runner, store } = makeRunner({ store: new SlowRecordStore(), generator, autoRun: false });
    const { jobId } = await runner.start(submission({ count: 1 }));
    const slice = await runner.runFor(jobId, { deadline: Date.now() + 100, marginMs: 0 });

    expect(slice.done).toBe(true);
    expect(slice.job).toMatchObject({ status: 'completed', completedItems: 1, progress: 100 });
    expect((await store.getJob(jobId))!.status).toBe('completed');
  });

  it('runFor of a job leased by someone else returns it untouched', async () => {
    const { runner, store } = makeRunner({ autoRun: false });
    const { jobId } = await runner.start(submission({ count: 2 }));
    await store.claimJob({ owner: 'other', leaseMs: 10_000, jobId });
    const result = await runner.runFor(jobId, { deadline: Date.now() + 1000 });
    expect(result).toMatchObject({ done: false, job: { leaseOwner: 'other' } });
  });

  it('work() shares jobs between two runners through the store, each item generated once', async () => {
    const store = new MemoryJobStore();
    const producer = makeRunner({ store, autoRun: false }).runner;
    const ids = await Promise.all([1, 2, 3, 4].map(() => producer.start(submission({ count: 5 })).then((r) => r.jobId)));
    const g1 = fakeGenerator({ seed: 1 });
    const g2 = fakeGenerator({ seed: 2 });
    const w1 = makeRunner({ store, generator: g1, concurrency: 5 }).runner;
    const w2 = makeRunner({ store, generator: g2, concurrency: 5 }).runner;
    const working = [w1.work({ pollIntervalMs: 10 }), w2.work({ pollIntervalMs: 10 })];
    const jobs = await Promise.all(ids.map((id) => finished(producer, id)));
    await Promise.all([w1.close(), w2.close()]);
    await Promise.all(working);
    expect(jobs.every((job) => job.status === 'completed')).toBe(true);
    expect(g1.stats.calls + g2.stats.calls).toBe(20);
  });
});
