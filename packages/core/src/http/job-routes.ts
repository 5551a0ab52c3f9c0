import type { Job } from '../job.js';
import { submissionSchema } from '../submission.js';
import type { JobAction, Principal } from './authorize.js';
import { describeFieldErrors, fieldErrorsOf } from './field-errors.js';
import { HttpError, jsonResponse } from './http-error.js';
import type { JobEventHubs } from './job-event-hubs.js';
import { jobEventStream } from './job-event-stream.js';
import { readJsonBody } from './read-json-body.js';
import { eventsQuery, listJobsQuery, listLogsQuery, noQuery, parseQuery } from './request-schemas.js';
import type { JobRunnerApi } from './runner-api.js';

export interface RouteContext {
  request: Request;
  url: URL;
  principal: Principal;
  /** The loaded job, on per-job routes (the router answers 404 before). */
  job: Job | null;
}

type RouteHandler = { action: JobAction; run: (context: RouteContext) => Promise<Response> };

export interface Route {
  /** Segments after basePath; ':id' is the job id. */
  path: readonly string[];
  methods: Partial<Record<string, RouteHandler>>;
}

export interface JobRoutesDeps {
  runner: JobRunnerApi;
  hubs: JobEventHubs;
  maxBodyBytes: number;
  heartbeatMs: number;
}

/** How long a browser EventSource waits before reconnecting. */
const SSE_RETRY_MS = 2_000;

/** Errors are matched by name, not instanceof: a dual ESM/CJS install can hold two copies of a class. */
const isNamed = (error: unknown, name: string): error is Error & Record<string, unknown> =>
  error instanceof Error && error.name === name;

export function jobRoutes({ runner, hubs, maxBodyBytes, heartbeatMs }: JobRoutesDeps): Route[] {
  const jobOf = (context: RouteContext) => context.job!;

  /** cancel and retry take no body; `{}` is accepted for clients that always send one. */
  const readEmptyBody = async (request: Request) => {
    const body = await readJsonBody(request, maxBodyBytes);
    const empty = body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0);
    if (!empty) throw new HttpError(400, 'invalid_body', 'body: this route takes no body (send nothing or {}).', { fieldErrors: { body: ['must be empty'] } });
  };

  /** Stores reject a cursor they did not make with a TypeError (see JobStore.listJobs); that is bad input, not a 500. */
  const withCursor = async <T>(cursor: string | undefined, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      if (cursor !== undefined && error instanceof TypeError && /cursor/i.test(error.message)) {
        throw new HttpError(400, 'invalid_query', 'Invalid query: cursor: not a cursor from a previous page', { fieldErrors: { cursor: ['not a cursor from a previous page'] } });
      }
      throw error;
    }
  };

  const start: RouteHandler = {
    action: 'start',
    async run({ request, url, principal }) {
      parseQuery(url, noQuery);
      const parsed = submissionSchema.safeParse(await readJsonBody(request, maxBodyBytes));
      if (!parsed.success) {
        const fieldErrors = fieldErrorsOf(parsed.error);
        throw new HttpError(400, 'invalid_body', `Invalid submission: ${describeFieldErrors(fieldErrors)}`, { fieldErrors });
      }
      let result: Awaited<ReturnType<JobRunnerApi['start']>>;
      try {
        result = await runner.start(parsed.data, { createdBy: principal.userId });
      } catch (error) {
        if (isNamed(error, 'SubmissionValidationError')) {
          const fieldErrors = error.fieldErrors as Record<string, string[]>;
          throw new HttpError(400, 'invalid_body', error.message, { fieldErrors });
        }
        throw error;
      }
      if (!result.created) {
        const message = `Submission "${parsed.data.submissionId}" already has an active job (${result.jobId}).`;
        throw new HttpError(409, 'job_active', message, { jobId: result.jobId });
      }
      return jsonResponse({ job: result.job, created: true }, 201);
    },
  };

  const list: RouteHandler = {
    action: 'list',
    async run({ url, principal }) {
      const query = parseQuery(url, listJobsQuery);
      const createdBy = principal.userId !== null && !principal.admin ? principal.userId : query.createdBy;
      const [page, counts] = await Promise.all([
        withCursor(query.cursor, () => runner.listJobs({ status: query.status, createdBy, cursor: query.cursor, limit: query.limit })),
        runner.countJobs(createdBy === undefined ? {} : { createdBy }),
      ]);
      return jsonResponse({ jobs: page.rows, nextCursor: page.nextCursor, counts });
    },
  };

  const read = (answer: (context: RouteContext) => Promise<unknown>): RouteHandler => ({
    action: 'read',
    async run(context) {
      return jsonResponse(await answer(context));
    },
  });

  const cancel: RouteHandler = {
    action: 'cancel',
    async run(context) {
      await readEmptyBody(context.request);
      const job = await runner.cancel(jobOf(context).id);
      if (job === null) throw new HttpError(404, 'not_found', `No job with id "${jobOf(context).id}".`);
      hubs.notify(job);
      return jsonResponse({ job });
    },
  };

  const retry: RouteHandler = {
    action: 'retry',
    async run(context) {
      await readEmptyBody(context.request);
      try {
        const job = await runner.retry(jobOf(context).id);
        hubs.notify(job);
        return jsonResponse({ job });
      } catch (error) {
        if (isNamed(error, 'JobStateError')) throw new HttpError(409, String(error.code), error.message, { jobId: jobOf(context).id });
        if (isNamed(error, 'JobNotFoundError')) throw new HttpError(404, 'not_found', error.message);
        throw error;
      }
    },
  };

  const events: RouteHandler = {
    action: 'events',
    async run({ request, url, job }) {
      const query = parseQuery(url, eventsQuery);
      const jobId = job!.id;
      const hub = await hubs.acquire(jobId);
      return jobEventStream({
        hub,
        lastEventId: request.headers.get('last-event-id') ?? query.lastEventId ?? null,
        heartbeatMs,
        retryMs: SSE_RETRY_MS,
        signal: request.signal,
        onEnd: () => hubs.release(jobId),
      });
    },
  };

  return [
    { path: ['jobs'], methods: { GET: list, POST: start } },
    {
      path: ['jobs', ':id'],
      methods: {
        GET: read(async (context) => {
          parseQuery(context.url, noQuery);
          return { job: jobOf(context) };
        }),
      },
    },
    {
      path: ['jobs', ':id', 'items'],
      methods: {
        GET: read(async (context) => {
          parseQuery(context.url, noQuery);
          return { items: await runner.listItems(jobOf(context).id) };
        }),
      },
    },
    {
      path: ['jobs', ':id', 'logs'],
      methods: {
        GET: read(async (context) => {
          const { cursor, limit } = parseQuery(context.url, listLogsQuery);
          const page = await withCursor(cursor, () => runner.listLogs(jobOf(context).id, { cursor, limit }));
          return { logs: page.rows, nextCursor: page.nextCursor };
        }),
      },
    },
    { path: ['jobs', ':id', 'cancel'], methods: { POST: cancel } },
    { path: ['jobs', ':id', 'retry'], methods: { POST: retry } },
    { path: ['jobs', ':id', 'events'], methods: { GET: events } },
  ];
}
