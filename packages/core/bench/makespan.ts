/**
 * Makespan of 50 reviews on a simulated LLM: lognormal latency (median 12 s, sigma
 * 0.5), time-scaled so a run takes seconds. Prints simulated seconds (wall time /
 * timeScale) per strategy, and ratios against the plan's sequential loop and its
 * batches of 5, all measured in this run.
 *
 *   npx tsx packages/core/bench/makespan.ts        (or: npm run bench -w @review-jobs/core)
 */
import { MemoryJobStore } from '@review-jobs/adapter-memory';
import { ReviewJobRunner, type GenerateRequest } from '@review-jobs/core';
import { FakeGenerator } from '@review-jobs/core/testing';

const TIME_SCALE = 0.005; // a 12 s call takes 60 ms
const COUNT = 50;
const SEEDS = [1, 2, 3];
const WINDOW_MS = 60_000 * TIME_SCALE;

const request: GenerateRequest = { prompt: '당신은 성수동 카페 온도을(를) 방문한 고객입니다.' };
/** A fresh signal per call, as the runner gives (one shared signal would collect a listener per call). */
const never = () => new AbortController().signal;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fake = (seed: number, requestsPerMinute?: number) =>
  new FakeGenerator({ seed, timeScale: TIME_SCALE, requestsPerMinute, windowMs: WINDOW_MS });

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / TIME_SCALE / 1000;
}

/** The plan today: one call after the other. */
async function sequential(seed: number): Promise<number> {
  const generator = fake(seed);
  return timed(async () => {
    for (let i = 0; i < COUNT; i += 1) await generator.generate(request, never());
  });
}

/** The plan's proposal: batches of 5 with Promise.all, a 1 s pause between batches. */
async function batchesOfFive(seed: number): Promise<number> {
  const generator = fake(seed);
  return timed(async () => {
    for (let start = 0; start < COUNT; start += 5) {
      await Promise.all(Array.from({ length: 5 }, () => generator.generate(request, never())));
      if (start + 5 < COUNT) await sleep(1000 * TIME_SCALE);
    }
  });
}

/** Our runner: a sliding window of `concurrency`, through a store, with the output check. */
async function runner(seed: number, concurrency: number, requestsPerMinute = 10_000) {
  const generator = fake(seed, requestsPerMinute);
  const instance = new ReviewJobRunner({
    store: new MemoryJobStore(),
    generator,
    concurrency,
    rateLimit: { requestsPerMinute, windowMs: WINDOW_MS },
  });
  instance.on('error', (error) => console.error(error));
  let status = '';
  const seconds = await timed(async () => {
    const { jobId } = await instance.start({ submissionId: `bench-${seed}-${concurrency}`, placeName: '성수동 카페 온도', script: '핸드드립 커피', count: COUNT });
    status = (await instance.waitForJob(jobId, { pollIntervalMs: 10_000 })).status;
  });
  await instance.close();
  if (status !== 'completed') throw new Error(`runner job ended ${status}`);
  return { seconds, stats: generator.stats };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const rows: Array<[string, number[]]> = [];

rows.push(['sequential (plan today)', await Promise.all(SEEDS.map(sequential))]);
rows.push(['batches of 5 + 1 s pause (plan)', await Promise.all(SEEDS.map(batchesOfFive))]);
for (const concurrency of [5, 50]) {
  const runs = [];
  for (const seed of SEEDS) runs.push(await runner(seed, concurrency));
  rows.push([`runner, sliding window ${concurrency}`, runs.map((run) => run.seconds)]);
}

const base = mean(rows[0]![1]);
const batches = mean(rows[1]![1]);
console.log(`${COUNT} reviews, latency lognormal(median 12 s, sigma 0.5), time scale ${TIME_SCALE}, seeds ${SEEDS.join(', ')}`);
console.log('strategy'.padEnd(34), 'simulated s (per seed)'.padEnd(28), 'mean s', ' vs seq', ' vs batches');
for (const [name, seconds] of rows) {
  const m = mean(seconds);
  console.log(
    name.padEnd(34),
    seconds.map((s) => s.toFixed(0)).join(' / ').padEnd(28),
    m.toFixed(0).padStart(6),
    `${(base / m).toFixed(2)}x`.padStart(7),
    `${(batches / m).toFixed(2)}x`.padStart(11),
  );
}

// With a quota: 20 requests per minute. The floor is ceil(50 / 20) - 1 = 2 full minutes
// plus one call; the limiter must get there without a single 429.
const limited = await runner(SEEDS[0]!, 50, 20);
console.log(
  `\nrunner, window 50, 20 requests/min: ${limited.seconds.toFixed(0)} s simulated ` +
    `(floor ~${(2 * 60 + 12).toFixed(0)} s), 429s: ${limited.stats.failed.rate_limited ?? 0}, ` +
    `max requests in any minute: ${limited.stats.maxRequestsInAnyWindow}`,
);
