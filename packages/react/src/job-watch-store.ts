import { isTerminal, type Job, type JobClient, type JobItem, type JobLog, type JobWatchEvent, type LiveJobLog } from '@review-jobs/core/client';
import { Subscribable } from './subscribable.js';

/** What every hook watching one job reads. Replaced (never mutated) on each change. */
export interface JobWatchSnapshot {
  readonly job: Job | null;
  /** Sorted by index; only the items the server has reported so far. */
  readonly items: readonly JobItem[];
  /**
   * Log lines heard live since the watch opened, newest first, at most MAX_LIVE_LOGS.
   * Each has an id: the server's, or a local `live-N` one until the stored line replaces it.
   */
  readonly logs: readonly JobLog[];
  /** True while the client holds a live (SSE) connection; false while it polls. */
  readonly isLive: boolean;
  readonly error: Error | null;
}

/**
 * Enough for any page a log panel shows; older live lines are in the fetched page by
 * then (it is refetched on every poll and status change), and a long job's stream must
 * not grow memory without bound.
 */
const MAX_LIVE_LOGS = 200;

export const EMPTY_WATCH_SNAPSHOT: JobWatchSnapshot = Object.freeze({
  job: null,
  items: Object.freeze([]) as readonly JobItem[],
  logs: Object.freeze([]) as readonly JobLog[],
  isLive: false,
  error: null,
});

/**
 * The external store of one watched job, fed by `client.watchJob`. Shared by every hook
 * instance watching the same job through the same client (see `jobWatchStoreFor`): the
 * first listener opens the watch, the last one closes it.
 */
export class JobWatchStore extends Subscribable {
  private snapshot: JobWatchSnapshot = EMPTY_WATCH_SNAPSHOT;
  private stopWatch: (() => void) | null = null;
  private liveLogCount = 0;

  constructor(
    readonly client: JobClient,
    readonly jobId: string,
    private readonly registry: Map<string, JobWatchStore>,
  ) {
    super();
  }

  readonly getSnapshot = (): JobWatchSnapshot => this.snapshot;

  /** A job the client handed back from cancel/retry: show it before the watch says so. */
  acceptJob(job: Job): void {
    if (!this.isStale(job)) this.set({ job, error: null });
  }

  reportError(error: Error): void {
    this.set({ error });
  }

  /**
   * Reopens the watch. A client may end a watch once the job is terminal; after a
   * retry the job runs again and needs a fresh one (which also resends the items).
   */
  restart(): void {
    if (!this.stopWatch) return;
    this.closeWatch();
    this.openWatch();
  }

  protected override onSubscribe(): void {
    if (!this.registry.has(this.jobId)) this.registry.set(this.jobId, this);
    if (!this.stopWatch) this.openWatch();
  }

  protected override onUnsubscribe(): void {
    // Deferred: React StrictMode (and a component remounting under a new parent)
    // unsubscribes and subscribes again in the same tick; keep the connection open.
    queueMicrotask(() => {
      if (this.hasListeners()) return;
      this.closeWatch();
      if (this.registry.get(this.jobId) === this) this.registry.delete(this.jobId);
    });
  }

  private openWatch(): void {
    this.stopWatch = this.client.watchJob(this.jobId, (event) => this.apply(event));
  }

  private closeWatch(): void {
    const stop = this.stopWatch;
    this.stopWatch = null;
    stop?.();
  }

  private apply(event: JobWatchEvent): void {
    switch (event.type) {
      case 'snapshot':
        if (!this.isStale(event.job)) {
          this.set({ job: event.job, items: sortByIndex(event.items), error: null });
        }
        return;
      case 'progress':
      case 'status':
        this.acceptJob(event.job);
        return;
      case 'item':
        if (event.jobId === this.jobId) this.set({ items: upsertItem(this.snapshot.items, event.item) });
        return;
      case 'connection':
        this.set(event.live ? { isLive: true, error: null } : { isLive: false });
        return;
      case 'error':
        this.set({ error: event.error });
        return;
      case 'log':
        // useJobLogs merges these into its fetched page, so a line shows the moment it is
        // logged, not at the next poll after the runner has written its batch.
        if (event.log.jobId === this.jobId) this.set({ logs: this.withLiveLog(event.log) });
        return;
    }
  }

  private withLiveLog(log: LiveJobLog): readonly JobLog[] {
    const line: JobLog = { ...log, id: log.id ?? `live-${++this.liveLogCount}` };
    return [line, ...this.snapshot.logs].slice(0, MAX_LIVE_LOGS);
  }

  /**
   * Answers can arrive out of order (a poll answered before the cancel landed). A job
   * only leaves a terminal status through retry, which bumps retryCount, so an older
   * "running" must not overwrite a newer "cancelled".
   */
  private isStale(job: Job): boolean {
    const current = this.snapshot.job;
    return (
      current !== null &&
      isTerminal(current.status) &&
      !isTerminal(job.status) &&
      job.retryCount <= current.retryCount
    );
  }

  private set(patch: Partial<JobWatchSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}

const registries = new WeakMap<JobClient, Map<string, JobWatchStore>>();

/** The one store for (client, jobId): one `watchJob` per job however many hooks read it. */
export function jobWatchStoreFor(client: JobClient, jobId: string): JobWatchStore {
  let registry = registries.get(client);
  if (!registry) {
    registry = new Map();
    registries.set(client, registry);
  }
  let store = registry.get(jobId);
  if (!store) {
    // Registered at once, not on first subscribe: two components rendering in the same
    // pass must get the same store, or each would open its own watch.
    store = new JobWatchStore(client, jobId, registry);
    registry.set(jobId, store);
  }
  return store;
}

function sortByIndex(items: readonly JobItem[]): readonly JobItem[] {
  return [...items].sort((a, b) => a.index - b.index);
}

function upsertItem(items: readonly JobItem[], item: JobItem): readonly JobItem[] {
  const others = items.filter((existing) => existing.index !== item.index);
  return sortByIndex([...others, item]);
}
