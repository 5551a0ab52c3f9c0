/** A uniform [0, 1) generator; seeded, so a test can replay the same run. */
export type Random = () => number;

/** mulberry32: tiny, fast, good enough for simulations and test data. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A lognormal draw with the given median: LLM latencies are skewed, most calls near
 * the median and a long tail of slow ones (sigma 0.5 puts the 95th percentile at ~2.3x
 * the median). Box-Muller for the normal part.
 */
export function lognormal(random: Random, median: number, sigma: number): number {
  const u = 1 - random(); // (0, 1]: log(0) would be -Infinity
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(sigma * normal);
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}
