import { JobStateError } from '@review-jobs/core';

/** What supabase-js reports for a failed request (a PostgrestError, or its shape). */
export interface PostgrestErrorLike {
  message: string;
  code: string;
  details?: string | null;
  hint?: string | null;
}

/** A request to Supabase failed: PostgREST's error, with the store method that made it. */
export class SupabaseStoreError extends Error {
  override readonly name = 'SupabaseStoreError';
  /** SQLSTATE (e.g. "42501") or PostgREST's own code ("PGRST301"); "" for a network failure. */
  readonly code: string;
  readonly details: string | null;
  readonly hint: string | null;

  constructor(operation: string, error: PostgrestErrorLike) {
    super(`SupabaseJobStore.${operation}: ${error.message}${error.code ? ` (${error.code})` : ''}${advice(error.code)}`, {
      cause: error,
    });
    this.code = error.code;
    this.details = error.details ?? null;
    this.hint = error.hint ?? null;
  }
}

const JOB_STATE_CODES: ReadonlySet<string> = new Set<JobStateError['code']>([
  'not_terminal',
  'nothing_to_retry',
  'retries_exhausted',
  'submission_active',
]);

/** The migration raises refusals as SQLSTATE P0001 with the JobStateError code as the hint. */
export function toStoreError(operation: string, error: PostgrestErrorLike): Error {
  if (error.code === 'P0001' && error.hint && JOB_STATE_CODES.has(error.hint)) {
    return new JobStateError(error.message, error.hint as JobStateError['code']);
  }
  return new SupabaseStoreError(operation, error);
}

/** The mistakes people actually make, named where they read the error. */
function advice(code: string): string {
  if (code === '42501') return ': permission denied; workers need a client made with the service_role key';
  if (code === 'PGRST202' || code === '42883' || code === '42P01') {
    return ': is the review-jobs migration (supabase/migrations) applied to this database?';
  }
  return '';
}
