import type { RateLimiter, Reservation } from './rate-limiter.js';

/** What a finished call tells the scheduler, so it can adapt its pace. */
export type CallFeedback =
  | { type: 'success'; tokens?: number | undefined }
  | { type: 'rate_limited'; retryAfterMs?: number | undefined }
  | { type: 'failure' };

export interface ScheduledCall {
  readonly tokenEstimate: number;
  /**
   * Starts the call. Invoked synchronously right after the rate limiter granted it, so
   * the request leaves when it was counted. Must not reject.
   */
  run(): Promise<CallFeedback>;
}

export interface LaneOptions {
  /** Checked before each start; false keeps the lane's queue waiting (a time slice near its end). */
  admit?: () => boolean;
}

export interface SchedulerOptions {
  /** The ceiling of calls in flight across all lanes. */
  concurrency: number;
  limiter: RateLimiter;
  /** How long to pause after a 429 that did not say when to come back. */
  fallbackPauseMs: number;
  onRateLimited: (laneId: string, retryAfterMs: number | undefined, concurrency: number) => void;
  onError: (error: Error) => void;
}

interface Lane {
  readonly id: string;
  readonly queue: ScheduledCall[];
  readonly admit: () => boolean;
}

/**
 * One per runner. A sliding window: whenever a slot frees (or the rate limiter lets
 * one more through), the next call starts at once; no batches, no barriers. Each job
 * is a lane; lanes are served round-robin so one big job cannot starve the others.
 *
 * Concurrency adapts (AIMD): a 429 halves it (min 1), each success adds one back up to
 * the ceiling. Calls that were already in flight when a cut happened belong to the
 * same congestion event: their 429s do not cut again (epochs), otherwise five
 * parallel 429s would take 10 down to 1 in one go.
 */
export class Scheduler {
  private readonly lanes: Lane[] = [];
  private cursor = 0;
  private limit: number;
  private running = 0;
  private epoch = 0;
  private wakeTimer: ReturnType<typeof setTimeout> | undefined;
  private wakeAt = Infinity;
  private closed = false;

  constructor(private readonly options: SchedulerOptions) {
    this.limit = options.concurrency;
  }

  /** The effective concurrency right now (AIMD), at most `options.concurrency`. */
  get concurrency(): number {
    return this.limit;
  }

  get inFlight(): number {
    return this.running;
  }

  /** Slots no queued call is waiting for: how much more work this runner could take on. */
  get spareCapacity(): number {
    let queued = 0;
    for (const lane of this.lanes) queued += lane.queue.length;
    return Math.max(0, this.options.concurrency - this.running - queued);
  }

  addLane(id: string, options: LaneOptions = {}): void {
    if (this.lanes.some((lane) => lane.id === id)) throw new Error(`Lane ${id} already exists`);
    this.lanes.push({ id, queue: [], admit: options.admit ?? (() => true) });
  }

  /** Drops the lane and its queued calls (calls in flight finish on their own). */
  removeLane(id: string): void {
    const at = this.lanes.findIndex((lane) => lane.id === id);
    if (at === -1) return;
    this.lanes.splice(at, 1);
    if (this.cursor > at) this.cursor -= 1;
  }

  enqueue(laneId: string, call: ScheduledCall): void {
    const lane = this.lanes.find((candidate) => candidate.id === laneId);
    if (!lane) return; // the lane ended while a retry waited: the call is moot
    lane.queue.push(call);
    this.pump();
  }

  close(): void {
    this.closed = true;
    this.lanes.length = 0;
    this.clearWake();
  }

  private pump(): void {
    while (!this.closed && this.running < this.limit) {
      const lane = this.nextLane();
      if (!lane) return;
      const call = lane.queue[0]!;
      const acquired = this.options.limiter.tryAcquire(call.tokenEstimate);
      if (!acquired.ok) {
        this.wakeAfter(acquired.waitMs);
        return;
      }
      lane.queue.shift();
      this.launch(lane.id, call, acquired.reservation);
    }
  }

  /** The next lane, round-robin from the cursor, that has a call and admits it; moves the cursor past it. */
  private nextLane(): Lane | undefined {
    const count = this.lanes.length;
    for (let step = 0; step < count; step += 1) {
      const at = (this.cursor + step) % count;
      const lane = this.lanes[at]!;
      if (lane.queue.length > 0 && lane.admit()) {
        this.cursor = (at + 1) % count;
        return lane;
      }
    }
    return undefined;
  }

  private launch(laneId: string, call: ScheduledCall, reservation: Reservation): void {
    this.running += 1;
    const epoch = this.epoch;
    let promise: Promise<CallFeedback>;
    try {
      promise = call.run();
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise
      .then((feedback) => this.adapt(laneId, feedback, epoch, reservation))
      .finally(() => {
        this.running -= 1;
        this.pump();
      })
      .catch((error: unknown) => this.options.onError(error instanceof Error ? error : new Error(String(error))));
  }

  private adapt(laneId: string, feedback: CallFeedback, epoch: number, reservation: Reservation): void {
    if (feedback.type === 'success') {
      reservation.settle(feedback.tokens);
      this.limit = Math.min(this.options.concurrency, this.limit + 1);
    } else if (feedback.type === 'rate_limited') {
      this.options.limiter.pause(feedback.retryAfterMs ?? this.options.fallbackPauseMs);
      if (epoch === this.epoch) {
        this.limit = Math.max(1, Math.floor(this.limit / 2));
        this.epoch += 1;
      }
      this.options.onRateLimited(laneId, feedback.retryAfterMs, this.limit);
    }
  }

  private wakeAfter(ms: number): void {
    const at = performance.now() + ms;
    if (this.wakeTimer !== undefined && this.wakeAt <= at) return;
    this.clearWake();
    this.wakeAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeAt = Infinity;
      this.pump();
    }, ms);
  }

  private clearWake(): void {
    if (this.wakeTimer !== undefined) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.wakeAt = Infinity;
  }
}
