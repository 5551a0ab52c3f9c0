import { SupabaseJobStore, SupabaseStoreError } from '@review-jobs/adapter-supabase';
import type { JobStore, NewJob } from '@review-jobs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSupabaseTestEnv, type SupabaseTestEnv } from '../../test-support/supabase-test-env.js';
import { postgresAvailable } from '../../test-support/test-database.js';

const available = await postgresAvailable();

const newJob = (createdBy: string, totalItems = 2): NewJob => {
  const submissionId = `rls-${globalThis.crypto.randomUUID()}`;
  return {
    type: 'reviews',
    submissionId,
    payload: { submissionId, placeName: 'Cafe', script: 'Quiet.', count: totalItems },
    totalItems,
    maxRetries: 3,
    createdBy,
  };
};

/** A job that ran and failed one item: something a user could retry. */
async function failedJob(service: JobStore, createdBy: string) {
  const { job } = await service.createJob(newJob(createdBy));
  await service.claimJob({ owner: 'worker', jobId: job.id, leaseMs: 60_000 });
  await service.recordItem(job.id, 'worker', { index: 1, status: 'failed', text: null, error: 'x', attempts: 4, usage: null });
  return (await service.finishJob(job.id, 'worker', { status: 'failed', errorMessage: 'item failed' }))!;
}

// Row level security through signed JWTs, as a browser or an admin app would call.
describe.skipIf(!available)('RLS: users see and change only their own jobs', () => {
  let env: SupabaseTestEnv;
  let service: SupabaseJobStore;
  const alice = globalThis.crypto.randomUUID();
  const bob = globalThis.crypto.randomUUID();
  let asAlice: SupabaseJobStore;

  beforeAll(async () => {
    env = await startSupabaseTestEnv();
    service = new SupabaseJobStore(env.serviceClient());
    asAlice = new SupabaseJobStore(await env.userClient(alice));
  }, 30_000);
  afterAll(async () => {
    await env?.close();
  });

  it("as Alice, Bob's jobs, items and logs are invisible", async () => {
    const own = (await service.createJob(newJob(alice))).job;
    const bobs = (await service.createJob(newJob(bob))).job;
    await service.appendLogs(bobs.id, [{ level: 'info', message: 'secret' }]);
    await service.appendLogs(own.id, [{ level: 'info', message: 'mine' }]);

    expect(await asAlice.getJob(bobs.id)).toBeNull();
    expect(await asAlice.listItems(bobs.id)).toEqual([]);
    expect((await asAlice.listLogs(bobs.id)).rows).toEqual([]);
    const listed = (await asAlice.listJobs({ limit: 200 })).rows;
    expect(listed.map((job) => job.id)).toContain(own.id);
    expect(listed.every((job) => job.createdBy === alice)).toBe(true);
    // Filtering by Bob does not get round RLS either.
    expect((await asAlice.listJobs({ createdBy: bob })).rows).toEqual([]);
    expect((await asAlice.countJobs({ createdBy: bob })).pending).toBe(0);

    expect(await asAlice.getJob(own.id)).toEqual(await service.getJob(own.id));
    expect(await asAlice.listItems(own.id)).toHaveLength(2);
    expect((await asAlice.listLogs(own.id)).rows.map((log) => log.message)).toEqual(['mine']);
  });

  it("as Alice, cancelling or retrying Bob's job is refused and changes nothing", async () => {
    const pending = (await service.createJob(newJob(bob))).job;
    const failed = await failedJob(service, bob);

    expect(await asAlice.requestCancel(pending.id)).toBeNull();
    expect(await asAlice.resetForRetry(failed.id)).toBeNull();

    expect(await service.getJob(pending.id)).toEqual(pending);
    expect(await service.getJob(failed.id)).toEqual(failed);
    expect((await service.listItems(failed.id))[0]!.status).toBe('failed');
  });

  it('as Alice, cancelling and retrying her own jobs works', async () => {
    const pending = (await service.createJob(newJob(alice))).job;
    expect(await asAlice.requestCancel(pending.id)).toMatchObject({ id: pending.id, status: 'cancelled' });

    const failed = await failedJob(service, alice);
    expect(await asAlice.resetForRetry(failed.id)).toMatchObject({ status: 'pending', retryCount: 1 });
    expect((await service.listItems(failed.id))[0]!.status).toBe('pending');
  });

  it("as Alice, the workers' writes are refused (permission denied)", async () => {
    const own = (await service.createJob(newJob(alice))).job;
    await expect(asAlice.claimJob({ owner: 'alice', jobId: own.id, leaseMs: 1000 })).rejects.toMatchObject({
      code: '42501',
    });
    await expect(asAlice.createJob(newJob(alice))).rejects.toBeInstanceOf(SupabaseStoreError);
    await expect(asAlice.appendLogs(own.id, [{ level: 'info', message: 'forged' }])).rejects.toMatchObject({
      code: '42501',
    });
    expect(await service.getJob(own.id)).toEqual(own);
  });

  it("an admin (app_metadata.role = 'admin') reads and cancels everyone's jobs", async () => {
    const asAdmin = new SupabaseJobStore(await env.userClient(globalThis.crypto.randomUUID(), { admin: true }));
    const bobs = (await service.createJob(newJob(bob))).job;

    expect(await asAdmin.getJob(bobs.id)).toEqual(bobs);
    expect((await asAdmin.listJobs({ createdBy: bob, limit: 200 })).rows.map((job) => job.id)).toContain(bobs.id);
    expect(await asAdmin.requestCancel(bobs.id)).toMatchObject({ status: 'cancelled' });
  });

  it('as anon, nothing at all: every read and write is refused', async () => {
    const asAnon = new SupabaseJobStore(env.anonClient());
    const job = (await service.createJob(newJob(alice))).job;

    for (const call of [
      () => asAnon.getJob(job.id),
      () => asAnon.listJobs(),
      () => asAnon.countJobs(),
      () => asAnon.listItems(job.id),
      () => asAnon.listLogs(job.id),
      () => asAnon.requestCancel(job.id),
      () => asAnon.resetForRetry(job.id),
      () => asAnon.claimJob({ owner: 'anon', leaseMs: 1000 }),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: 'SupabaseStoreError', code: '42501' });
    }
    expect(await service.getJob(job.id)).toEqual(job);
  });
});
