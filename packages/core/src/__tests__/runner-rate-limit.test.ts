import { describe, expect, it } from 'vitest';
import type { RateLimitedEvent } from '@review-jobs/core';
import { TIME_SCALE, fakeGenerator, finished, makeRunner, submission } from './runner-fixtures.js';

const WINDOW_MS = 60_000 * TIME_SCALE; // the "minute", 60 ms here

describe('ReviewJobRunner: rate limits', () => {
  it('never sends more than requestsPerMinute in any window, so the API answers no 429', async () => {
    const generator = fakeGenerator({ requestsPerMinute: 8, windowMs: WINDOW_MS, latency: { medianMs: 5_000, sigma: 0.5 } });
    const { runner } = makeRunner({ generator, concurrency: 50, rateLimit: { requestsPerMinute: 8, windowMs: WINDOW_MS } });
    const { jobId } = await runner.start(submission({ count: 30 }));
    const job = await finished(runner, jobId);

    expect(job.status).toBe('completed');
    expect(generator.stats.calls).toBe(30);
    expect(generator.stats.maxRequestsInAnyWindow).toBeLessThanOrEqual(8);
    expect(generator.stats.failed.rate_limited).toBeUndefined();
  });

  it('keeps tokens per window under the budget (one call at a time when each needs most of it)', async () => {
    const generator = fakeGenerator({ latency: { medianMs: 1_000, sigma: 0.1 } });
    // Each call reserves about 512 + prompt/2 tokens; 900 per window fits one call at a time.
    const { runner } = makeRunner({ generator, concurrency: 10, rateLimit: { tokensPerMinute: 900, windowMs: WINDOW_MS } });
    const { jobId } = await runner.start(submission({ count: 4 }));
    expect((await finished(runner, jobId)).status).toBe('completed');
    expect(generator.stats.maxRequestsInAnyWindow).toBeLessThanOrEqual(2);
    expect(generator.stats.maxInFlight).toBe(1);
  });

  it('on 429: honours retryAfterMs, halves concurrency (AIMD), grows back, and finishes every item', async () => {
    // The API takes 3 calls at once; the runner starts with 12 and must learn that.
    const generator = fakeGenerator({ maxInFlight: 3, latency: { medianMs: 10_000, sigma: 0.3 } });
    const { runner, store } = makeRunner({ generator, concurrency: 12 });
    const events: RateLimitedEvent[] = [];
    runner.on('rate-limited', (event) => events.push(event));
    const { jobId } = await runner.start(submission({ count: 40 }));
    const job = await finished(runner, jobId);

    expect(job).toMatchObject({ status: 'completed', completedItems: 40 });
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ jobId, concurrency: 6 }); // one congestion event halves once, not once per 429
    expect(Math.min(...events.map((event) => event.concurrency))).toBeGreaterThanOrEqual(1);
    const logs = (await store.listLogs(jobId, { limit: 200 })).rows;
    expect(logs.some((log) => log.level === 'warning' && log.message.startsWith('rate limited'))).toBe(true);
    const items = await store.listItems(jobId);
    expect(items.some((item) => item.attempts > 1)).toBe(true);
  });
});
