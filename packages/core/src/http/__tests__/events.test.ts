import { afterEach, describe, expect, it } from 'vitest';
import type { Job, JobItem } from '../../job.js';
import { ReviewJobRunner } from '../../runner.js';
import { FakeGenerator } from '../../testing/fake-generator.js';
import { createHarness, readSse, type ParsedEvent } from './harness.js';

let harness: ReturnType<typeof createHarness> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});
const setup = (options: Parameters<typeof createHarness>[0] = {}) => (harness = createHarness(options));
const seqOf = (event: ParsedEvent) => Number(event.id!.split('-')[1]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The runner stamps an item event's updatedAt itself, a millisecond off the stored one at times. */
const comparable = (items: Iterable<JobItem>) => [...items].map(({ updatedAt: _, ...rest }) => rest);

/** What a client knows after applying the events in order (the snapshot, then changes). */
function replay(events: ParsedEvent[]): { job: Job; items: Map<number, JobItem> } {
  let job: Job | undefined;
  const items = new Map<number, JobItem>();
  for (const { event, data } of events) {
    if (event === 'snapshot') {
      job = data.job!;
      items.clear();
      for (const item of data.items!) items.set(item.index, item);
    } else if (event === 'item') items.set(data.item!.index, data.item!);
    else if (event === 'progress' || event === 'status') job = data.job!;
  }
  return { job: job!, items };
}

describe('GET /jobs/:id/events (Server-Sent Events)', () => {
  it('streams a live job to its end: snapshot, items, progress, logs, status; then closes', async () => {
    const h = setup({ generator: { timeScale: 0.01 } }); // ~120 ms a call
    const job = await h.start({ count: 6 });
    const response = await h.call('GET', `/jobs/${job.id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');

    const { events, ended } = await readSse(response);
    expect(ended).toBe(true); // the server closed it after the terminal status
    expect(events[0]?.event).toBe('snapshot');
    expect(events.at(-1)).toMatchObject({ event: 'status', data: { job: { status: 'completed' } } });
    const types = new Set(events.map((e) => e.event));
    for (const type of ['item', 'progress', 'log']) expect(types).toContain(type);
    const seqs = events.slice(1).map(seqOf);
    expect(seqs).toEqual(seqs.map((_, i) => seqOf(events[0]!) + i + 1)); // consecutive ids

    const state = replay(events);
    expect(state.job).toMatchObject({ status: 'completed', completedItems: 6, progress: 100 });
    expect([...state.items.values()].map((i) => i.status)).toEqual(Array(6).fill('succeeded'));
    expect(comparable(state.items.values())).toEqual(comparable(await h.store.listItems(job.id)));
  });

  it('a reconnect with Last-Event-ID loses no event', async () => {
    const h = setup({ generator: { timeScale: 0.01 } });
    const job = await h.start({ count: 8 });
    const control = readSse(await h.call('GET', `/jobs/${job.id}/events`)); // stays connected throughout

    const first = await readSse(await h.call('GET', `/jobs/${job.id}/events`), (e) => e.event === 'item');
    expect(first.ended).toBe(false); // we hung up mid-job
    await sleep(250); // the job goes on while we are away
    const lastId = first.events.at(-1)!.id!;
    const second = await readSse(await h.call('GET', `/jobs/${job.id}/events`, { headers: { 'last-event-id': lastId } }));

    expect(second.events[0]?.event).not.toBe('snapshot'); // a replay, not a fresh start
    expect(seqOf(second.events[0]!)).toBe(seqOf(first.events.at(-1)!) + 1);
    const joined = [...first.events, ...second.events];
    const { events: all } = await control;
    // Exactly what the uninterrupted watcher saw after its snapshot, in order.
    const strip = (events: ParsedEvent[]) => events.filter((e) => e.event !== 'snapshot').map((e) => `${e.id} ${e.event}`);
    expect(strip(joined)).toEqual(strip(all).filter((line) => Number(line.split(' ')[0]!.split('-')[1]) > seqOf(first.events[0]!)));
    expect(replay(joined).job.status).toBe('completed');
    expect(comparable(replay(joined).items.values())).toEqual(comparable(await h.store.listItems(job.id)));
  });

  it('?lastEventId= works like the header; an unknown or foreign id gets a fresh snapshot', async () => {
    const h = setup({ autoRun: false });
    const job = await h.start();
    const first = await readSse(await h.call('GET', `/jobs/${job.id}/events`), (e) => e.event === 'snapshot');
    const snapshotId = first.events[0]!.id!;
    await h.call('POST', `/jobs/${job.id}/cancel`);

    const resumed = await readSse(await h.call('GET', `/jobs/${job.id}/events?lastEventId=${snapshotId}`));
    expect(resumed.events.map((e) => [e.event, e.data.job?.status])).toEqual([['status', 'cancelled']]);
    const foreign = await readSse(await h.call('GET', `/jobs/${job.id}/events`, { headers: { 'last-event-id': 'abcdef12-3' } }));
    expect(foreign.events.map((e) => e.event)).toEqual(['snapshot']);
  });

  it('a terminal job: one snapshot, then the stream ends', async () => {
    const h = setup({ autoRun: false });
    const job = await h.start();
    await h.call('POST', `/jobs/${job.id}/cancel`);
    const { events, ended } = await readSse(await h.call('GET', `/jobs/${job.id}/events`));
    expect(ended).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'snapshot', data: { job: { status: 'cancelled' } } });
  });

  it('sends heartbeat comments; a client that goes away releases its listeners', async () => {
    const h = setup({ autoRun: false, heartbeatMs: 20, lingerMs: 10 });
    const job = await h.start();
    expect(h.runner.listenerCount('item')).toBe(0);
    const aborter = new AbortController();
    const response = await h.call('GET', `/jobs/${job.id}/events`, { signal: aborter.signal });
    expect(h.runner.listenerCount('item')).toBe(1);

    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while ((text.match(/: heartbeat/g) ?? []).length < 2) text += (await reader.read()).value ?? '';
    expect(text).toMatch(/^retry: \d+\n\n/);
    aborter.abort();
    expect((await reader.read()).done).toBe(true);
    await sleep(40); // past lingerMs
    expect(h.runner.listenerCount('item')).toBe(0);
    expect(h.runner.listenerCount('status')).toBe(0);
  });

  it('shows the progress of a job run by another process (store polling)', async () => {
    // The handlers' runner only serves the API; a separate worker runner on the same store runs the job.
    const h = setup({ autoRun: false, pollIntervalMs: 20 });
    const worker = new ReviewJobRunner({ store: h.store, generator: new FakeGenerator({ seed: 3, timeScale: 0.01 }), concurrency: 2 });
    const job = await h.start({ count: 4 });
    const stop = new AbortController();
    const working = worker.work({ signal: stop.signal, pollIntervalMs: 10 });
    try {
      const { events, ended } = await readSse(await h.call('GET', `/jobs/${job.id}/events`));
      expect(ended).toBe(true);
      expect(events.filter((e) => e.event === 'item').length + replay(events.slice(0, 1)).job.completedItems).toBe(4);
      expect(replay(events).job).toMatchObject({ status: 'completed', completedItems: 4 });
      expect(comparable(replay(events).items.values())).toEqual(comparable(await h.store.listItems(job.id)));
    } finally {
      stop.abort();
      await working;
      await worker.close();
    }
  });

  it('a failing store poll goes to onError and the stream stays open (no unhandled rejection)', async () => {
    const errors: unknown[] = [];
    const h = setup({ autoRun: false, pollIntervalMs: 10, onError: (e) => errors.push(e) });
    const job = await h.start();
    const response = await h.call('GET', `/jobs/${job.id}/events`);
    const reading = readSse(response, (e) => e.event === 'status');
    const getJob = h.runner.getJob.bind(h.runner);
    h.runner.getJob = async () => {
      throw new Error('store unreachable');
    };
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    h.runner.getJob = getJob;
    await h.call('POST', `/jobs/${job.id}/cancel`);
    const { events } = await reading;
    expect(events.at(-1)).toMatchObject({ event: 'status', data: { job: { status: 'cancelled' } } });
    expect(errors[0]).toMatchObject({ message: 'store unreachable' });
  });

  it('many watchers of one job share one hub and all get the same events', async () => {
    const h = setup({ generator: { timeScale: 0.005 } });
    const job = await h.start({ count: 5 });
    const streams = await Promise.all(Array.from({ length: 20 }, () => h.call('GET', `/jobs/${job.id}/events`)));
    expect(h.runner.listenerCount('item')).toBe(1);
    const results = await Promise.all(streams.map((s) => readSse(s)));
    for (const { events } of results) expect(replay(events).job.status).toBe('completed');
    const lastIds = new Set(results.map((r) => r.events.at(-1)!.id));
    expect(lastIds.size).toBe(1);
  });
});
