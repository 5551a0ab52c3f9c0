import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../rate-limiter.js';
import { Scheduler, type CallFeedback, type ScheduledCall } from '../scheduler.js';

function deferred() {
  let resolve!: (feedback: CallFeedback) => void;
  const promise = new Promise<CallFeedback>((done) => (resolve = done));
  return { promise, resolve };
}

function makeScheduler(concurrency: number) {
  const rateLimited: Array<{ laneId: string; concurrency: number }> = [];
  const scheduler = new Scheduler({
    concurrency,
    limiter: new RateLimiter({ windowMs: 1000 }),
    fallbackPauseMs: 0,
    onRateLimited: (laneId, _retryAfterMs, current) => rateLimited.push({ laneId, concurrency: current }),
    onError: (error) => {
      throw error;
    },
  });
  return { scheduler, rateLimited };
}

/** A call that logs its start and finishes when the test says so. */
function controlled(name: string, started: string[]) {
  const gate = deferred();
  const call: ScheduledCall = {
    tokenEstimate: 1,
    run: () => {
      started.push(name);
      return gate.promise;
    },
  };
  return { call, finish: (feedback: CallFeedback = { type: 'success' }) => gate.resolve(feedback) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Scheduler', () => {
  it('is a sliding window: a freed slot starts the next call at once while a slow one keeps its slot', async () => {
    const { scheduler } = makeScheduler(5);
    scheduler.addLane('job');
    const started: string[] = [];
    const calls = Array.from({ length: 12 }, (_, i) => controlled(`c${i}`, started));
    for (const { call } of calls) scheduler.enqueue('job', call);
    expect(started).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);

    // c0 is the slow one; c1..c4 finish one by one and each frees a slot for the next.
    calls[1]!.finish();
    await tick();
    expect(started).toHaveLength(6);
    for (const i of [2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      calls[i]!.finish();
      await tick();
    }
    expect(started).toHaveLength(12); // all started although c0 never finished: no batch barrier
    expect(scheduler.inFlight).toBe(2); // c0 and c11
    calls[0]!.finish();
    calls[11]!.finish();
    await tick();
    expect(scheduler.inFlight).toBe(0);
  });

  it('serves lanes round-robin so a big job does not starve a small one', async () => {
    const { scheduler } = makeScheduler(1);
    scheduler.addLane('big');
    scheduler.addLane('small');
    const started: string[] = [];
    const finishers = new Map<string, () => void>();
    const enqueue = (lane: string, name: string) => {
      const { call, finish } = controlled(name, started);
      finishers.set(name, () => finish());
      scheduler.enqueue(lane, call);
    };
    for (let i = 0; i < 6; i += 1) enqueue('big', `big${i}`);
    for (let i = 0; i < 3; i += 1) enqueue('small', `small${i}`);
    for (let i = 0; i < 9; i += 1) {
      finishers.get(started[i]!)!();
      await tick();
    }
    expect(started).toEqual(['big0', 'small0', 'big1', 'small1', 'big2', 'small2', 'big3', 'big4', 'big5']);
  });

  it('halves concurrency once per congestion event on 429 and grows it back by one per success', async () => {
    const { scheduler, rateLimited } = makeScheduler(8);
    scheduler.addLane('job');
    const started: string[] = [];
    const calls = Array.from({ length: 20 }, (_, i) => controlled(`c${i}`, started));
    for (const { call } of calls) scheduler.enqueue('job', call);
    expect(scheduler.inFlight).toBe(8);

    // Three calls that were in flight together all get 429: one cut, 8 -> 4.
    for (const i of [0, 1, 2]) calls[i]!.finish({ type: 'rate_limited', retryAfterMs: 0 });
    await tick();
    expect(scheduler.concurrency).toBe(4);
    expect(rateLimited.map((event) => event.concurrency)).toEqual([4, 4, 4]);
    expect(scheduler.inFlight).toBe(5); // 8 - 3; nothing new starts above the cut

    // Each success adds one back: 4 -> 7 -> 8, never above the ceiling.
    for (const i of [3, 4, 5]) calls[i]!.finish();
    await tick();
    expect(scheduler.concurrency).toBe(7);
    for (const i of [6, 7]) calls[i]!.finish();
    await tick();
    expect(scheduler.concurrency).toBe(8);
    // A 429 from a call started after the cut is a new congestion event: 8 -> 4.
    const later = started.length - 1;
    calls[later]!.finish({ type: 'rate_limited', retryAfterMs: 0 });
    await tick();
    expect(scheduler.concurrency).toBe(4);
    scheduler.close();
  });

  it('waits for the rate limiter instead of dropping calls, and holds no timer after close', async () => {
    let now = 0;
    const scheduler = new Scheduler({
      concurrency: 10,
      limiter: new RateLimiter({ requestsPerMinute: 2, windowMs: 20 }, () => now),
      fallbackPauseMs: 0,
      onRateLimited: () => undefined,
      onError: (error) => {
        throw error;
      },
    });
    scheduler.addLane('job');
    const started: string[] = [];
    for (let i = 0; i < 4; i += 1) scheduler.enqueue('job', controlled(`c${i}`, started).call);
    expect(started).toEqual(['c0', 'c1']);
    now = 71; // past the 20 ms window and the limiter's 50 ms arrival margin
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(started).toEqual(['c0', 'c1', 'c2', 'c3']);
    scheduler.close();
  });

  it('drops the queued calls of a removed lane and ignores late enqueues', () => {
    const { scheduler } = makeScheduler(1);
    scheduler.addLane('job');
    const started: string[] = [];
    const first = controlled('a', started);
    scheduler.enqueue('job', first.call);
    scheduler.enqueue('job', controlled('b', started).call);
    scheduler.removeLane('job');
    scheduler.enqueue('job', controlled('c', started).call);
    expect(started).toEqual(['a']);
    expect(scheduler.spareCapacity).toBe(0);
  });
});
