import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupabaseJobStore } from '@review-jobs/adapter-supabase';
// The PostgREST test double and a fresh database, from the Supabase adapter's test support.
import { startSupabaseTestEnv, type SupabaseTestEnv } from '../../../adapter-supabase/test-support/supabase-test-env.js';
import { postgresAvailable } from '../../../adapter-supabase/test-support/test-database.js';

const available = await postgresAvailable();

describe.skipIf(!available)('review-jobs worker (Supabase store through the PostgREST test gateway)', () => {
  let env: SupabaseTestEnv;
  beforeAll(async () => {
    env = await startSupabaseTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('claims jobs from the store, completes them, and stops cleanly on SIGTERM', async () => {
    const store = new SupabaseJobStore(env.serviceClient());
    const created = await Promise.all(
      [1, 2].map((n) =>
        store.createJob({
          type: 'ai_review_generation',
          submissionId: `worker-cli-${n}-${Date.now()}`,
          payload: { submissionId: `worker-cli-${n}`, placeName: '망원동 베이커리 밀도', script: '소금빵이 유명함', count: 8 },
          totalItems: 8,
          maxRetries: 3,
          createdBy: null,
        }),
      ),
    );

    const bin = fileURLToPath(new URL('../bin.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', bin, 'worker', '--concurrency', '4', '--time-scale', '0.002'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, SUPABASE_URL: env.url, SUPABASE_SERVICE_ROLE_KEY: env.serviceRoleKey, GEMINI_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

    const deadline = Date.now() + 30_000;
    let jobs = await Promise.all(created.map(({ job }) => store.getJob(job.id)));
    while (jobs.some((job) => job?.status !== 'completed') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      jobs = await Promise.all(created.map(({ job }) => store.getJob(job.id)));
    }
    child.kill('SIGTERM');

    expect(await exited).toBe(0);
    expect(stdout).toMatch(/^Model: simulated/);
    expect(jobs.map((job) => [job?.status, job?.completedItems, job?.failedItems])).toEqual([
      ['completed', 8, 0],
      ['completed', 8, 0],
    ]);
    expect(stdout).toMatch(/Stopping: leases are released/);
    const { rows } = await env.sql.query('select count(*)::int as n from background_job_items where status = $1', ['succeeded']);
    expect(rows[0].n).toBe(16);
  }, 60_000);
});
