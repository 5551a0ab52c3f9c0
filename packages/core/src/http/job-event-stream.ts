import { isTerminalEvent, type JobEvent, type JobEventHub, type JobEventListener } from './job-event-hub.js';

export interface JobEventStreamOptions {
  hub: JobEventHub;
  lastEventId: string | null;
  heartbeatMs: number;
  /** How long a browser EventSource waits before reconnecting (the SSE `retry:` field). */
  retryMs: number;
  /** The request's signal: aborts when the client goes away. */
  signal: AbortSignal;
  /** Called once when the stream ends, for any reason. */
  onEnd: () => void;
}

const encoder = new TextEncoder();

/** Encoded once per event, not once per watcher: 100 watchers of a job share the bytes. */
const encoded = new WeakMap<JobEvent, Uint8Array>();
function encode(event: JobEvent): Uint8Array {
  let bytes = encoded.get(event);
  if (bytes === undefined) {
    bytes = encoder.encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    encoded.set(event, bytes);
  }
  return bytes;
}

/**
 * The Server-Sent Events response of one watcher: its replay (snapshot or missed
 * events), then the hub's events as they happen, a heartbeat comment so proxies keep
 * the connection open, and the end after the terminal status. Listener and timer are
 * released on whichever comes first: the terminal status, the client going away
 * (request signal or stream cancel), or the hub ending.
 */
export function jobEventStream(options: JobEventStreamOptions): Response {
  const { hub, signal } = options;
  let finished = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let finish: () => void = () => undefined;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => controller.enqueue(encoder.encode(text));
      const listener: JobEventListener = {
        send(event) {
          controller.enqueue(encode(event));
          if (isTerminalEvent(event)) finish();
        },
        end: () => finish(),
      };
      finish = () => {
        if (finished) return;
        finished = true;
        clearInterval(heartbeat);
        hub.unsubscribe(listener);
        signal.removeEventListener('abort', finish);
        options.onEnd();
        try {
          controller.close();
        } catch {
          // Already closed or cancelled by the reader.
        }
      };
      if (signal.aborted) return finish();
      signal.addEventListener('abort', finish);
      write(`retry: ${options.retryMs}\n\n`);
      for (const event of hub.subscribe(listener, options.lastEventId)) {
        listener.send(event);
        if (finished) return;
      }
      heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs);
    },
    cancel: () => finish(),
  });

  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx buffers proxied responses unless told not to; SSE must not be buffered.
      'x-accel-buffering': 'no',
    },
  });
}
