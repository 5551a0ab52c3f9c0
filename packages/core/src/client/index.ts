export { createJobClient } from './create-job-client.js';
export { JobClientError } from './job-client-error.js';
export type { JobClient, JobClientOptions, JobWatchEvent, ListJobsQuery, LiveJobLog, WatchJobOptions } from './job-client.js';
// The job model, so browser code needs nothing but this entry. job.ts is types and
// tiny pure helpers: nothing server-side comes along.
export { isTerminal, JOB_STATUSES } from '../job.js';
export type { Job, JobItem, JobLog, JobStatus, ItemStatus, LogLevel, TokenUsage } from '../job.js';
export type { StatusCounts } from '../job-store.js';
export type { SubmissionInput } from '../submission.js';
