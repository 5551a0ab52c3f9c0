'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Subscribable } from './subscribable.js';
import { toError } from './to-error.js';

export interface PolledQuery<T> {
  data: T | undefined;
  error: Error | null;
  isLoading: boolean;
  refresh: () => void;
}

interface PolledQueryOptions<T> {
  /** Identity of the data: a new key drops the old data. null: fetch nothing. */
  key: string | null;
  fetch: () => Promise<T>;
  /** 0 or less: no polling. */
  intervalMs: number;
  /** A change refetches but keeps showing the current data meanwhile. */
  revision?: unknown;
  /** Refetch whenever this notifies (start/cancel/retry in this app). */
  invalidations?: Subscribable;
}

interface State<T> {
  key: string | null;
  data: T | undefined;
  error: Error | null;
}

/**
 * Fetch, then refetch on an interval, on `refresh()`, on a revision change or an
 * invalidation. Only the newest request's answer is kept, so a slow old answer never
 * overwrites a fresh one. Effects only: nothing runs on the server.
 */
export function usePolledQuery<T>({ key, fetch, intervalMs, revision, invalidations }: PolledQueryOptions<T>): PolledQuery<T> {
  const [state, setState] = useState<State<T>>({ key: null, data: undefined, error: null });
  const [manualRevision, setManualRevision] = useState(0);
  const refresh = useCallback(() => setManualRevision((n) => n + 1), []);
  const fetchRef = useRef(fetch);
  useEffect(() => {
    fetchRef.current = fetch;
  });

  useEffect(() => {
    if (key === null) return;
    let active = true;
    let latest = 0;
    const run = () => {
      const request = ++latest;
      const settle = (patch: Omit<State<T>, 'key'> | ((previous: State<T>) => Omit<State<T>, 'key'>)) => {
        if (!active || request !== latest) return;
        setState((previous) => ({ key, ...(typeof patch === 'function' ? patch(previous) : patch) }));
      };
      fetchRef.current().then(
        (data) => settle({ data, error: null }),
        (error: unknown) =>
          settle((previous) => ({ data: previous.key === key ? previous.data : undefined, error: toError(error) })),
      );
    };
    run();
    const timer = intervalMs > 0 ? setInterval(run, intervalMs) : undefined;
    const unsubscribe = invalidations?.subscribe(run);
    return () => {
      active = false;
      clearInterval(timer);
      unsubscribe?.();
    };
  }, [key, intervalMs, revision, manualRevision, invalidations]);

  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : null,
    isLoading: key !== null && (!current || (state.data === undefined && state.error === null)),
    refresh,
  };
}
