export const DEFAULT_SKEW_MS = 250;

export interface FleetRateLimitOptions {
  /** The provider's quota: at most this many requests in any window of `windowMs`. */
  requestsPerMinute: number;
  /** The quota's window: 60 000 for a real minute (shrink it to run time-scaled tests). */
  windowMs?: number;
  /**
   * How many BullMQ windows per quota window. More slices: smaller bursts and a
   * throughput closer to the quota (requests x slices / (slices + 1)), at the price of
   * more limiter round trips (about one per worker per BullMQ window). Default
   * min(29, requestsPerMinute - 1): 58 of 60/min, 957 of 1000/min. At most `requestsPerMinute - 1`.
   */
  slices?: number;
  /**
   * How late a call may reach the provider after BullMQ counted it (worker wake-up,
   * the store round trip before the call, the network). Added to the window so a late
   * call cannot land in the next one. The worker holds items to half of it: one that
   * would call later than `skewMs / 2` after it was counted is queued again. Default 250 ms.
   */
  skewMs?: number;
}

/** Arguments of `queue.setGlobalRateLimit(max, duration)`. */
export interface FixedWindowLimit {
  max: number;
  duration: number;
}

/**
 * BullMQ's limiter is a fixed window: a counter that expires `duration` ms after its
 * first job. Consecutive windows start at least `duration` apart, so with `max = requests`
 * per `duration = windowMs`, up to 2 x requests pass in some window of that length (measured in BENCHMARKS.md).
 *
 * This splits the quota so the bound holds in EVERY window: `duration = (windowMs +
 * skewMs) / slices` and `max = floor(requests / (slices + 1))`: any stretch of `windowMs
 * + skewMs` touches at most `slices + 1` windows, hence at most `max x (slices + 1) <=
 * requests` calls in any `windowMs`, even counting calls that
 * reach the provider up to `skewMs` late. The price: the sustained rate is
 * `max x slices` per `windowMs + skewMs`, a little under the quota.
 */
export function fleetRateLimit(options: FleetRateLimitOptions): FixedWindowLimit {
  const { requestsPerMinute: requests, windowMs = 60_000, skewMs = DEFAULT_SKEW_MS } = options;
  if (!Number.isInteger(requests) || requests < 2) {
    throw new TypeError(`requestsPerMinute: must be an integer >= 2 (got ${requests})`);
  }
  if (!Number.isInteger(windowMs) || windowMs <= 0) throw new TypeError(`windowMs: must be a positive integer (got ${windowMs})`);
  if (!Number.isInteger(skewMs) || skewMs < 0) throw new TypeError(`skewMs: must be an integer >= 0 (got ${skewMs})`);
  const slices = options.slices ?? Math.min(29, requests - 1);
  if (!Number.isInteger(slices) || slices < 1 || slices > requests - 1) {
    throw new TypeError(`slices: must be an integer from 1 to requestsPerMinute - 1 = ${requests - 1} (got ${options.slices})`);
  }
  // Rounded up: a longer BullMQ window only makes the bound safer.
  return { max: Math.floor(requests / (slices + 1)), duration: Math.ceil((windowMs + skewMs) / slices) };
}
