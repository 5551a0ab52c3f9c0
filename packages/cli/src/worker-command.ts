import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import { ReviewJobRunner } from '@review-jobs/core';
import { SupabaseJobStore } from '@review-jobs/adapter-supabase';
import { UsageError, type WorkerArgs } from './cli-args.js';
import { generatorFromEnv } from './generator-from-env.js';
import type { CliIo } from './cli-io.js';

/**
 * `review-jobs worker`: claims jobs from the Supabase store and runs them until
 * stopped. Run as many as you like on as many machines: leases share the work.
 */
export async function runWorker(args: WorkerArgs, io: CliIo): Promise<number> {
  const url = io.env.SUPABASE_URL;
  const serviceKey = io.env.SUPABASE_SERVICE_ROLE_KEY;
  if (!url) throw new UsageError('SUPABASE_URL is required for the worker');
  if (!serviceKey) throw new UsageError('SUPABASE_SERVICE_ROLE_KEY is required for the worker');

  const { generator, description } = generatorFromEnv(io.env, undefined, { timeScale: args.timeScale, faultRate: 0, seed: Date.now() % 1_000_000 });
  io.stdout.write(`${description}\n`);
  const client = createClient(url, serviceKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    // supabase-js builds its realtime client eagerly and needs a WebSocket on Node 20.
    // (ws accepts more than realtime-js declares, hence the cast.)
    realtime: { transport: ws as never },
  });
  const runner = new ReviewJobRunner({
    store: new SupabaseJobStore(client),
    generator,
    concurrency: args.concurrency,
    rateLimit: { requestsPerMinute: args.rpm, tokensPerMinute: args.tpm },
  });
  runner.on('status', (job) => io.stdout.write(`job ${job.id} ${job.status} (${job.completedItems + job.failedItems}/${job.totalItems})\n`));
  runner.on('error', (error) => io.stderr.write(`worker error: ${error.message}\n`));

  const stop = () => {
    io.stdout.write('Stopping: leases are released so another worker resumes at once\n');
    void runner.close();
  };
  io.onInterrupt(stop);
  io.stdout.write(`Worker ${runner.owner} waiting for jobs (concurrency ${args.concurrency})\n`);
  try {
    await runner.work();
    return 0;
  } finally {
    io.offInterrupt(stop);
    await runner.close();
  }
}
