import { SupabaseJobStore } from '@review-jobs/adapter-supabase';
import { runJobStoreTests } from '@review-jobs/core/testing';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe } from 'vitest';
import { startSupabaseTestEnv, type SupabaseTestEnv } from '../../test-support/supabase-test-env.js';
import { postgresAvailable } from '../../test-support/test-database.js';

const available = await postgresAvailable();

// The real path: supabase-js -> PostgREST wire protocol (the test gateway) -> the
// migration's RPC functions on PostgreSQL, as the service role.
describe.skipIf(!available)('SupabaseJobStore (PostgreSQL through the PostgREST gateway)', () => {
  let env: SupabaseTestEnv;
  let client: SupabaseClient;
  beforeAll(async () => {
    env = await startSupabaseTestEnv();
    client = env.serviceClient();
  }, 30_000);
  afterAll(async () => {
    await env?.close();
  });

  runJobStoreTests(() => new SupabaseJobStore(client));
});
