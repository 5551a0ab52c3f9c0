import { MemoryJobStore } from '@review-jobs/adapter-memory';
import { GenerationError, ReviewJobRunner, type GenerateRequest, type GenerationErrorKind } from '@review-jobs/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BullMQDispatcher, itemJobId, startBullMQWorker, type BullMQWorkerHandle } from '@review-jobs/adapter-bullmq';
import { deletePrefix, redisAvailable, TEST_REDIS, uniquePrefix } from '../../test-support/test-redis.js';

const available = await redisAvailable();
const TEXT = '창가 자리에 앉아 브런치 세트를 먹었는데 양이 넉넉하고 커피도 진해서 좋았습니다. 직원분들도 친절하셨어요.';

/** A generator scripted per item index and attempt: a kind to throw, or undefined to answer. */
function scriptedGenerator(script: (index: number, attempt: number) => GenerationErrorKind | undefined) {
  const attempts = new Map<number, number>();
  const calls: number[] = [];
  return {
    calls,
    generator: {
      id: 'scripted',
      async generate(request: GenerateRequest) {
        const index = Number(/\((\d+)\//.exec(request.prompt)?.[1]);
        const attempt = (attempts.get(index) ?? 0) + 1;
        attempts.set(index, attempt);
        calls.push(index);
        const kind = script(index, attempt);
        if (kind) throw new GenerationError(kind, `scripted ${kind}`);
        return { text: TEXT };
      },
    },
  };
}

const submission = (count: number) => ({
  submissionId: `sub-${globalThis.crypto.randomUUID()}`,
  placeName: '해밀 카페',
  script: '브런치가 맛있음',
  count,
});

describe.skipIf(!available)('BullMQDispatcher + startBullMQWorker (one process, MemoryJobStore)', () => {
  let prefix: string;
  let store: MemoryJobStore;
  let runner: ReviewJobRunner;
  let dispatcher: BullMQDispatcher;
  let worker: BullMQWorkerHandle | undefined;
  const errors: Error[] = [];

  beforeEach(() => {
    prefix = uniquePrefix();
    store = new MemoryJobStore();
    dispatcher = new BullMQDispatcher({ connection: TEST_REDIS, prefix, store });
    runner = new ReviewJobRunner({ store, generator: scriptedGenerator(() => undefined).generator, dispatcher });
    errors.length = 0;
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await runner.close();
    await deletePrefix(prefix);
  });

  const startWorker = (generator: ReturnType<typeof scriptedGenerator>['generator']) =>
    startBullMQWorker({
      connection: TEST_REDIS,
      prefix,
      store,
      generator,
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      onError: (error) => errors.push(error),
    });

  it('start() queues one BullMQ job per item, a second dispatch adds none; a worker completes the job', async () => {
    const { jobId, job } = await runner.start(submission(20));
    await dispatcher.dispatch(job);
    expect(await dispatcher.queue.getJobCountByTypes('wait', 'prioritized')).toBe(20);
    expect(await dispatcher.queue.getJob(itemJobId(jobId, 0, 7))).toMatchObject({ data: { jobId, index: 7, round: 0 } });

    const scripted = scriptedGenerator(() => undefined);
    worker = await startWorker(scripted.generator);
    const done = await runner.waitForJob(jobId, { timeoutMs: 10_000, pollIntervalMs: 20 });
    expect(done).toMatchObject({ status: 'completed', completedItems: 20, failedItems: 0, progress: 100 });
    expect(scripted.calls.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const items = await store.listItems(jobId);
    expect(items.every((item) => item.status === 'succeeded' && item.text === TEXT && item.attempts === 1)).toBe(true);
    expect((await store.listLogs(jobId)).rows.map((log) => log.message)).toEqual(
      expect.arrayContaining(['started 20 reviews', 'finished: 20 succeeded, 0 failed']),
    );
    expect(errors).toEqual([]);
  });

  it("keeps the runner's retry rules: retryable kinds retried, others fail the item with the reason; retry() reruns only failed items", async () => {
    const scripted = scriptedGenerator((index, attempt) => {
      if (index === 2 && attempt <= 2) return 'transient';
      if (index === 3) return 'timeout'; // retryable, but never succeeds: failed after 3 attempts
      if (index === 4 && attempt === 1) return 'blocked'; // not retryable
      return undefined;
    });
    worker = await startWorker(scripted.generator);
    const { jobId } = await runner.start(submission(5));
    const done = await runner.waitForJob(jobId, { timeoutMs: 10_000, pollIntervalMs: 20 });
    expect(done).toMatchObject({ status: 'failed', completedItems: 3, failedItems: 2, errorMessage: '2 of 5 items failed' });
    const items = await store.listItems(jobId);
    expect(items.map((item) => [item.index, item.status, item.attempts])).toEqual([
      [1, 'succeeded', 1],
      [2, 'succeeded', 3],
      [3, 'failed', 3],
      [4, 'failed', 1],
      [5, 'succeeded', 1],
    ]);
    expect(items[2]!.error).toBe('timeout: scripted timeout');
    expect(items[3]!.error).toBe('blocked: scripted blocked');

    // Round 2: only items 3 and 4 are queued; 4 passes now, 3 still times out.
    await runner.retry(jobId);
    const again = await runner.waitForJob(jobId, { timeoutMs: 10_000, pollIntervalMs: 20 });
    expect(again).toMatchObject({ status: 'failed', completedItems: 4, failedItems: 1, retryCount: 1 });
    expect(scripted.calls.filter((index) => index === 1 || index === 2 || index === 5)).toHaveLength(5);
    expect((await store.listItems(jobId))[3]).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(errors).toEqual([]);
  });

  it('unauthorized fails the whole job at once, without calling for the remaining items', async () => {
    const scripted = scriptedGenerator(() => 'unauthorized');
    worker = await startWorker(scripted.generator);
    const { jobId } = await runner.start(submission(40));
    const done = await runner.waitForJob(jobId, { timeoutMs: 10_000, pollIntervalMs: 20 });
    expect(done.status).toBe('failed');
    expect(done.errorMessage).toMatch(/unauthorized/);
    // Only what was already in flight (the worker's concurrency, 10) was called.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(scripted.calls.length).toBeLessThanOrEqual(10);
    expect(await dispatcher.queue.getJobCountByTypes('wait', 'prioritized', 'delayed')).toBe(0);
  });
});
