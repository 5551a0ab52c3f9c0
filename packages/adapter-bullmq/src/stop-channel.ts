import { Redis } from 'ioredis';
import type { FleetConnection } from './fleet-options.js';

/**
 * "Job X stopped (cancelled, or failed on a refused key): abort its calls". BullMQ's
 * `worker.cancelJob()` aborts a processor only in the worker's own process, so the
 * word goes round every process of the fleet over Redis pub/sub.
 */
export const stopChannelOf = (prefix: string, queueName: string): string => `${prefix}:${queueName}:review-jobs:stop`;

/** A connection of our own, with the fleet's settings: a subscribed connection can do nothing else. */
export function duplicateConnection(connection: FleetConnection): Redis {
  return connection instanceof Redis ? connection.duplicate() : new Redis({ ...connection, maxRetriesPerRequest: null });
}

export interface StopSubscription {
  close(): Promise<void>;
}

/** Calls `onStop(jobId)` for every stop published on `channel`; resolves once subscribed. */
export async function subscribeToStops(
  connection: FleetConnection,
  channel: string,
  onStop: (jobId: string) => void,
  onError: (error: Error) => void,
): Promise<StopSubscription> {
  const redis = duplicateConnection(connection);
  redis.on('error', onError);
  redis.on('message', (from: string, jobId: string) => {
    if (from === channel) onStop(jobId);
  });
  await redis.subscribe(channel);
  return {
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
