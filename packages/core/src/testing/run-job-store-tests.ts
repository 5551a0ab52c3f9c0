import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOB_STATUSES, type Job } from '../job.js';
import type { JobStore } from '../job-store.js';
import {
  CLOCK_SLACK_MS,
  LONG_LEASE_MS,
  createClaimed,
  createFinished,
  drainClaimable,
  expiryMargin,
  itemResult,
  newJob,
  sleep,
  timeOf,
  uniqueId,
} from './store-test-helpers.js';

export interface JobStoreTestOptions {
  /** Called after each test, e.g. to truncate tables. */
  cleanup?: () => Promise<void> | void;
  /** Lease lengths used by the suite; default 200 ms. Stores with coarse clocks may raise it. */
  leaseMs?: number;
}

/**
 * The conformance suite of the JobStore contract (see job-store.ts): one test per
 * point, each reading the result back from the store. Call it at the top level of a
 * test file. Tests do not depend on each other or on their order: each creates its own
 * jobs, under fresh submission ids, owners and creators, so a store shared by all tests
 * (a real database without `cleanup`) passes too.
 *
 * @example
 * runJobStoreTests(() => new MemoryJobStore());
 */
export function runJobStoreTests(
  makeStore: () => JobStore | Promise<JobStore>,
  options: JobStoreTestOptions = {},
): void {
  const leaseMs = options.leaseMs ?? 200;
  if (!Number.isInteger(leaseMs) || leaseMs < 1) {
    throw new TypeError(`options.leaseMs: expected a positive integer, got ${String(leaseMs)}`);
  }
  /** Let a lease of `leaseMs` run out, with room for a busy machine. */
  const expire = (): Promise<void> => sleep(leaseMs + expiryMargin(leaseMs));
  // Room for the lease waits plus a slow remote store.
  const timeout = 10_000 + 4 * leaseMs;
  const test = (name: string, fn: () => Promise<void>): void => {
    it(name, fn, timeout);
  };

  let store: JobStore;
  beforeEach(async () => {
    store = await makeStore();
  });
  afterEach(async () => {
    await options.cleanup?.();
  });

  /** The stored job; fails the test when it is gone. */
  const read = async (jobId: string): Promise<Job> => {
    const job = await store.getJob(jobId);
    if (!job) throw new Error(`job ${jobId} disappeared from the store`);
    return job;
  };

  describe('JobStore conformance', () => {
    describe('createJob', () => {
      test('creates a pending job with items 1..N pending, counters 0, progress 0', async () => {
        const input = newJob({ totalItems: 4, maxRetries: 2, createdBy: uniqueId('user') });
        const before = Date.now();
        const { job, created } = await store.createJob(input);

        expect(created).toBe(true);
        expect(await store.getJob(job.id)).toEqual(job);
        expect(job).toMatchObject({
          type: input.type,
          submissionId: input.submissionId,
          status: 'pending',
          payload: input.payload,
          totalItems: 4,
          completedItems: 0,
          failedItems: 0,
          progress: 0,
          usage: { inputTokens: 0, outputTokens: 0 },
          createdBy: input.createdBy,
          startedAt: null,
          finishedAt: null,
          errorMessage: null,
          retryCount: 0,
          maxRetries: 2,
          cancelRequestedAt: null,
          leaseOwner: null,
          leaseExpiresAt: null,
        });
        expect(Math.abs(timeOf(job.createdAt) - before)).toBeLessThan(CLOCK_SLACK_MS);

        const items = await store.listItems(job.id);
        expect(items.map((item) => item.index)).toEqual([1, 2, 3, 4]);
        for (const item of items) {
          expect(item).toMatchObject({ jobId: job.id, status: 'pending', text: null, attempts: 0, error: null });
        }
      });

      test('dedupe: an active job for the submission is returned with created: false, nothing written', async () => {
        const createdBy = uniqueId('user');
        const input = newJob({ createdBy, totalItems: 2 });
        const first = await store.createJob(input);

        const again = await store.createJob({ ...input, totalItems: 9 });
        expect(again.created).toBe(false);
        expect(again.job).toEqual(await read(first.job.id));
        expect((await store.countJobs({ createdBy })).pending).toBe(1);
        expect(await store.listItems(first.job.id)).toHaveLength(2);

        // Still one job while it runs.
        const running = await store.claimJob({ owner: uniqueId('owner'), jobId: first.job.id, leaseMs: LONG_LEASE_MS });
        const whileRunning = await store.createJob(input);
        expect(whileRunning).toEqual({ job: running, created: false });
        const counts = await store.countJobs({ createdBy });
        expect(counts.pending + counts.running).toBe(1);
      });

      test('a new job for the submission is allowed once the old one is terminal', async () => {
        const input = newJob();
        const old = await store.createJob(input);
        await store.requestCancel(old.job.id);

        const next = await store.createJob(input);
        expect(next.created).toBe(true);
        expect(next.job.id).not.toBe(old.job.id);
        expect(next.job.status).toBe('pending');
        expect((await read(old.job.id)).status).toBe('cancelled');
      });
    });

    describe('getJob', () => {
      test('returns null for an unknown id and for a malformed id', async () => {
        expect(await store.getJob(globalThis.crypto.randomUUID())).toBeNull();
        expect(await store.getJob('not-a-job-id')).toBeNull();
        expect(await store.getJob('')).toBeNull();
      });
    });

    describe('listJobs', () => {
      test('lists newest first', async () => {
        const createdBy = uniqueId('user');
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          ids.push((await store.createJob(newJob({ createdBy }))).job.id);
          await sleep(5); // distinct createdAt, so the order is creation order
        }
        const page = await store.listJobs({ createdBy });
        expect(page.rows.map((job) => job.id)).toEqual(ids.reverse());
        expect(page.nextCursor).toBeNull();
      });

      test('filters by one status and by a list of statuses', async () => {
        const createdBy = uniqueId('user');
        const pending = (await store.createJob(newJob({ createdBy }))).job;
        const { job: running } = await createClaimed(store, { createdBy });
        const cancelled = (await store.createJob(newJob({ createdBy }))).job;
        await store.requestCancel(cancelled.id);

        const ids = async (status: Job['status'] | Job['status'][]) =>
          (await store.listJobs({ createdBy, status })).rows.map((job) => job.id).sort();
        expect(await ids('pending')).toEqual([pending.id]);
        expect(await ids('running')).toEqual([running.id]);
        expect(await ids(['running', 'cancelled'])).toEqual([running.id, cancelled.id].sort());
        expect(await ids(['completed', 'failed'])).toEqual([]);
      });

      test('filters by createdBy', async () => {
        const alice = uniqueId('alice');
        const bob = uniqueId('bob');
        const aliceJob = (await store.createJob(newJob({ createdBy: alice }))).job;
        await store.createJob(newJob({ createdBy: bob }));

        const page = await store.listJobs({ createdBy: alice });
        expect(page.rows.map((job) => job.id)).toEqual([aliceJob.id]);
        expect((await store.listJobs({ createdBy: uniqueId('nobody') })).rows).toEqual([]);
      });

      test('limit and cursor: the pages cover every job exactly once, newest first', async () => {
        const createdBy = uniqueId('user');
        // No pauses: several jobs may share a createdAt, so the id tie-break is exercised.
        const ids = new Set<string>();
        for (let i = 0; i < 7; i++) ids.add((await store.createJob(newJob({ createdBy }))).job.id);

        const seen: Job[] = [];
        const sizes: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listJobs({ createdBy, limit: 3, cursor });
          sizes.push(page.rows.length);
          seen.push(...page.rows);
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined && sizes.length < 10);

        expect(sizes).toEqual([3, 3, 1]);
        expect(seen.map((job) => job.id).sort()).toEqual([...ids].sort());
        expect(seen.map((job) => job.id)).toEqual((await store.listJobs({ createdBy })).rows.map((job) => job.id));
        const times = seen.map((job) => timeOf(job.createdAt));
        expect(times).toEqual([...times].sort((a, b) => b - a));
      });
    });

    describe('countJobs', () => {
      test('counts every status, zeros included', async () => {
        const createdBy = uniqueId('user');
        await store.createJob(newJob({ createdBy }));
        await store.createJob(newJob({ createdBy }));
        await createClaimed(store, { createdBy });
        await createFinished(store, ['succeeded'], 'completed', { createdBy });
        await store.requestCancel((await store.createJob(newJob({ createdBy }))).job.id);

        expect(await store.countJobs({ createdBy })).toEqual({
          pending: 2,
          running: 1,
          completed: 1,
          failed: 0,
          cancelled: 1,
        });
        const none = await store.countJobs({ createdBy: uniqueId('nobody') });
        expect(none).toEqual(Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])));
        const all = await store.countJobs();
        expect(Object.keys(all).sort()).toEqual([...JOB_STATUSES].sort());
        expect(all.pending).toBeGreaterThanOrEqual(2);
      });
    });

    describe('claimJob', () => {
      test('claims a pending job: running, startedAt, lease owner and expiry = now + leaseMs', async () => {
        const { job } = await store.createJob(newJob());
        const owner = uniqueId('owner');
        const before = Date.now();
        const claimed = await store.claimJob({ owner, jobId: job.id, leaseMs: LONG_LEASE_MS });

        expect(claimed).toEqual(await read(job.id));
        expect(claimed).toMatchObject({ id: job.id, status: 'running', leaseOwner: owner });
        expect(Math.abs(timeOf(claimed!.startedAt) - before)).toBeLessThan(CLOCK_SLACK_MS);
        expect(Math.abs(timeOf(claimed!.leaseExpiresAt) - (before + LONG_LEASE_MS))).toBeLessThan(CLOCK_SLACK_MS);
      });

      test('sets startedAt on the first claim only', async () => {
        const { job, owner } = await createClaimed(store);
        await store.releaseJob(job.id, owner);
        await sleep(10);
        const again = await store.claimJob({ owner: uniqueId('owner'), jobId: job.id, leaseMs: LONG_LEASE_MS });

        expect(again?.startedAt).toBe(job.startedAt);
        expect((await read(job.id)).startedAt).toBe(job.startedAt);
      });

      test('a live lease held by another owner cannot be claimed', async () => {
        const { job, owner } = await createClaimed(store);

        expect(await store.claimJob({ owner: uniqueId('other'), jobId: job.id, leaseMs: LONG_LEASE_MS })).toBeNull();
        expect(await read(job.id)).toEqual(job);
        expect((await read(job.id)).leaseOwner).toBe(owner);
      });

      test('an expired lease can be taken over by another owner', async () => {
        const { job } = await createClaimed(store, {}, leaseMs);
        await expire();
        const other = uniqueId('other');
        const taken = await store.claimJob({ owner: other, jobId: job.id, leaseMs: LONG_LEASE_MS });

        expect(taken).toMatchObject({ id: job.id, status: 'running', leaseOwner: other, startedAt: job.startedAt });
        expect((await read(job.id)).leaseOwner).toBe(other);
      });

      test('returns null for an unknown job and for a finished job', async () => {
        const owner = uniqueId('owner');
        const finished = await createFinished(store, ['succeeded'], 'completed');

        expect(await store.claimJob({ owner, jobId: globalThis.crypto.randomUUID(), leaseMs: LONG_LEASE_MS })).toBeNull();
        expect(await store.claimJob({ owner, jobId: finished.id, leaseMs: LONG_LEASE_MS })).toBeNull();
        expect(await read(finished.id)).toEqual(finished);
      });

      test('without jobId claims the oldest claimable job', async () => {
        await drainClaimable(store, leaseMs);
        const oldest = (await store.createJob(newJob())).job;
        await sleep(5);
        const newest = (await store.createJob(newJob())).job;

        const first = await store.claimJob({ owner: uniqueId('owner'), leaseMs: LONG_LEASE_MS });
        const second = await store.claimJob({ owner: uniqueId('owner'), leaseMs: LONG_LEASE_MS });
        expect(first?.id).toBe(oldest.id);
        expect(second?.id).toBe(newest.id);
        expect(await store.claimJob({ owner: uniqueId('owner'), leaseMs: LONG_LEASE_MS })).toBeNull();
      });

      test('two owners claiming one job at the same time: exactly one wins', async () => {
        for (let round = 0; round < 5; round++) {
          const { job } = await store.createJob(newJob());
          const owners = [uniqueId('a'), uniqueId('b')];
          const results = await Promise.all(
            owners.map((owner) => store.claimJob({ owner, jobId: job.id, leaseMs: LONG_LEASE_MS })),
          );

          const winners = results.filter((result) => result !== null);
          expect(winners).toHaveLength(1);
          expect((await read(job.id)).leaseOwner).toBe(winners[0]!.leaseOwner);
        }
      });

      test('8 concurrent claims without jobId over 5 jobs: each job is claimed exactly once', async () => {
        await drainClaimable(store, leaseMs);
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await store.createJob(newJob())).job.id);

        const owners = Array.from({ length: 8 }, () => uniqueId('worker'));
        const results = await Promise.all(owners.map((owner) => store.claimJob({ owner, leaseMs: LONG_LEASE_MS })));

        const claimed = results.filter((result) => result !== null);
        expect(claimed.map((job) => job.id).sort()).toEqual([...ids].sort());
        for (const [i, result] of results.entries()) {
          if (result) expect((await read(result.id)).leaseOwner).toBe(owners[i]);
        }
      });
    });

    describe('heartbeat', () => {
      test('renews the lease: the job stays unclaimable after the original expiry', async () => {
        const { job, owner } = await createClaimed(store, {}, leaseMs);

        expect(await store.heartbeat(job.id, owner, leaseMs * 10)).toEqual({ held: true, cancelRequested: false });
        expect(timeOf((await read(job.id)).leaseExpiresAt)).toBeGreaterThan(timeOf(job.leaseExpiresAt));
        await expire();
        expect(await store.claimJob({ owner: uniqueId('other'), jobId: job.id, leaseMs })).toBeNull();
        expect((await read(job.id)).leaseOwner).toBe(owner);
      });

      test('held: false for a non-owner and for an owner whose job was taken over', async () => {
        const { job, owner } = await createClaimed(store, {}, leaseMs);
        const other = uniqueId('other');
        expect((await store.heartbeat(job.id, other, leaseMs)).held).toBe(false);
        expect((await read(job.id)).leaseOwner).toBe(owner);

        await expire();
        await store.claimJob({ owner: other, jobId: job.id, leaseMs: LONG_LEASE_MS });
        expect((await store.heartbeat(job.id, owner, LONG_LEASE_MS)).held).toBe(false);
        expect((await read(job.id)).leaseOwner).toBe(other);
        expect((await store.heartbeat(job.id, other, LONG_LEASE_MS)).held).toBe(true);
      });

      test('held: false once the job is released or finished, and for an unknown job', async () => {
        const { job, owner } = await createClaimed(store);
        await store.releaseJob(job.id, owner);
        expect((await store.heartbeat(job.id, owner, LONG_LEASE_MS)).held).toBe(false);

        const again = await store.claimJob({ owner, jobId: job.id, leaseMs: LONG_LEASE_MS });
        await store.finishJob(again!.id, owner, { status: 'completed' });
        expect((await store.heartbeat(job.id, owner, LONG_LEASE_MS)).held).toBe(false);
        expect((await read(job.id)).leaseOwner).toBeNull();
        expect((await store.heartbeat(globalThis.crypto.randomUUID(), owner, LONG_LEASE_MS)).held).toBe(false);
      });

      test('reports cancelRequested once a cancel was requested', async () => {
        const { job, owner } = await createClaimed(store);
        expect(await store.heartbeat(job.id, owner, LONG_LEASE_MS)).toEqual({ held: true, cancelRequested: false });

        await store.requestCancel(job.id);
        expect(await store.heartbeat(job.id, owner, LONG_LEASE_MS)).toEqual({ held: true, cancelRequested: true });
      });
    });

    describe('releaseJob', () => {
      test('the job stays running and another owner can claim it at once', async () => {
        const { job, owner } = await createClaimed(store);
        await store.releaseJob(job.id, owner);
        expect((await read(job.id)).status).toBe('running');

        const other = uniqueId('other');
        const taken = await store.claimJob({ owner: other, jobId: job.id, leaseMs: LONG_LEASE_MS });
        expect(taken?.leaseOwner).toBe(other);
        expect((await read(job.id)).leaseOwner).toBe(other);
      });

      test('is a no-op for a non-owner', async () => {
        const { job } = await createClaimed(store);
        await store.releaseJob(job.id, uniqueId('other'));

        expect(await read(job.id)).toEqual(job);
        expect(await store.claimJob({ owner: uniqueId('third'), jobId: job.id, leaseMs: LONG_LEASE_MS })).toBeNull();
      });
    });

    describe('recordItem', () => {
      test('updates the item, counters, progress and usage in one step; the returned job equals getJob', async () => {
        const { job, owner } = await createClaimed(store, { totalItems: 4 });

        const first = await store.recordItem(job.id, owner, itemResult(2, 'succeeded', { inputTokens: 10, outputTokens: 20 }));
        expect(first.recorded).toBe(true);
        const afterFirst = await read(job.id);
        expect(first.recorded && first.job).toEqual(afterFirst);
        expect(afterFirst).toMatchObject({
          completedItems: 1,
          failedItems: 0,
          progress: 25,
          usage: { inputTokens: 10, outputTokens: 20 },
        });

        const second = await store.recordItem(job.id, owner, itemResult(3, 'failed', { inputTokens: 5, outputTokens: 0 }));
        const afterSecond = await read(job.id);
        expect(second.recorded && second.job).toEqual(afterSecond);
        expect(afterSecond).toMatchObject({
          completedItems: 1,
          failedItems: 1,
          progress: 50,
          usage: { inputTokens: 15, outputTokens: 20 },
        });

        const items = await store.listItems(job.id);
        expect(items[1]).toMatchObject({
          index: 2,
          status: 'succeeded',
          text: 'review 2',
          error: null,
          attempts: 1,
          usage: { inputTokens: 10, outputTokens: 20 },
        });
        expect(timeOf(items[1]!.updatedAt)).toBeGreaterThan(0);
        expect(items[2]).toMatchObject({ index: 3, status: 'failed', text: null, error: 'item 3 failed', attempts: 3 });
        expect(items[0]!.status).toBe('pending');
        expect(items[3]!.status).toBe('pending');
      });

      test('a duplicate record is refused with already_recorded and changes nothing', async () => {
        const { job, owner } = await createClaimed(store);
        await store.recordItem(job.id, owner, itemResult(1));
        const before = await read(job.id);
        const itemsBefore = await store.listItems(job.id);

        expect(await store.recordItem(job.id, owner, itemResult(1, 'failed'))).toEqual({
          recorded: false,
          reason: 'already_recorded',
        });
        expect(await store.recordItem(job.id, owner, itemResult(1))).toEqual({
          recorded: false,
          reason: 'already_recorded',
        });
        expect(await read(job.id)).toEqual(before);
        expect(await store.listItems(job.id)).toEqual(itemsBefore);
      });

      test("a stale owner's write after a takeover is refused with not_owner and changes nothing", async () => {
        const { job, owner: stale } = await createClaimed(store, {}, leaseMs);
        await expire();
        const fresh = uniqueId('fresh');
        await store.claimJob({ owner: fresh, jobId: job.id, leaseMs: LONG_LEASE_MS });
        const before = await read(job.id);
        const itemsBefore = await store.listItems(job.id);

        expect(await store.recordItem(job.id, stale, itemResult(1))).toEqual({ recorded: false, reason: 'not_owner' });
        expect(await read(job.id)).toEqual(before);
        expect(await store.listItems(job.id)).toEqual(itemsBefore);
        expect((await store.recordItem(job.id, fresh, itemResult(1))).recorded).toBe(true);
      });

      test('refused with cancel_requested after requestCancel', async () => {
        const { job, owner } = await createClaimed(store);
        await store.requestCancel(job.id);
        const before = await read(job.id);

        expect(await store.recordItem(job.id, owner, itemResult(1))).toEqual({
          recorded: false,
          reason: 'cancel_requested',
        });
        expect(await read(job.id)).toEqual(before);
        expect((await store.listItems(job.id))[0]!.status).toBe('pending');
      });

      test('refused when the job is not running', async () => {
        // A job that is not running has no lease either, so 'not_owner' is as right as 'not_running'.
        const refusedForState = ['not_running', 'not_owner'];
        const pending = (await store.createJob(newJob())).job;
        const outcome = await store.recordItem(pending.id, uniqueId('owner'), itemResult(1));
        expect(outcome.recorded).toBe(false);
        expect(refusedForState).toContain(!outcome.recorded && outcome.reason);
        expect(await read(pending.id)).toEqual(pending);

        const { job, owner } = await createClaimed(store, { totalItems: 2 });
        await store.recordItem(job.id, owner, itemResult(1));
        const finished = await store.finishJob(job.id, owner, { status: 'failed', errorMessage: 'stopped' });
        const late = await store.recordItem(job.id, owner, itemResult(2));
        expect(late.recorded).toBe(false);
        expect(refusedForState).toContain(!late.recorded && late.reason);
        expect(await read(job.id)).toEqual(finished);
        expect((await store.listItems(job.id))[1]!.status).toBe('pending');
      });

      test('an unknown index is refused with no_such_item', async () => {
        const { job, owner } = await createClaimed(store, { totalItems: 3 });
        for (const index of [0, 4, -1]) {
          expect(await store.recordItem(job.id, owner, itemResult(index))).toEqual({
            recorded: false,
            reason: 'no_such_item',
          });
        }
        expect(await read(job.id)).toEqual(job);
      });

      test('20 different items recorded concurrently: the counters are exactly 20', async () => {
        const { job, owner } = await createClaimed(store, { totalItems: 20 });
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.recordItem(job.id, owner, itemResult(i + 1, i < 15 ? 'succeeded' : 'failed', { inputTokens: 1, outputTokens: 2 })),
          ),
        );

        expect(outcomes.every((outcome) => outcome.recorded)).toBe(true);
        expect(await read(job.id)).toMatchObject({
          completedItems: 15,
          failedItems: 5,
          progress: 100,
          usage: { inputTokens: 20, outputTokens: 40 },
        });
        const statuses = (await store.listItems(job.id)).map((item) => item.status);
        expect(statuses.filter((status) => status === 'succeeded')).toHaveLength(15);
        expect(statuses.filter((status) => status === 'failed')).toHaveLength(5);
      });
    });

    describe('listItems', () => {
      test('lists all N items in index order', async () => {
        const { job, owner } = await createClaimed(store, { totalItems: 12 });
        for (const index of [7, 12, 1]) await store.recordItem(job.id, owner, itemResult(index));

        const items = await store.listItems(job.id);
        expect(items.map((item) => item.index)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
        expect(items.filter((item) => item.status === 'succeeded').map((item) => item.index)).toEqual([1, 7, 12]);
      });

      test('returns [] for an unknown job', async () => {
        expect(await store.listItems(globalThis.crypto.randomUUID())).toEqual([]);
      });
    });

    describe('appendLogs and listLogs', () => {
      test('newest first, in append order within a batch and across batches', async () => {
        const { job } = await store.createJob(newJob());
        await store.appendLogs(job.id, [
          { level: 'info', message: 'a' },
          { level: 'info', message: 'b' },
          { level: 'warning', message: 'c' },
        ]);
        await store.appendLogs(job.id, [{ level: 'error', message: 'd' }]);

        const page = await store.listLogs(job.id);
        expect(page.rows.map((log) => log.message)).toEqual(['d', 'c', 'b', 'a']);
        expect(page.nextCursor).toBeNull();
        expect(new Set(page.rows.map((log) => log.id)).size).toBe(4);
        for (const log of page.rows) expect(log.jobId).toBe(job.id);
      });

      test('limit and cursor: the pages cover every log exactly once; default limit 50', async () => {
        const { job } = await store.createJob(newJob());
        const messages = Array.from({ length: 57 }, (_, i) => `line ${i}`);
        await store.appendLogs(
          job.id,
          messages.map((message) => ({ level: 'info' as const, message })),
        );

        const firstDefault = await store.listLogs(job.id);
        expect(firstDefault.rows).toHaveLength(50);
        expect(firstDefault.nextCursor).not.toBeNull();

        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.listLogs(job.id, { limit: 20, cursor });
          seen.push(...page.rows.map((log) => log.message));
          cursor = page.nextCursor ?? undefined;
          pages += 1;
        } while (cursor !== undefined && pages < 10);
        expect(pages).toBe(3);
        expect(seen).toEqual([...messages].reverse());
      });

      test('round-trips level, message, metadata and the event time', async () => {
        const { job } = await store.createJob(newJob());
        const at = '2024-05-01T12:34:56.789Z';
        const metadata = { item: 3, reason: 'rate_limited', nested: { retryAfterMs: 1200, tags: ['a', 'b'] } };
        const before = Date.now();
        await store.appendLogs(job.id, [
          { level: 'warning', message: 'retrying', metadata, at },
          { level: 'info', message: 'plain' },
        ]);

        const rows = (await store.listLogs(job.id)).rows;
        const retrying = rows.find((log) => log.message === 'retrying');
        const plain = rows.find((log) => log.message === 'plain');
        expect(retrying).toMatchObject({ level: 'warning', metadata });
        expect(timeOf(retrying!.createdAt)).toBe(Date.parse(at));
        expect(plain).toMatchObject({ level: 'info', metadata: null });
        expect(Math.abs(timeOf(plain!.createdAt) - before)).toBeLessThan(CLOCK_SLACK_MS);
      });

      test('an unknown job: append is a no-op, list is empty', async () => {
        const unknown = globalThis.crypto.randomUUID();
        await store.appendLogs(unknown, [{ level: 'info', message: 'lost' }]);
        expect(await store.listLogs(unknown)).toEqual({ rows: [], nextCursor: null });
      });
    });

    describe('requestCancel', () => {
      test('a pending job is cancelled at once', async () => {
        const { job } = await store.createJob(newJob());
        const cancelled = await store.requestCancel(job.id);

        expect(cancelled).toEqual(await read(job.id));
        expect(cancelled).toMatchObject({ status: 'cancelled', leaseOwner: null });
        expect(timeOf(cancelled!.finishedAt)).toBeGreaterThan(0);
      });

      test('a running job without a live lease is cancelled at once', async () => {
        const { job, owner } = await createClaimed(store);
        await store.releaseJob(job.id, owner);
        const cancelled = await store.requestCancel(job.id);

        expect(cancelled).toEqual(await read(job.id));
        expect(cancelled).toMatchObject({ status: 'cancelled', leaseOwner: null, leaseExpiresAt: null });
        expect(timeOf(cancelled!.finishedAt)).toBeGreaterThan(0);
      });

      test('a running job with a live lease: cancelRequestedAt set, still running, heartbeat reports it', async () => {
        const { job, owner } = await createClaimed(store);
        const flagged = await store.requestCancel(job.id);

        expect(flagged).toEqual(await read(job.id));
        expect(flagged).toMatchObject({ status: 'running', leaseOwner: owner, finishedAt: null });
        expect(timeOf(flagged!.cancelRequestedAt)).toBeGreaterThan(0);
        expect(await store.heartbeat(job.id, owner, LONG_LEASE_MS)).toEqual({ held: true, cancelRequested: true });
      });

      test("the owner's finishJob then ends it cancelled, whatever was asked", async () => {
        const { job, owner } = await createClaimed(store);
        await store.requestCancel(job.id);
        const finished = await store.finishJob(job.id, owner, { status: 'completed' });

        expect(finished).toEqual(await read(job.id));
        expect(finished).toMatchObject({ status: 'cancelled', leaseOwner: null });
        expect(timeOf(finished!.finishedAt)).toBeGreaterThan(0);
      });

      test('a terminal job is left unchanged', async () => {
        const completed = await createFinished(store, ['succeeded'], 'completed');
        expect(await store.requestCancel(completed.id)).toEqual(completed);
        expect(await read(completed.id)).toEqual(completed);
      });

      test('returns null for an unknown job', async () => {
        expect(await store.requestCancel(globalThis.crypto.randomUUID())).toBeNull();
      });
    });

    describe('finishJob', () => {
      test('is fenced: a non-owner gets null and nothing changes', async () => {
        const { job } = await createClaimed(store);
        expect(await store.finishJob(job.id, uniqueId('other'), { status: 'completed' })).toBeNull();
        expect(await read(job.id)).toEqual(job);
        expect(await store.finishJob(globalThis.crypto.randomUUID(), uniqueId('other'), { status: 'failed' })).toBeNull();
      });

      test('sets the status, finishedAt and errorMessage and clears the lease', async () => {
        const { job, owner } = await createClaimed(store);
        const before = Date.now();
        const finished = await store.finishJob(job.id, owner, { status: 'failed', errorMessage: 'generator unauthorized' });

        expect(finished).toEqual(await read(job.id));
        expect(finished).toMatchObject({
          status: 'failed',
          errorMessage: 'generator unauthorized',
          leaseOwner: null,
          leaseExpiresAt: null,
          startedAt: job.startedAt,
        });
        expect(Math.abs(timeOf(finished!.finishedAt) - before)).toBeLessThan(CLOCK_SLACK_MS);
        // The lease is gone: the same owner cannot finish it twice, nobody can claim it.
        expect(await store.finishJob(job.id, owner, { status: 'completed' })).toBeNull();
        expect(await store.claimJob({ owner, jobId: job.id, leaseMs: LONG_LEASE_MS })).toBeNull();
        expect(await read(job.id)).toEqual(finished);
      });
    });

    describe('resetForRetry', () => {
      test('failed items back to pending (attempts kept), succeeded untouched, counters and job reset', async () => {
        const finished = await createFinished(store, ['succeeded', 'failed', 'succeeded', 'failed'], 'failed');
        const itemsBefore = await store.listItems(finished.id);
        const reset = await store.resetForRetry(finished.id);

        expect(reset).toEqual(await read(finished.id));
        expect(reset).toMatchObject({
          status: 'pending',
          completedItems: 2,
          failedItems: 0,
          progress: 50,
          retryCount: finished.retryCount + 1,
          errorMessage: null,
          finishedAt: null,
          cancelRequestedAt: null,
          leaseOwner: null,
          leaseExpiresAt: null,
        });
        const items = await store.listItems(finished.id);
        expect(items[0]).toEqual(itemsBefore[0]);
        expect(items[2]).toEqual(itemsBefore[2]);
        for (const i of [1, 3]) {
          expect(items[i]).toMatchObject({ status: 'pending', text: null, error: null, attempts: itemsBefore[i]!.attempts });
        }
      });

      test('refused with not_terminal for a running job', async () => {
        const { job } = await createClaimed(store);
        await expect(store.resetForRetry(job.id)).rejects.toMatchObject({ name: 'JobStateError', code: 'not_terminal' });
        expect(await read(job.id)).toEqual(job);
      });

      test('refused with nothing_to_retry when every item succeeded', async () => {
        const completed = await createFinished(store, ['succeeded', 'succeeded'], 'completed');
        await expect(store.resetForRetry(completed.id)).rejects.toMatchObject({
          name: 'JobStateError',
          code: 'nothing_to_retry',
        });
        expect(await read(completed.id)).toEqual(completed);
      });

      test('refused with retries_exhausted once retryCount reached maxRetries', async () => {
        const first = await createFinished(store, ['failed'], 'failed', { maxRetries: 1 });
        expect((await store.resetForRetry(first.id))?.retryCount).toBe(1);
        const owner = uniqueId('owner');
        await store.claimJob({ owner, jobId: first.id, leaseMs: LONG_LEASE_MS });
        await store.recordItem(first.id, owner, itemResult(1, 'failed'));
        const again = await store.finishJob(first.id, owner, { status: 'failed', errorMessage: 'still failing' });

        await expect(store.resetForRetry(first.id)).rejects.toMatchObject({
          name: 'JobStateError',
          code: 'retries_exhausted',
        });
        expect(await read(first.id)).toEqual(again);
      });

      test('refused with submission_active while another job of the submission is active', async () => {
        const failed = await createFinished(store, ['succeeded', 'failed'], 'failed');
        const { job: newer, created } = await store.createJob(newJob({ submissionId: failed.submissionId }));
        expect(created).toBe(true);

        await expect(store.resetForRetry(failed.id)).rejects.toMatchObject({
          name: 'JobStateError',
          code: 'submission_active',
        });
        expect(await read(failed.id)).toEqual(failed);
        // Still one active job, and createJob still dedupes to it.
        expect(await store.createJob(newJob({ submissionId: failed.submissionId }))).toMatchObject({
          created: false,
          job: { id: newer.id },
        });
      });

      test('returns null for an unknown job', async () => {
        expect(await store.resetForRetry(globalThis.crypto.randomUUID())).toBeNull();
      });

      test('a cancelled job with pending items can be retried', async () => {
        const { job } = await store.createJob(newJob());
        await store.requestCancel(job.id);
        const reset = await store.resetForRetry(job.id);

        expect(reset).toEqual(await read(job.id));
        expect(reset).toMatchObject({ status: 'pending', retryCount: 1, finishedAt: null });
      });

      test('after a reset the job is claimable again and its items can be recorded', async () => {
        // Ends cancelled with cancelRequestedAt set: the reset must clear it, or recordItem stays refused.
        const { job, owner } = await createClaimed(store, { totalItems: 2 });
        await store.recordItem(job.id, owner, itemResult(1));
        await store.requestCancel(job.id);
        await store.finishJob(job.id, owner, { status: 'completed' });
        expect((await store.resetForRetry(job.id))?.cancelRequestedAt).toBeNull();

        const next = uniqueId('next');
        const claimed = await store.claimJob({ owner: next, jobId: job.id, leaseMs: LONG_LEASE_MS });
        expect(claimed).toMatchObject({ status: 'running', leaseOwner: next });
        expect((await store.recordItem(job.id, next, itemResult(2))).recorded).toBe(true);
        expect(await read(job.id)).toMatchObject({ completedItems: 2, progress: 100 });
      });
    });
  });
}
