import type { JobStatus } from '@review-jobs/core/client';

export type JobsLocale = 'ko' | 'en';

/** Every piece of text the components render. One file per locale: ko.ts, en.ts. */
export interface JobLabels {
  /** BCP 47 tag for dates and numbers (Intl). */
  dateLocale: string;
  status: Record<JobStatus, string>;
  loading: string;
  loadFailed: string;
  progressTitle: string;
  progress: string;
  total: string;
  completed: string;
  failed: string;
  startedAt: string;
  elapsed: string;
  eta: string;
  finishedAt: string;
  errorTitle: string;
  cancel: string;
  retry: string;
  seeResults: string;
  results: string;
  itemFailed: string;
  logsTitle: (count: number) => string;
  generate: string;
  starting: string;
  generating: string;
  startFailed: string;
  jobsTitle: string;
  tabs: Record<JobsTableTab, string>;
  runningCount: (count: number) => string;
  pendingCount: (count: number) => string;
  createdAt: string;
  submission: string;
  statusColumn: string;
  counts: string;
  noJobs: string;
  /** "1분 5초" / "1m 5s". */
  duration: (ms: number) => string;
}

export type JobsTableTab = 'all' | 'running' | 'completed' | 'failed';

/** What `<JobsProvider labels>` takes: any subset, status names included. */
export type JobLabelOverrides = Partial<Omit<JobLabels, 'status' | 'tabs'>> & {
  status?: Partial<JobLabels['status']>;
  tabs?: Partial<JobLabels['tabs']>;
};

export function mergeLabels(base: JobLabels, overrides: JobLabelOverrides | undefined): JobLabels {
  if (!overrides) return base;
  const { status, tabs, ...rest } = overrides;
  return {
    ...withDefined(base, rest),
    status: withDefined(base.status, status),
    tabs: withDefined(base.tabs, tabs),
  };
}

/** `{ ...base, ...overrides }`, except that an explicit `undefined` keeps the default. */
function withDefined<T extends object>(base: T, overrides: Partial<T> | undefined): T {
  const merged = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/** Splits a duration into h/m/s for the locale files' `duration`. */
export function splitDuration(ms: number): { hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.round(ms / 1000));
  return { hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
}
