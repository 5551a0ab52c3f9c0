/**
 * "At most `limit` units in ANY window of `windowMs`", exactly, as a log of what was
 * spent during the last window.
 *
 * Why not a token bucket: a full bucket of capacity N lets N requests through at once,
 * then refills N more within the same minute, so one 60 s window can see 2N. Providers
 * count requests per sliding minute, and a 2N burst is what earns a 429. The log costs
 * one entry per call in the last window, a few thousand at most.
 */
export interface Spend {
  at: number;
  amount: number;
}

export class SlidingWindowBudget {
  private readonly log: Spend[] = [];

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** 0 when `amount` fits now, else how long until enough of the log expires. */
  waitFor(amount: number, now: number): number {
    this.expire(now);
    let spent = this.spent();
    // A single call bigger than the whole budget would wait forever; let it run alone.
    const needed = Math.min(amount, this.limit);
    if (spent + needed <= this.limit) return 0;
    for (const entry of this.log) {
      spent -= entry.amount;
      if (spent + needed <= this.limit) return entry.at + this.windowMs - now;
    }
    return this.windowMs;
  }

  /** Record a spend; the returned entry may be corrected later (actual token usage). */
  spend(amount: number, now: number): Spend {
    const entry = { at: now, amount };
    this.log.push(entry);
    return entry;
  }

  private spent(): number {
    let total = 0;
    for (const entry of this.log) total += entry.amount;
    return total;
  }

  private expire(now: number): void {
    // An entry counts while now < at + windowMs: the half-open window (now - windowMs, now].
    while (this.log.length > 0 && this.log[0]!.at + this.windowMs <= now) this.log.shift();
  }
}
