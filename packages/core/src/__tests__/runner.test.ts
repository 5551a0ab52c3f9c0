import { describe, expect, it } from 'vitest';
import { RunnerOptionsError, SubmissionValidationError, type JobItem } from '@review-jobs/core';
import { fakeGenerator, finished, makeRunner, submission } from './runner-fixtures.js';

describe('ReviewJobRunner: a job end to end', () => {
  it('generates every item, records progress, logs the story and completes', async () => {
    const { runner, store, errors } = makeRunner({ concurrency: 5 });
    const progress: number[] = [];
    const items: JobItem[] = [];
    runner.on('progress', (job) => progress.push(job.progress));
    runner.on('item', ({ item }) => items.push(item));

    const { jobId, created, job } = await runner.start(submission({ count: 12 }), { createdBy: 'admin-1' });
    expect(created).toBe(true);
    expect(job.status).toBe('pending');
    const done = await finished(runner, jobId);

    expect(done.status).toBe('completed');
    expect(done).toMatchObject({ completedItems: 12, failedItems: 0, progress: 100, createdBy: 'admin-1', leaseOwner: null });
    expect(progress).toHaveLength(12);
    expect(progress.at(-1)).toBe(100);
    expect(items.map((item) => item.index).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const stored = await runner.listItems(jobId);
    for (const item of stored) {
      expect(item.status).toBe('succeeded');
      expect(item.attempts).toBe(1);
      expect([...item.text!].length).toBeGreaterThanOrEqual(100);
      expect(item.text).toContain('성수동 카페 온도');
    }
    expect(done.usage.outputTokens).toBeGreaterThan(0);
    const logs = (await store.listLogs(jobId, { limit: 100 })).rows.map((log) => log.message);
    expect(logs).toContain('started 12 reviews');
    expect(logs).toContain('finished: 12 succeeded, 0 failed');
    expect(errors).toEqual([]);
  });

  it('dedupes: a second start of the same submission returns the active job, created: false', async () => {
    const { runner, generator } = makeRunner();
    const input = submission({ count: 3 });
    const first = await runner.start(input);
    const second = await runner.start(input);
    expect(second).toMatchObject({ jobId: first.jobId, created: false });
    await finished(runner, first.jobId);
    expect(generator.stats.calls).toBe(3);
  });

  it('rejects a bad submission naming the fields, and writes nothing', async () => {
    const { runner, store } = makeRunner();
    const bad = { ...submission(), count: 0, palceName: 'typo' } as never;
    const error = await runner.start(bad).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SubmissionValidationError);
    expect((error as SubmissionValidationError).fieldErrors).toMatchObject({ count: [expect.any(String)], palceName: ['unknown field'] });
    expect((error as Error).message).toMatch(/count: .*palceName: unknown field|palceName: unknown field.*count: /);
    expect((await store.listJobs()).rows).toEqual([]);
  });

  it('rejects bad options with a TypeError naming the field', () => {
    const generator = fakeGenerator();
    expect(() => makeRunner({ generator, concurrency: 0 })).toThrow(RunnerOptionsError);
    expect(() => makeRunner({ generator, concurrency: 0 })).toThrow(/concurrency: /);
    expect(() => makeRunner({ generator, concurrency: 0 })).toThrow(TypeError);
    expect(() => makeRunner({ generator, rateLimit: { requestsPerMinute: -1 } })).toThrow(/rateLimit\.requestsPerMinute: /);
    expect(() => makeRunner({ generator, lease: { durationMs: 100, heartbeatMs: 200 } })).toThrow(/lease\.heartbeatMs: /);
    expect(() => makeRunner({ generator: {} as never })).toThrow(/generator: must be a TextGenerator/);
  });

  it('has a unique owner per runner unless one is given', () => {
    const a = makeRunner().runner;
    const b = makeRunner().runner;
    expect(a.owner).toMatch(/^runner-.+-\d+-[0-9a-f]{8}$/);
    expect(a.owner).not.toBe(b.owner);
    expect(makeRunner({ owner: 'worker-7' }).runner.owner).toBe('worker-7');
  });
});
