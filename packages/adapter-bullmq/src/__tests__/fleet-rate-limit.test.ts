import { describe, expect, it } from 'vitest';
import { fleetRateLimit } from '@review-jobs/adapter-bullmq';
import { maxInAnyWindow } from '../../test-support/fleet.js';

/** A seeded PRNG (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * BullMQ's limiter as it behaves: a window opens at its first job and lasts `duration`;
 * up to `max` jobs start in it, at any moments; the next window opens at or after its
 * end. Each call reaches the provider 0..skewMs after it was counted.
 */
function simulate(limit: { max: number; duration: number }, skewMs: number, windows: number, next: () => number): number[] {
  const arrivals: number[] = [];
  let start = 0;
  for (let w = 0; w < windows; w++) {
    // Adversarial mix: bursts at the very start or end of the window, or spread.
    const mode = next();
    for (let i = 0; i < limit.max; i++) {
      const at = mode < 0.33 ? 0 : mode < 0.66 ? limit.duration - 1 : next() * limit.duration;
      arrivals.push(start + at + next() * skewMs);
    }
    start += limit.duration + (next() < 0.5 ? 0 : next() * 20);
  }
  return arrivals;
}

describe('fleetRateLimit', () => {
  it('splits a per-minute quota into BullMQ windows: max x (slices + 1) <= quota, slices windows cover the minute plus the skew', () => {
    expect(fleetRateLimit({ requestsPerMinute: 60 })).toEqual({ max: 2, duration: 2_078 });
    expect(fleetRateLimit({ requestsPerMinute: 60, slices: 9 })).toEqual({ max: 6, duration: 6_695 });
    expect(fleetRateLimit({ requestsPerMinute: 60, windowMs: 2_000, slices: 29, skewMs: 100 })).toEqual({ max: 2, duration: 73 });
    for (const [requests, slices] of [[2, 1], [15, 4], [60, 59], [1000, 9], [1000, 99]] as const) {
      const limit = fleetRateLimit({ requestsPerMinute: requests, slices, skewMs: 250 });
      expect(limit.max * (slices + 1)).toBeLessThanOrEqual(requests);
      expect(limit.duration * slices).toBeGreaterThanOrEqual(60_000 + 250);
    }
  });

  it('holds the quota in every window of the minute, where the naive { max: quota, duration: minute } lets up to twice through', () => {
    const next = random(42);
    const quota = 60;
    const safe = fleetRateLimit({ requestsPerMinute: quota, windowMs: 60_000, skewMs: 250 });
    for (let run = 0; run < 50; run++) {
      expect(maxInAnyWindow(simulate(safe, 250, 40, next), 60_000)).toBeLessThanOrEqual(quota);
    }
    let naivePeak = 0;
    for (let run = 0; run < 50; run++) {
      naivePeak = Math.max(naivePeak, maxInAnyWindow(simulate({ max: quota, duration: 60_000 }, 250, 40, next), 60_000));
    }
    expect(naivePeak).toBeGreaterThan(quota * 1.5);
  });

  it('names the bad field', () => {
    expect(() => fleetRateLimit({ requestsPerMinute: 1 })).toThrow(/requestsPerMinute/);
    expect(() => fleetRateLimit({ requestsPerMinute: 60, slices: 60 })).toThrow(/slices: must be an integer from 1 to requestsPerMinute - 1 = 59/);
    expect(() => fleetRateLimit({ requestsPerMinute: 60, windowMs: 0 })).toThrow(/windowMs/);
    expect(() => fleetRateLimit({ requestsPerMinute: 60, skewMs: -1 })).toThrow(/skewMs/);
  });
});
