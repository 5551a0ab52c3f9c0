import type { RunnerEvents } from '../events.js';
import { isTerminal, type Job } from '../job.js';
import { HttpError } from './http-error.js';
import { JobEventHub } from './job-event-hub.js';
import type { JobRunnerApi } from './runner-api.js';

export interface JobEventHubsOptions {
  pollIntervalMs: number;
  bufferSize: number;
  lingerMs: number;
  onError: (error: unknown) => void;
}

interface Entry {
  hub: JobEventHub | null;
  /** Runner events that arrived while the hub was loading; applied once it is. */
  queue: ((hub: JobEventHub) => void)[];
  ready: Promise<JobEventHub>;
  watchers: number;
  polling: boolean;
  linger: ReturnType<typeof setTimeout> | undefined;
}

const done = (job: Job) => job.completedItems + job.failedItems;

/** Node keeps a process alive for a timer; a watcher's timers must not do that. */
const unref = (timer: ReturnType<typeof setTimeout>) => (timer as { unref?: () => void }).unref?.();

/**
 * One JobEventHub per watched job, fed from two sources:
 * - the local runner's events, at once (listeners attached only while a job is watched);
 * - a store poll every `pollIntervalMs`, only for watched jobs that are not terminal,
 *   so that jobs run by other processes (workers sharing the store) show progress too.
 *   It reads the job (one cheap read) and the items only when the done count moved.
 * A hub outlives its last watcher by `lingerMs` so that a client that reconnects soon
 * gets a replay rather than a new snapshot.
 */
export class JobEventHubs {
  readonly #entries = new Map<string, Entry>();
  #pollTimer: ReturnType<typeof setInterval> | undefined;
  #attached = false;
  readonly #listeners: Pick<RunnerEvents, 'progress' | 'status' | 'item' | 'log'> = {
    progress: (job) => this.notify(job),
    status: (job) => this.notify(job),
    item: (event) => this.#dispatch(event.jobId, (hub) => hub.applyItem(event.item)),
    log: (event) => this.#dispatch(event.jobId, (hub) => hub.applyLog(event)),
  };

  constructor(
    private readonly runner: JobRunnerApi,
    private readonly options: JobEventHubsOptions,
  ) {}

  /** The hub of a job, loaded on first use; pair every call with `release`. */
  async acquire(jobId: string): Promise<JobEventHub> {
    const entry = this.#entries.get(jobId) ?? this.#create(jobId);
    entry.watchers += 1;
    clearTimeout(entry.linger);
    try {
      return await entry.ready;
    } catch (error) {
      entry.watchers -= 1;
      throw error;
    }
  }

  release(jobId: string): void {
    const entry = this.#entries.get(jobId);
    if (entry === undefined) return;
    entry.watchers -= 1;
    if (entry.watchers > 0) return;
    entry.linger = setTimeout(() => {
      if (entry.watchers === 0) this.#delete(jobId);
    }, this.options.lingerMs);
    unref(entry.linger);
  }

  /** A job as some action left it (runner event, or the answer of cancel/retry). */
  notify(job: Job): void {
    this.#dispatch(job.id, (hub) => hub.applyJob(job));
  }

  close(): void {
    for (const jobId of [...this.#entries.keys()]) this.#delete(jobId);
  }

  #create(jobId: string): Entry {
    // Listeners are attached before the reads, so nothing between the reads and the
    // first watcher is missed; the hub drops whatever the reads already included.
    this.#attach();
    const ready = Promise.all([this.runner.getJob(jobId), this.runner.listItems(jobId)]).then(([job, items]) => {
      if (job === null) throw new HttpError(404, 'not_found', `No job with id "${jobId}".`);
      const hub = new JobEventHub(job, items, this.options.bufferSize);
      for (const apply of entry.queue) apply(hub);
      entry.queue = [];
      entry.hub = hub;
      return hub;
    });
    const entry: Entry = { hub: null, queue: [], ready, watchers: 0, polling: false, linger: undefined };
    this.#entries.set(jobId, entry);
    ready.catch(() => {
      if (this.#entries.get(jobId) === entry) this.#delete(jobId);
    });
    return entry;
  }

  #delete(jobId: string): void {
    const entry = this.#entries.get(jobId);
    if (entry === undefined) return;
    clearTimeout(entry.linger);
    entry.hub?.end();
    this.#entries.delete(jobId);
    if (this.#entries.size === 0) this.#detach();
  }

  #dispatch(jobId: string, apply: (hub: JobEventHub) => void): void {
    const entry = this.#entries.get(jobId);
    if (entry === undefined) return;
    if (entry.hub === null) entry.queue.push(apply);
    else apply(entry.hub);
  }

  #attach(): void {
    if (this.#attached) return;
    this.#attached = true;
    for (const [event, listener] of Object.entries(this.#listeners)) this.runner.on(event as 'log', listener as RunnerEvents['log']);
    this.#pollTimer = setInterval(() => this.#pollAll(), this.options.pollIntervalMs);
    unref(this.#pollTimer);
  }

  #detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    for (const [event, listener] of Object.entries(this.#listeners)) this.runner.off(event as 'log', listener as RunnerEvents['log']);
    clearInterval(this.#pollTimer);
  }

  #pollAll(): void {
    for (const [jobId, entry] of this.#entries) {
      const hub = entry.hub;
      if (hub === null || entry.watchers === 0 || entry.polling || isTerminal(hub.current.status)) continue;
      entry.polling = true;
      this.#poll(jobId, hub)
        .catch(this.options.onError)
        .finally(() => {
          entry.polling = false;
        });
    }
  }

  async #poll(jobId: string, hub: JobEventHub): Promise<void> {
    const job = await this.runner.getJob(jobId);
    if (job === null) return;
    const moved = job.retryCount !== hub.current.retryCount || done(job) > done(hub.current);
    hub.applyPoll(job, moved ? await this.runner.listItems(jobId) : null);
  }
}
