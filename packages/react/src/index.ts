export { JobsProvider, useJobClient, useJobLabels } from './jobs-provider.js';
export type { JobsProviderProps } from './jobs-provider.js';

export { useJobProgress } from './use-job-progress.js';
export type { JobProgressState } from './use-job-progress.js';
export { useJobs } from './use-jobs.js';
export type { JobsFilter, JobsState, UseJobsOptions } from './use-jobs.js';
export { useJobLogs } from './use-job-logs.js';
export type { JobLogsState, UseJobLogsOptions } from './use-job-logs.js';
export { useStartJob } from './use-start-job.js';
export type { StartJobState, StartedJob } from './use-start-job.js';

export { JobProgress } from './components/job-progress.js';
export type { JobProgressPart, JobProgressProps } from './components/job-progress.js';
export { JobLogs } from './components/job-logs.js';
export type { JobLogsPart, JobLogsProps } from './components/job-logs.js';
export { GenerateReviewsButton } from './components/generate-reviews-button.js';
export type { GenerateReviewsButtonPart, GenerateReviewsButtonProps } from './components/generate-reviews-button.js';
export { JobsTable } from './components/jobs-table.js';
export type { JobsTablePart, JobsTableProps } from './components/jobs-table.js';

export { koLabels } from './labels/ko.js';
export { enLabels } from './labels/en.js';
export type { JobLabelOverrides, JobLabels, JobsLocale, JobsTableTab } from './labels/job-labels.js';
export type { ClassNames } from './class-names.js';
