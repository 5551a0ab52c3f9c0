import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClient, signTestJwt, startSupabaseTestEnv, type SupabaseTestEnv } from '../../test-support/supabase-test-env.js';
import { postgresAvailable } from '../../test-support/test-database.js';

// The gateway is a test double of PostgREST: these pin the behaviour the store relies on.
const available = await postgresAvailable();

describe.skipIf(!available)('PostgREST test gateway', () => {
  let env: SupabaseTestEnv;
  beforeAll(async () => {
    env = await startSupabaseTestEnv();
  }, 30_000);
  afterAll(async () => {
    await env?.close();
  });

  it('runs an RPC with named arguments, defaults for the omitted ones, JSON built by PostgreSQL', async () => {
    const service = env.serviceClient();
    const { data, error, status } = await service.rpc('review_jobs_count_jobs', {});
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual({ pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 });
  });

  it('answers 204 for a void function', async () => {
    const { error, status } = await env
      .serviceClient()
      .rpc('review_jobs_release_job', { p_job_id: globalThis.crypto.randomUUID(), p_owner: 'nobody' });
    expect(error).toBeNull();
    expect(status).toBe(204);
  });

  it('maps SQLSTATEs to PostgREST statuses and error bodies', async () => {
    const service = env.serviceClient();
    const unknown = await service.rpc('no_such_function', {});
    expect(unknown.status).toBe(404);
    expect(unknown.error?.code).toBe('PGRST202');

    const invalid = await service.rpc('review_jobs_claim_job', { p_owner: '', p_lease_ms: 1000 });
    expect(invalid.status).toBe(400);
    expect(invalid.error).toMatchObject({ code: '22023', hint: null });
    expect(invalid.error?.message).toContain('p_owner');

    const badUuid = await service.from('background_jobs').select('*').eq('id', 'not-a-uuid');
    expect(badUuid.status).toBe(400);
    expect(badUuid.error?.code).toBe('22P02');
  });

  it('permission denied: 401 for anon, 403 for a signed-in user', async () => {
    const anon = await env.anonClient().rpc('review_jobs_claim_job', { p_owner: 'x', p_lease_ms: 1000 });
    expect(anon.status).toBe(401);
    expect(anon.error?.code).toBe('42501');

    const user = await (await env.userClient(globalThis.crypto.randomUUID())).rpc('review_jobs_claim_job', {
      p_owner: 'x',
      p_lease_ms: 1000,
    });
    expect(user.status).toBe(403);
    expect(user.error?.code).toBe('42501');
  });

  it('refuses a token that is not signed with the secret, or expired, with 401', async () => {
    const forged = await signTestJwt({ role: 'service_role' }, 'another-secret-of-at-least-32-characters!');
    const { status, error } = await makeClient(env.url, forged).rpc('review_jobs_count_jobs', {});
    expect(status).toBe(401);
    expect(error?.code).toBe('PGRST301');

    const expired = await signTestJwt({ role: 'service_role', exp: Math.floor(Date.now() / 1000) - 60 });
    const late = await makeClient(env.url, expired).rpc('review_jobs_count_jobs', {});
    expect(late.status).toBe(401);
    expect(late.error?.code).toBe('PGRST303');
  });

  it('reads a table with select, eq, order and limit', async () => {
    const service = env.serviceClient();
    const created = await service.rpc('review_jobs_create_job', {
      p_type: 'reviews',
      p_submission_id: 'gateway-read',
      p_payload: { count: 3 },
      p_total_items: 3,
    });
    const jobId = (created.data as { job: { id: string } }).job.id;

    const { data, error } = await service
      .from('background_job_items')
      .select('item_index,status')
      .eq('job_id', jobId)
      .order('item_index', { ascending: false })
      .limit(2);
    expect(error).toBeNull();
    expect(data).toEqual([
      { item_index: 3, status: 'pending' },
      { item_index: 2, status: 'pending' },
    ]);
  });

  it('runs each request in its own transaction: a failed call writes nothing', async () => {
    const service = env.serviceClient();
    const { error } = await service.rpc('review_jobs_create_job', {
      p_type: 'reviews',
      p_submission_id: 'gateway-rollback',
      p_payload: {},
      p_total_items: 0,
    });
    expect(error?.code).toBe('22023');
    const { rows } = await env.sql.query(`select count(*)::int as n from background_jobs where submission_id = 'gateway-rollback'`);
    expect(rows[0].n).toBe(0);
  });
});
