import 'server-only';
import { ReviewJobRunner, type TextGenerator, type JobStore } from '@review-jobs/core';
import { createJobHandlers, type JobHandlers } from '@review-jobs/core/http';
import { MemoryJobStore } from '@review-jobs/adapter-memory';
import { SupabaseJobStore } from '@review-jobs/adapter-supabase';
import { GeminiGenerator } from '@review-jobs/adapter-gemini';
import { createClient } from '@supabase/supabase-js';
import { AdjustableFakeGenerator } from './adjustable-fake-generator';
import { JOBS_API_BASE_PATH } from './jobs-api-path';
import { readReviewJobsConfig, type ReviewJobsConfig } from './review-jobs-config';

export interface ReviewJobs {
  config: ReviewJobsConfig;
  runner: ReviewJobRunner;
  handlers: JobHandlers;
  /** Present in demo mode (simulated model) only. */
  fakeGenerator: AdjustableFakeGenerator | undefined;
}

// One runner per server process. It lives on globalThis because Next may evaluate this
// module more than once (every HMR update in dev, and once per route bundle): two
// runners would each hold their own in-memory store and scheduler.
const KEY = Symbol.for('@review-jobs/example-next-admin');
type WithReviewJobs = typeof globalThis & { [KEY]?: ReviewJobs };

export function getReviewJobs(): ReviewJobs {
  const host = globalThis as WithReviewJobs;
  return (host[KEY] ??= createReviewJobs(readReviewJobsConfig(process.env)));
}

function createReviewJobs(config: ReviewJobsConfig): ReviewJobs {
  const generator = createGenerator(config.model);
  const fakeGenerator = generator instanceof AdjustableFakeGenerator ? generator : undefined;

  const runner = new ReviewJobRunner({
    store: createStore(config),
    generator,
    concurrency: config.concurrency,
    rateLimit: {
      requestsPerMinute: config.requestsPerMinute,
      tokensPerMinute: config.tokensPerMinute,
      // A simulated model runs on a compressed clock: so must its "minute".
      windowMs: config.model.kind === 'fake' ? 60_000 * config.model.timeScale : 60_000,
    },
    // Serverless hosts cannot keep work running after the response: the worker route
    // (app/api/workers/process-job) runs the jobs in time slices instead.
    autoRun: config.mode === 'in-process',
  });
  // Background failures (store, heartbeat) arrive here; never as unhandled rejections.
  runner.on('error', (error) => console.error('[review-jobs]', error));

  const handlers = createJobHandlers({
    runner,
    basePath: JOBS_API_BASE_PATH,
    // The example has one demo admin and no login. A real app reads its session here
    // (cookies, a JWT) and answers { allow: true, userId, admin } or false.
    authorize: () => ({ allow: true, userId: 'demo-admin', admin: true }),
  });

  return { config, runner, handlers, fakeGenerator };
}

function createStore(config: ReviewJobsConfig): JobStore {
  if (config.store.kind === 'memory') return new MemoryJobStore();
  // The service-role key bypasses RLS: server only, never sent to the browser.
  const client = createClient(config.store.url, config.store.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  return new SupabaseJobStore(client);
}

function createGenerator(model: ReviewJobsConfig['model']): TextGenerator {
  if (model.kind === 'gemini') return new GeminiGenerator({ apiKey: model.apiKey, model: model.model });
  // The plan's figure: a call takes ~12 s; the time scale compresses it for the demo.
  return new AdjustableFakeGenerator({ latency: { medianMs: 12_000, sigma: 0.5 }, timeScale: model.timeScale });
}
