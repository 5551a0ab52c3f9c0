/**
 * Throughput and the limiter's accuracy of a fleet of worker PROCESSES sharing one
 * quota, per granularity and limiter setting. Needs Redis and PostgreSQL (as the tests).
 *
 *   npx tsx packages/adapter-bullmq/bench/fleet.ts        (from the repo root)
 *
 * Time-scaled: one "minute" of quota is WINDOW_MS. The fake Gemini server does not
 * enforce the quota here (so a setting that breaks it shows by how much instead of
 * turning into 429s and retries); it logs every call's arrival, which is what the peak
 * counts: the most calls that reached the provider in any window of WINDOW_MS.
 */
import { fleetRateLimit, type FixedWindowLimit } from '../src/index.js';
import { maxInAnyWindow, startFleet, type FleetSetup } from '../test-support/fleet.js';

const WINDOW_MS = 2_000;
const QUOTA = 60;
const WORKERS = 3;
const ITEMS = 50;

interface Scenario {
  name: string;
  jobs: number;
  setup: Pick<FleetSetup, 'worker' | 'perJob'>;
}

const perItem = (name: string, jobs: number, rateLimit: FixedWindowLimit | { requestsPerMinute: number; windowMs: number; slices?: number }): Scenario => ({
  name,
  jobs,
  setup: { worker: { concurrency: 10, rateLimit } },
});
const perJob = (name: string, jobs: number, perJobSetup: NonNullable<FleetSetup['perJob']>): Scenario => ({
  name,
  jobs,
  setup: { worker: {}, perJob: perJobSetup },
});

const scaled = { requestsPerMinute: QUOTA, windowMs: WINDOW_MS };
const scenarios: Scenario[] = [
  perItem(`per item, fleetRateLimit default (slices 29): ${JSON.stringify(fleetRateLimit(scaled))}`, 10, scaled),
  perItem(`per item, fleetRateLimit slices 9: ${JSON.stringify(fleetRateLimit({ ...scaled, slices: 9 }))}`, 10, { ...scaled, slices: 9 }),
  perItem(`per item, naive { max: ${QUOTA}, duration: ${WINDOW_MS} }`, 10, { max: QUOTA, duration: WINDOW_MS }),
  perJob(`per job, BullMQ limiter ${QUOTA}/window (counts jobs)`, 10, {
    jobs: 4,
    concurrency: 10,
    bullmqLimit: { max: QUOTA, duration: WINDOW_MS },
  }),
  perJob(`per job, static split ${QUOTA / WORKERS}/window per worker`, 10, {
    jobs: 4,
    concurrency: 10,
    runnerRateLimit: { requestsPerMinute: QUOTA / WORKERS, windowMs: WINDOW_MS },
  }),
  perItem('per item, fleetRateLimit default, ONE job', 1, scaled),
  perJob(`per job, static split ${QUOTA / WORKERS}/window per worker, ONE job`, 1, {
    jobs: 4,
    concurrency: 10,
    runnerRateLimit: { requestsPerMinute: QUOTA / WORKERS, windowMs: WINDOW_MS },
  }),
];

const rows: string[] = [];
for (const scenario of scenarios) {
  const fleet = await startFleet({
    workers: WORKERS,
    gemini: { latency: { medianMs: 2_500, sigma: 0.3 }, timeScale: WINDOW_MS / 60_000 },
    ...scenario.setup,
  });
  try {
    const started = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < scenario.jobs; i++) {
      const submissionId = `bench-${i}-${globalThis.crypto.randomUUID()}`;
      ids.push((await fleet.runner.start({ submissionId, placeName: '해밀 카페', script: '브런치가 맛있음', count: ITEMS })).jobId);
    }
    const jobs = await Promise.all(ids.map((id) => fleet.runner.waitForJob(id, { timeoutMs: 300_000, pollIntervalMs: 100 })));
    const seconds = (performance.now() - started) / 1000;
    const calls = fleet.gemini.calls;
    const peak = maxInAnyWindow(calls.map((call) => call.arrivedAt), WINDOW_MS);
    const workerPeak = Math.max(
      ...fleet.processes.map((_, i) => maxInAnyWindow(calls.filter((call) => call.apiKey === `w${i}`).map((call) => call.arrivedAt), WINDOW_MS)),
    );
    const items = jobs.reduce((sum, job) => sum + job.completedItems, 0);
    const perWindow = (calls.length / seconds) * (WINDOW_MS / 1000);
    const row = `| ${scenario.name} | ${scenario.jobs} x ${ITEMS} | ${items} | ${calls.length} | ${seconds.toFixed(1)} s | ${perWindow.toFixed(1)} (${((perWindow / QUOTA) * 100).toFixed(0)}%) | ${peak} (${peak <= QUOTA ? 'ok' : 'OVER'}) | ${workerPeak} |`;
    console.log(row);
    rows.push(row);
  } finally {
    await fleet.close();
  }
}

console.log(`\n${WORKERS} worker processes, quota ${QUOTA} per ${WINDOW_MS} ms window (a scaled minute)\n`);
console.log('| setting | jobs | items done | calls | makespan | calls per window (of quota) | peak in any window | peak of one worker |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
process.exit(0);
