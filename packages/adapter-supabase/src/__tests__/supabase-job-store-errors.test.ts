import { SupabaseJobStore, SupabaseStoreError } from '@review-jobs/adapter-supabase';
import { JobStateError } from '@review-jobs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClient, startSupabaseTestEnv, type SupabaseTestEnv } from '../../test-support/supabase-test-env.js';
import { postgresAvailable } from '../../test-support/test-database.js';

const available = await postgresAvailable();

describe('SupabaseJobStore input checks (no database needed)', () => {
  const store = new SupabaseJobStore(makeClient('http://127.0.0.1:9', 'unused-key'));

  it('rejects something that is not a Supabase client, naming the argument', () => {
    expect(() => new SupabaseJobStore({} as never)).toThrow(/^client: /);
  });

  it('names the field of bad input before any request', async () => {
    const job = { type: 'reviews', submissionId: 's', payload: {} as never, totalItems: 0, maxRetries: 3, createdBy: null };
    await expect(store.createJob(job)).rejects.toThrow(/^input\.totalItems: /);
    await expect(store.claimJob({ owner: '', leaseMs: 1000 })).rejects.toThrow(/^owner: /);
    await expect(store.claimJob({ owner: 'w', leaseMs: 0 })).rejects.toThrow(/^leaseMs: /);
    await expect(store.listJobs({ limit: 201 })).rejects.toThrow(/^limit: /);
    await expect(store.listJobs({ status: 'done' as never })).rejects.toThrow(/^status: /);
    await expect(store.listJobs({ cursor: 'garbage' })).rejects.toThrow(/^cursor: /);
    await expect(
      store.appendLogs(globalThis.crypto.randomUUID(), [{ level: 'debug' as never, message: 'x' }]),
    ).rejects.toThrow(/^entries\[0\]\.level: /);
  });
});

describe.skipIf(!available)('SupabaseJobStore error mapping', () => {
  let env: SupabaseTestEnv;
  beforeAll(async () => {
    env = await startSupabaseTestEnv();
  }, 30_000);
  afterAll(async () => {
    await env?.close();
  });

  it('maps the P0001 refusal of a reset to JobStateError with its code', async () => {
    const store = new SupabaseJobStore(env.serviceClient());
    const { job } = await store.createJob({
      type: 'reviews',
      submissionId: 'errors-running',
      payload: { submissionId: 'errors-running', placeName: 'p', script: 's', count: 1 },
      totalItems: 1,
      maxRetries: 3,
      createdBy: null,
    });
    await store.claimJob({ owner: 'w', jobId: job.id, leaseMs: 60_000 });

    const error = await store.resetForRetry(job.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobStateError);
    expect(error).toMatchObject({ code: 'not_terminal' });
    expect((error as Error).message).toContain(job.id);
  });

  it('reports a refused write as SupabaseStoreError with the SQLSTATE and what to do', async () => {
    const asUser = new SupabaseJobStore(await env.userClient(globalThis.crypto.randomUUID()));
    const error = await asUser.claimJob({ owner: 'w', leaseMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupabaseStoreError);
    expect(error).toMatchObject({ code: '42501' });
    expect((error as Error).message).toMatch(/^SupabaseJobStore\.claimJob: .*service_role/);
  });

  it('reports an unreachable server as SupabaseStoreError', async () => {
    const store = new SupabaseJobStore(makeClient('http://127.0.0.1:9', env.serviceRoleKey));
    await expect(store.countJobs()).rejects.toThrow(/^SupabaseJobStore\.countJobs: /);
  });
});
