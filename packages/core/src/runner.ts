import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { EventEmitter } from 'eventemitter3';
import type { RunnerEvents } from './events.js';
import { JobLoop, type JobLoopResult, type JobSlice } from './job-loop.js';
import { JobNotFoundError } from './job-not-found-error.js';
import type { JobStore, ListJobsFilter, Page, StatusCounts } from './job-store.js';
import { isTerminal, type Job, type JobItem, type JobLog } from './job.js';
import { RateLimiter } from './rate-limiter.js';
import { RetryPolicy } from './retry-policy.js';
import { parseRunnerOptions, type ResolvedRunnerOptions, type ReviewJobRunnerOptions } from './runner-options.js';
import { Scheduler } from './scheduler.js';
import { submissionSchema, type SubmissionInput } from './submission.js';
import { fieldErrorsOf, SubmissionValidationError } from './validation-error.js';
import { waitFor } from './wait-for.js';

export interface StartResult {
  jobId: string;
  created: boolean;
  job: Job;
}

export interface WaitForJobOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** How often to read the store for jobs that run in another process. Default 1000. */
  pollIntervalMs?: number;
}

export interface WorkOptions {
  signal?: AbortSignal;
  /** How long to wait before asking the store again when nothing was claimable. Default 1000. */
  pollIntervalMs?: number;
  /** At most this many jobs at once; by default as many as the concurrency keeps busy. */
  maxJobs?: number;
}

export interface RunForOptions {
  /** When the host stops us (epoch ms or Date). */
  deadline: number | Date;
  /** Kept free before the deadline to release the lease and answer. Default 1000. */
  marginMs?: number;
}

/**
 * Runs review-generation jobs: validates and creates them, generates their items
 * through one shared, rate-limited scheduler, and keeps every decision in the store so
 * another runner can take over after a crash. See DESIGN.md "The runner".
 */
export class ReviewJobRunner extends EventEmitter<RunnerEvents> {
  readonly owner: string;
  readonly store: JobStore;

  private readonly options: ResolvedRunnerOptions;
  private readonly scheduler: Scheduler;
  private readonly retryPolicy: RetryPolicy;
  private readonly loops = new Map<string, JobLoop>();
  /** Claims on their way; close() waits for them so none ends up holding a lease. */
  private readonly claims = new Set<Promise<unknown>>();
  private readonly shutdown = new AbortController();
  private readonly wakers = new Set<() => void>();
  private closing: Promise<void> | undefined;

  constructor(options: ReviewJobRunnerOptions) {
    super();
    this.options = parseRunnerOptions(options);
    this.store = this.options.store;
    this.owner = this.options.owner ?? `runner-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.retryPolicy = new RetryPolicy(this.options.retry);
    this.scheduler = new Scheduler({
      concurrency: this.options.concurrency,
      limiter: new RateLimiter(this.options.rateLimit),
      fallbackPauseMs: Math.max(this.options.retry.baseDelayMs, 1),
      onRateLimited: (jobId, retryAfterMs, concurrency) => this.loops.get(jobId)?.noteRateLimited(retryAfterMs, concurrency),
      onError: (error) => this.reportError(error),
    });
  }

  /**
   * Validate, create (or find the active job of the same submission: `created: false`)
   * and, with `autoRun`, run it here in the background. Returns at once.
   */
  async start(submission: SubmissionInput, options: { createdBy?: string | null } = {}): Promise<StartResult> {
    const parsed = submissionSchema.safeParse(submission);
    if (!parsed.success) throw new SubmissionValidationError(fieldErrorsOf(parsed.error));
    const { job, created } = await this.store.createJob({
      type: this.options.jobType,
      submissionId: parsed.data.submissionId,
      payload: parsed.data,
      totalItems: parsed.data.count,
      maxRetries: this.options.maxRetries,
      createdBy: options.createdBy ?? null,
    });
    if (!isTerminal(job.status)) await this.hand(job);
    return { jobId: job.id, created, job };
  }

  getJob(jobId: string): Promise<Job | null> {
    return this.store.getJob(jobId);
  }

  listItems(jobId: string): Promise<JobItem[]> {
    return this.store.listItems(jobId);
  }

  listJobs(filter?: ListJobsFilter): Promise<Page<Job>> {
    return this.store.listJobs(filter);
  }

  countJobs(filter?: { createdBy?: string }): Promise<StatusCounts> {
    return this.store.countJobs(filter);
  }

  listLogs(jobId: string, options?: { limit?: number; cursor?: string }): Promise<Page<JobLog>> {
    return this.store.listLogs(jobId, options);
  }

  /**
   * Resolves with the job once it is completed, failed or cancelled: at once from this
   * runner's events, and by reading the store for jobs that run elsewhere.
   * Rejects with JobNotFoundError, on timeout, or when `signal` aborts.
   */
  waitForJob(jobId: string, options: WaitForJobOptions = {}): Promise<Job> {
    return waitFor<Job>({
      subscribe: (settle) => {
        const onStatus = (job: Job) => {
          if (job.id === jobId && isTerminal(job.status)) settle(job);
        };
        this.on('status', onStatus);
        return () => this.off('status', onStatus);
      },
      poll: async () => {
        const job = await this.store.getJob(jobId);
        if (!job) throw new JobNotFoundError(jobId);
        return isTerminal(job.status) ? job : undefined;
      },
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      what: `job ${jobId}`,
    });
  }

  /**
   * Ask the job to stop. A job running here stops at once (in-flight calls aborted,
   * late results discarded) and ends `cancelled`; one running elsewhere stops at its
   * runner's next heartbeat. Returns the job as it is after the request.
   */
  async cancel(jobId: string): Promise<Job | null> {
    const job = await this.store.requestCancel(jobId);
    const loop = this.loops.get(jobId);
    if (loop) loop.cancel();
    else if (job?.status === 'cancelled') this.emit('status', job);
    if (job) await this.options.dispatcher?.cancel?.(jobId);
    return job;
  }

  /**
   * Take a finished job with failed or unfinished items back to pending and, with
   * `autoRun`, run it here. Succeeded items are never generated again. JobStateError
   * (not finished, nothing to retry, retries exhausted) passes through.
   */
  async retry(jobId: string): Promise<Job> {
    const job = await this.store.resetForRetry(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    this.emit('status', job);
    await this.hand(job);
    return job;
  }

  /**
   * Worker loop: claims claimable jobs (new, or abandoned by a dead runner) while the
   * scheduler has spare slots. Resolves when `signal` aborts (this loop's jobs are
   * stopped gracefully and their leases released) or when close() is called.
   */
  async work(options: WorkOptions = {}): Promise<void> {
    const pollIntervalMs = options.pollIntervalMs ?? 1000;
    const maxJobs = options.maxJobs ?? Infinity;
    const stop = options.signal ? AbortSignal.any([this.shutdown.signal, options.signal]) : this.shutdown.signal;
    const mine = new Set<JobLoop>();
    while (!stop.aborted) {
      let claimed: JobLoop | undefined;
      if (this.loops.size < maxJobs && this.scheduler.spareCapacity > 0) {
        claimed = await this.claimAndStart(undefined, undefined).catch((error: unknown) => {
          this.reportError(new Error('Claiming a job failed', { cause: error }));
          return undefined;
        });
      }
      if (claimed) {
        mine.add(claimed);
        void claimed.finished.then(() => mine.delete(claimed));
        // Its items are queued once ready resolves; only then does spareCapacity mean something.
        await claimed.ready;
        continue;
      }
      await this.idle(pollIntervalMs, stop);
    }
    for (const loop of mine) loop.stop();
    await Promise.all([...mine].map((loop) => loop.finished));
  }

  /**
   * A time slice for serverless hosts: claim the job, work until `deadline - marginMs`
   * (starting no item an average call would not finish; aborting what is still in
   * flight at the end, which stays pending), release the lease and return. Call again
   * to continue; `done` is true once the job is finished. A job already running in
   * this runner, or leased by another, is returned as it is (`done: false`).
   */
  async runFor(jobId: string, options: RunForOptions): Promise<{ job: Job; done: boolean }> {
    const deadline = options.deadline instanceof Date ? options.deadline.getTime() : options.deadline;
    if (!Number.isFinite(deadline)) throw new TypeError('deadline: must be a Date or epoch milliseconds');
    const marginMs = options.marginMs ?? 1000;
    if (!(marginMs >= 0)) throw new TypeError('marginMs: must be a number >= 0');
    const existing = this.loops.get(jobId);
    const loop = existing ? undefined : await this.claimAndStart(jobId, { stopAt: deadline - marginMs });
    const result: JobLoopResult | undefined = loop ? await loop.finished : undefined;
    const job = result?.job ?? (await this.store.getJob(jobId));
    if (!job) throw new JobNotFoundError(jobId);
    return { job, done: isTerminal(job.status) };
  }

  /**
   * Graceful shutdown: stop claiming, abort in-flight calls (not a cancel: their items
   * stay pending), flush logs and release every lease so another runner resumes at
   * once. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.shutdown.abort();
      for (const wake of this.wakers) wake();
      await Promise.allSettled([...this.claims]);
      const loops = [...this.loops.values()];
      for (const loop of loops) loop.stop();
      await Promise.all(loops.map((loop) => loop.finished));
      this.scheduler.close();
      await this.options.dispatcher?.close?.();
    })();
    return this.closing;
  }

  /** A job to run: to the dispatcher when there is one, else here with autoRun. */
  private async hand(job: Job): Promise<void> {
    if (this.options.dispatcher) await this.options.dispatcher.dispatch(job);
    else if (this.options.autoRun) this.runInBackground(job.id);
  }

  private runInBackground(jobId: string): void {
    if (this.loops.has(jobId)) return;
    this.claimAndStart(jobId, undefined).catch((error: unknown) => {
      this.reportError(new Error(`Running job ${jobId} failed`, { cause: error }));
    });
  }

  /** Claim (a given job, or the next claimable one) and start its loop; undefined when nothing was claimed. */
  private async claimAndStart(jobId: string | undefined, slice: JobSlice | undefined): Promise<JobLoop | undefined> {
    if (this.shutdown.signal.aborted) return undefined;
    const claim = this.store.claimJob({ owner: this.owner, leaseMs: this.options.lease.durationMs, jobId });
    this.claims.add(claim);
    let job: Job | null;
    try {
      job = await claim;
    } finally {
      this.claims.delete(claim);
    }
    if (!job) return undefined;
    if (this.shutdown.signal.aborted || this.loops.has(job.id)) {
      await this.store.releaseJob(job.id, this.owner);
      return undefined;
    }
    const loop = new JobLoop(
      {
        store: this.store,
        generator: this.options.generator,
        scheduler: this.scheduler,
        retryPolicy: this.retryPolicy,
        owner: this.owner,
        options: this.options,
        events: this,
        reportError: (error) => this.reportError(error),
      },
      job,
      slice,
    );
    this.loops.set(job.id, loop);
    void loop.finished.then(() => {
      this.loops.delete(job.id);
      for (const wake of this.wakers) wake();
    });
    return loop;
  }

  /** Sleep until `ms` pass, a job ends (capacity freed) or `stop` aborts. */
  private idle(ms: number, stop: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop.removeEventListener('abort', done);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      stop.addEventListener('abort', done);
      this.wakers.add(done);
    });
  }

  private reportError(error: Error): void {
    try {
      this.emit('error', error);
    } catch {
      // A throwing 'error' listener must not turn background work into an unhandled rejection.
    }
  }
}
