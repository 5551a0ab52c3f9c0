'use client';
import { useCallback, useMemo, useState, useSyncExternalStore } from 'react';
import type { Job, JobItem, JobStatus } from '@review-jobs/core/client';
import { useJobsContext } from './jobs-provider.js';
import { EMPTY_WATCH_SNAPSHOT, jobWatchStoreFor, type JobWatchSnapshot } from './job-watch-store.js';
import { toError } from './to-error.js';
import { useNow } from './use-now.js';

export interface JobProgressState {
  job: Job | null;
  items: readonly JobItem[];
  /** null until the first answer. */
  status: JobStatus | null;
  /** 0-100. */
  progress: number;
  counts: { total: number; completed: number; failed: number };
  /** Since startedAt; ticks each second while running, fixed once finished. */
  elapsedMs: number | null;
  /** From the rate so far; null until one item is done or when not running. */
  etaMs: number | null;
  isLive: boolean;
  error: Error | null;
  /** Which action is in flight, to disable its button. */
  pendingAction: 'cancel' | 'retry' | null;
  /** Never rejects: a refusal lands in `error`, and the promise gives undefined. */
  cancel: () => Promise<Job | undefined>;
  retry: () => Promise<Job | undefined>;
}

const noSubscribe = () => () => {};
const emptySnapshot = () => EMPTY_WATCH_SNAPSHOT;

/** Live progress of one job (null: nothing to watch yet). */
export function useJobProgress(jobId: string | null): JobProgressState {
  if (jobId !== null && (typeof jobId !== 'string' || jobId === '')) {
    throw new TypeError(`useJobProgress: \`jobId\` must be a non-empty string or null, got ${JSON.stringify(jobId)}`);
  }
  const { client, invalidations } = useJobsContext();
  const store = useMemo(() => (jobId === null ? null : jobWatchStoreFor(client, jobId)), [client, jobId]);
  // The server snapshot is always empty: rendering on the server opens no watch and
  // reads no clock, so server and first client render agree.
  const snapshot: JobWatchSnapshot = useSyncExternalStore(
    store?.subscribe ?? noSubscribe,
    store?.getSnapshot ?? emptySnapshot,
    emptySnapshot,
  );
  const [pendingAction, setPendingAction] = useState<'cancel' | 'retry' | null>(null);

  const act = useCallback(
    async (action: 'cancel' | 'retry'): Promise<Job | undefined> => {
      if (!store) return undefined;
      setPendingAction(action);
      try {
        const job = await store.client[action](store.jobId);
        store.acceptJob(job);
        if (action === 'retry') store.restart();
        invalidations.notify();
        return job;
      } catch (error) {
        store.reportError(toError(error));
        return undefined;
      } finally {
        setPendingAction(null);
      }
    },
    [store, invalidations],
  );
  const cancel = useCallback(() => act('cancel'), [act]);
  const retry = useCallback(() => act('retry'), [act]);

  const { job } = snapshot;
  const now = useNow(job?.status === 'running');
  const elapsedMs = elapsedOf(job, now);
  const done = job ? job.completedItems + job.failedItems : 0;
  const etaMs =
    job?.status === 'running' && elapsedMs !== null && done > 0
      ? Math.round((elapsedMs / done) * Math.max(0, job.totalItems - done))
      : null;

  return {
    job,
    items: snapshot.items,
    status: job?.status ?? null,
    progress: job?.progress ?? 0,
    counts: { total: job?.totalItems ?? 0, completed: job?.completedItems ?? 0, failed: job?.failedItems ?? 0 },
    elapsedMs,
    etaMs,
    isLive: snapshot.isLive,
    error: snapshot.error,
    pendingAction,
    cancel,
    retry,
  };
}

function elapsedOf(job: Job | null, now: number): number | null {
  if (!job?.startedAt) return null;
  const start = Date.parse(job.startedAt);
  const end = job.status === 'running' ? now : job.finishedAt ? Date.parse(job.finishedAt) : null;
  return end === null ? null : Math.max(0, end - start);
}
