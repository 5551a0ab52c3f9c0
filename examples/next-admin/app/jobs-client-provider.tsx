'use client';
import { useState, type ReactNode } from 'react';
import { createJobClient } from '@review-jobs/core/client';
import { JobsProvider } from '@review-jobs/react';
import { JOBS_API_BASE_PATH } from '@/lib/jobs-api-path';

/** One JobClient for the whole app, talking to the catch-all route (app/api/review-jobs). */
export function JobsClientProvider({ children }: { children: ReactNode }) {
  const [client] = useState(() => createJobClient({ baseUrl: JOBS_API_BASE_PATH }));
  return <JobsProvider client={client}>{children}</JobsProvider>;
}
