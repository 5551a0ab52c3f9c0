import type { Job, TokenUsage } from '../job.js';
import type { ItemResult, JobStore, NewJob } from '../job-store.js';

/** Lease for claims whose expiry a test does not wait for: never runs out mid-test. */
export const LONG_LEASE_MS = 60_000;

/** Stores may live on another machine (PostgreSQL): timestamps are compared this loosely. */
export const CLOCK_SLACK_MS = 5_000;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Unique per call, so tests never see each other's jobs, owners or creators. */
export const uniqueId = (label: string): string => `${label}-${globalThis.crypto.randomUUID()}`;

export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  const submissionId = overrides.submissionId ?? uniqueId('submission');
  const totalItems = overrides.totalItems ?? 3;
  return {
    type: 'reviews',
    submissionId,
    payload: { submissionId, placeName: 'Test Cafe', script: 'A quiet cafe by the river.', count: totalItems },
    totalItems,
    maxRetries: 3,
    createdBy: null,
    ...overrides,
  };
}

export function itemResult(
  index: number,
  status: ItemResult['status'] = 'succeeded',
  usage: TokenUsage | null = null,
): ItemResult {
  return status === 'succeeded'
    ? { index, status, text: `review ${index}`, error: null, attempts: 1, usage }
    : { index, status, text: null, error: `item ${index} failed`, attempts: 3, usage };
}

/** A new job, claimed by a new owner. */
export async function createClaimed(
  store: JobStore,
  overrides: Partial<NewJob> = {},
  leaseMs = LONG_LEASE_MS,
): Promise<{ job: Job; owner: string }> {
  const owner = uniqueId('owner');
  const { job } = await store.createJob(newJob(overrides));
  const claimed = await store.claimJob({ owner, jobId: job.id, leaseMs });
  if (!claimed) throw new Error(`setup: could not claim the new job ${job.id}`);
  return { job: claimed, owner };
}

/**
 * A finished job: item i gets outcomes[i - 1] ('pending' leaves it unrecorded), then the
 * owner finishes it with `status`.
 */
export async function createFinished(
  store: JobStore,
  outcomes: readonly ('succeeded' | 'failed' | 'pending')[],
  status: 'completed' | 'failed' | 'cancelled',
  overrides: Partial<NewJob> = {},
): Promise<Job> {
  const { job, owner } = await createClaimed(store, { totalItems: outcomes.length, ...overrides });
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome !== 'pending') await store.recordItem(job.id, owner, itemResult(i + 1, outcome));
  }
  const finished = await store.finishJob(job.id, owner, { status, errorMessage: status === 'failed' ? 'boom' : null });
  if (!finished) throw new Error(`setup: could not finish job ${job.id}`);
  return finished;
}

const DRAIN_LIMIT = 10_000;

/**
 * Claim and finish every claimable job, so that "claim the next job" tests see only
 * their own jobs even in a store shared by earlier tests (no cleanup). Jobs under a
 * short lease that is about to run out are waited for and drained too.
 */
export async function drainClaimable(store: JobStore, leaseMs: number): Promise<void> {
  await drainOnce(store);
  const soon = Date.now() + LONG_LEASE_MS / 2;
  const running = await store.listJobs({ status: 'running', limit: 200 });
  const expiries = running.rows
    .map((job) => (job.leaseExpiresAt === null ? Number.NaN : Date.parse(job.leaseExpiresAt)))
    .filter((expiry) => expiry < soon);
  if (expiries.length > 0) {
    await sleep(Math.max(0, Math.max(...expiries) - Date.now()) + expiryMargin(leaseMs));
    await drainOnce(store);
  }
}

async function drainOnce(store: JobStore): Promise<void> {
  const owner = uniqueId('drain');
  for (let i = 0; i < DRAIN_LIMIT; i++) {
    const job = await store.claimJob({ owner, leaseMs: LONG_LEASE_MS });
    if (!job) return;
    await store.finishJob(job.id, owner, { status: 'failed', errorMessage: 'drained by the conformance suite' });
  }
  throw new Error(`drain: still claiming after ${DRAIN_LIMIT} jobs; does claimJob ever return null?`);
}

/** How long past a lease's expiry a test waits before relying on it having expired. */
export const expiryMargin = (leaseMs: number): number => Math.max(50, leaseMs / 2);

/** The time an ISO timestamp stands for; fails the test when it is not one. */
export function timeOf(iso: string | null): number {
  const ms = iso === null ? Number.NaN : Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`expected an ISO timestamp, got ${JSON.stringify(iso)}`);
  return ms;
}
