import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, serve, submission } from '../../http/__tests__/harness.js';
import { toNodeHandler } from '../../http/to-node-handler.js';
import type { Job, JobItem } from '../../job.js';
import { createJobClient, JobClientError, type JobClientOptions, type JobWatchEvent } from '../index.js';

const TOKEN = 'Bearer secret-token';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Handlers on a node:http server whose authorize wants the bearer token; a client pointed at it. */
async function setup(options: Parameters<typeof createHarness>[0] = {}, clientOptions: Partial<JobClientOptions> = {}) {
  const h = createHarness({
    authorize: (request) => (request.headers.get('authorization') === TOKEN ? { allow: true, userId: 'alice' } : { allow: false, status: 401 }),
    ...options,
  });
  cleanups.push(() => h.close());
  const server = await serve((req, res) => void toNodeHandler(h.handlers)(req, res));
  cleanups.push(() => server.close());
  const fetched: string[] = [];
  const countingFetch: typeof fetch = (input, init) => {
    fetched.push(String(input));
    return fetch(input, init);
  };
  const client = createJobClient({ baseUrl: `${server.origin}/api/review-jobs/`, headers: () => ({ authorization: TOKEN }), fetch: countingFetch, ...clientOptions });
  return { h, client, origin: server.origin, fetched };
}

/** Watches until the terminal status (or an error), resolving with every event. */
function watchToEnd(client: ReturnType<typeof createJobClient>, jobId: string, options = {}) {
  return new Promise<JobWatchEvent[]>((resolve, reject) => {
    const events: JobWatchEvent[] = [];
    const timer = setTimeout(() => reject(new Error(`watch timed out: ${JSON.stringify(events.map((e) => e.type))}`)), 10_000);
    const stop = client.watchJob(
      jobId,
      (event) => {
        events.push(event);
        const job = event.type === 'status' || event.type === 'snapshot' ? event.job : null;
        if (event.type === 'error' || (job && ['completed', 'failed', 'cancelled'].includes(job.status))) {
          clearTimeout(timer);
          setTimeout(() => {
            stop();
            resolve(events);
          }, 30); // linger: nothing may come after the end
        }
      },
      options,
    );
  });
}

/** The state a UI holds after applying the events. */
function apply(events: JobWatchEvent[]) {
  let job: Job | null = null;
  const items = new Map<number, JobItem>();
  for (const event of events) {
    if (event.type === 'snapshot') {
      job = event.job;
      for (const item of event.items) items.set(item.index, item);
    } else if (event.type === 'progress' || event.type === 'status') job = event.job;
    else if (event.type === 'item') items.set(event.item.index, event.item);
  }
  return { job, items: [...items.values()].map((i) => i.status) };
}

describe('createJobClient', () => {
  it('start, getJob, listItems, listJobs, listLogs, cancel', async () => {
    const { client } = await setup({ autoRun: false });
    const { job, created } = await client.start(submission({ count: 2 }));
    expect(created).toBe(true);
    expect(job.createdBy).toBe('alice');
    expect(await client.getJob(job.id)).toMatchObject({ id: job.id, status: 'pending' });
    expect((await client.listItems(job.id)).map((i) => i.index)).toEqual([1, 2]);
    const list = await client.listJobs({ status: ['pending', 'running'], limit: 10 });
    expect(list.jobs.map((j) => j.id)).toEqual([job.id]);
    expect(list.counts.pending).toBe(1);
    expect(list.nextCursor).toBeNull();
    expect(await client.listLogs(job.id, { limit: 5 })).toEqual({ logs: expect.any(Array), nextCursor: null });
    expect((await client.cancel(job.id)).status).toBe('cancelled');
  });

  it("start of a submission with an active job throws JobClientError 'job_active' with the jobId", async () => {
    const { client } = await setup({ autoRun: false });
    const body = submission();
    const { job } = await client.start(body);
    const error = await client.start(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobClientError);
    expect(error).toMatchObject({ status: 409, code: 'job_active', jobId: job.id });
  });

  it('bad input and refused actions come back as JobClientError with status, code and fieldErrors', async () => {
    const { client } = await setup({ autoRun: false });
    const bad = await client.start(submission({ count: 0 })).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, code: 'invalid_body', fieldErrors: { count: [expect.any(String)] } });
    const { job } = await client.start(submission());
    expect(await client.retry(job.id).catch((e: unknown) => e)).toMatchObject({ status: 409, code: 'not_terminal' });
    expect(await client.getJob('nope').catch((e: unknown) => e)).toMatchObject({ status: 400, code: 'invalid_id' });
  });

  it('sends the headers (function called per request); without them the server says 401', async () => {
    const { client, origin } = await setup({ autoRun: false });
    await expect(client.listJobs()).resolves.toBeDefined();
    const anonymous = createJobClient({ baseUrl: `${origin}/api/review-jobs` });
    await expect(anonymous.listJobs()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it("a network failure is JobClientError status 0 'network_error'", async () => {
    const client = createJobClient({ baseUrl: 'http://127.0.0.1:9/api/review-jobs' });
    await expect(client.listJobs()).rejects.toMatchObject({ name: 'JobClientError', status: 0, code: 'network_error' });
  });

  it('requires a baseUrl', () => {
    expect(() => createJobClient({} as JobClientOptions)).toThrow(/baseUrl/);
  });
});

describe('watchJob', () => {
  it('live over SSE: connection, snapshot, items, status; stops at the terminal status', async () => {
    const { h, client, fetched } = await setup({ generator: { timeScale: 0.01 }, lingerMs: 10 });
    const { job } = await client.start(submission({ count: 5 }));
    const events = await watchToEnd(client, job.id);
    expect(events[0]).toEqual({ type: 'connection', live: true });
    expect(events[1]?.type).toBe('snapshot');
    expect(events.some((e) => e.type === 'item')).toBe(true);
    expect(events.some((e) => e.type === 'log')).toBe(true);
    expect(apply(events)).toEqual({ job: expect.objectContaining({ status: 'completed', completedItems: 5 }), items: Array(5).fill('succeeded') });
    expect(fetched.filter((u) => u.endsWith('/events'))).toHaveLength(1); // no reconnect after the end
    await expect.poll(() => h.runner.listenerCount('item')).toBe(0); // the server let go too (after linger)
  }, 15_000);

  it('reconnects after a dropped stream with Last-Event-ID and loses nothing', async () => {
    const sentIds: (string | null)[] = [];
    let cut = true;
    // A proxy that drops the first connection right after the first item event.
    const flaky: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).endsWith('/events')) return response;
      sentIds.push(new Headers(init?.headers).get('last-event-id'));
      if (!cut) return response;
      cut = false;
      const reader = response.body!.getReader();
      let text = '';
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          controller.enqueue(value);
          text += new TextDecoder().decode(value);
          if (text.includes('event: item')) {
            await reader.cancel();
            controller.error(new TypeError('socket hang up'));
          }
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const { client, h } = await setup({ generator: { timeScale: 0.01 } }, { fetch: flaky });
    const { job } = await client.start(submission({ count: 6 }));
    const events = await watchToEnd(client, job.id, { reconnectDelayMs: 50 });

    expect(sentIds[0]).toBeNull();
    expect(sentIds[1]).toMatch(/^[0-9a-f]{8}-\d+$/);
    expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(1); // resumed by replay, not re-snapshotted
    expect(events.map((e) => (e.type === 'connection' ? `live:${e.live}` : null)).filter(Boolean)).toEqual(['live:true', 'live:false', 'live:true']);
    const itemIndexes = events.flatMap((e) => (e.type === 'item' ? [e.item.index] : []));
    expect(new Set(itemIndexes).size).toBe(itemIndexes.length); // nothing twice
    expect(apply(events)).toEqual({ job: expect.objectContaining({ status: 'completed' }), items: Array(6).fill('succeeded') });
    expect(apply(events).items).toHaveLength((await h.store.listItems(job.id)).length);
  }, 15_000);

  it('falls back to polling after 3 failed connections (no usable event stream)', async () => {
    const noEvents: typeof fetch = (input, init) =>
      String(input).endsWith('/events') ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    const { client } = await setup({ generator: { timeScale: 0.01 } }, { fetch: noEvents });
    const { job } = await client.start(submission({ count: 4 }));
    const events = await watchToEnd(client, job.id, { reconnectDelayMs: 5, pollIntervalMs: 20 });
    expect(events[0]).toEqual({ type: 'connection', live: false });
    expect(events[1]?.type).toBe('snapshot');
    expect(apply(events)).toEqual({ job: expect.objectContaining({ status: 'completed', completedItems: 4 }), items: Array(4).fill('succeeded') });
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  }, 15_000);

  it('live: false polls from the start', async () => {
    const { client, fetched } = await setup({ generator: { timeScale: 0.005 } }, { live: false });
    const { job } = await client.start(submission({ count: 3 }));
    const events = await watchToEnd(client, job.id, { pollIntervalMs: 20 });
    expect(fetched.some((u) => u.endsWith('/events'))).toBe(false);
    expect(apply(events).job?.status).toBe('completed');
  });

  it('a refused event stream (403) is an error event, no retry and no polling', async () => {
    const { client, fetched, h } = await setup({
      autoRun: false,
      authorize: (request, action) =>
        request.headers.get('authorization') !== TOKEN ? false : action === 'events' ? { allow: false, status: 403, message: 'No live view for you.' } : true,
    });
    const { job } = await client.start(submission());
    const events = await watchToEnd(client, job.id);
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ status: 403, message: 'No live view for you.' }) }]);
    expect(fetched.filter((u) => u.includes(job.id))).toHaveLength(1);
    expect(await h.jobCount()).toBe(1);
  });

  it('unsubscribe closes the stream and the server releases the watcher', async () => {
    const { client, h } = await setup({ autoRun: false, lingerMs: 10 });
    const { job } = await client.start(submission());
    const events: JobWatchEvent[] = [];
    const stop = client.watchJob(job.id, (e) => events.push(e));
    await expect.poll(() => events.some((e) => e.type === 'snapshot')).toBe(true);
    expect(h.runner.listenerCount('status')).toBe(1);
    stop();
    await expect.poll(() => h.runner.listenerCount('status'), { timeout: 2_000 }).toBe(0);
    await client.cancel(job.id);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.some((e) => e.type === 'status')).toBe(false); // nothing after unsubscribe
  });
});
