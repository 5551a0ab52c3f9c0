/**
 * Throughput: items recorded per second through the Supabase store (supabase-js ->
 * PostgREST test gateway -> PostgreSQL) with 4 workers and a zero-latency generator, beside
 * the MemoryJobStore measured in the same run. What is left is the cost of the store.
 *
 *   cd packages/adapter-supabase && npx tsx bench/throughput.ts [jobs=40] [items=50]
 *
 * The 4 workers are 4 ReviewJobRunners in this process, each with its own store client;
 * the gateway runs in this process too (one Node event loop for all of it).
 */
import { MemoryJobStore } from '@review-jobs/adapter-memory';
import { SupabaseJobStore } from '@review-jobs/adapter-supabase';
import { ReviewJobRunner, type JobStore } from '@review-jobs/core';
import { FakeGenerator } from '@review-jobs/core/testing';
import { startSupabaseTestEnv } from '../test-support/supabase-test-env.js';

const JOBS = Number(process.argv[2] ?? 40);
const ITEMS = Number(process.argv[3] ?? 50);
const WORKERS = 4;
const CONCURRENCY = 8;

interface Result {
  store: string;
  seconds: number;
  itemsPerSecond: number;
}

/** Enqueue JOBS jobs, then let WORKERS runners drain them; time the draining only. */
async function measure(name: string, makeStore: () => JobStore): Promise<Result> {
  const setup = makeStore();
  for (let j = 0; j < JOBS; j++) {
    const submissionId = `throughput-${name}-${j}`;
    await setup.createJob({
      type: 'ai_review_generation',
      submissionId,
      payload: { submissionId, placeName: '성수동 카페 온도', script: '핸드드립 커피가 맛있고 조용함', count: ITEMS },
      totalItems: ITEMS,
      maxRetries: 3,
      createdBy: null,
    });
  }

  const runners = Array.from(
    { length: WORKERS },
    (_, w) =>
      new ReviewJobRunner({
        store: makeStore(),
        generator: new FakeGenerator({ seed: w + 1, latency: { medianMs: 0, sigma: 0 } }),
        concurrency: CONCURRENCY,
      }),
  );
  const started = performance.now();
  const working = runners.map((runner) => runner.work({ pollIntervalMs: 10 }));
  for (;;) {
    const counts = await setup.countJobs();
    if (counts.completed + counts.failed + counts.cancelled >= JOBS) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(runners.map((runner) => runner.close()));
  await Promise.all(working);

  const counts = await setup.countJobs();
  if (counts.completed !== JOBS) throw new Error(`${name}: ${counts.completed}/${JOBS} jobs completed`);
  return { store: name, seconds, itemsPerSecond: (JOBS * ITEMS) / seconds };
}

async function main(): Promise<void> {
  console.log(`throughput: ${WORKERS} workers x concurrency ${CONCURRENCY}, ${JOBS} jobs x ${ITEMS} items, zero-latency FakeGenerator`);
  const memoryStore = new MemoryJobStore();
  const memory = await measure('memory', () => memoryStore);

  const env = await startSupabaseTestEnv({ poolSize: WORKERS * 2 });
  let supabase: Result;
  try {
    supabase = await measure('supabase', () => new SupabaseJobStore(env.serviceClient()));
  } finally {
    await env.close();
  }

  const rows = [memory, supabase].map((r) => ({
    store: r.store,
    items: JOBS * ITEMS,
    seconds: r.seconds.toFixed(2),
    'items/s': Math.round(r.itemsPerSecond),
    'vs memory': `${(r.itemsPerSecond / memory.itemsPerSecond).toFixed(3)}x`,
  }));
  console.table(rows);
}

await main();
