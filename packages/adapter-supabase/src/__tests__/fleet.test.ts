import { SupabaseJobStore } from '@review-jobs/adapter-supabase';
import { ReviewJobRunner, type Job } from '@review-jobs/core';
import { FakeGenerator } from '@review-jobs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSupabaseTestEnv, type SupabaseTestEnv } from '../../test-support/supabase-test-env.js';
import { postgresAvailable } from '../../test-support/test-database.js';

const available = await postgresAvailable();
const WORKERS = 8;
const JOBS = 100;

const newJob = (i: number) => {
  const submissionId = `fleet-${i}-${globalThis.crypto.randomUUID()}`;
  return {
    type: 'reviews',
    submissionId,
    payload: { submissionId, placeName: 'Cafe', script: 'Quiet.', count: 2 },
    totalItems: 2,
    maxRetries: 3,
    createdBy: null,
  };
};

// Several worker processes sharing one Supabase project: each has its own client (its
// own connection to PostgREST) and its own owner id, as separate machines would.
describe.skipIf(!available)(`a fleet of ${WORKERS} workers on one Supabase store`, () => {
  let env: SupabaseTestEnv;
  beforeAll(async () => {
    env = await startSupabaseTestEnv({ poolSize: WORKERS });
  }, 30_000);
  afterAll(async () => {
    await env?.close();
  });

  it(`${WORKERS} workers claiming at once over ${JOBS} pending jobs: every job claimed exactly once`, async () => {
    const setup = new SupabaseJobStore(env.serviceClient());
    const created = new Set<string>();
    for (let i = 0; i < JOBS; i++) created.add((await setup.createJob(newJob(i))).job.id);

    const claimsOf = async (owner: string): Promise<Job[]> => {
      const store = new SupabaseJobStore(env.serviceClient());
      const claimed: Job[] = [];
      for (;;) {
        const job = await store.claimJob({ owner, leaseMs: 60_000 });
        if (!job) return claimed;
        claimed.push(job);
      }
    };
    const owners = Array.from({ length: WORKERS }, (_, i) => `worker-${i}`);
    const perWorker = await Promise.all(owners.map(claimsOf));

    const claimedIds = perWorker.flat().map((job) => job.id);
    expect(claimedIds).toHaveLength(JOBS);
    expect(new Set(claimedIds)).toEqual(created);
    // The work was shared, not taken by whoever came first.
    expect(perWorker.filter((claims) => claims.length > 0).length).toBeGreaterThan(1);
    // What each worker was told matches what the database holds.
    const { rows } = await env.sql.query<{ id: string; lease_owner: string; status: string }>(
      'select id, lease_owner, status from background_jobs',
    );
    const ownerOf = new Map(rows.map((row) => [row.id, row.lease_owner]));
    perWorker.forEach((claims, i) => {
      for (const job of claims) expect(ownerOf.get(job.id)).toBe(owners[i]);
    });
    expect(rows.every((row) => row.status === 'running')).toBe(true);
  });

  it(`${WORKERS} concurrent createJob calls for one submission make exactly one job`, async () => {
    const input = newJob(0);
    const results = await Promise.all(
      Array.from({ length: WORKERS }, () => new SupabaseJobStore(env.serviceClient()).createJob(input)),
    );

    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.job.id)).size).toBe(1);
    const { rows } = await env.sql.query<{ n: number; items: number }>(
      `select count(distinct j.id)::int as n, count(i.*)::int as items
         from background_jobs j join background_job_items i on i.job_id = j.id where j.submission_id = $1`,
      [input.submissionId],
    );
    expect(rows[0]).toEqual({ n: 1, items: 2 });
  });

  it('a job whose lease expired is taken over, and the old owner is fenced out', async () => {
    const old = new SupabaseJobStore(env.serviceClient());
    const next = new SupabaseJobStore(env.serviceClient());
    const { job } = await old.createJob({ ...newJob(0), totalItems: 3 });
    await old.claimJob({ owner: 'old', jobId: job.id, leaseMs: 150 });
    expect((await old.recordItem(job.id, 'old', result(1))).recorded).toBe(true);

    // Before expiry nobody else gets it.
    expect(await next.claimJob({ owner: 'next', jobId: job.id, leaseMs: 60_000 })).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const taken = await next.claimJob({ owner: 'next', jobId: job.id, leaseMs: 60_000 });
    expect(taken).toMatchObject({ status: 'running', leaseOwner: 'next', completedItems: 1 });

    // The zombie wakes up: every write it tries is refused, nothing changes.
    expect(await old.recordItem(job.id, 'old', result(2))).toEqual({ recorded: false, reason: 'not_owner' });
    expect(await old.heartbeat(job.id, 'old', 60_000)).toEqual({ held: false, cancelRequested: false });
    expect(await old.finishJob(job.id, 'old', { status: 'completed' })).toBeNull();
    await old.releaseJob(job.id, 'old');
    expect(await next.getJob(job.id)).toEqual(taken);

    // The new owner carries on from where the old one stopped.
    expect((await next.recordItem(job.id, 'next', result(2))).recorded).toBe(true);
    expect((await next.recordItem(job.id, 'next', result(3))).recorded).toBe(true);
    expect(await next.finishJob(job.id, 'next', { status: 'completed' })).toMatchObject({
      status: 'completed',
      completedItems: 3,
      progress: 100,
    });
  });

  it('4 ReviewJobRunners working the store drain every job: all completed, items and counters exact', async () => {
    const setup = new SupabaseJobStore(env.serviceClient());
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await setup.createJob({ ...newJob(i), totalItems: 10 })).job.id);

    const runners = Array.from(
      { length: 4 },
      (_, w) =>
        new ReviewJobRunner({
          store: new SupabaseJobStore(env.serviceClient()),
          generator: new FakeGenerator({ seed: w + 1, latency: { medianMs: 0, sigma: 0 } }),
          concurrency: 4,
        }),
    );
    const working = runners.map((runner) => runner.work({ pollIntervalMs: 20 }));
    try {
      await Promise.all(ids.map((id) => runners[0]!.waitForJob(id, { timeoutMs: 20_000, pollIntervalMs: 50 })));
    } finally {
      await Promise.all(runners.map((runner) => runner.close()));
      await Promise.all(working);
    }

    for (const id of ids) {
      const job = await setup.getJob(id);
      expect(job).toMatchObject({ status: 'completed', completedItems: 10, failedItems: 0, progress: 100 });
      const items = await setup.listItems(id);
      expect(items.map((item) => item.index)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(items.every((item) => item.status === 'succeeded' && item.text)).toBe(true);
    }
  }, 30_000);
});

function result(index: number) {
  return { index, status: 'succeeded' as const, text: `review ${index}`, error: null, attempts: 1, usage: null };
}
