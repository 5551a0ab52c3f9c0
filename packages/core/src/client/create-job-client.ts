import type { Job, JobItem, JobLog } from '../job.js';
import type { StatusCounts } from '../job-store.js';
import type { JobClient, JobClientOptions } from './job-client.js';
import { JobClientError } from './job-client-error.js';
import { watchJob } from './watch-job.js';

/**
 * The browser (and Node) side of `@review-jobs/core/http`: plain fetch, JSON, and a
 * live subscription per job. Imports no runner and nothing Node-only.
 */
export function createJobClient(options: JobClientOptions): JobClient {
  if (typeof options?.baseUrl !== 'string') throw new TypeError('createJobClient: `baseUrl` is required (e.g. "/api/review-jobs")');
  const base = options.baseUrl.replace(/\/+$/, '');
  // Called unbound: browsers throw "Illegal invocation" for a fetch detached from window.
  const fetchFn: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const headers = async (): Promise<Record<string, string>> =>
    typeof options.headers === 'function' ? await options.headers() : (options.headers ?? {});
  const jobPath = (jobId: string, rest = '') => `/jobs/${encodeURIComponent(jobId)}${rest}`;

  async function request<T>(method: 'GET' | 'POST', path: string, init: { query?: URLSearchParams; body?: unknown } = {}): Promise<T> {
    const query = init.query?.toString();
    const url = `${base}${path}${query ? `?${query}` : ''}`;
    const requestHeaders: Record<string, string> = { accept: 'application/json', ...(await headers()) };
    if (init.body !== undefined) requestHeaders['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchFn(url, {
        method,
        headers: requestHeaders,
        ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      });
    } catch (error) {
      throw JobClientError.network(error);
    }
    if (!response.ok) throw await JobClientError.fromResponse(response);
    return (await response.json()) as T;
  }

  const getJob = async (jobId: string) => (await request<{ job: Job }>('GET', jobPath(jobId))).job;
  const listItems = async (jobId: string) => (await request<{ items: JobItem[] }>('GET', jobPath(jobId, '/items'))).items;

  return {
    start: (submission) => request<{ job: Job; created: boolean }>('POST', '/jobs', { body: submission }),
    getJob,
    listItems,
    listJobs(filter = {}) {
      const query = new URLSearchParams();
      if (filter.status !== undefined) query.set('status', [filter.status].flat().join(','));
      if (filter.createdBy !== undefined) query.set('createdBy', filter.createdBy);
      if (filter.cursor !== undefined) query.set('cursor', filter.cursor);
      if (filter.limit !== undefined) query.set('limit', String(filter.limit));
      return request<{ jobs: Job[]; nextCursor: string | null; counts: StatusCounts }>('GET', '/jobs', { query });
    },
    listLogs(jobId, { cursor, limit } = {}) {
      const query = new URLSearchParams();
      if (cursor !== undefined) query.set('cursor', cursor);
      if (limit !== undefined) query.set('limit', String(limit));
      return request<{ logs: JobLog[]; nextCursor: string | null }>('GET', jobPath(jobId, '/logs'), { query });
    },
    cancel: async (jobId) => (await request<{ job: Job }>('POST', jobPath(jobId, '/cancel'))).job,
    retry: async (jobId) => (await request<{ job: Job }>('POST', jobPath(jobId, '/retry'))).job,
    watchJob: (jobId, listener, watchOptions = {}) =>
      watchJob(
        {
          eventsUrl: `${base}${jobPath(jobId, '/events')}`,
          fetch: fetchFn,
          headers,
          getJob: () => getJob(jobId),
          listItems: () => listItems(jobId),
          live: options.live ?? true,
        },
        listener,
        watchOptions,
      ),
  };
}
