/**
 * The server side of a requests-per-minute limit: at most `limit` accepted requests per
 * model in any `windowMs` (a log of arrival times), like Gemini's
 * GenerateRequestsPerMinutePerProjectPerModel quota. Rejected requests do not count.
 */
export class RequestQuota {
  readonly #arrivals = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Take one request for `model` at `now`, or say how long until one is free. */
  take(model: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    const log = this.#arrivals.get(model) ?? [];
    while (log.length > 0 && (log[0] as number) + this.windowMs <= now) log.shift();
    if (log.length >= this.limit) {
      return { ok: false, retryAfterMs: (log[0] as number) + this.windowMs - now };
    }
    log.push(now);
    this.#arrivals.set(model, log);
    return { ok: true };
  }
}
