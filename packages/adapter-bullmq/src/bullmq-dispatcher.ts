import type { Job, JobDispatcher } from '@review-jobs/core';
import { Queue } from 'bullmq';
import { FleetControl } from './fleet-control.js';
import { fleetOptionsSchema, parseFleetOptions, type FleetOptions, type ResolvedFleetOptions } from './fleet-options.js';
import { finishEarly } from './finish-job.js';
import type { ItemJobData } from './item-job.js';
import { enqueueItems } from './queued-items.js';
import { stopChannelOf } from './stop-channel.js';

export type BullMQDispatcherOptions = FleetOptions;

/**
 * The runner's `dispatcher`: `runner.start()` and `runner.retry()` put the job's pending
 * items on a BullMQ queue instead of running them here, and workers anywhere
 * (`startBullMQWorker`) process them; progress, items and logs stay in the store.
 *
 * @example
 * const dispatcher = new BullMQDispatcher({ connection: { host: 'redis' }, store });
 * const runner = new ReviewJobRunner({ store, generator, dispatcher });
 */
export class BullMQDispatcher implements JobDispatcher {
  readonly queue: Queue<ItemJobData>;
  private readonly options: ResolvedFleetOptions;
  private readonly control: FleetControl;

  constructor(options: BullMQDispatcherOptions) {
    this.options = parseFleetOptions('BullMQDispatcher', fleetOptionsSchema.strict(), options);
    const { connection, prefix, queueName, store } = this.options;
    this.queue = new Queue<ItemJobData>(queueName, { connection, prefix });
    // Connection trouble is reported by the rejected calls themselves; an 'error' event with no listener would throw.
    this.queue.on('error', () => {});
    this.control = new FleetControl(connection, this.queue, store, stopChannelOf(prefix, queueName));
  }

  /** Queue the job's pending items (this round's: a second dispatch of the same round adds nothing). */
  async dispatch(job: Job): Promise<void> {
    await enqueueItems(this.queue, this.options.store, job);
  }

  /**
   * After the store recorded the cancel: abort the job's calls on every worker (pub/sub),
   * end it `cancelled` (the store refuses item writes from now on, so nothing is lost by
   * not waiting for the workers) and take its waiting items off the queue.
   */
  async cancel(jobId: string): Promise<void> {
    const { store, owner } = this.options;
    const job = await store.getJob(jobId);
    if (!job) return;
    await this.control.stop(job);
    if (job.status === 'running' && job.cancelRequestedAt !== null) {
      await finishEarly(store, owner, jobId, { status: 'cancelled' }, { level: 'warning', message: 'cancelled' });
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.control.close(), this.queue.close()]);
  }
}

export const createBullMQDispatcher = (options: BullMQDispatcherOptions): BullMQDispatcher => new BullMQDispatcher(options);
