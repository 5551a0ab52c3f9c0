import { describe, expect, it } from 'vitest';
import { parseRetryDelay } from '../shared/parse-retry-delay.js';

describe('parseRetryDelay', () => {
  it.each([
    ['26s', 26_000],
    ['53.016342224s', 53_017],
    ['0.35s', 350],
    ['0.5s', 500],
    ['1.000000001s', 1_001],
    ['0s', 0],
  ])('%s -> %i ms', (duration, ms) => {
    expect(parseRetryDelay(duration)).toBe(ms);
  });

  it.each(['', '26', '26ms', '-1s', 'abc'])('rejects %j', (duration) => {
    expect(parseRetryDelay(duration)).toBeUndefined();
  });
});
