import { describe, expect, it } from 'vitest';
import { JobEventHub, type JobEvent, type JobEventListener } from '../job-event-hub.js';
import { makeItem, makeJob } from './job-fixtures.js';

const items = () => [makeItem(1), makeItem(2), makeItem(3)];

function collect(): JobEventListener & { events: JobEvent[]; ended: boolean } {
  const listener = { events: [] as JobEvent[], ended: false, send: (e: JobEvent) => listener.events.push(e), end: () => (listener.ended = true) };
  return listener;
}

describe('JobEventHub', () => {
  it('gives a new watcher a snapshot whose id is the last event it includes', () => {
    const hub = new JobEventHub(makeJob(), items(), 10);
    hub.applyJob(makeJob({ status: 'running' }));
    const [snapshot] = hub.subscribe(collect(), null);
    expect(snapshot).toMatchObject({ id: `${hub.epoch}-1`, type: 'snapshot', data: { job: { status: 'running' } } });
  });

  it('replays exactly the events after Last-Event-ID, and streams later ones', () => {
    const hub = new JobEventHub(makeJob(), items(), 10);
    hub.applyJob(makeJob({ status: 'running' }));
    hub.applyItem(makeItem(1, { status: 'succeeded', text: 'a' }));
    hub.applyJob(makeJob({ status: 'running', completedItems: 1 }));
    const listener = collect();
    const replay = hub.subscribe(listener, `${hub.epoch}-1`);
    expect(replay.map((e) => [e.id, e.type])).toEqual([
      [`${hub.epoch}-2`, 'item'],
      [`${hub.epoch}-3`, 'progress'],
    ]);
    hub.applyItem(makeItem(2, { status: 'failed', error: 'x' }));
    expect(listener.events.map((e) => e.type)).toEqual(['item']);
  });

  it('answers a snapshot for an id of another epoch, garbage, or older than the buffer', () => {
    const hub = new JobEventHub(makeJob(), items(), 2);
    for (let done = 0; done <= 3; done += 1) hub.applyJob(makeJob({ status: 'running', completedItems: done }));
    expect(hub.subscribe(collect(), 'deadbeef-1')[0]?.type).toBe('snapshot');
    expect(hub.subscribe(collect(), 'not an id')[0]?.type).toBe('snapshot');
    expect(hub.subscribe(collect(), `${hub.epoch}-1`)[0]?.type).toBe('snapshot'); // events 3 and 4 kept, 2 is lost
    expect(hub.subscribe(collect(), `${hub.epoch}-2`).map((e) => e.id)).toEqual([`${hub.epoch}-3`, `${hub.epoch}-4`]);
    expect(hub.subscribe(collect(), `${hub.epoch}-99`)[0]?.type).toBe('snapshot'); // from the future: not ours
  });

  it('drops stale and duplicate views: a job never moves back, an item is recorded once', () => {
    const hub = new JobEventHub(makeJob(), items(), 10);
    const listener = collect();
    hub.subscribe(listener, null);
    hub.applyJob(makeJob({ status: 'running', completedItems: 2 }));
    hub.applyJob(makeJob({ status: 'running', completedItems: 1 })); // an overtaken poll
    hub.applyItem(makeItem(1, { status: 'succeeded', text: 'first' }));
    hub.applyItem(makeItem(1, { status: 'succeeded', text: 'again' }));
    hub.applyItem(makeItem(2, { status: 'pending' }));
    expect(listener.events.map((e) => e.type)).toEqual(['status', 'item']);
    expect(hub.current.completedItems).toBe(2);
  });

  it('on retry resets failed items to pending, as the store does, and emits them', () => {
    const hub = new JobEventHub(makeJob({ status: 'failed', completedItems: 2, failedItems: 1 }), [
      makeItem(1, { status: 'succeeded', text: 'a' }),
      makeItem(2, { status: 'failed', error: 'boom', attempts: 4 }),
      makeItem(3, { status: 'succeeded', text: 'c' }),
    ], 10);
    const listener = collect();
    hub.subscribe(listener, null);
    hub.applyJob(makeJob({ status: 'pending', completedItems: 2, retryCount: 1 }));
    expect(listener.events.map((e) => e.type)).toEqual(['item', 'status']);
    expect(listener.events[0]?.data).toMatchObject({ item: { index: 2, status: 'pending', error: null, attempts: 4 } });
  });

  it('applies a poll from a later retry cycle and drops one from an earlier cycle', () => {
    const hub = new JobEventHub(makeJob({ status: 'failed', failedItems: 1, completedItems: 2 }), [
      makeItem(1, { status: 'succeeded' }),
      makeItem(2, { status: 'failed' }),
      makeItem(3, { status: 'succeeded' }),
    ], 10);
    const listener = collect();
    hub.subscribe(listener, null);
    // Retried and finished elsewhere between two polls.
    hub.applyPoll(makeJob({ status: 'completed', completedItems: 3, retryCount: 1 }), [
      makeItem(1, { status: 'succeeded' }),
      makeItem(2, { status: 'succeeded', text: 'now' }),
      makeItem(3, { status: 'succeeded' }),
    ]);
    expect(listener.events.map((e) => `${e.type}`)).toEqual(['item', 'status', 'item']);
    expect(hub.current).toMatchObject({ status: 'completed', retryCount: 1 });
    hub.applyPoll(makeJob({ status: 'failed', retryCount: 0 }), [makeItem(2, { status: 'failed' })]);
    expect(listener.events).toHaveLength(3);
  });

  it('end() ends every watcher', () => {
    const hub = new JobEventHub(makeJob(), items(), 10);
    const listener = collect();
    hub.subscribe(listener, null);
    hub.end();
    expect(listener.ended).toBe(true);
    expect(hub.watcherCount).toBe(0);
  });
});
