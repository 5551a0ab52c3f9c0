import { splitDuration, type JobLabels } from './job-labels.js';

export const enLabels: JobLabels = {
  dateLocale: 'en-US',
  status: { pending: 'Pending', running: 'Running', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled' },
  loading: 'Loading...',
  loadFailed: 'Could not load progress',
  progressTitle: 'AI review generation',
  progress: 'Progress',
  total: 'Total',
  completed: 'Completed',
  failed: 'Failed',
  startedAt: 'Started',
  elapsed: 'Elapsed',
  eta: 'Time left (est.)',
  finishedAt: 'Finished',
  errorTitle: 'Error',
  cancel: 'Cancel',
  retry: 'Retry',
  seeResults: 'See results',
  results: 'Generated reviews',
  itemFailed: 'Failed',
  logsTitle: (count) => `Job logs (${count})`,
  generate: 'Generate AI reviews in bulk',
  starting: 'Starting...',
  generating: 'Generating...',
  startFailed: 'Could not start the job',
  jobsTitle: 'Background jobs',
  tabs: { all: 'All', running: 'Running', completed: 'Completed', failed: 'Failed' },
  runningCount: (count) => `Running: ${count}`,
  pendingCount: (count) => `Pending: ${count}`,
  createdAt: 'Created',
  submission: 'Submission',
  statusColumn: 'Status',
  counts: 'Done / failed / total',
  noJobs: 'No jobs yet.',
  duration: (ms) => {
    const { hours, minutes, seconds } = splitDuration(ms);
    if (hours > 0) return `${hours}h ${minutes}m`;
    if (minutes > 0) return `${minutes}m ${seconds}s`;
    return `${seconds}s`;
  },
};
