import { MemoryJobStore } from '@review-jobs/adapter-memory';
import { describe, expect, it } from 'vitest';
import { BullMQDispatcher, FleetOptionsError, itemJobId, startBullMQWorker } from '@review-jobs/adapter-bullmq';

const generator = { id: 'g', generate: async () => ({ text: 'x' }) };

// Validation happens before any connection is made: these need no Redis.
describe('options', () => {
  it('startBullMQWorker rejects bad options naming each field', async () => {
    const error = await startBullMQWorker({} as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FleetOptionsError);
    expect(error).toBeInstanceOf(TypeError);
    expect(Object.keys((error as FleetOptionsError).fieldErrors).sort()).toEqual(['connection', 'generator', 'store']);

    const store = new MemoryJobStore();
    await expect(
      startBullMQWorker({ connection: {}, store, generator, rateLimit: { requestsPerMinute: 1 } }),
    ).rejects.toThrow(/rateLimit/);
    await expect(startBullMQWorker({ connection: {}, store, generator, concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(startBullMQWorker({ connection: {}, store, generator, lockDurationMs: -5 })).rejects.toThrow(/lockDurationMs/);
    await expect(startBullMQWorker({ connection: {}, store, generator, concurency: 3 } as never)).rejects.toThrow(/concurency: unknown field/);
  });

  it('BullMQDispatcher rejects a queue name BullMQ cannot take, and unknown fields', () => {
    const store = new MemoryJobStore();
    expect(() => new BullMQDispatcher({ connection: {}, store, queueName: 'a:b' })).toThrow(/queueName: BullMQ queue names cannot contain ':'/);
    expect(() => new BullMQDispatcher({ connection: {}, store, queue: 'x' } as never)).toThrow(/queue: unknown field/);
    expect(() => new BullMQDispatcher({ connection: {}, store: {} as never })).toThrow(/store: must be a JobStore/);
  });

  it('item job ids are derived from the job id, the round and the index', () => {
    expect(itemJobId('5d0c', 0, 7)).toBe('5d0c.r0.i7');
    expect(itemJobId('5d0c', 2, 7)).not.toBe(itemJobId('5d0c', 0, 7));
    expect(() => itemJobId('a:b', 0, 1)).toThrow(/jobId/);
  });
});
