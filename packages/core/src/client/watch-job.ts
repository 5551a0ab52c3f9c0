import { isTerminal, type Job, type JobItem } from '../job.js';
import type { JobWatchEvent, WatchJobOptions } from './job-client.js';
import { JobClientError } from './job-client-error.js';
import { createSseParser, type SseMessage } from './sse-parser.js';

export interface WatchDeps {
  eventsUrl: string;
  fetch: typeof fetch;
  headers: () => Promise<Record<string, string>>;
  getJob: () => Promise<Job>;
  listItems: () => Promise<JobItem[]>;
  live: boolean;
}

/** Consecutive failed connections before giving up on the live stream for polling. */
const MAX_FAILURES = 3;
const MAX_DELAY_MS = 30_000;

/** 4xx answers other than timeout/too-many mean "this will not work on retry": report and stop. */
const isFinal = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

const done = (job: Job) => job.completedItems + job.failedItems;

/**
 * Server-Sent Events over fetch streaming, not EventSource, because:
 * - EventSource cannot send headers, so the `headers` option (bearer tokens) would not
 *   reach the event stream;
 * - EventSource hides the HTTP status (a 403 looks like a network blip and is retried
 *   forever), while here a 401/403/404 ends the watch with an `error` event;
 * - it works the same in browsers and in Node 20 (which has no EventSource).
 * So Last-Event-ID and reconnection are ours: the last seen id is sent back on every
 * reconnect (the server replays what was missed), with exponential backoff and jitter.
 * After MAX_FAILURES connections in a row that delivered nothing, or when the platform
 * cannot stream a response body, it falls back to polling the job (and its items only
 * when the done count moved). Both paths end at the terminal status.
 */
export function watchJob(deps: WatchDeps, listener: (event: JobWatchEvent) => void, options: WatchJobOptions = {}): () => void {
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const reconnectDelayMs = options.reconnectDelayMs ?? 1_000;
  const aborter = new AbortController();
  const signal = aborter.signal;
  let ended = false;
  let live: boolean | null = null;

  const emit = (event: JobWatchEvent) => {
    if (ended) return;
    try {
      listener(event);
    } catch (error) {
      // A listener's bug must not kill the watch; surface it the way a DOM event
      // listener's error is surfaced (reported, dispatch goes on).
      setTimeout(() => {
        throw error;
      });
    }
  };
  const setLive = (value: boolean) => {
    if (live === value) return;
    live = value;
    emit({ type: 'connection', live: value });
  };
  const end = () => {
    ended = true;
    aborter.abort();
  };
  const endIfTerminal = (job: Job) => {
    if (isTerminal(job.status)) end();
  };

  const dispatch = (message: SseMessage) => {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(message.data) as Record<string, unknown>;
    } catch {
      return; // Not ours (a proxy's injected message); the stream goes on.
    }
    switch (message.event) {
      case 'snapshot':
      case 'status': {
        const job = data.job as Job;
        emit(message.event === 'snapshot' ? { type: 'snapshot', job, items: data.items as JobItem[] } : { type: 'status', job });
        return endIfTerminal(job);
      }
      case 'progress':
        return emit({ type: 'progress', job: data.job as Job });
      case 'item':
        return emit({ type: 'item', jobId: data.jobId as string, item: data.item as JobItem });
      case 'log':
        return emit({ type: 'log', log: data.log as Extract<JobWatchEvent, { type: 'log' }>['log'] });
    }
  };

  /** One connection; resolves when it ends. Returns whether it delivered anything. */
  const connect = async (lastEventId: { value: string | null }): Promise<boolean> => {
    const headers: Record<string, string> = { ...(await deps.headers()), accept: 'text/event-stream' };
    if (lastEventId.value !== null) headers['last-event-id'] = lastEventId.value;
    const response = await deps.fetch(deps.eventsUrl, { headers, signal, cache: 'no-store' });
    if (!response.ok) throw await JobClientError.fromResponse(response);
    if (response.body === null) throw new StreamingUnsupported();
    setLive(true);
    let delivered = false;
    const parser = createSseParser({
      onMessage(message) {
        delivered = true;
        lastEventId.value = message.lastEventId;
        dispatch(message);
      },
      onComment() {
        delivered = true;
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done: finished, value } = await reader.read();
        if (finished) return delivered;
        parser.push(value);
      }
    } catch (error) {
      if (delivered) return true;
      throw error;
    }
  };

  const stream = async (): Promise<'ended' | 'poll'> => {
    const lastEventId = { value: null as string | null };
    let failures = 0;
    while (!ended) {
      try {
        failures = (await connect(lastEventId)) ? 0 : failures + 1;
      } catch (error) {
        if (ended) return 'ended';
        if (error instanceof StreamingUnsupported) return 'poll';
        if (error instanceof JobClientError && isFinal(error.status)) {
          emit({ type: 'error', error });
          return 'ended';
        }
        failures += 1;
      }
      if (ended) return 'ended';
      setLive(false);
      if (failures >= MAX_FAILURES) return 'poll';
      await sleep(backoff(reconnectDelayMs, failures), signal);
    }
    return 'ended';
  };

  const poll = async () => {
    setLive(false);
    let last: { job: Job; items: JobItem[] } | null = null;
    while (!ended) {
      try {
        const job = await deps.getJob();
        const before: { job: Job; items: JobItem[] } | null = last;
        const moved: boolean = before === null || job.retryCount !== before.job.retryCount || done(job) !== done(before.job);
        const items: JobItem[] = moved || before === null ? await deps.listItems() : before.items;
        if (before === null) emit({ type: 'snapshot', job, items });
        else {
          items.forEach((item, i) => {
            const old = before.items[i];
            if (old?.status !== item.status || old?.attempts !== item.attempts) emit({ type: 'item', jobId: job.id, item });
          });
          if (job.status !== before.job.status) emit({ type: 'status', job });
          else if (done(job) !== done(before.job) || job.cancelRequestedAt !== before.job.cancelRequestedAt) emit({ type: 'progress', job });
        }
        last = { job, items };
        endIfTerminal(job);
      } catch (error) {
        const clientError = error instanceof JobClientError ? error : JobClientError.network(error);
        emit({ type: 'error', error: clientError });
        if (isFinal(clientError.status)) end();
      }
      if (!ended) await sleep(pollIntervalMs, signal);
    }
  };

  const run = async () => {
    const next = deps.live && typeof TextDecoderStream === 'function' ? await stream() : 'poll';
    if (next === 'poll' && !ended) await poll();
  };
  // run() catches everything it awaits; this catch is the last guard against an unhandled rejection.
  run().catch((error: unknown) => emit({ type: 'error', error: error instanceof JobClientError ? error : JobClientError.network(error) }));

  return end;
}

class StreamingUnsupported extends Error {}

/** Exponential backoff with jitter: half fixed, half random, so reconnects of many clients spread out. */
function backoff(baseMs: number, failures: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, failures - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
