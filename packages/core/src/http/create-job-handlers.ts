import { checkAccess, type Authorize, type Principal } from './authorize.js';
import { HttpError, jsonResponse } from './http-error.js';
import { JobEventHubs } from './job-event-hubs.js';
import { jobRoutes, type Route } from './job-routes.js';
import { isJobId } from './request-schemas.js';
import type { JobRunnerApi } from './runner-api.js';

export interface JobHandlersOptions {
  /** A ReviewJobRunner (or anything with its public API). */
  runner: JobRunnerApi;
  /** Required: asked before every route. See `Authorize`. */
  authorize: Authorize;
  /** Where the routes are mounted. Default '/api/review-jobs'. */
  basePath?: string;
  /** Bodies larger than this are refused with 413. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Interval of the SSE heartbeat comment. Default 15 s. */
  heartbeatMs?: number;
  /** How often a watched job is read from the store, for jobs run by other processes. Default 1 s. */
  pollIntervalMs?: number;
  /** Events kept per watched job for Last-Event-ID replay. Default 1024. */
  replayBufferSize?: number;
  /** How long a job's event buffer outlives its last watcher, so a reconnect replays. Default 30 s. */
  lingerMs?: number;
  /** Unexpected errors (answered 500 with a generic message, or from background polling). Default console.error. */
  onError?: (error: unknown) => void;
}

export type JobHandler = (request: Request) => Promise<Response>;

export interface JobHandlers extends JobHandler {
  /** For a Next.js App Router catch-all route: `export const { GET, POST } = createJobHandlers(...)`. */
  GET: JobHandler;
  POST: JobHandler;
  /** Ends every open event stream and stops background polling. */
  close(): void;
}

const positive = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`createJobHandlers: \`${name}\` must be a positive number, got ${value}`);
  return value;
};

/**
 * Web-standard (Request -> Response) handlers for the job API, mounted under one
 * catch-all path. Routes, relative to `basePath`:
 *
 * | method | path | action | answer |
 * |---|---|---|---|
 * | POST | /jobs | start | 201 `{ job, created: true }`; 409 `job_active` with `jobId` when the submission already has an active job |
 * | GET | /jobs?status=&createdBy=&cursor=&limit= | list | `{ jobs, nextCursor, counts }` |
 * | GET | /jobs/:id | read | `{ job }` |
 * | GET | /jobs/:id/items | read | `{ items }` |
 * | GET | /jobs/:id/logs?cursor=&limit= | read | `{ logs, nextCursor }`, newest first |
 * | POST | /jobs/:id/cancel | cancel | `{ job }` |
 * | POST | /jobs/:id/retry | retry | `{ job }`; 409 with the JobStateError code when refused |
 * | GET | /jobs/:id/events | events | Server-Sent Events: `snapshot`, then `progress`, `item`, `log`, `status` |
 *
 * Errors are `{ error: { code, message, fieldErrors?, jobId? } }`. `authorize` runs
 * first on every known route. Who sees what in `list`: when authorize answers
 * `{ allow: true, userId }` without `admin: true`, the list is forced to that user's
 * jobs (a `createdBy` query is overridden); `admin: true`, `true`, or no `userId` lists
 * every job. `userId` also becomes the job's `createdBy` on start.
 */
export function createJobHandlers(options: JobHandlersOptions): JobHandlers {
  if (typeof options?.authorize !== 'function') {
    throw new TypeError('createJobHandlers: `authorize` is required: (request, action, job?) => boolean | { allow, userId?, admin? }');
  }
  if (typeof options.runner?.getJob !== 'function' || typeof options.runner.on !== 'function') {
    throw new TypeError('createJobHandlers: `runner` must be a ReviewJobRunner');
  }
  const basePath = (options.basePath ?? '/api/review-jobs').replace(/\/+$/, '');
  if (basePath !== '' && !basePath.startsWith('/')) throw new TypeError(`createJobHandlers: \`basePath\` must start with "/", got "${basePath}"`);
  const { runner, authorize } = options;
  const reportTo = options.onError ?? ((error: unknown) => console.error('[review-jobs/http]', error));
  // A throwing onError must not turn a 500 or a failed background poll into an unhandled rejection.
  const onError = (error: unknown) => {
    try {
      reportTo(error);
    } catch (inner) {
      console.error('[review-jobs/http] onError threw', inner, 'while reporting', error);
    }
  };
  const settings = {
    maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes, 64 * 1024),
    heartbeatMs: positive('heartbeatMs', options.heartbeatMs, 15_000),
  };
  const hubs = new JobEventHubs(runner, {
    pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs, 1_000),
    bufferSize: positive('replayBufferSize', options.replayBufferSize, 1024),
    lingerMs: positive('lingerMs', options.lingerMs, 30_000),
    onError,
  });
  const routes: Route[] = jobRoutes({ runner, hubs, ...settings });

  const route = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) throw notFound();
    const segments = url.pathname.slice(basePath.length).split('/').filter(Boolean);
    const matched = routes.find((r) => r.path.length === segments.length && r.path.every((p, i) => p === ':id' || p === segments[i]));
    if (matched === undefined) throw notFound();
    // hasOwn: a custom method named like an Object.prototype member must not match.
    const handler = Object.hasOwn(matched.methods, request.method) ? matched.methods[request.method] : undefined;
    if (handler === undefined) {
      const allow = Object.keys(matched.methods).join(', ');
      throw new HttpError(405, 'method_not_allowed', `${request.method} is not allowed here; use ${allow}.`, { headers: { allow } });
    }

    const idAt = matched.path.indexOf(':id');
    if (idAt === -1) {
      const principal = await checkAccess(authorize, request, handler.action);
      return handler.run({ request, url, principal, job: null });
    }
    const id = segments[idAt]!;
    // The id shape is checked before the store is touched; the caller is asked about
    // access before learning whether the id was malformed or unknown.
    const job = isJobId(id) ? await runner.getJob(id) : null;
    const principal: Principal = await checkAccess(authorize, request, handler.action, job ?? undefined);
    if (!isJobId(id)) {
      const fieldErrors = { id: ['must be a job id (a UUID)'] };
      throw new HttpError(400, 'invalid_id', `id: "${id.slice(0, 64)}" is not a job id (a UUID).`, { fieldErrors });
    }
    if (job === null) throw new HttpError(404, 'not_found', `No job with id "${id}".`);
    return handler.run({ request, url, principal, job });
  };

  const handle: JobHandler = async (request) => {
    try {
      return await route(request);
    } catch (error) {
      if (error instanceof HttpError) return error.toResponse();
      onError(error);
      return jsonResponse({ error: { code: 'internal_error', message: 'Something went wrong; it has been logged.' } }, 500);
    }
  };

  return Object.assign(handle, { GET: handle, POST: handle, close: () => hubs.close() });
}

const notFound = () => new HttpError(404, 'not_found', 'No such route.');
