import { Subscribable } from './subscribable.js';

/**
 * "A job changed because this app changed it" (start, cancel, retry). Lists that only
 * poll (useJobs, useJobLogs) refetch at once instead of waiting for their next tick.
 */
export class JobInvalidations extends Subscribable {
  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
