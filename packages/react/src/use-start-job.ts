'use client';
import { useCallback, useRef, useState } from 'react';
import type { JobClient, SubmissionInput } from '@review-jobs/core/client';
import { useJobsContext } from './jobs-provider.js';
import { toError } from './to-error.js';

export interface StartedJob {
  jobId: string;
  /** false: a job for this submission was already active, and this is that job. */
  created: boolean;
}

export interface StartJobState {
  /** Never rejects: a refusal lands in `error` and the promise gives null. */
  start: (submission: SubmissionInput) => Promise<StartedJob | null>;
  isStarting: boolean;
  /** The refusal (a JobClientError with `fieldErrors` for bad input). Cleared by the next start. */
  error: Error | null;
  /** The job started (or adopted) last. */
  jobId: string | null;
}

/**
 * Starts a job. A 409 `job_active` is not an error here: the admin wanted the job for
 * this submission running, and it is, so its id is adopted and watched.
 */
export function useStartJob(): StartJobState {
  const { client, invalidations } = useJobsContext();
  const [state, setState] = useState<Omit<StartJobState, 'start'>>({ isStarting: false, error: null, jobId: null });
  // A double click must not send two requests: the second gets the first's promise.
  const inFlight = useRef<Promise<StartedJob | null> | null>(null);

  const start = useCallback(
    (submission: SubmissionInput) => {
      if (inFlight.current) return inFlight.current;
      setState((previous) => ({ ...previous, isStarting: true, error: null }));
      const request = startOrAdopt(client, submission).then(
        (started) => {
          setState({ isStarting: false, error: null, jobId: started.jobId });
          invalidations.notify();
          return started;
        },
        (error: unknown) => {
          setState((previous) => ({ ...previous, isStarting: false, error: toError(error) }));
          return null;
        },
      );
      inFlight.current = request;
      void request.finally(() => {
        inFlight.current = null;
      });
      return request;
    },
    [client, invalidations],
  );

  return { ...state, start };
}

async function startOrAdopt(client: JobClient, submission: SubmissionInput): Promise<StartedJob> {
  try {
    const { job, created } = await client.start(submission);
    return { jobId: job.id, created };
  } catch (error) {
    const activeJobId = activeJobIdOf(error);
    if (activeJobId === null) throw error;
    return { jobId: activeJobId, created: false };
  }
}

/**
 * Duck-typed rather than `instanceof JobClientError`: with ESM and CJS copies of core in
 * one app (the dual package hazard), the class identity is not reliable; the code is.
 */
function activeJobIdOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, jobId } = error as { code?: unknown; jobId?: unknown };
  return code === 'job_active' && typeof jobId === 'string' && jobId !== '' ? jobId : null;
}
