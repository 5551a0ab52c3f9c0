import { StrictMode } from 'react';
import { act, render, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobsProvider, useJobProgress } from '@review-jobs/react';
import { clientError, FakeJobClient, makeItem, makeJob } from './fake-job-client.js';
import { renderHookWithJobs } from './render-with-jobs.js';

const flushMicrotasks = () => act(async () => {});

afterEach(() => {
  vi.useRealTimers();
});

describe('useJobProgress', () => {
  it('opens one watch per job id however many hooks read it, and closes it after the last', async () => {
    const client = new FakeJobClient();
    const first = renderHookWithJobs(() => [useJobProgress('job-a'), useJobProgress('job-a')], { client });
    const second = renderHookWithJobs(() => useJobProgress('job-a'), { client });
    expect(client.watchJob).toHaveBeenCalledTimes(1);
    expect(client.openWatches('job-a')).toBe(1);

    first.unmount();
    await flushMicrotasks();
    expect(client.openWatches('job-a')).toBe(1);
    second.unmount();
    await flushMicrotasks();
    expect(client.openWatches('job-a')).toBe(0);
  });

  it('keeps one connection through React StrictMode\'s double subscribe', async () => {
    const client = new FakeJobClient();
    function Watcher() {
      useJobProgress('job-a');
      return null;
    }
    const { unmount } = render(
      <StrictMode>
        <JobsProvider client={client}>
          <Watcher />
        </JobsProvider>
      </StrictMode>,
    );
    await flushMicrotasks();
    expect(client.watchCalls).toEqual(['job-a']);
    expect(client.openWatches('job-a')).toBe(1);
    unmount();
    await flushMicrotasks();
    expect(client.openWatches('job-a')).toBe(0);
  });

  it('watches nothing for a null job id and refuses a bad one', () => {
    const { client, result } = renderHookWithJobs(() => useJobProgress(null));
    expect(client.watchJob).not.toHaveBeenCalled();
    expect(result.current.status).toBeNull();
    expect(result.current.counts).toEqual({ total: 0, completed: 0, failed: 0 });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderHookWithJobs(() => useJobProgress(''))).toThrow(/jobId/);
  });

  it('follows the watch from pending to completed, items included', () => {
    const { client, result } = renderHookWithJobs(() => useJobProgress('job-1'));
    const pending = makeJob({ id: 'job-1', totalItems: 3 });
    act(() => client.emit('job-1', { type: 'snapshot', job: pending, items: [] }));
    expect(result.current.status).toBe('pending');

    const running = { ...pending, status: 'running' as const, startedAt: new Date().toISOString() };
    act(() => client.emit('job-1', { type: 'status', job: running }));
    act(() => client.emit('job-1', { type: 'connection', live: true }));
    expect(result.current.status).toBe('running');
    expect(result.current.isLive).toBe(true);

    act(() => client.emit('job-1', { type: 'item', jobId: 'job-1', item: makeItem('job-1', 2) }));
    act(() => client.emit('job-1', { type: 'item', jobId: 'job-1', item: makeItem('job-1', 1, { status: 'failed', text: null, error: 'blocked' }) }));
    act(() => client.emit('job-1', { type: 'item', jobId: 'other-job', item: makeItem('other-job', 3) }));
    act(() => client.emit('job-1', { type: 'progress', job: { ...running, completedItems: 1, failedItems: 1, progress: 66.67 } }));
    expect(result.current.items.map((item) => [item.index, item.status])).toEqual([
      [1, 'failed'],
      [2, 'succeeded'],
    ]);
    expect(result.current.counts).toEqual({ total: 3, completed: 1, failed: 1 });
    expect(result.current.progress).toBe(66.67);

    const completed = { ...running, status: 'completed' as const, completedItems: 2, failedItems: 1, progress: 100, finishedAt: new Date().toISOString() };
    act(() => client.emit('job-1', { type: 'status', job: completed }));
    expect(result.current.status).toBe('completed');
    expect(result.current.etaMs).toBeNull();
  });

  it('ticks elapsed time each second only while running, and estimates what is left', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-02T03:00:10.000Z'));
    const { client, result } = renderHookWithJobs(() => useJobProgress('job-1'));
    const running = makeJob({ id: 'job-1', status: 'running', totalItems: 4, completedItems: 1, startedAt: '2025-01-02T03:00:00.000Z' });
    act(() => client.emit('job-1', { type: 'snapshot', job: running, items: [] }));
    expect(result.current.elapsedMs).toBe(10_000);
    // 1 of 4 done in 10 s: 3 more take 30 s at that rate.
    expect(result.current.etaMs).toBe(30_000);

    act(() => vi.advanceTimersByTime(3_000));
    expect(result.current.elapsedMs).toBe(13_000);

    const finished = { ...running, status: 'completed' as const, completedItems: 4, finishedAt: '2025-01-02T03:00:20.000Z' };
    act(() => client.emit('job-1', { type: 'status', job: finished }));
    expect(result.current.elapsedMs).toBe(20_000);
    // Nothing ticks for a finished job.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cancels through the client and ignores an older "running" that arrives after', async () => {
    const job = makeJob({ id: 'job-1', status: 'running', startedAt: new Date().toISOString() });
    const client = new FakeJobClient([job]);
    const { result } = renderHookWithJobs(() => useJobProgress('job-1'), { client });
    act(() => client.emit('job-1', { type: 'snapshot', job, items: [] }));

    let cancelled: unknown;
    await act(async () => {
      cancelled = await result.current.cancel();
    });
    expect(client.cancel).toHaveBeenCalledWith('job-1');
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(result.current.status).toBe('cancelled');

    act(() => client.emit('job-1', { type: 'progress', job: { ...job, completedItems: 1 } }));
    expect(result.current.status).toBe('cancelled');
  });

  it('retries through the client, then reopens the watch for the new run', async () => {
    const failed = makeJob({ id: 'job-1', status: 'failed', failedItems: 2, completedItems: 2, errorMessage: 'quota' });
    const client = new FakeJobClient([failed]);
    const { result } = renderHookWithJobs(() => useJobProgress('job-1'), { client });
    act(() => client.emit('job-1', { type: 'snapshot', job: failed, items: [] }));

    await act(async () => {
      await result.current.retry();
    });
    expect(client.retry).toHaveBeenCalledWith('job-1');
    expect(result.current.status).toBe('pending');
    expect(client.watchCalls).toEqual(['job-1', 'job-1']);
    expect(client.openWatches('job-1')).toBe(1);
  });

  it('puts a refused action and a watch error in `error` without rejecting', async () => {
    const job = makeJob({ id: 'job-1', status: 'running' });
    const client = new FakeJobClient([job]);
    client.cancel.mockRejectedValueOnce(clientError(403, 'forbidden', 'not allowed'));
    const { result } = renderHookWithJobs(() => useJobProgress('job-1'), { client });
    act(() => client.emit('job-1', { type: 'snapshot', job, items: [] }));

    let answer: unknown = 'unset';
    await act(async () => {
      answer = await result.current.cancel();
    });
    expect(answer).toBeUndefined();
    expect(result.current.error?.message).toBe('not allowed');
    expect(result.current.pendingAction).toBeNull();

    act(() => client.emit('job-1', { type: 'snapshot', job, items: [] }));
    expect(result.current.error).toBeNull();
    act(() => client.emit('job-1', { type: 'error', error: clientError(0, 'network_error', 'offline') }));
    await waitFor(() => expect(result.current.error?.message).toBe('offline'));
    expect(result.current.status).toBe('running');
  });
});
