'use client';
import { useMemo, useSyncExternalStore } from 'react';
import { isTerminal, type JobLog } from '@review-jobs/core/client';
import { useJobsContext } from './jobs-provider.js';
import { EMPTY_WATCH_SNAPSHOT, jobWatchStoreFor } from './job-watch-store.js';
import { newestFirst } from './newest-first.js';
import { usePolledQuery } from './use-polled-query.js';

export interface UseJobLogsOptions {
  /** Default 50, the plan's page. */
  limit?: number;
  /** Default 5000, while the job is pending or running; a finished job is not polled. */
  refreshIntervalMs?: number;
}

export interface JobLogsState {
  /** Newest first. */
  logs: readonly JobLog[];
  isLoading: boolean;
  error: Error | null;
  refresh: () => void;
}

const NO_LOGS: readonly JobLog[] = [];
const noSubscribe = () => () => {};
const noStatus = () => null;

/** The job's log, newest first: polled while the job runs, refetched when its status changes. */
export function useJobLogs(jobId: string | null, { limit = 50, refreshIntervalMs = 5000 }: UseJobLogsOptions = {}): JobLogsState {
  const { client, invalidations } = useJobsContext();
  // The status comes from the shared watch store (the same connection <JobProgress>
  // uses): it says when to stop polling and when one last fetch is due.
  const store = useMemo(() => (jobId === null ? null : jobWatchStoreFor(client, jobId)), [client, jobId]);
  const status = useSyncExternalStore(
    store?.subscribe ?? noSubscribe,
    () => (store?.getSnapshot() ?? EMPTY_WATCH_SNAPSHOT).job?.status ?? null,
    noStatus,
  );
  const query = usePolledQuery({
    key: jobId === null ? null : `${jobId}:${limit}`,
    fetch: () => client.listLogs(jobId ?? '', { limit }),
    intervalMs: status !== null && isTerminal(status) ? 0 : refreshIntervalMs,
    revision: status,
    invalidations,
  });
  return {
    logs: query.data ? newestFirst(query.data.logs) : NO_LOGS,
    isLoading: query.isLoading,
    error: query.error,
    refresh: query.refresh,
  };
}
