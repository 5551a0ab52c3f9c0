'use client';
import { useMemo, useSyncExternalStore } from 'react';
import { isTerminal, type JobLog } from '@review-jobs/core/client';
import { useJobsContext } from './jobs-provider.js';
import { EMPTY_WATCH_SNAPSHOT, jobWatchStoreFor } from './job-watch-store.js';
import { mergeLiveLogs } from './merge-live-logs.js';
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
const noLogs = () => NO_LOGS;

/**
 * The job's log, newest first: lines heard on the job's live watch show at once, merged
 * into a fetched page that is polled while the job runs (the fallback when no stream is
 * live) and refetched when its status changes.
 */
export function useJobLogs(jobId: string | null, { limit = 50, refreshIntervalMs = 5000 }: UseJobLogsOptions = {}): JobLogsState {
  const { client, invalidations } = useJobsContext();
  // The shared watch store (the same connection <JobProgress> uses) gives the live
  // lines, and the status: when to stop polling and when one last fetch is due.
  const store = useMemo(() => (jobId === null ? null : jobWatchStoreFor(client, jobId)), [client, jobId]);
  const status = useSyncExternalStore(
    store?.subscribe ?? noSubscribe,
    () => (store?.getSnapshot() ?? EMPTY_WATCH_SNAPSHOT).job?.status ?? null,
    noStatus,
  );
  const liveLogs = useSyncExternalStore(store?.subscribe ?? noSubscribe, () => store?.getSnapshot().logs ?? NO_LOGS, noLogs);
  const query = usePolledQuery({
    key: jobId === null ? null : `${jobId}:${limit}`,
    fetch: () => client.listLogs(jobId ?? '', { limit }),
    intervalMs: status !== null && isTerminal(status) ? 0 : refreshIntervalMs,
    revision: status,
    invalidations,
  });
  const fetched = query.data?.logs;
  const logs = useMemo(() => mergeLiveLogs(fetched ?? NO_LOGS, liveLogs, limit), [fetched, liveLogs, limit]);
  return {
    logs,
    isLoading: query.isLoading,
    error: query.error,
    refresh: query.refresh,
  };
}
