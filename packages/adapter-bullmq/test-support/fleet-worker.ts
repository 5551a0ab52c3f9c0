/**
 * One worker PROCESS of the fleet tests and the bench: a SupabaseJobStore on the shared
 * test gateway, a GeminiGenerator on the shared fake Gemini server (its API key names
 * the worker, so the server's call log says who called), and startBullMQWorker.
 * Configured by the JSON in REVIEW_JOBS_FLEET_WORKER; prints "ready" once it takes items.
 */
import { GeminiGenerator } from '@review-jobs/adapter-gemini';
import { SupabaseJobStore } from '@review-jobs/adapter-supabase';
import { startBullMQWorker, type BullMQWorkerOptions } from '../src/index.js';
import { makeClient } from '../../adapter-supabase/test-support/supabase-test-env.js';
import { startPerJobWorker, type PerJobWorkerOptions } from '../bench/per-job-baseline.js';

export interface FleetWorkerConfig {
  name: string;
  supabaseUrl: string;
  serviceRoleKey: string;
  geminiUrl: string;
  /** One BullMQ job per item (this package), or per review job (the bench's baseline). */
  worker: Omit<BullMQWorkerOptions, 'store' | 'generator' | 'onError'>;
  perJob?: Omit<PerJobWorkerOptions, 'store' | 'generator'> | undefined;
}

const config = JSON.parse(process.env.REVIEW_JOBS_FLEET_WORKER ?? '') as FleetWorkerConfig;
const store = new SupabaseJobStore(makeClient(config.supabaseUrl, config.serviceRoleKey));
const generator = new GeminiGenerator({ apiKey: config.name, baseUrl: config.geminiUrl });
const handle = config.perJob
  ? await startPerJobWorker({ ...config.perJob, store, generator })
  : await startBullMQWorker({
      ...config.worker,
      store,
      generator,
      onError: (error) => console.error(`[${config.name}]`, error.message, error.cause ?? ''),
    });
process.on('SIGTERM', () => {
  void handle.close().then(() => process.exit(0));
});
console.log('ready');
