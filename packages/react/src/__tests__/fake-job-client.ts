import { vi } from 'vitest';
import {
  JobClientError,
  type Job,
  type JobClient,
  type JobItem,
  type JobLog,
  type JobStatus,
  type JobWatchEvent,
  type ListJobsQuery,
  type SubmissionInput,
} from '@review-jobs/core/client';

let sequence = 0;

export function makeJob(overrides: Partial<Job> = {}): Job {
  const id = overrides.id ?? `job-${++sequence}`;
  return {
    id,
    type: 'review-generation',
    submissionId: 'sub-1',
    status: 'pending',
    payload: { submissionId: 'sub-1', placeName: '성수동 카페 온도', script: '핸드드립 커피가 맛있음', count: 4 },
    totalItems: 4,
    completedItems: 0,
    failedItems: 0,
    progress: 0,
    usage: { inputTokens: 0, outputTokens: 0 },
    createdBy: 'admin-1',
    createdAt: '2025-01-02T03:04:05.000Z',
    startedAt: null,
    finishedAt: null,
    errorMessage: null,
    retryCount: 0,
    maxRetries: 3,
    cancelRequestedAt: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    ...overrides,
  };
}

export function makeItem(jobId: string, index: number, overrides: Partial<JobItem> = {}): JobItem {
  return {
    jobId,
    index,
    status: 'succeeded',
    text: `리뷰 ${index}`,
    attempts: 1,
    error: null,
    usage: { inputTokens: 10, outputTokens: 20 },
    updatedAt: '2025-01-02T03:05:00.000Z',
    ...overrides,
  };
}

export function makeLog(jobId: string, overrides: Partial<JobLog> = {}): JobLog {
  return {
    id: `log-${++sequence}`,
    jobId,
    level: 'info',
    message: 'started',
    metadata: null,
    createdAt: '2025-01-02T03:04:06.000Z',
    ...overrides,
  };
}

/** The error the real client throws for an HTTP error answer. */
export function clientError(
  status: number,
  code: string,
  message: string,
  details: { jobId?: string; fieldErrors?: Record<string, string[]> } = {},
): JobClientError {
  return new JobClientError(message, status, code, details);
}

type Listener = (event: JobWatchEvent) => void;

/**
 * A JobClient driven by the test: `emit` plays the server's watch events, the other
 * methods are vi.fn() spies with a plausible default answer.
 */
export class FakeJobClient implements JobClient {
  readonly jobs = new Map<string, Job>();
  readonly logs = new Map<string, JobLog[]>();
  private readonly watchers = new Map<string, Set<Listener>>();
  /** Every watchJob call's job id, in order (a reopened watch appears twice). */
  readonly watchCalls: string[] = [];

  constructor(jobs: Job[] = []) {
    for (const job of jobs) this.jobs.set(job.id, job);
  }

  start = vi.fn(async (submission: SubmissionInput) => {
    const job = makeJob({ id: `started-${++sequence}`, submissionId: submission.submissionId, totalItems: submission.count });
    this.jobs.set(job.id, job);
    return { job, created: true };
  });

  getJob = vi.fn(async (jobId: string) => this.mustGet(jobId));

  listItems = vi.fn(async (_jobId: string): Promise<JobItem[]> => []);

  listJobs = vi.fn(async (filter: ListJobsQuery = {}) => {
    const wanted = filter.status === undefined ? null : [filter.status].flat();
    const all = [...this.jobs.values()];
    const counts = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 } satisfies Record<JobStatus, number>;
    for (const job of all) counts[job.status] += 1;
    return { jobs: all.filter((job) => !wanted || wanted.includes(job.status)), nextCursor: null, counts };
  });

  listLogs = vi.fn(async (jobId: string, _options?: { cursor?: string; limit?: number }) => ({
    logs: this.logs.get(jobId) ?? [],
    nextCursor: null,
  }));

  cancel = vi.fn(async (jobId: string) => this.update(jobId, { status: 'cancelled', finishedAt: '2025-01-02T03:06:00.000Z' }));

  retry = vi.fn(async (jobId: string) => {
    const job = this.mustGet(jobId);
    return this.update(jobId, { status: 'pending', retryCount: job.retryCount + 1, finishedAt: null, errorMessage: null });
  });

  watchJob = vi.fn((jobId: string, listener: Listener, _options?: { pollIntervalMs?: number }) => {
    this.watchCalls.push(jobId);
    let set = this.watchers.get(jobId);
    if (!set) {
      set = new Set();
      this.watchers.set(jobId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  });

  /** How many watches are open for the job right now. */
  openWatches(jobId: string): number {
    return this.watchers.get(jobId)?.size ?? 0;
  }

  emit(jobId: string, event: JobWatchEvent): void {
    if (event.type === 'snapshot' || event.type === 'progress' || event.type === 'status') {
      this.jobs.set(event.job.id, event.job);
    }
    for (const listener of [...(this.watchers.get(jobId) ?? [])]) listener(event);
  }

  private mustGet(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw clientError(404, 'not_found', `job ${jobId} not found`);
    return job;
  }

  private update(jobId: string, patch: Partial<Job>): Job {
    const job = { ...this.mustGet(jobId), ...patch };
    this.jobs.set(jobId, job);
    return job;
  }
}
