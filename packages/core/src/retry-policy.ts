import type { GenerationError } from './generation-error.js';

export interface RetryOptions {
  /**
   * Attempts per item in one run (a job-level retry gives every item a fresh
   * allowance). 429s are counted apart, up to RATE_LIMITED_ATTEMPTS_FACTOR times this.
   */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * A 429 says the runner went too fast, not that the item is bad; AIMD probing makes an
 * occasional one normal. So 429s do not eat the item's own attempts, but are bounded
 * too, so a quota that never frees cannot loop forever.
 */
export const RATE_LIMITED_ATTEMPTS_FACTOR = 5;

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * Exponential backoff with FULL jitter: delay = random(0, min(max, base * 2^(attempt-1))).
 * Full jitter spreads the retries of items that failed together (a 503 burst, a 429)
 * so they do not come back as one burst again.
 */
export class RetryPolicy {
  constructor(
    private readonly options: RetryOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * `attempt`: how many attempts of the same class this run already made for the item,
   * counting the failed one: rate-limited ones for a `rate_limited` error, the others otherwise.
   */
  decide(error: GenerationError, attempt: number): RetryDecision {
    const cap = error.kind === 'rate_limited' ? this.options.maxAttempts * RATE_LIMITED_ATTEMPTS_FACTOR : this.options.maxAttempts;
    if (!error.retryable || attempt >= cap) return { retry: false };
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.floor(this.random() * ceiling);
    // The provider said when it will take us again; earlier is a wasted call.
    const delayMs = error.kind === 'rate_limited' ? Math.max(jittered, error.retryAfterMs ?? 0) : jittered;
    return { retry: true, delayMs };
  }
}
