/**
 * One worker process of bench/chaos.ts: a ReviewJobRunner on the Supabase store (through
 * the parent's PostgREST test gateway) with a time-scaled FakeGenerator. The parent
 * kills it with SIGKILL at a random moment, or stops it with SIGTERM.
 */
import { SupabaseJobStore } from '@review-jobs/adapter-supabase';
import { ReviewJobRunner } from '@review-jobs/core';
import { FakeGenerator } from '@review-jobs/core/testing';
import { makeClient } from '../test-support/supabase-test-env.js';

const { SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, WORKER_OWNER, WORKER_SEED } = process.env;
if (!SUPABASE_URL || !SUPABASE_SERVICE_ROLE_KEY || !WORKER_OWNER) {
  throw new Error('chaos-worker: SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY and WORKER_OWNER are required');
}

const runner = new ReviewJobRunner({
  store: new SupabaseJobStore(makeClient(SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY)),
  // A 2 s median call, scaled by 0.01: 20 ms.
  generator: new FakeGenerator({ seed: Number(WORKER_SEED ?? 1), latency: { medianMs: 2_000, sigma: 0.5 }, timeScale: 0.01 }),
  owner: WORKER_OWNER,
  concurrency: 8,
  // Short leases so a killed worker's jobs are taken over within the round.
  lease: { durationMs: 1_000, heartbeatMs: 250 },
  retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 100 },
});
runner.on('error', (error) => console.error(`${WORKER_OWNER}:`, error));

process.once('SIGTERM', () => void runner.close());
await runner.work({ pollIntervalMs: 50 });
await runner.close();
