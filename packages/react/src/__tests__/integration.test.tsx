import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryJobStore } from '@review-jobs/adapter-memory';
import { ReviewJobRunner, type GenerateRequest, type TextGenerator } from '@review-jobs/core';
import { createJobClient } from '@review-jobs/core/client';
import { createJobHandlers } from '@review-jobs/core/http';
import { GenerateReviewsButton, JobsProvider, JobsTable } from '@review-jobs/react';

/** Answers after `delayMs`, or never (until aborted) when `hang` is set. */
class ScriptedGenerator implements TextGenerator {
  readonly id = 'scripted';
  constructor(private readonly options: { delayMs: number; hang?: boolean }) {}

  generate(request: GenerateRequest, signal: AbortSignal) {
    return new Promise<{ text: string }>((resolve, reject) => {
      const timer = this.options.hang ? undefined : setTimeout(() => resolve({ text: `리뷰: ${request.prompt.slice(0, 20)}` }), this.options.delayMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  }
}

/** The real stack in one process: runner on a memory store, HTTP handlers, fetch client. */
function createStack(generator: TextGenerator) {
  const runner = new ReviewJobRunner({ store: new MemoryJobStore(), generator, concurrency: 2, output: { minLength: 1 } });
  const handlers = createJobHandlers({ runner, authorize: () => ({ allow: true, userId: 'admin-1', admin: true }), pollIntervalMs: 50 });
  const client = createJobClient({
    baseUrl: '/api/review-jobs',
    fetch: (input, init) => handlers(new Request(new URL(String(input), 'http://admin.test'), init)),
  });
  return {
    client,
    async close() {
      handlers.close();
      await runner.close();
    },
  };
}

let stack: ReturnType<typeof createStack> | undefined;
afterEach(async () => {
  cleanup();
  await stack?.close();
  stack = undefined;
});

const submission = { submissionId: 'place-42', placeName: '성수동 카페 온도', script: '핸드드립 커피가 맛있고 창가 자리가 조용함', count: 3 };

describe('against the real handlers and runner', () => {
  it('starts from the button, follows the job live to completion, and lists it', async () => {
    stack = createStack(new ScriptedGenerator({ delayMs: 20 }));
    render(
      <JobsProvider client={stack.client}>
        <GenerateReviewsButton submission={submission} />
        <JobsTable refreshIntervalMs={100} />
      </JobsProvider>,
    );

    await userEvent.click(screen.getByRole('button', { name: 'AI 리뷰 일괄 생성' }));
    const progress = await screen.findByRole('progressbar', { name: '진행률' });
    await waitFor(() => expect(progress.getAttribute('aria-valuenow')).toBe('100'), { timeout: 5_000 });
    const section = progress.closest('section') as HTMLElement;
    await waitFor(() => expect(section.dataset.status).toBe('completed'));
    expect(within(section).getAllByRole('listitem').filter((item) => item.dataset.status === 'succeeded')).toHaveLength(3);
    expect(within(section).getByText('시작 시간')).toBeTruthy();

    await waitFor(() => expect(screen.getAllByRole('row').slice(1).map((row) => row.dataset.status)).toEqual(['completed']));
  });

  it('cancels a running job from <JobProgress>', async () => {
    stack = createStack(new ScriptedGenerator({ delayMs: 0, hang: true }));
    render(
      <JobsProvider client={stack.client}>
        <GenerateReviewsButton submission={{ ...submission, submissionId: 'place-43' }} />
      </JobsProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'AI 리뷰 일괄 생성' }));
    await userEvent.click(await screen.findByRole('button', { name: '취소' }, { timeout: 5_000 }));
    await waitFor(() => expect(screen.getByText('취소됨')).toBeTruthy(), { timeout: 5_000 });
    expect(screen.getByRole('button', { name: '재시도' })).toBeTruthy();
  });
});
