import type { LogEvent } from '../events.js';
import { isTerminal, type Job, type JobItem } from '../job.js';

export type JobEventType = 'snapshot' | 'progress' | 'item' | 'log' | 'status';

export interface JobEvent {
  /** The SSE `id:` ("<epoch>-<seq>"), what a client sends back as Last-Event-ID. */
  id: string;
  type: JobEventType;
  data: unknown;
}

/** A watcher: gets every event after its replay, and `end` when the hub goes away. */
export interface JobEventListener {
  send(event: JobEvent): void;
  end(): void;
}

const PHASE: Record<Job['status'], number> = { pending: 0, running: 1, completed: 2, failed: 2, cancelled: 2 };

/**
 * Orders two views of one job, whatever their source (a local runner event or a store
 * poll that may have been overtaken): a job only moves forward inside a retry cycle
 * (pending -> running -> terminal, done count and cancel flag only grow), and a retry
 * starts a new cycle. > 0 when `a` is newer.
 */
function compareJobs(a: Job, b: Job): number {
  const key = (job: Job) => [job.retryCount, PHASE[job.status], job.completedItems + job.failedItems, job.cancelRequestedAt ? 1 : 0];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  return 0;
}

/**
 * The live state of one watched job (job + items) and the events that changed it, in a
 * bounded ring buffer. Every watcher of the job shares one hub: a new watcher gets a
 * snapshot built from memory (no store read per watcher), a reconnecting one gets the
 * events after its Last-Event-ID.
 *
 * Why a reconnect loses nothing: a snapshot carries the sequence number of the last
 * event it includes, and `subscribe` hands out the replay and registers the listener
 * in one synchronous step, so no event can fall between the two. When the id is from
 * another epoch (server restarted, hub evicted) or older than the buffer, the watcher
 * gets a fresh snapshot instead, which holds the whole state.
 */
export class JobEventHub {
  readonly epoch = globalThis.crypto.randomUUID().slice(0, 8);
  #seq = 0;
  readonly #buffer: JobEvent[] = [];
  readonly #listeners = new Set<JobEventListener>();

  constructor(
    private job: Job,
    private items: JobItem[],
    private readonly bufferSize: number,
  ) {}

  get current(): Job {
    return this.job;
  }

  get watcherCount(): number {
    return this.#listeners.size;
  }

  /** The events a new watcher must get first, then `listener` gets every later one. */
  subscribe(listener: JobEventListener, lastEventId: string | null): JobEvent[] {
    this.#listeners.add(listener);
    const seq = this.#seqOf(lastEventId);
    const oldest = this.#buffer[0]?.id;
    const oldestSeq = oldest === undefined ? this.#seq + 1 : this.#seqOf(oldest)!;
    if (seq !== null && seq <= this.#seq && seq >= oldestSeq - 1) {
      return this.#buffer.filter((event) => this.#seqOf(event.id)! > seq);
    }
    return [{ id: this.#id(this.#seq), type: 'snapshot', data: { job: this.job, items: [...this.items] } }];
  }

  unsubscribe(listener: JobEventListener): void {
    this.#listeners.delete(listener);
  }

  /** Ends every watcher's stream (handlers closed). */
  end(): void {
    for (const listener of this.#listeners) listener.end();
    this.#listeners.clear();
  }

  /** An item recorded (runner event or poll). Ignored unless the item was pending: the first record wins. */
  applyItem(item: JobItem): void {
    const known = this.items[item.index - 1];
    if (known === undefined || known.status !== 'pending' || item.status === 'pending') return;
    this.items[item.index - 1] = item;
    this.#emit('item', { jobId: this.job.id, item });
  }

  /** A newer view of the job (runner event, poll, or the answer of cancel/retry); stale views are dropped. */
  applyJob(job: Job): void {
    if (compareJobs(job, this.job) <= 0) return;
    const previous = this.job;
    this.job = job;
    if (job.retryCount > previous.retryCount) this.#resetForRetry();
    this.#emit(job.status === previous.status ? 'progress' : 'status', { job });
  }

  /**
   * What a store poll saw: items first (when the done count moved), then the job. A
   * poll that started before a retry this hub already applied is dropped whole: its
   * items belong to the previous cycle.
   */
  applyPoll(job: Job, items: JobItem[] | null): void {
    if (job.retryCount < this.job.retryCount) return;
    if (job.retryCount > this.job.retryCount) {
      // Retried elsewhere: reset the items first, then take this cycle's results.
      this.applyJob(job);
      for (const item of items ?? []) this.applyItem(item);
      return;
    }
    for (const item of items ?? []) this.applyItem(item);
    this.applyJob(job);
  }

  applyLog(event: LogEvent): void {
    const { jobId, level, message, metadata, at } = event;
    this.#emit('log', { log: { jobId, level, message, metadata, createdAt: at } });
  }

  /** JobStore.resetForRetry: failed items become pending (text and error cleared, attempts kept). */
  #resetForRetry(): void {
    this.items.forEach((item, i) => {
      if (item.status !== 'failed') return;
      const reset: JobItem = { ...item, status: 'pending', text: null, error: null, usage: null };
      this.items[i] = reset;
      this.#emit('item', { jobId: this.job.id, item: reset });
    });
  }

  #emit(type: JobEventType, data: unknown): void {
    this.#seq += 1;
    const event: JobEvent = { id: this.#id(this.#seq), type, data };
    this.#buffer.push(event);
    if (this.#buffer.length > this.bufferSize) this.#buffer.shift();
    for (const listener of this.#listeners) listener.send(event);
  }

  #id(seq: number): string {
    return `${this.epoch}-${seq}`;
  }

  /** The sequence number of an id of this hub, or null (foreign epoch, garbage). */
  #seqOf(id: string | null): number | null {
    const match = id === null ? null : /^([0-9a-f]{8})-(\d{1,15})$/.exec(id);
    return match && match[1] === this.epoch ? Number(match[2]) : null;
  }
}

export const isTerminalEvent = (event: JobEvent): boolean =>
  (event.type === 'status' || event.type === 'snapshot') && isTerminal((event.data as { job: Job }).job.status);
