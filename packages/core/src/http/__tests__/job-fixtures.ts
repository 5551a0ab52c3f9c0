import type { Job, JobItem } from '../../job.js';

export const JOB_ID = '0b6f3c3e-8a39-4c55-9d0e-4f1b2a7c9e10';

export function makeJob(overrides: Partial<Job> = {}): Job {
  return {
    id: JOB_ID,
    type: 'ai_review_generation',
    submissionId: 'sub-1',
    status: 'pending',
    payload: { submissionId: 'sub-1', placeName: 'Cafe', script: 'Good coffee', count: 3 },
    totalItems: 3,
    completedItems: 0,
    failedItems: 0,
    progress: 0,
    usage: { inputTokens: 0, outputTokens: 0 },
    createdBy: null,
    createdAt: '2025-01-01T00:00:00.000Z',
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

export function makeItem(index: number, overrides: Partial<JobItem> = {}): JobItem {
  return { jobId: JOB_ID, index, status: 'pending', text: null, attempts: 0, error: null, usage: null, updatedAt: null, ...overrides };
}
