/**
 * A review-jobs worker: claims jobs from the Supabase store, generates with Gemini,
 * writes every item back under its lease. Run as many as you like, on as many machines:
 * the store's leases share the work and take over the jobs of a worker that died.
 *
 *   SUPABASE_URL=... SUPABASE_SERVICE_ROLE_KEY=... GEMINI_API_KEY=... npm start
 */
import { GeminiGenerator } from '@review-jobs/adapter-gemini';
import { SupabaseJobStore } from '@review-jobs/adapter-supabase';
import { ReviewJobRunner } from '@review-jobs/core';
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const supabase = createClient(env('SUPABASE_URL'), env('SUPABASE_SERVICE_ROLE_KEY'), {
  auth: { persistSession: false, autoRefreshToken: false },
  // supabase-js builds a realtime client eagerly and, on Node 20 (no global WebSocket),
  // throws without a transport. The worker never subscribes; on Node 22+ drop this line.
  // (ws accepts more than realtime-js declares, hence the cast.)
  realtime: { transport: ws as never },
});

const runner = new ReviewJobRunner({
  store: new SupabaseJobStore(supabase),
  generator: new GeminiGenerator({ apiKey: env('GEMINI_API_KEY') }),
  concurrency: Number(process.env.CONCURRENCY ?? 10),
  rateLimit: { requestsPerMinute: Number(process.env.REQUESTS_PER_MINUTE ?? 1000) },
});

// SIGTERM (deploys, scale-down) and Ctrl-C: stop claiming, abort in-flight calls (their
// items stay pending), hand the leases back so another worker resumes at once. work()
// resolves when close() is called.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`worker: ${signal}, shutting down`);
    void runner.close();
  });
}

console.log(`worker ${runner.owner}: waiting for jobs`);
await runner.work();
await runner.close();
console.log('worker: stopped');
