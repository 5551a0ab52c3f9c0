import type { Job, JobStore } from '@review-jobs/core';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FleetConnection } from './fleet-options.js';
import type { ItemJobData } from './item-job.js';
import { removeQueuedItems } from './queued-items.js';
import { duplicateConnection } from './stop-channel.js';

/** Stops a job across the fleet: tells every worker to abort its calls, and empties its part of the queue. */
export class FleetControl {
  private publisher: Redis | undefined;

  constructor(
    private readonly connection: FleetConnection,
    private readonly queue: Queue<ItemJobData>,
    private readonly store: JobStore,
    private readonly channel: string,
  ) {}

  async stop(job: Job): Promise<void> {
    this.publisher ??= duplicateConnection(this.connection);
    // The broadcast first: it is what stops calls that are running now.
    await this.publisher.publish(this.channel, job.id);
    await removeQueuedItems(this.queue, this.store, job);
  }

  async close(): Promise<void> {
    const publisher = this.publisher;
    this.publisher = undefined;
    await publisher?.quit().catch(() => publisher.disconnect());
  }
}
