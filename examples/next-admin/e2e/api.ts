import type { Job, JobItem, StatusCounts } from '@review-jobs/core';

/** The app's own HTTP API, read from the test to cross-check what the page shows. */
export function appApi(baseUrl: string) {
  const call = async <T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: init?.method ?? 'GET',
      ...(init?.body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }),
    });
    const body = (await response.json()) as T;
    if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  };
  return {
    getJob: async (jobId: string) => (await call<{ job: Job }>(`/api/review-jobs/jobs/${jobId}`)).job,
    listItems: async (jobId: string) => (await call<{ items: JobItem[] }>(`/api/review-jobs/jobs/${jobId}/items`)).items,
    listJobs: (status?: string) =>
      call<{ jobs: Job[]; counts: StatusCounts }>(`/api/review-jobs/jobs${status ? `?status=${status}` : ''}`),
    start: async (submission: { submissionId: string; placeName: string; script: string; count: number }) =>
      (await call<{ job: Job }>('/api/review-jobs/jobs', { method: 'POST', body: submission })).job,
    setFaultRate: (faultRate: number) => call<{ faultRate: number }>('/api/demo/settings', { method: 'POST', body: { faultRate } }),
  };
}

export type AppApi = ReturnType<typeof appApi>;

/** Polls `read` until `until` holds. */
export async function waitFor<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
