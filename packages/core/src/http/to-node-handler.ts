import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobHandler } from './create-job-handlers.js';

export interface NodeHandlerOptions {
  /** Unexpected errors of the bridge itself (a socket that broke mid-answer...). Default console.error. */
  onError?: (error: unknown) => void;
}

/** Express puts a parsed body here when a body parser ran before us. */
type NodeRequest = IncomingMessage & { body?: unknown; originalUrl?: string };

/**
 * Mounts the Web-standard handler on node:http or Express:
 * `app.use('/api/review-jobs', toNodeHandler(handler))` or `http.createServer(toNodeHandler(handler))`.
 *
 * - The request body is streamed, not buffered, so the handler's size limit applies as
 *   it reads. When a body parser (express.json()) already consumed it, the parsed
 *   `req.body` is sent on as JSON.
 * - The response is streamed with backpressure, so SSE events reach the client as
 *   they happen.
 * - A client that disconnects aborts `request.signal` and cancels the response
 *   stream, which releases the SSE watcher's listener and timers.
 * The returned function never rejects: failures end the response and go to onError.
 */
export function toNodeHandler(handler: JobHandler, options: NodeHandlerOptions = {}) {
  const onError = options.onError ?? ((error: unknown) => console.error('[review-jobs/http]', error));

  return async (req: NodeRequest, res: ServerResponse): Promise<void> => {
    const aborter = new AbortController();
    // 'close' on the response fires when it finished or the connection dropped.
    res.on('close', () => {
      if (!res.writableFinished) aborter.abort();
    });
    try {
      const response = await handler(toRequest(req, aborter.signal));
      await writeResponse(response, res, aborter.signal);
    } catch (error) {
      if (aborter.signal.aborted) return;
      onError(error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: { code: 'internal_error', message: 'Something went wrong; it has been logged.' } }));
      } else {
        res.destroy();
      }
    }
  };
}

function toRequest(req: NodeRequest, signal: AbortSignal): Request {
  const host = req.headers.host ?? 'localhost';
  const protocol = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  // Express strips the mount path from req.url; originalUrl keeps the full path the routes expect.
  const url = new URL(req.originalUrl ?? req.url ?? '/', `${protocol}://${host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
  if (method !== 'GET' && method !== 'HEAD') {
    if (req.body !== undefined && req.readableEnded) {
      init.body = JSON.stringify(req.body);
      headers.delete('content-length');
    } else {
      init.body = streamOf(req);
      init.duplex = 'half'; // required by undici for a streamed request body
    }
  }
  return new Request(url, init);
}

function streamOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  const iterator = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value as Uint8Array);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

async function writeResponse(response: Response, res: ServerResponse, signal: AbortSignal): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', cancel, { once: true });
  try {
    // SSE: send the headers now, not with the first event.
    res.flushHeaders();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
    }
    res.end();
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
