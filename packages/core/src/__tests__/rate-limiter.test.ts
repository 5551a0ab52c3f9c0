import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../rate-limiter.js';
import { SlidingWindowBudget } from '../sliding-window-budget.js';

describe('SlidingWindowBudget', () => {
  it('holds at most `limit` in ANY window, where a token bucket would allow twice as much', () => {
    const budget = new SlidingWindowBudget(3, 1000);
    const granted: number[] = [];
    // Try to spend one unit every 10 ms for 3 s; record when it was allowed.
    for (let now = 0; now < 3000; now += 10) {
      if (budget.waitFor(1, now) === 0) {
        budget.spend(1, now);
        granted.push(now);
      }
    }
    for (const start of granted) {
      expect(granted.filter((at) => at >= start && at < start + 1000).length).toBeLessThanOrEqual(3);
    }
    expect(granted).toEqual([0, 10, 20, 1000, 1010, 1020, 2000, 2010, 2020]);
  });

  it('says how long until enough of the log expires', () => {
    const budget = new SlidingWindowBudget(100, 1000);
    budget.spend(60, 0);
    budget.spend(30, 400);
    expect(budget.waitFor(10, 500)).toBe(0);
    expect(budget.waitFor(20, 500)).toBe(500); // the 60 at t=0 must expire
    expect(budget.waitFor(80, 500)).toBe(900); // both must expire
    expect(budget.waitFor(500, 500)).toBe(900); // bigger than the budget: runs alone
  });
});

describe('RateLimiter', () => {
  it('reserves estimated tokens and corrects them from usage', () => {
    let now = 0;
    const limiter = new RateLimiter({ tokensPerMinute: 1000, windowMs: 1000 }, () => now);
    const first = limiter.tryAcquire(600);
    expect(first.ok).toBe(true);
    expect(limiter.tryAcquire(600)).toMatchObject({ ok: false });
    if (first.ok) first.reservation.settle(200); // the call used far less than estimated
    expect(limiter.tryAcquire(600).ok).toBe(true);
    now = 5;
    expect(limiter.tryAcquire(600)).toMatchObject({ ok: false, waitMs: expect.any(Number) });
  });

  it('counts requests per window, with a small margin for arrival jitter at the provider', () => {
    let now = 0;
    const limiter = new RateLimiter({ requestsPerMinute: 2, windowMs: 1000 }, () => now);
    expect(limiter.tryAcquire(0).ok).toBe(true);
    expect(limiter.tryAcquire(0).ok).toBe(true);
    const refused = limiter.tryAcquire(0);
    expect(refused).toEqual({ ok: false, waitMs: 1050 }); // 1000 + max(50 ms, 1%)
    now = 1049;
    expect(limiter.tryAcquire(0).ok).toBe(false);
    now = 1050;
    expect(limiter.tryAcquire(0).ok).toBe(true);
  });

  it('pauses after a 429 and never shortens a longer pause', () => {
    let now = 0;
    const limiter = new RateLimiter({ windowMs: 1000 }, () => now);
    limiter.pause(500);
    limiter.pause(100);
    expect(limiter.tryAcquire(1)).toEqual({ ok: false, waitMs: 500 });
    now = 500;
    expect(limiter.tryAcquire(1).ok).toBe(true);
  });
});
