import { describe, expect, it } from 'vitest';
import { GenerationError, buildDefaultRequest } from '@review-jobs/core';
import { FakeGenerator } from '@review-jobs/core/testing';

const payload = { submissionId: 's', placeName: '을지로 노포', script: '국밥이 맛있음', count: 5 };
const request = buildDefaultRequest({ ...payload, index: 1, submission: payload }, { temperature: 1, maxOutputTokens: 256 });
const signal = () => new AbortController().signal;
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as GenerationError);

describe('FakeGenerator', () => {
  it('answers varied 100-150 character Korean reviews with the place name and usage', async () => {
    const fake = new FakeGenerator({ timeScale: 0.0001 });
    const results = await Promise.all(Array.from({ length: 20 }, () => fake.generate(request, signal())));
    for (const result of results) {
      expect([...result.text].length).toBeGreaterThanOrEqual(100);
      expect([...result.text].length).toBeLessThanOrEqual(150);
      expect(result.text).toContain('을지로 노포');
      expect(result.usage?.outputTokens).toBeGreaterThan(0);
    }
    expect(new Set(results.map((result) => result.text)).size).toBeGreaterThan(10);
    expect(fake.stats).toMatchObject({ calls: 20, succeeded: 20, inFlight: 0, maxInFlight: 20 });
    expect(fake.requests).toHaveLength(20);
  });

  it('is deterministic for a seed', async () => {
    const texts = async (seed: number) => {
      const fake = new FakeGenerator({ seed, timeScale: 0.0001, faults: { transient: 0.3 } });
      return Promise.all(Array.from({ length: 10 }, () => fake.generate(request, signal()).then((r) => r.text, (e: GenerationError) => e.kind)));
    };
    expect(await texts(7)).toEqual(await texts(7));
    expect(await texts(7)).not.toEqual(await texts(8));
  });

  it('enforces its own requests per window, answering rate_limited with the time until the window frees', async () => {
    const fake = new FakeGenerator({ timeScale: 0.0001, requestsPerMinute: 2, windowMs: 1000 });
    await fake.generate(request, signal());
    await fake.generate(request, signal());
    const error = await failureOf(fake.generate(request, signal()));
    expect(error).toMatchObject({ kind: 'rate_limited' });
    expect(error!.retryAfterMs).toBeGreaterThan(900);
    expect(fake.stats.failed.rate_limited).toBe(1);
    expect(fake.stats.maxRequestsInAnyWindow).toBe(3);
  });

  it('honours the AbortSignal at once and clears its timer', async () => {
    const fake = new FakeGenerator({ timeScale: 1 }); // a 12 s call
    const controller = new AbortController();
    const pending = failureOf(fake.generate(request, controller.signal));
    controller.abort();
    expect(await pending).toMatchObject({ kind: 'cancelled' });
    expect(fake.stats).toMatchObject({ aborted: 1, inFlight: 0 });
  });

  it('plays scripted faults, and reset() zeroes the counters', async () => {
    const fake = new FakeGenerator({ timeScale: 0.0001, faultsFor: (callNo) => (callNo === 2 ? 'blocked' : undefined) });
    await fake.generate(request, signal());
    expect(await failureOf(fake.generate(request, signal()))).toMatchObject({ kind: 'blocked', retryable: false });
    expect(fake.stats.failed).toEqual({ blocked: 1 });
    fake.reset();
    expect(fake.stats.calls).toBe(0);
    expect(fake.requests).toEqual([]);
  });
});
