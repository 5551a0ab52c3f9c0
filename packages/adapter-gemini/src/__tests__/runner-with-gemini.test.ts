import { ReviewJobRunner } from '@review-jobs/core';
import { MemoryJobStore } from '@review-jobs/adapter-memory';
import { GeminiGenerator } from '@review-jobs/adapter-gemini';
import { LegacyGeminiGenerator } from '@review-jobs/adapter-gemini/legacy';
import { startFakeGemini } from '@review-jobs/adapter-gemini/testing';
import { describe, expect, it } from 'vitest';

/** One "minute" of the quota, shrunk 60x so the test takes seconds. */
const WINDOW_MS = 1_000;
const TIME_SCALE = WINDOW_MS / 60_000;
/**
 * The runner stretches its window by a margin for the delay between dispatching a call
 * and the provider stamping it: 1% of the window, at most 250 ms, i.e. 250 ms for a real
 * minute. That delay does not shrink with the clock: measured here, the first burst of
 * 10 calls reached the in-process server 50 ms after dispatch (client and server share
 * one event loop on a busy machine), 5 times the 10 ms a 1 s window leaves. So the
 * runner's scaled minute gets back the absolute margin a real minute has.
 */
const RUNNER_WINDOW_MS = WINDOW_MS + 250;

const submission = (submissionId: string, count: number) => ({
  submissionId,
  placeName: '망원동 브런치 카페 해밀',
  script: '브런치 세트가 푸짐하고 커피가 맛있음. 창가 자리 분위기가 좋음.',
  count,
});

describe('ReviewJobRunner with GeminiGenerator against the fake Gemini server', () => {
  it('paces 50 items under a 15-per-minute quota the server enforces: 50 done, 0 failed, at most 2 answered 429', async () => {
    const server = await startFakeGemini({
      apiKey: 'key',
      quota: { requestsPerMinute: 15, windowMs: WINDOW_MS },
      // Gemini Flash answers a short review in ~2.5 s, with a long tail.
      latency: { medianMs: 2_500, sigma: 0.4 },
      timeScale: TIME_SCALE,
    });
    const runner = new ReviewJobRunner({
      store: new MemoryJobStore(),
      generator: new GeminiGenerator({ apiKey: 'key', baseUrl: server.url }),
      concurrency: 10,
      rateLimit: { requestsPerMinute: 15, windowMs: RUNNER_WINDOW_MS },
      retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 500 },
    });
    try {
      const started = performance.now();
      const { jobId } = await runner.start(submission('quota-50', 50));
      const job = await runner.waitForJob(jobId);
      const elapsedMs = performance.now() - started;

      expect(job).toMatchObject({ status: 'completed', completedItems: 50, failedItems: 0 });
      expect(server.stats.rateLimited).toBeLessThanOrEqual(2);
      expect(server.stats.answered[200]).toBe(50);
      // The quota really bit: 15 per window let through means 50 answers span 3 windows at least.
      expect(elapsedMs).toBeGreaterThanOrEqual(3 * WINDOW_MS);
      const items = await runner.listItems(jobId);
      expect(items.every((item) => item.text?.includes('망원동 브런치 카페 해밀'))).toBe(true);
    } finally {
      await runner.close();
      await server.close();
    }
  });

  it.each([
    ['GeminiGenerator', (baseUrl: string) => new GeminiGenerator({ apiKey: 'revoked', baseUrl })],
    ['LegacyGeminiGenerator', (baseUrl: string) => new LegacyGeminiGenerator({ apiKey: 'revoked', baseUrl })],
  ])('%s: a refused key fails the job after at most one call per slot, saying the key was refused', async (_, make) => {
    const server = await startFakeGemini({ apiKey: 'the-right-key', latency: 20 });
    const concurrency = 4;
    const runner = new ReviewJobRunner({
      store: new MemoryJobStore(),
      generator: make(server.url),
      concurrency,
      retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
    });
    try {
      const { jobId } = await runner.start(submission('bad-key', 50));
      const job = await runner.waitForJob(jobId);

      expect(job.status).toBe('failed');
      expect(job.errorMessage).toMatch(/refused the API key/);
      expect(server.stats.answered[400]).toBeGreaterThanOrEqual(1);
      expect(server.stats.requests).toBeLessThanOrEqual(concurrency);
    } finally {
      await runner.close();
      await server.close();
    }
  });
});
