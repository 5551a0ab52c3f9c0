import { describe, expect, it } from 'vitest';
import { GenerationError } from '@review-jobs/core';
import { RATE_LIMITED_ATTEMPTS_FACTOR, RetryPolicy } from '../retry-policy.js';

const options = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

describe('RetryPolicy', () => {
  it('backs off exponentially with full jitter, capped at maxDelayMs', () => {
    const highest = new RetryPolicy(options, () => 0.999999);
    const transient = new GenerationError('transient', '503');
    expect([1, 2, 3].map((attempt) => highest.decide(transient, attempt))).toEqual([
      { retry: true, delayMs: 99 },
      { retry: true, delayMs: 199 },
      { retry: true, delayMs: 399 },
    ]);
    const capped = new RetryPolicy({ ...options, maxAttempts: 10 }, () => 0.999999);
    expect(capped.decide(transient, 8)).toEqual({ retry: true, delayMs: 999 });
    const lowest = new RetryPolicy(options, () => 0);
    expect(lowest.decide(transient, 3)).toEqual({ retry: true, delayMs: 0 }); // full jitter reaches 0
  });

  it('waits at least retryAfterMs on rate_limited', () => {
    const policy = new RetryPolicy(options, () => 0);
    expect(policy.decide(new GenerationError('rate_limited', '429', { retryAfterMs: 2500 }), 1)).toEqual({ retry: true, delayMs: 2500 });
  });

  it('bounds 429s apart from the item attempts, at RATE_LIMITED_ATTEMPTS_FACTOR times maxAttempts', () => {
    const policy = new RetryPolicy(options, () => 0);
    const tooFast = new GenerationError('rate_limited', '429');
    expect(policy.decide(tooFast, 4).retry).toBe(true);
    expect(policy.decide(tooFast, 4 * RATE_LIMITED_ATTEMPTS_FACTOR - 1).retry).toBe(true);
    expect(policy.decide(tooFast, 4 * RATE_LIMITED_ATTEMPTS_FACTOR).retry).toBe(false);
  });

  it('retries only retryable kinds, and only within maxAttempts', () => {
    const policy = new RetryPolicy(options, () => 0.5);
    for (const kind of ['transient', 'timeout', 'invalid_output'] as const) {
      expect(policy.decide(new GenerationError(kind, kind), 1).retry).toBe(true);
      expect(policy.decide(new GenerationError(kind, kind), 4).retry).toBe(false);
    }
    for (const kind of ['blocked', 'invalid_request', 'unauthorized', 'cancelled'] as const) {
      expect(policy.decide(new GenerationError(kind, kind), 1)).toEqual({ retry: false });
    }
  });
});
