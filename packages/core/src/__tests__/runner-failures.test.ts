import { describe, expect, it } from 'vitest';
import { GenerationError, type GenerateRequest, type TextGenerator } from '@review-jobs/core';
import { fakeGenerator, finished, indexOf, makeRunner, submission } from './runner-fixtures.js';

describe('ReviewJobRunner: failures, retries and the job going on', () => {
  it('retries retryable kinds with backoff and logs each retry', async () => {
    // Every item's first call fails transient, its second times out upstream: both retryable.
    const seen = new Map<number, number>();
    const generator = fakeGenerator({
      faultsFor: (_, request) => {
        const index = indexOf(request.prompt);
        const n = (seen.get(index) ?? 0) + 1;
        seen.set(index, n);
        return n === 1 ? 'transient' : n === 2 ? 'timeout' : undefined;
      },
    });
    const { runner, store } = makeRunner({ generator, concurrency: 4 });
    const { jobId } = await runner.start(submission({ count: 6 }));
    const job = await finished(runner, jobId);

    expect(job.status).toBe('completed');
    expect((await runner.listItems(jobId)).map((item) => item.attempts)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(generator.stats.calls).toBe(18);
    const warnings = (await store.listLogs(jobId, { limit: 100 })).rows.filter((log) => log.level === 'warning');
    expect(warnings).toHaveLength(12);
    expect(warnings[0]!.metadata).toMatchObject({ kind: expect.stringMatching(/transient|timeout/), delayMs: expect.any(Number) });
  });

  it('fails an item that runs out of attempts with its reason, and the job goes on', async () => {
    const generator = fakeGenerator({ faultsFor: (_, request) => (indexOf(request.prompt) === 3 ? 'transient' : undefined) });
    const { runner, store } = makeRunner({ generator, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    const { jobId } = await runner.start(submission({ count: 5 }));
    const job = await finished(runner, jobId);

    expect(job).toMatchObject({ status: 'failed', completedItems: 4, failedItems: 1, progress: 100, errorMessage: '1 of 5 items failed' });
    const item = (await runner.listItems(jobId))[2]!;
    expect(item).toMatchObject({ index: 3, status: 'failed', attempts: 3, text: null });
    expect(item.error).toMatch(/^transient: /);
    const errors = (await store.listLogs(jobId, { limit: 100 })).rows.filter((log) => log.level === 'error');
    expect(errors.map((log) => log.message)).toEqual([expect.stringMatching(/^review 3 failed: transient/)]);
  });

  it('does not retry blocked or invalid_request', async () => {
    const kinds = { 2: 'blocked', 4: 'invalid_request' } as const;
    const generator = fakeGenerator({ faultsFor: (_, request) => kinds[indexOf(request.prompt) as 2 | 4] });
    const { runner } = makeRunner({ generator });
    const { jobId } = await runner.start(submission({ count: 5 }));
    const job = await finished(runner, jobId);

    expect(job).toMatchObject({ status: 'failed', completedItems: 3, failedItems: 2 });
    expect(generator.stats.calls).toBe(5);
    const items = await runner.listItems(jobId);
    expect(items[1]).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/^blocked: /) });
    expect(items[3]).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/^invalid_request: /) });
  });

  it('retries a text that fails the output check (too short), then stores the trimmed text', async () => {
    const texts = (_: GenerateRequest, callNo: number) => (callNo === 1 ? '짧아요' : `  ${'맛있어요. '.repeat(12)}  `);
    const { runner } = makeRunner({ generator: fakeGenerator({ texts }), concurrency: 1 });
    const { jobId } = await runner.start(submission({ count: 1 }));
    expect((await finished(runner, jobId)).status).toBe('completed');
    const [item] = await runner.listItems(jobId);
    expect(item).toMatchObject({ attempts: 2, text: '맛있어요. '.repeat(12).trim() });
  });

  it('turns a call that never answers into a timeout, aborting it', async () => {
    let aborted = 0;
    const hanging: TextGenerator = {
      id: 'hanging',
      generate: (_, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted += 1;
            reject(new GenerationError('cancelled', 'aborted'));
          });
        }),
    };
    const { runner } = makeRunner({ generator: hanging, timeoutMs: 20, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const { jobId } = await runner.start(submission({ count: 2 }));
    expect((await finished(runner, jobId)).status).toBe('failed');
    const items = await runner.listItems(jobId);
    expect(items.map((item) => item.error)).toEqual([expect.stringMatching(/^timeout: No answer within 20 ms/), expect.stringMatching(/^timeout/)]);
    expect(aborted).toBe(4);
  });

  it('treats a non-GenerationError throw as transient', async () => {
    let calls = 0;
    const flaky: TextGenerator = {
      id: 'flaky',
      generate: async () => {
        calls += 1;
        if (calls === 1) throw new Error('socket hang up');
        return { text: '정말 좋은 곳이에요. '.repeat(6) };
      },
    };
    const { runner } = makeRunner({ generator: flaky, concurrency: 1 });
    const { jobId } = await runner.start(submission({ count: 1 }));
    expect((await finished(runner, jobId)).status).toBe('completed');
    expect((await runner.listItems(jobId))[0]!.attempts).toBe(2);
  });

  it('fails the whole job on unauthorized after at most one call per slot', async () => {
    const generator = fakeGenerator({ faults: { unauthorized: 1 }, latency: { medianMs: 20_000, sigma: 0.8 } });
    const { runner, store } = makeRunner({ generator, concurrency: 5 });
    const { jobId } = await runner.start(submission({ count: 50 }));
    const job = await finished(runner, jobId);

    expect(job.status).toBe('failed');
    expect(job.errorMessage).toMatch(/refused the API key\/credentials \(unauthorized\)/);
    expect(generator.stats.calls).toBeLessThanOrEqual(5);
    expect(job.completedItems + job.failedItems).toBe(0);
    const logs = (await store.listLogs(jobId)).rows;
    expect(logs.some((log) => log.level === 'error' && /unauthorized/.test(log.message))).toBe(true);
  });

  it('uses the prompt option over everything, and the submission template over the default', async () => {
    const generator = fakeGenerator();
    const { runner } = makeRunner({ generator, concurrency: 1 });
    const { jobId } = await runner.start(submission({ count: 2, promptTemplate: '{placeName} 리뷰 {index}/{count}: {script}' }));
    await finished(runner, jobId);
    expect(generator.requests.map((request) => request.prompt.split('\n')[0])).toEqual([
      '성수동 카페 온도 리뷰 1/2: 핸드드립 커피가 맛있고 창가 자리가 조용함. 직원이 친절함',
      '성수동 카페 온도 리뷰 2/2: 핸드드립 커피가 맛있고 창가 자리가 조용함. 직원이 친절함',
    ]);

    const custom = fakeGenerator();
    const other = makeRunner({ generator: custom, prompt: ({ index }) => ({ prompt: `custom ${index}` }) }).runner;
    const second = await other.start(submission({ count: 1, promptTemplate: 'ignored {index}' }));
    await finished(other, second.jobId);
    expect(custom.requests).toEqual([{ prompt: 'custom 1' }]);
  });
});
