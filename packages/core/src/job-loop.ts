import type { EventEmitter } from 'eventemitter3';
import type { RunnerEvents } from './events.js';
import { GenerationError } from './generation-error.js';
import type { ItemResult, JobStore } from './job-store.js';
import type { Job, JobItem } from './job.js';
import { LeaseKeeper } from './lease-keeper.js';
import { LogBuffer } from './log-buffer.js';
import { buildItemRequest, checkOutput } from './prompt.js';
import type { RetryPolicy } from './retry-policy.js';
import type { ResolvedRunnerOptions } from './runner-options.js';
import type { CallFeedback, ScheduledCall, Scheduler } from './scheduler.js';
import { settledJobOutcome } from './settled-job-outcome.js';
import type { GenerateRequest, TextGenerator } from './text-generator.js';
import { toGenerationError } from './to-generation-error.js';

export interface JobLoopContext {
  store: JobStore;
  generator: TextGenerator;
  scheduler: Scheduler;
  retryPolicy: RetryPolicy;
  owner: string;
  options: ResolvedRunnerOptions;
  events: EventEmitter<RunnerEvents>;
  reportError: (error: Error) => void;
}

/** A time slice (runFor): start nothing that would not finish, stop everything at `stopAt` (epoch ms). */
export interface JobSlice {
  stopAt: number;
}

/**
 * How the loop ended: `finished` (the job is terminal), `released` (lease given back,
 * the job stays running and claimable: shutdown, end of a slice) or `lost` (another
 * owner has the job now; we wrote nothing more).
 */
export interface JobLoopResult {
  end: 'finished' | 'released' | 'lost';
  job: Job | null;
}

type EndReason = 'done' | 'cancel' | 'unauthorized' | 'stop' | 'slice' | 'lost';

/**
 * Runs one claimed job: schedules its pending items, retries, records each outcome
 * fenced by the lease, and ends the job. Every exit path goes through `wrapUp`, so the
 * lease is always either finished, released, or known lost.
 */
export class JobLoop {
  readonly jobId: string;
  /** Settles when the loop is over; never rejects. */
  readonly finished: Promise<JobLoopResult>;
  /** Settles once the items are queued (or the loop ended first): the worker's cue to claim more. */
  readonly ready: Promise<void>;

  /**
   * One controller per call in flight, aborted by its timeout or by the job's end. (Not
   * AbortSignal.any over a job-wide signal: that adds a listener per call to one
   * signal, and 50 in flight trips Node's listener-leak warning.)
   */
  private readonly calls = new Set<AbortController>();
  private aborted = false;
  private readonly lease: LeaseKeeper;
  private readonly logs: LogBuffer;
  private readonly attemptsBefore = new Map<number, number>();
  private readonly attemptsNow = new Map<number, number>();
  /** Per item, this run's 429s: counted apart from its own failures (see RetryPolicy). */
  private readonly rateLimitedNow = new Map<number, number>();
  private readonly writes = new Set<Promise<void>>();
  private readonly retryTimers = new Set<ReturnType<typeof setTimeout>>();
  private readonly durations: number[] = [];
  private endReason: EndReason | undefined;
  private endMessage = '';
  private signalEnd!: () => void;
  private readonly ended = new Promise<void>((resolve) => (this.signalEnd = resolve));
  private markReady!: () => void;
  private remaining = 0;
  private inFlight = 0;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ctx: JobLoopContext,
    private readonly job: Job,
    private readonly slice?: JobSlice,
  ) {
    this.jobId = job.id;
    const onError = ctx.reportError;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.lease = new LeaseKeeper({
      store: ctx.store,
      jobId: job.id,
      owner: ctx.owner,
      durationMs: ctx.options.lease.durationMs,
      heartbeatMs: ctx.options.lease.heartbeatMs,
      onCancelRequested: () => this.cancel(),
      onLost: () => this.end('lost'),
      onError,
    });
    this.logs = new LogBuffer({ store: ctx.store, jobId: job.id, onLine: (line) => ctx.events.emit('log', line), onError });
    this.finished = this.run().catch(async (error: unknown) => {
      onError(new Error(`Job ${job.id} stopped on an error`, { cause: error }));
      try {
        return await this.release();
      } catch (releaseError) {
        onError(new Error(`Releasing job ${job.id} failed; its lease will expire`, { cause: releaseError }));
        return { end: 'released', job: null };
      }
    });
  }

  /** Local cancel: abort in-flight calls now, discard late results, finish the job `cancelled`. */
  cancel(): void {
    this.end('cancel');
  }

  /** Graceful stop (shutdown): abort in-flight calls, items stay pending, give the lease back. */
  stop(): void {
    this.end('stop');
  }

  /** The scheduler cut concurrency because of this job's 429. */
  noteRateLimited(retryAfterMs: number | undefined, concurrency: number): void {
    this.ctx.events.emit('rate-limited', { jobId: this.jobId, retryAfterMs, concurrency });
    if (this.endReason !== undefined) return; // the final log batch may already be written
    this.logs.add('warning', `rate limited: pausing${retryAfterMs === undefined ? '' : ` ${retryAfterMs} ms`}, concurrency now ${concurrency}`, {
      retryAfterMs: retryAfterMs ?? null,
      concurrency,
    });
  }

  private async run(): Promise<JobLoopResult> {
    const { store, scheduler, events } = this.ctx;
    events.emit('status', this.job);
    const items = await store.listItems(this.jobId);
    const pending = items.filter((item) => item.status === 'pending');
    for (const item of items) this.attemptsBefore.set(item.index, item.attempts);
    this.remaining = pending.length;
    if (this.endReason === undefined) {
      if (pending.length === this.job.totalItems) this.logs.add('info', `started ${pending.length} reviews`, { total: pending.length });
      else this.logs.add('info', `resumed: ${pending.length} of ${this.job.totalItems} reviews left`, { left: pending.length });
      if (pending.length === 0) this.end('done');
      else {
        this.lease.start();
        scheduler.addLane(this.jobId, { admit: () => this.admits() });
        if (this.slice) this.stopTimer = setTimeout(() => this.end('stop'), Math.max(0, this.slice.stopAt - Date.now()));
        for (const item of pending) scheduler.enqueue(this.jobId, this.callFor(item.index));
        this.checkSlice();
      }
    }
    this.markReady();
    await this.ended;
    return this.wrapUp();
  }

  private end(reason: EndReason): void {
    // First reason wins, except that losing the lease overrides a graceful exit in progress: nothing may be written.
    if (this.endReason !== undefined && !(reason === 'lost' && this.endReason !== 'lost')) return;
    this.endReason = reason;
    if (reason !== 'done') {
      this.aborted = true;
      for (const call of this.calls) call.abort();
    }
    this.ctx.scheduler.removeLane(this.jobId);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    if (this.stopTimer !== undefined) clearTimeout(this.stopTimer);
    this.signalEnd();
    this.markReady?.();
  }

  private async wrapUp(): Promise<JobLoopResult> {
    const { store, owner, events } = this.ctx;
    await Promise.all(this.writes);
    this.lease.stop();
    if (this.endReason === 'lost') return this.lost();
    // Decided only now that every write has landed: a stop (the slice's deadline, a slice
    // with nothing left it may start, shutdown) can come while the last item's write is
    // on its way, and win the race against 'done'. With every item recorded there is
    // nothing to give back: finish the job rather than release it running at 100%.
    const stopped = this.endReason === 'stop' || this.endReason === 'slice';
    if (stopped && this.remaining > 0) return this.release();

    let request: { status: 'completed' | 'failed' | 'cancelled'; errorMessage: string | null };
    if (this.endReason === 'cancel') {
      this.logs.add('warning', 'cancelled', null);
      request = { status: 'cancelled', errorMessage: null };
    } else if (this.endReason === 'unauthorized') {
      this.logs.add('error', this.endMessage, null);
      request = { status: 'failed', errorMessage: this.endMessage };
    } else {
      const job = (await store.getJob(this.jobId)) ?? this.job;
      this.logs.add('info', `finished: ${job.completedItems} succeeded, ${job.failedItems} failed`, {
        succeeded: job.completedItems,
        failed: job.failedItems,
      });
      request = settledJobOutcome(job);
    }
    await this.logs.flush();
    const finished = await store.finishJob(this.jobId, owner, request);
    if (!finished) return this.lost();
    events.emit('status', finished);
    return { end: 'finished', job: finished };
  }

  private async release(): Promise<JobLoopResult> {
    this.end('stop');
    this.lease.stop();
    const job = (await this.ctx.store.getJob(this.jobId)) ?? this.job;
    this.logs.add('info', `paused: ${job.completedItems} succeeded, ${job.failedItems} failed, ${this.remaining} left`, {
      left: this.remaining,
    });
    await this.logs.flush();
    await this.ctx.store.releaseJob(this.jobId, this.ctx.owner);
    return { end: 'released', job: { ...job, leaseOwner: null, leaseExpiresAt: null } };
  }

  private lost(): JobLoopResult {
    this.logs.discard();
    this.ctx.reportError(new Error(`Lost the lease of job ${this.jobId}; another runner owns it now`));
    return { end: 'lost', job: null };
  }

  /** A slice starts an item only when an average call would still finish before `stopAt`. */
  private admits(): boolean {
    if (!this.slice) return true;
    const average = this.durations.length === 0 ? 0 : this.durations.reduce((a, b) => a + b, 0) / this.durations.length;
    return Date.now() + average < this.slice.stopAt;
  }

  /** A slice with nothing in flight and nothing it may start is over; retries still waiting would not fit either. */
  private checkSlice(): void {
    if (this.slice && this.endReason === undefined && this.inFlight === 0 && !this.admits()) this.end('slice');
  }

  private callFor(index: number): ScheduledCall {
    let request: GenerateRequest;
    try {
      request = this.requestFor(index);
    } catch (error) {
      const reason = new GenerationError('invalid_request', `The prompt option threw: ${String(error)}`, { cause: error });
      return { tokenEstimate: 0, run: async () => (this.fail(index, reason, 0), { type: 'failure' }) };
    }
    const promptChars = request.prompt.length + (request.systemInstruction?.length ?? 0);
    // Korean runs about one token per 2 characters; `usage` corrects the estimate afterwards.
    const tokenEstimate = Math.ceil(promptChars / 2) + (request.maxOutputTokens ?? this.ctx.options.maxOutputTokens);
    return { tokenEstimate, run: () => this.attempt(index, request) };
  }

  private requestFor(index: number): GenerateRequest {
    return buildItemRequest(this.job.payload, index, this.ctx.options);
  }

  private async attempt(index: number, request: GenerateRequest): Promise<CallFeedback> {
    const { generator, options } = this.ctx;
    const attempt = (this.attemptsNow.get(index) ?? 0) + 1;
    this.attemptsNow.set(index, attempt);
    const call = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      call.abort();
    }, options.timeoutMs);
    this.calls.add(call);
    const startedAt = performance.now();
    this.inFlight += 1;
    let feedback: CallFeedback = { type: 'failure' };
    try {
      // Called synchronously from the scheduler's grant: the request leaves when it was counted.
      const result = await generator.generate(request, call.signal);
      const usage = result.usage ?? null;
      feedback = { type: 'success', tokens: usage ? usage.inputTokens + usage.outputTokens : undefined };
      if (this.aborted) return feedback; // cancelled or stopped meanwhile: discard
      this.durations.push(performance.now() - startedAt);
      const text = checkOutput(result.text, options.output);
      this.record({ index, status: 'succeeded', text, error: null, attempts: this.totalAttempts(index), usage });
    } catch (caught) {
      if (this.aborted) return feedback; // the item stays pending
      const error = this.classify(caught, timedOut);
      if (error.kind === 'rate_limited') feedback = { type: 'rate_limited', retryAfterMs: error.retryAfterMs };
      this.fail(index, error, attempt);
    } finally {
      clearTimeout(timer);
      this.calls.delete(call);
      this.inFlight -= 1;
      this.checkSlice();
    }
    return feedback;
  }

  private classify(caught: unknown, timedOut: boolean): GenerationError {
    return toGenerationError(caught, timedOut ? this.ctx.options.timeoutMs : undefined);
  }

  private fail(index: number, error: GenerationError, attempt: number): void {
    const { retryPolicy, scheduler } = this.ctx;
    if (error.kind === 'unauthorized') {
      // A refused key fails every call alike: stop now instead of burning count x attempts calls.
      this.endMessage = `The generator refused the API key/credentials (unauthorized): ${error.message}`;
      this.end('unauthorized');
      return;
    }
    const rateLimited = this.rateLimitedNow.get(index) ?? 0;
    if (error.kind === 'rate_limited') this.rateLimitedNow.set(index, rateLimited + 1);
    const decision = retryPolicy.decide(error, error.kind === 'rate_limited' ? rateLimited + 1 : attempt - rateLimited);
    if (decision.retry) {
      this.logs.add('warning', `review ${index}: ${error.kind}, attempt ${attempt} failed, retry in ${decision.delayMs} ms`, {
        index,
        kind: error.kind,
        attempt,
        delayMs: decision.delayMs,
        error: error.message,
      });
      // The wait holds no slot: the item re-enters its lane when the delay ends.
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        scheduler.enqueue(this.jobId, this.callFor(index));
      }, decision.delayMs);
      this.retryTimers.add(timer);
      return;
    }
    const reason = `${error.kind}: ${error.message}`;
    this.logs.add('error', `review ${index} failed: ${reason}`, { index, kind: error.kind, attempts: attempt });
    this.record({ index, status: 'failed', text: null, error: reason, attempts: this.totalAttempts(index), usage: null });
  }

  private totalAttempts(index: number): number {
    return (this.attemptsBefore.get(index) ?? 0) + (this.attemptsNow.get(index) ?? 0);
  }

  private record(result: ItemResult): void {
    const { store, owner, events } = this.ctx;
    const write = store
      .recordItem(this.jobId, owner, result)
      .then((outcome) => {
        if (outcome.recorded) {
          const item: JobItem = { jobId: this.jobId, ...result, updatedAt: new Date().toISOString() };
          events.emit('item', { jobId: this.jobId, item });
          events.emit('progress', outcome.job);
          this.settleOne();
        } else if (outcome.reason === 'already_recorded' || outcome.reason === 'no_such_item') {
          this.settleOne();
        } else if (outcome.reason === 'cancel_requested') {
          this.end('cancel');
        } else {
          this.end('lost');
        }
      })
      .catch((error: unknown) => {
        // The result is not in the store; the item stays pending there. Give the job
        // back rather than finish it with a hole: the next claim redoes that item.
        this.ctx.reportError(new Error(`Recording item ${result.index} of job ${this.jobId} failed`, { cause: error }));
        this.end('stop');
      })
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  private settleOne(): void {
    this.remaining -= 1;
    if (this.remaining === 0) this.end('done');
  }
}
