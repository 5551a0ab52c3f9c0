import { SlidingWindowBudget, type Spend } from './sliding-window-budget.js';

export interface RateLimitOptions {
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
  /** The "minute". Tests shrink it to run time-scaled. */
  windowMs: number;
}

/** What was taken for one call; `settle` corrects the token estimate from `usage`. */
export interface Reservation {
  settle(actualTokens: number | undefined): void;
}

export type Acquire = { ok: true; reservation: Reservation } | { ok: false; waitMs: number };

/**
 * Requests and tokens per window, plus a pause a 429 imposes. The provider stamps a
 * request when it arrives, a little after we dispatch it, and that delay varies; two
 * requests exactly one window apart here can land less than a window apart there (a
 * GC pause or a busy CPU between dispatch and send does the same). So each budget's
 * window is stretched by a margin: 1% of it, at least 50 ms (the dispatch-to-arrival
 * delay measured on a loaded 2-core machine), at most 250 ms.
 */
export class RateLimiter {
  private readonly requests: SlidingWindowBudget | undefined;
  private readonly tokens: SlidingWindowBudget | undefined;
  private pausedUntil = 0;

  constructor(
    options: RateLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    const windowMs = options.windowMs + Math.min(250, Math.max(50, Math.ceil(options.windowMs * 0.01)));
    if (options.requestsPerMinute !== undefined) this.requests = new SlidingWindowBudget(options.requestsPerMinute, windowMs);
    if (options.tokensPerMinute !== undefined) this.tokens = new SlidingWindowBudget(options.tokensPerMinute, windowMs);
  }

  /** Take one request and `tokenEstimate` tokens now, or say how long to wait. */
  tryAcquire(tokenEstimate: number): Acquire {
    const now = this.now();
    const waitMs = Math.max(
      this.pausedUntil - now,
      this.requests?.waitFor(1, now) ?? 0,
      this.tokens?.waitFor(tokenEstimate, now) ?? 0,
    );
    if (waitMs > 0) return { ok: false, waitMs: Math.ceil(waitMs) };
    this.requests?.spend(1, now);
    const tokenSpend: Spend | undefined = this.tokens?.spend(tokenEstimate, now);
    return {
      ok: true,
      reservation: {
        settle(actualTokens) {
          if (tokenSpend && actualTokens !== undefined) tokenSpend.amount = actualTokens;
        },
      },
    };
  }

  /** Take nothing until `ms` from now (a 429's retry-after); never shortens a longer pause. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}
