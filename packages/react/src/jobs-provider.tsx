'use client';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { JobClient } from '@review-jobs/core/client';
import { JobInvalidations } from './job-invalidations.js';
import { enLabels } from './labels/en.js';
import { mergeLabels, type JobLabelOverrides, type JobLabels, type JobsLocale } from './labels/job-labels.js';
import { koLabels } from './labels/ko.js';

export interface JobsProviderProps {
  /** From `createJobClient({ baseUrl })` of `@review-jobs/core/client`. */
  client: JobClient;
  /** Default "ko". */
  locale?: JobsLocale;
  /** Any subset of the locale's labels. */
  labels?: JobLabelOverrides;
  children?: ReactNode;
}

interface JobsContextValue {
  client: JobClient;
  labels: JobLabels;
  invalidations: JobInvalidations;
}

const JobsContext = createContext<JobsContextValue | null>(null);

const LOCALES: Record<JobsLocale, JobLabels> = { ko: koLabels, en: enLabels };

export function JobsProvider({ client, locale = 'ko', labels, children }: JobsProviderProps) {
  if (!client || typeof client.watchJob !== 'function') {
    throw new TypeError('<JobsProvider>: `client` must be a JobClient (createJobClient from @review-jobs/core/client)');
  }
  const base = LOCALES[locale];
  if (!base) throw new TypeError(`<JobsProvider>: \`locale\` must be "ko" or "en", got ${JSON.stringify(locale)}`);
  // One invalidation channel per client: a provider re-rendered with the same client keeps it.
  const invalidations = useMemo(() => new JobInvalidations(), [client]);
  const merged = useMemo(() => mergeLabels(base, labels), [base, labels]);
  const value = useMemo(() => ({ client, labels: merged, invalidations }), [client, merged, invalidations]);
  return <JobsContext.Provider value={value}>{children}</JobsContext.Provider>;
}

/** Internal: everything the hooks and components share. */
export function useJobsContext(): JobsContextValue {
  const value = useContext(JobsContext);
  if (!value) throw new Error('review-jobs hooks and components must be used inside <JobsProvider client={...}>');
  return value;
}

export function useJobClient(): JobClient {
  return useJobsContext().client;
}

/** The labels in effect (locale + overrides), for text you render around the components. */
export function useJobLabels(): JobLabels {
  return useJobsContext().labels;
}
