import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryJobStore } from '@review-jobs/adapter-memory';
import type { Job, JobItem } from '../../job.js';
import { ReviewJobRunner } from '../../runner.js';
import { FakeGenerator, type FakeGeneratorOptions } from '../../testing/fake-generator.js';
import { createSseParser } from '../../client/sse-parser.js';
import type { Authorize } from '../authorize.js';
import { createJobHandlers, type JobHandlersOptions } from '../create-job-handlers.js';

export const BASE = '/api/review-jobs';

export const allowAll: Authorize = () => ({ allow: true, userId: 'user-1' });

export interface HarnessOptions extends Partial<Omit<JobHandlersOptions, 'runner'>> {
  generator?: FakeGeneratorOptions;
  autoRun?: boolean;
}

/** A real runner on a MemoryJobStore and a time-scaled FakeGenerator (a 12 s call takes ~24 ms), behind the handlers. */
export function createHarness({ generator: generatorOptions, autoRun = true, ...handlerOptions }: HarnessOptions = {}) {
  const store = new MemoryJobStore();
  /** Errors reported to onError; close() fails the test when there are any. */
  const unexpected: unknown[] = [];
  const generator = new FakeGenerator({ seed: 7, timeScale: 0.002, ...generatorOptions });
  const runner = new ReviewJobRunner({
    store,
    generator,
    concurrency: 4,
    autoRun,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    lease: { durationMs: 5_000, heartbeatMs: 1_000 },
  });
  const handlers = createJobHandlers({
    runner,
    authorize: allowAll,
    basePath: BASE,
    pollIntervalMs: 50,
    onError: (error) => unexpected.push(error),
    ...handlerOptions,
  });

  const call = (method: string, path: string, init: { body?: unknown; raw?: BodyInit; headers?: Record<string, string>; signal?: AbortSignal } = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    let body: BodyInit | undefined = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    return handlers(new Request(`http://test${BASE}${path}`, { method, headers, ...(body !== undefined && { body }), ...(init.signal && { signal: init.signal }) }));
  };

  /** Starts a job through the API and returns it. */
  const start = async (overrides: Record<string, unknown> = {}): Promise<Job> => {
    const response = await call('POST', '/jobs', { body: submission(overrides) });
    if (response.status !== 201) throw new Error(`start: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { job: Job }).job;
  };

  const jobCount = async () => Object.values(await store.countJobs()).reduce((a, b) => a + b, 0);

  return {
    store,
    generator,
    runner,
    handlers,
    call,
    start,
    jobCount,
    async close() {
      handlers.close();
      await runner.close();
      if (unexpected.length > 0) throw new AggregateError(unexpected, 'the handlers reported unexpected errors');
    },
  };
}

let counter = 0;
export function submission(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return { submissionId: `sub-${counter}`, placeName: '성수동 카페 온도', script: '핸드드립 커피가 맛있고 창가 자리가 조용함', count: 3, ...overrides };
}

export interface ParsedEvent {
  id: string | null;
  event: string;
  /** The union of every event's payload fields. */
  data: { job?: Job; items?: JobItem[]; jobId?: string; item?: JobItem; log?: { jobId: string; level: string; message: string } };
}

/**
 * Reads an SSE response until it ends or `stop` says so (then cancels it, as a client
 * that goes away would). Uses the client's parser, so both ends agree on the format.
 */
export async function readSse(response: Response, stop: (event: ParsedEvent, all: ParsedEvent[]) => boolean = () => false) {
  const events: ParsedEvent[] = [];
  let comments = 0;
  let stopped = false;
  const parser = createSseParser({
    onMessage(message) {
      if (stopped) return;
      const event = { id: message.lastEventId, event: message.event, data: JSON.parse(message.data) as ParsedEvent['data'] };
      events.push(event);
      stopped = stop(event, events);
    },
    onComment: () => (comments += 1),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  while (!stopped) {
    const { done, value } = await reader.read();
    if (done) return { events, comments, ended: true };
    parser.push(value);
  }
  await reader.cancel();
  return { events, comments, ended: false };
}

/** The handler on a real node:http server on a free port, through toNodeHandler. */
export async function serve(listener: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
