import { MemoryJobStore } from '@review-jobs/adapter-memory';
import { ReviewJobRunner, type Job, type JobStore, type ReviewJobRunnerOptions, type SubmissionInput, type TextGenerator } from '@review-jobs/core';
import { FakeGenerator, type FakeGeneratorOptions } from '@review-jobs/core/testing';
import { afterEach } from 'vitest';

/** 12 s calls take 12 ms: the runner's logic at full speed, its timing in proportion. */
export const TIME_SCALE = 0.001;

const runners: ReviewJobRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()));
});

export function fakeGenerator(options: FakeGeneratorOptions = {}): FakeGenerator {
  return new FakeGenerator({ timeScale: TIME_SCALE, ...options });
}

/** A runner on a fresh MemoryJobStore (or the given one), closed after the test. */
export function makeRunner<G extends TextGenerator = FakeGenerator>(options: Partial<ReviewJobRunnerOptions> & { generator?: G } = {}) {
  const store: JobStore = options.store ?? new MemoryJobStore();
  const generator = options.generator ?? (fakeGenerator() as TextGenerator as G);
  const errors: Error[] = [];
  const runner = new ReviewJobRunner({
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    rateLimit: { windowMs: 60_000 * TIME_SCALE },
    lease: { durationMs: 2_000, heartbeatMs: 500 },
    ...options,
    store,
    generator,
  });
  runner.on('error', (error) => errors.push(error));
  runners.push(runner);
  return { runner, store, generator, errors };
}

let submissions = 0;
export function submission(overrides: Partial<SubmissionInput> = {}): SubmissionInput {
  submissions += 1;
  return {
    submissionId: `sub-${submissions}-${Math.random().toString(36).slice(2, 8)}`,
    placeName: '성수동 카페 온도',
    script: '핸드드립 커피가 맛있고 창가 자리가 조용함. 직원이 친절함',
    count: 10,
    ...overrides,
  };
}

/** The item index of a default-prompt request ("(3/10번째 리뷰"). */
export function indexOf(prompt: string): number {
  const match = /\((\d+)\/\d+번째/.exec(prompt);
  if (!match) throw new Error(`no index in prompt: ${prompt}`);
  return Number(match[1]);
}

export async function finished(runner: ReviewJobRunner, jobId: string): Promise<Job> {
  return runner.waitForJob(jobId, { timeoutMs: 10_000, pollIntervalMs: 50 });
}
