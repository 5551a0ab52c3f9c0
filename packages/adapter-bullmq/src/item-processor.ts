import {
  buildItemRequest,
  checkOutput,
  toGenerationError,
  type GenerateRequest,
  type GenerationError,
  type ItemResult,
  type Job,
  type JobPayload,
  type JobStore,
  type ResolvedRunnerOptions,
  type RetryPolicy,
  type TextGenerator,
  type TokenUsage,
} from '@review-jobs/core';
import { DelayedError, type Job as BullJob } from 'bullmq';
import { acquireFleetLease } from './fleet-lease.js';
import { finishEarly, finishIfSettled } from './finish-job.js';
import type { ItemJobData } from './item-job.js';
import { RetryItemError } from './retry-item-error.js';

/** What became of one BullMQ item job (its return value, visible in BullMQ dashboards). */
export type ItemOutcome = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** The reason the worker passes to `worker.cancelJob()` when the fleet stops a job. */
export const STOP_REASON = 'review-jobs:stop';

export type GenerationSettings = Pick<
  ResolvedRunnerOptions,
  'retry' | 'timeoutMs' | 'output' | 'prompt' | 'maxOutputTokens' | 'temperature'
>;

export interface ItemProcessorContext {
  store: JobStore;
  generator: TextGenerator;
  owner: string;
  leaseMs: number;
  retryPolicy: RetryPolicy;
  settings: GenerationSettings;
  /** A 429: hold the whole fleet back for `ms` (BullMQ's manual rate limit). */
  pauseFleet: (ms: number) => Promise<void>;
  /** A refused key: end the job now and stop its other items everywhere. */
  stopJob: (jobId: string) => Promise<void>;
  /**
   * The rate limit's bound holds only for calls that leave soon after BullMQ counted
   * them (see fleetRateLimit's `skewMs`): an item that would call later than this after
   * it was counted (a slow store, a busy event loop) goes back to the queue instead, to
   * be counted again. Undefined: no such check (no rate limit, or a raw one).
   */
  callWithinMs: number | undefined;
}

/** Jobs this process knows: how many it keeps (the most recent). */
const KNOWN_JOBS = 1_000;

interface KnownJob {
  /** The job's retryCount: a runner.retry() starts from the store again. */
  round: number;
  /** Read once per process: a payload never changes. */
  payload: JobPayload | undefined;
  /** When this process last renewed the job's lease (Date.now()). */
  renewedAt: number;
}

/**
 * One item of a review job, as one BullMQ job: the same steps and rules as the runner's
 * job loop (core's prompt, output check, error classification and RetryPolicy), with
 * BullMQ in place of the in-process scheduler: its global limiter paces the calls, its
 * delayed set holds the retries, its stalled-job check recovers a crashed worker's item.
 */
export class ItemProcessor {
  private readonly known = new Map<string, KnownJob>();

  constructor(private readonly ctx: ItemProcessorContext) {}

  async process(bullJob: BullJob<ItemJobData>, token: string | undefined, signal: AbortSignal): Promise<ItemOutcome> {
    const { store, owner, leaseMs, generator, settings } = this.ctx;
    const { jobId, index, round } = bullJob.data;
    // The lease is renewed at most every quarter lease per process: the store round trip
    // sits between BullMQ counting the item and the call, which the rate limit's bound
    // needs short. A stop broadcast forgets the job, so its next item asks the store.
    const known = this.known.get(jobId);
    const fresh = known !== undefined && known.round === round && Date.now() - known.renewedAt < leaseMs / 4;
    const lease = fresh ? ({ state: 'run', claimed: null } as const) : await acquireFleetLease(store, jobId, owner, leaseMs);
    if (lease.state === 'gone') return 'skipped';
    if (lease.state === 'cancel') return this.endCancelled(jobId);
    if (!fresh) this.remember(jobId, { round, payload: known?.payload ?? lease.claimed?.payload, renewedAt: Date.now() });
    if (lease.claimed) await this.logClaim(lease.claimed);
    // A re-run after a crash: the item may have been recorded just before the worker died.
    if (bullJob.stalledCounter > 0 && (await this.alreadySettled(jobId, index))) return 'skipped';

    const attempt = bullJob.attemptsMade + 1;
    const payload = await this.payloadOf(jobId, round);
    let request: GenerateRequest;
    try {
      request = buildItemRequest(payload, index, settings);
    } catch (error) {
      const reason = toGenerationError(error);
      return this.recordFailure(bullJob, attempt, `invalid_request: The prompt option threw: ${reason.message}`);
    }

    await this.checkCallWindow(bullJob, token);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), settings.timeoutMs);
    let text: string;
    let usage: TokenUsage | null;
    try {
      const result = await generator.generate(request, AbortSignal.any([signal, timeout.signal]));
      if (signal.aborted) return this.aborted(signal);
      text = checkOutput(result.text, settings.output);
      usage = result.usage ?? null;
    } catch (caught) {
      if (signal.aborted) return this.aborted(signal);
      return await this.handleFailure(bullJob, attempt, toGenerationError(caught, timeout.signal.aborted ? settings.timeoutMs : undefined));
    } finally {
      clearTimeout(timer);
    }
    // Outside the try: a store failure here is not the generator's (BullMQ retries the item as transient).
    return this.record(jobId, { index, status: 'succeeded', text, error: null, attempts: bullJob.data.attemptsBefore + attempt, usage });
  }

  private async checkCallWindow(bullJob: BullJob<ItemJobData>, token: string | undefined): Promise<void> {
    const { callWithinMs } = this.ctx;
    if (callWithinMs === undefined || token === undefined || bullJob.processedOn === undefined) return;
    if (Date.now() - bullJob.processedOn <= callWithinMs) return;
    // Not an attempt: DelayedError tells BullMQ the job was moved on purpose.
    await bullJob.moveToDelayed(Date.now(), token);
    throw new DelayedError();
  }

  /**
   * BullMQ gave the item up without our say (the store failed on every attempt, or the
   * item stalled more than `maxStalledCount` times): record it failed, best effort, so
   * the job can still end and be retried.
   */
  async abandon(bullJob: BullJob<ItemJobData>, reason: string): Promise<void> {
    const { store, owner, leaseMs } = this.ctx;
    const lease = await acquireFleetLease(store, bullJob.data.jobId, owner, leaseMs);
    if (lease.state !== 'run') return;
    await this.recordFailure(bullJob, Math.max(bullJob.attemptsMade, 1), `transient: ${reason}`);
  }

  private async handleFailure(bullJob: BullJob<ItemJobData>, attempt: number, error: GenerationError): Promise<ItemOutcome> {
    const { store, retryPolicy, settings } = this.ctx;
    const { jobId, index } = bullJob.data;
    if (error.kind === 'unauthorized') {
      // A refused key fails every call alike: end the job now instead of burning count x attempts calls.
      const message = `The generator refused the API key/credentials (unauthorized): ${error.message}`;
      await finishEarly(store, this.ctx.owner, jobId, { status: 'failed', errorMessage: message }, { level: 'error', message });
      await this.ctx.stopJob(jobId);
      return 'failed';
    }
    // As the job loop counts: 429s apart from the item's own attempts (see RetryPolicy).
    const rateLimited = bullJob.data.rateLimited ?? 0;
    const limited = error.kind === 'rate_limited';
    const decision = retryPolicy.decide(error, limited ? rateLimited + 1 : attempt - rateLimited);
    if (!decision.retry) return this.recordFailure(bullJob, attempt, `${error.kind}: ${error.message}`);
    if (limited) {
      await bullJob.updateData({ ...bullJob.data, rateLimited: rateLimited + 1 });
      await this.ctx.pauseFleet(error.retryAfterMs ?? Math.max(settings.retry.baseDelayMs, 1));
    }
    await store.appendLogs(jobId, [
      {
        level: 'warning',
        message: `review ${index}: ${error.kind}, attempt ${attempt} failed, retry in ${decision.delayMs} ms`,
        metadata: { index, kind: error.kind, attempt, delayMs: decision.delayMs, error: error.message },
      },
    ]);
    throw new RetryItemError(error, decision.delayMs);
  }

  private async recordFailure(bullJob: BullJob<ItemJobData>, attempt: number, reason: string): Promise<ItemOutcome> {
    const { jobId, index } = bullJob.data;
    await this.ctx.store.appendLogs(jobId, [
      { level: 'error', message: `review ${index} failed: ${reason}`, metadata: { index, attempts: attempt } },
    ]);
    const attempts = bullJob.data.attemptsBefore + attempt;
    return this.record(jobId, { index, status: 'failed', text: null, error: reason, attempts, usage: null });
  }

  private async record(jobId: string, result: ItemResult): Promise<ItemOutcome> {
    const { store, owner, leaseMs } = this.ctx;
    let outcome = await store.recordItem(jobId, owner, result);
    if (!outcome.recorded && (outcome.reason === 'not_owner' || outcome.reason === 'not_running')) {
      // The lease lapsed during a long call (nothing renewed it meanwhile): take it back if nobody else did.
      const lease = await acquireFleetLease(store, jobId, owner, leaseMs);
      if (lease.state === 'cancel') return this.endCancelled(jobId);
      if (lease.state === 'run') outcome = await store.recordItem(jobId, owner, result);
    }
    if (outcome.recorded) {
      await finishIfSettled(store, owner, outcome.job);
      return result.status;
    }
    if (outcome.reason === 'cancel_requested') return this.endCancelled(jobId);
    if (outcome.reason === 'already_recorded') {
      const job = await store.getJob(jobId);
      if (job) await finishIfSettled(store, owner, job);
    }
    return 'skipped';
  }

  /** Our own stop (cancel, refused key): the item stays pending and this BullMQ job is done. Anything else: BullMQ retries it. */
  private aborted(signal: AbortSignal): ItemOutcome {
    if (signal.reason === STOP_REASON) return 'cancelled';
    throw new Error(`The item was aborted (${String(signal.reason)})`);
  }

  /** Whoever sees the cancel first ends the job; finishJob lets one win. */
  private async endCancelled(jobId: string): Promise<ItemOutcome> {
    await finishEarly(this.ctx.store, this.ctx.owner, jobId, { status: 'cancelled' }, { level: 'warning', message: 'cancelled' });
    return 'cancelled';
  }

  private async alreadySettled(jobId: string, index: number): Promise<boolean> {
    const item = (await this.ctx.store.listItems(jobId)).find((candidate) => candidate.index === index);
    if (item?.status === 'pending') return false;
    const job = await this.ctx.store.getJob(jobId);
    if (job) await finishIfSettled(this.ctx.store, this.ctx.owner, job);
    return true;
  }

  private async logClaim(job: Job): Promise<void> {
    const left = job.totalItems - job.completedItems - job.failedItems;
    const message = left === job.totalItems ? `started ${left} reviews` : `resumed: ${left} of ${job.totalItems} reviews left`;
    await this.ctx.store.appendLogs(job.id, [{ level: 'info', message, metadata: { left, generator: this.ctx.generator.id } }]);
  }

  /** The fleet stopped the job: its next item here asks the store again. */
  forget(jobId: string): void {
    this.known.delete(jobId);
  }

  private remember(jobId: string, entry: KnownJob): void {
    this.known.delete(jobId);
    if (this.known.size >= KNOWN_JOBS) this.known.delete(this.known.keys().next().value as string);
    this.known.set(jobId, entry);
  }

  private async payloadOf(jobId: string, round: number): Promise<JobPayload> {
    const known = this.known.get(jobId);
    if (known?.payload) return known.payload;
    const job = await this.ctx.store.getJob(jobId);
    if (!job) throw new Error(`Job ${jobId} disappeared from the store`);
    this.remember(jobId, { round, payload: job.payload, renewedAt: known?.renewedAt ?? 0 });
    return job.payload;
  }
}
