import { describe, expect, it } from 'vitest';
import { runJobStoreTests } from '@review-jobs/core/testing';
import { MemoryJobStore } from '@review-jobs/adapter-memory';

runJobStoreTests(() => new MemoryJobStore());

const newJob = (submissionId: string, totalItems = 2) => ({
  type: 'reviews',
  submissionId,
  payload: { submissionId, placeName: 'Cafe', script: 'Nice.', count: totalItems },
  totalItems,
  maxRetries: 1,
  createdBy: null,
});

describe('MemoryJobStore', () => {
  it('hands out copies: mutating a returned job, item or log changes nothing stored', async () => {
    const store = new MemoryJobStore();
    const { job } = await store.createJob(newJob('s1'));
    job.status = 'completed';
    job.payload.placeName = 'changed';
    job.usage.inputTokens = 99;
    const claimed = await store.claimJob({ owner: 'w', jobId: job.id, leaseMs: 1_000 });
    await store.recordItem(job.id, 'w', {
      index: 1,
      status: 'succeeded',
      text: 'ok',
      error: null,
      attempts: 1,
      usage: { inputTokens: 1, outputTokens: 1 },
    });
    (await store.getJob(job.id))!.completedItems = 7;
    (await store.listItems(job.id))[0]!.usage!.inputTokens = 50;
    const metadata = { nested: { n: 1 } };
    await store.appendLogs(job.id, [{ level: 'info', message: 'm', metadata }]);
    metadata.nested.n = 2;
    (await store.listLogs(job.id)).rows[0]!.metadata!['nested'] = null;

    const stored = await store.getJob(job.id);
    expect(claimed?.status).toBe('running');
    expect(stored).toMatchObject({ status: 'running', completedItems: 1, usage: { inputTokens: 1, outputTokens: 1 } });
    expect(stored?.payload.placeName).toBe('Cafe');
    expect((await store.listItems(job.id))[0]!.usage).toEqual({ inputTokens: 1, outputTokens: 1 });
    expect((await store.listLogs(job.id)).rows[0]!.metadata).toEqual({ nested: { n: 1 } });
  });

  it('uses the injected clock for timestamps and lease expiry', async () => {
    let now = Date.parse('2025-01-01T00:00:00.000Z');
    const store = new MemoryJobStore({ now: () => now });
    const { job } = await store.createJob(newJob('s2'));
    expect(job.createdAt).toBe('2025-01-01T00:00:00.000Z');

    const claimed = await store.claimJob({ owner: 'a', jobId: job.id, leaseMs: 1_000 });
    expect(claimed?.leaseExpiresAt).toBe('2025-01-01T00:00:01.000Z');
    now += 999;
    expect(await store.claimJob({ owner: 'b', jobId: job.id, leaseMs: 1_000 })).toBeNull();
    now += 1;
    expect((await store.claimJob({ owner: 'b', jobId: job.id, leaseMs: 1_000 }))?.leaseOwner).toBe('b');
  });

  it('uses the injected id generator', async () => {
    let n = 0;
    const store = new MemoryJobStore({ idGenerator: () => `job-${++n}` });
    expect((await store.createJob(newJob('s3'))).job.id).toBe('job-1');
    expect((await store.getJob('job-1'))?.submissionId).toBe('s3');
  });

  it('rejects bad input with an error naming the field', async () => {
    const store = new MemoryJobStore();
    await expect(store.createJob(newJob('s4', 0))).rejects.toThrow(/totalItems/);
    await expect(store.claimJob({ owner: 'w', leaseMs: 0 })).rejects.toThrow(/leaseMs/);
    await expect(store.claimJob({ owner: '', leaseMs: 10 })).rejects.toThrow(/owner/);
    await expect(store.listJobs({ limit: 0 })).rejects.toThrow(/limit/);
    await expect(store.listJobs({ cursor: 'garbage' })).rejects.toThrow(/cursor/);
    await expect(store.listLogs('x', { cursor: 'garbage' })).rejects.toThrow(/cursor/);
    // @ts-expect-error: an unknown status, as plain JavaScript could pass it
    await expect(store.listJobs({ status: 'done' })).rejects.toThrow(/status/);
  });

  it('caps a page at 200 jobs', async () => {
    const store = new MemoryJobStore();
    for (let i = 0; i < 205; i++) await store.createJob(newJob(`cap-${i}`, 1));
    const page = await store.listJobs({ limit: 1_000 });
    expect(page.rows).toHaveLength(200);
    expect((await store.listJobs({ cursor: page.nextCursor! })).rows).toHaveLength(5);
  });
});
