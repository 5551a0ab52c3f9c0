/**
 * A fleet on this machine, for the tests and the bench: the "web" process (this one: a
 * ReviewJobRunner with the BullMQ dispatcher), N worker PROCESSES (fleet-worker.ts),
 * one Supabase store (PostgreSQL behind the PostgREST test gateway) and one fake Gemini
 * server that every worker calls, which logs each call's arrival.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GeminiGenerator } from '@review-jobs/adapter-gemini';
import { startFakeGemini, type FakeGemini, type FakeGeminiOptions } from '@review-jobs/adapter-gemini/testing';
import { SupabaseJobStore } from '@review-jobs/adapter-supabase';
import { ReviewJobRunner, type JobDispatcher } from '@review-jobs/core';
import { startSupabaseTestEnv, type SupabaseTestEnv } from '../../adapter-supabase/test-support/supabase-test-env.js';
import { BullMQDispatcher } from '../src/index.js';
import { PerJobDispatcher } from '../bench/per-job-baseline.js';
import type { FleetWorkerConfig } from './fleet-worker.js';
import { deletePrefix, TEST_REDIS, uniquePrefix } from './test-redis.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const workerScript = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));

export interface FleetSetup {
  workers: number;
  gemini: FakeGeminiOptions;
  /** startBullMQWorker options of every worker (connection, prefix and queue are filled in). */
  worker: Partial<FleetWorkerConfig['worker']>;
  /** The bench's baseline instead: one BullMQ job per review job (connection and prefix filled in). */
  perJob?: Omit<NonNullable<FleetWorkerConfig['perJob']>, 'connection' | 'prefix'> | undefined;
}

export interface Fleet {
  env: SupabaseTestEnv;
  gemini: FakeGemini;
  store: SupabaseJobStore;
  /** The web side: start/cancel/retry go through the dispatcher. */
  runner: ReviewJobRunner;
  dispatcher: JobDispatcher;
  /** The item queue (empty in the per-job baseline). */
  queue: BullMQDispatcher['queue'];
  prefix: string;
  processes: ChildProcess[];
  /** What the workers wrote to stderr, for a failing test's message. */
  stderr(): string;
  close(): Promise<void>;
}

export async function startFleet(setup: FleetSetup): Promise<Fleet> {
  const prefix = uniquePrefix();
  const queueName = 'reviews';
  const env = await startSupabaseTestEnv({ poolSize: 4 * setup.workers + 2 });
  const gemini = await startFakeGemini(setup.gemini);
  const store = new SupabaseJobStore(env.serviceClient());
  const itemDispatcher = new BullMQDispatcher({ connection: TEST_REDIS, prefix, queueName, store });
  const dispatcher = setup.perJob ? new PerJobDispatcher(TEST_REDIS, prefix) : itemDispatcher;
  const runner = new ReviewJobRunner({
    store,
    // Required by the runner, never called here: the dispatcher hands every job to the fleet.
    generator: new GeminiGenerator({ apiKey: 'web', baseUrl: gemini.url }),
    dispatcher,
  });
  let stderr = '';
  const processes = await Promise.all(
    Array.from({ length: setup.workers }, (_, i) => {
      const config: FleetWorkerConfig = {
        name: `w${i}`,
        supabaseUrl: env.url,
        serviceRoleKey: env.serviceRoleKey,
        geminiUrl: gemini.url,
        worker: { connection: TEST_REDIS, prefix, queueName, ...setup.worker },
        perJob: setup.perJob && { connection: TEST_REDIS, prefix, ...setup.perJob },
      };
      return spawnWorker(config, (chunk) => (stderr += chunk));
    }),
  );
  return {
    env,
    gemini,
    store,
    runner,
    dispatcher,
    queue: itemDispatcher.queue,
    prefix,
    processes,
    stderr: () => stderr,
    async close() {
      for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await runner.close();
      await itemDispatcher.close();
      await Promise.allSettled([gemini.close(), env.close(), deletePrefix(prefix)]);
    },
  };
}

function spawnWorker(config: FleetWorkerConfig, onStderr: (chunk: string) => void): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    cwd: repoRoot,
    env: { ...process.env, REVIEW_JOBS_FLEET_WORKER: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.setEncoding('utf8').on('data', onStderr);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${config.name} not ready after 60 s`)), 60_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${config.name} exited (${code}) before it was ready`));
    });
  });
}

/** The most calls that arrived in any window of `windowMs` (arrival times in ms, any order). */
export function maxInAnyWindow(arrivals: readonly number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while (sorted[to]! - sorted[from]! >= windowMs) from++;
    best = Math.max(best, to - from + 1);
  }
  return best;
}
