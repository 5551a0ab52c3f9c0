import { postgresAvailable } from '../../../adapter-supabase/test-support/test-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxInAnyWindow, startFleet, type Fleet } from '../../test-support/fleet.js';
import { redisAvailable } from '../../test-support/test-redis.js';

const available = (await redisAvailable()) && (await postgresAvailable());

/** One "minute" of the quota, shrunk 30x so 500 calls take seconds, not 8 minutes. */
const WINDOW_MS = 2_000;
const TIME_SCALE = WINDOW_MS / 60_000;
const QUOTA = 60;
const JOBS = 10;
const ITEMS = 50;

const submission = (i: number) => ({
  submissionId: `fleet-${i}-${globalThis.crypto.randomUUID()}`,
  placeName: '망원동 브런치 카페 해밀',
  script: '브런치 세트가 푸짐하고 커피가 맛있음. 창가 자리 분위기가 좋음.',
  count: ITEMS,
});

/** A wait that, when it fails, says what the worker processes printed. */
const withWorkerLog = <T>(fleet: Fleet, promise: Promise<T>): Promise<T> =>
  promise.catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\nworker stderr:\n${fleet.stderr()}`);
  });

const indexOf = (body: unknown): number => Number(/\((\d+)\/\d+번째/.exec(JSON.stringify(body))?.[1]);

// Three worker PROCESSES share one queue, one Supabase store and one (fake) Gemini quota.
describe.skipIf(!available)('a fleet of 3 worker processes on BullMQ', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({
      workers: 3,
      // The server enforces the quota itself (a sliding window): any excess would come back as 429s.
      gemini: {
        quota: { requestsPerMinute: QUOTA, windowMs: WINDOW_MS },
        latency: { medianMs: 2_500, sigma: 0.3 },
        timeScale: TIME_SCALE,
      },
      worker: {
        concurrency: 10,
        rateLimit: { requestsPerMinute: QUOTA, windowMs: WINDOW_MS },
        // A dead worker's items come back within ~2 s.
        lockDurationMs: 1_500,
        stalledIntervalMs: 500,
        timeoutMs: 60_000,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await fleet?.close();
  }, 30_000);

  it(`${JOBS} jobs x ${ITEMS} items under ${QUOTA} requests per (scaled) minute: never more in any window, every item done once`, async () => {
    const started = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) ids.push((await fleet.runner.start(submission(i))).jobId);
    const jobs = await withWorkerLog(
      fleet,
      Promise.all(ids.map((id) => fleet.runner.waitForJob(id, { timeoutMs: 120_000, pollIntervalMs: 250 }))),
    );
    const seconds = (performance.now() - started) / 1000;

    const calls = fleet.gemini.calls;
    const peak = maxInAnyWindow(calls.map((call) => call.arrivedAt), WINDOW_MS);
    const perWorker = ['w0', 'w1', 'w2'].map((name) => calls.filter((call) => call.apiKey === name).length);
    console.log(
      `fleet: ${calls.length} calls in ${seconds.toFixed(1)} s (${((calls.length / seconds) * (WINDOW_MS / 1000)).toFixed(1)} per window), ` +
        `peak ${peak} in any ${WINDOW_MS} ms window (quota ${QUOTA}), per worker ${perWorker.join('/')}, 429s ${fleet.gemini.stats.quotaRejected}`,
    );
    expect(jobs.map((job) => [job.status, job.completedItems, job.failedItems])).toEqual(ids.map(() => ['completed', ITEMS, 0]));
    for (const id of ids) {
      const items = await fleet.store.listItems(id);
      expect(items.filter((item) => item.status === 'succeeded' && item.attempts === 1)).toHaveLength(ITEMS);
    }
    expect(peak).toBeLessThanOrEqual(QUOTA);
    expect(fleet.gemini.stats.quotaRejected).toBe(0);
    // Exactly one call per item: no item generated twice, none lost.
    expect(calls).toHaveLength(JOBS * ITEMS);
    expect(perWorker.every((count) => count > 0)).toBe(true);
  }, 180_000);

  it('a cancel from the web process stops the job running on the workers within 1 s', async () => {
    // Calls that would take 10 s: whatever stops them is the cancel.
    fleet.gemini.setLatency({ medianMs: 300_000, sigma: 0 });
    const before = fleet.gemini.calls.length;
    const { jobId } = await fleet.runner.start(submission(100));
    await fleet.gemini.waitFor((stats) => stats.inFlight >= 5, 20_000);

    const started = performance.now();
    await fleet.runner.cancel(jobId);
    await fleet.gemini.waitFor((stats) => stats.inFlight === 0, 5_000);
    const stoppedMs = performance.now() - started;
    const job = await fleet.store.getJob(jobId);
    console.log(`cancel: every in-flight call aborted and the job ${job?.status} ${stoppedMs.toFixed(0)} ms after runner.cancel()`);
    expect(job).toMatchObject({ status: 'cancelled', completedItems: 0 });
    expect(stoppedMs).toBeLessThan(1_000);

    // Nothing of the job is left to run: no new calls, nothing written.
    const callsAtStop = fleet.gemini.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(fleet.gemini.calls.length).toBe(callsAtStop);
    expect(callsAtStop - before).toBeLessThanOrEqual(30);
    expect(await fleet.queue.getJobCountByTypes('wait', 'prioritized', 'delayed', 'active')).toBe(0);
    expect((await fleet.store.listItems(jobId)).every((item) => item.status === 'pending')).toBe(true);
  }, 60_000);

  it('kill -9 of a worker mid-job: BullMQ hands its items to the others, the job ends with exactly 50 items', async () => {
    fleet.gemini.setLatency({ medianMs: 30_000, sigma: 0.3 }); // ~1 s per call
    const firstCall = fleet.gemini.calls.length;
    const { jobId } = await fleet.runner.start(submission(200));
    const victim = fleet.processes[0]!;
    await fleet.gemini.waitFor(() => fleet.gemini.calls.slice(firstCall).filter((call) => call.apiKey === 'w0').length >= 3, 20_000);
    victim.kill('SIGKILL');
    const killedAt = fleet.gemini.calls.length;

    const job = await withWorkerLog(fleet, fleet.runner.waitForJob(jobId, { timeoutMs: 60_000, pollIntervalMs: 100 }));
    expect(victim.signalCode).toBe('SIGKILL');
    expect(job).toMatchObject({ status: 'completed', completedItems: ITEMS, failedItems: 0 });
    const items = await fleet.store.listItems(jobId);
    expect(items.map((item) => item.status)).toEqual(Array(ITEMS).fill('succeeded'));

    // The victim's unfinished calls were made again by the survivors, once each.
    const calls = fleet.gemini.calls.slice(firstCall);
    // Every call of the victim (one may reach the server just after the kill), and the survivors' calls for the same items.
    const byVictim = new Set(calls.filter((call) => call.apiKey === 'w0').map((call) => indexOf(call.body)));
    const redone = calls.slice(killedAt - firstCall).filter((call) => call.apiKey !== 'w0' && byVictim.has(indexOf(call.body)));
    const twice = [...new Set(calls.map((call) => indexOf(call.body)))].filter((i) => calls.filter((call) => indexOf(call.body) === i).length > 1);
    console.log(
      `kill -9: ${byVictim.size} items called by the killed worker, ${redone.length} redone by the others; ${calls.length} calls for ${ITEMS} items; ` +
        `called twice: ${twice.map((i) => `${i} by ${calls.filter((call) => indexOf(call.body) === i).map((call) => call.apiKey).join('+')}`).join(', ')}; 429s ${fleet.gemini.stats.quotaRejected}`,
    );
    expect(redone.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThanOrEqual(ITEMS + byVictim.size);
  }, 90_000);
});
