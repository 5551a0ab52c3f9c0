import { Hono } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../job.js';
import { toNodeHandler } from '../to-node-handler.js';
import { BASE, createHarness, readSse, serve, submission } from './harness.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function served(options: Parameters<typeof createHarness>[0] = {}, wrap?: (node: ReturnType<typeof toNodeHandler>) => (req: IncomingMessage, res: ServerResponse) => void) {
  const h = createHarness(options);
  cleanups.push(() => h.close());
  const node = toNodeHandler(h.handlers);
  const server = await serve(wrap ? wrap(node) : (req, res) => void node(req, res));
  cleanups.push(() => server.close());
  return { h, url: `${server.origin}${BASE}` };
}

describe('toNodeHandler (node:http, Express)', () => {
  it('serves JSON routes and error answers over a real socket', async () => {
    const { url } = await served({ autoRun: false });
    const started = await fetch(`${url}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission()) });
    expect(started.status).toBe(201);
    const { job } = (await started.json()) as { job: Job };
    expect((await fetch(`${url}/jobs/${job.id}`)).status).toBe(200);

    const bad = await fetch(`${url}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"count":' });
    expect(bad.status).toBe(400);
    const wrongMethod = await fetch(`${url}/jobs/${job.id}`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('refuses a body over the limit by its Content-Length, with 413', async () => {
    const { h, url } = await served({ autoRun: false });
    const response = await fetch(`${url}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(submission({ script: 'x'.repeat(2 * 1024 * 1024) })),
    });
    expect(response.status).toBe(413);
    expect(await h.jobCount()).toBe(0);
  });

  it('streams SSE of a live job to its end', async () => {
    const { h, url } = await served({ generator: { timeScale: 0.005 } });
    const job = await h.start({ count: 4 });
    const response = await fetch(`${url}/jobs/${job.id}/events`);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const { events, ended } = await readSse(response);
    expect(ended).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'status', data: { job: { status: 'completed', completedItems: 4 } } });
  });

  it('a client that disconnects releases the server-side watcher', async () => {
    const { h, url } = await served({ autoRun: false, lingerMs: 10 });
    const job = await h.start();
    const aborter = new AbortController();
    const response = await fetch(`${url}/jobs/${job.id}/events`, { signal: aborter.signal });
    await readSse(response, (e) => e.event === 'snapshot');
    expect(h.runner.listenerCount('status')).toBe(1);
    aborter.abort();
    await expect.poll(() => h.runner.listenerCount('status'), { timeout: 2_000 }).toBe(0);
  });

  it('Express: uses originalUrl under a mount path, and a body a parser already read', async () => {
    // What express.json() + app.use('/api/review-jobs', ...) leave on the request.
    const expressLike = (node: ReturnType<typeof toNodeHandler>) => (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const withBody = req as IncomingMessage & { body?: unknown; originalUrl?: string };
        withBody.body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString()) : {};
        withBody.originalUrl = req.url;
        req.url = req.url!.slice(BASE.length);
        void node(withBody, res);
      });
    };
    const { h, url } = await served({ autoRun: false }, expressLike);
    const response = await fetch(`${url}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission({ count: 2 })) });
    expect(response.status).toBe(201);
    expect(await h.jobCount()).toBe(1);
  });
});

describe('Hono', () => {
  it("mounts with app.all(basePath + '/*', (c) => handler(c.req.raw))", async () => {
    const h = createHarness({ autoRun: false });
    cleanups.push(() => h.close());
    const app = new Hono();
    app.all(`${BASE}/*`, (c) => h.handlers(c.req.raw));

    const started = await app.request(`${BASE}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission()) });
    expect(started.status).toBe(201);
    const list = (await (await app.request(`${BASE}/jobs`)).json()) as { jobs: Job[] };
    expect(list.jobs).toHaveLength(1);
    expect((await app.request(`${BASE}/jobs/nope`)).status).toBe(400);
  });
});
