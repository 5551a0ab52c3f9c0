import type { Job, JobStore } from '@review-jobs/core';

/** `run`: go on with the item; `cancel`: a cancel was asked, end the job; `gone`: not ours to touch (finished, or another owner). */
export type LeaseState = { state: 'run'; claimed: Job | null } | { state: 'cancel' } | { state: 'gone' };

/**
 * The store lease of a job worked by the fleet. Every worker writes under one owner (the
 * fleet's), so the store's fencing still keeps out anything else (a `runner.work()`
 * process, a zombie from before a takeover) while BullMQ's per-item lock decides which
 * worker runs which item. Each item renews the lease before its call; the first item
 * claims the job (pending -> running).
 */
export async function acquireFleetLease(store: JobStore, jobId: string, owner: string, leaseMs: number): Promise<LeaseState> {
  const beat = await store.heartbeat(jobId, owner, leaseMs);
  if (beat.held) return beat.cancelRequested ? { state: 'cancel' } : { state: 'run', claimed: null };
  const claimed = await store.claimJob({ owner, leaseMs, jobId });
  if (claimed) return claimed.cancelRequestedAt ? { state: 'cancel' } : { state: 'run', claimed };
  // Null also when a sibling worker claimed it a moment ago: then the lease is ours.
  const again = await store.heartbeat(jobId, owner, leaseMs);
  if (again.held) return again.cancelRequested ? { state: 'cancel' } : { state: 'run', claimed: null };
  return { state: 'gone' };
}
