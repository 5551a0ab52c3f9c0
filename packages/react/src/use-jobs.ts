'use client';
import type { Job, JobClient, ListJobsQuery, StatusCounts } from '@review-jobs/core/client';
import { useJobsContext } from './jobs-provider.js';
import { newestFirst } from './newest-first.js';
import { usePolledQuery } from './use-polled-query.js';

/** The client's list query: status (one or several), createdBy, cursor, limit. */
export type JobsFilter = ListJobsQuery;
type JobsPage = Awaited<ReturnType<JobClient['listJobs']>>;

export interface UseJobsOptions {
  /** Default 5000; 0 turns polling off (refresh() and start/cancel/retry still refetch). */
  refreshIntervalMs?: number;
}

export interface JobsState {
  /** Newest first. */
  jobs: readonly Job[];
  counts: StatusCounts | null;
  nextCursor: string | null;
  isLoading: boolean;
  error: Error | null;
  refresh: () => void;
}

const NO_JOBS: readonly Job[] = [];

/** A page of jobs and the status counts, kept fresh by polling and by this app's own actions. */
export function useJobs(filter: JobsFilter = {}, { refreshIntervalMs = 5000 }: UseJobsOptions = {}): JobsState {
  const { client, invalidations } = useJobsContext();
  // The filter is usually an object literal: key by value, not identity.
  const key = JSON.stringify(filter);
  const query = usePolledQuery<JobsPage>({
    key,
    fetch: () => client.listJobs(filter),
    intervalMs: refreshIntervalMs,
    revision: client,
    invalidations,
  });
  return {
    jobs: query.data ? newestFirst(query.data.jobs) : NO_JOBS,
    counts: query.data?.counts ?? null,
    nextCursor: query.data?.nextCursor ?? null,
    isLoading: query.isLoading,
    error: query.error,
    refresh: query.refresh,
  };
}
