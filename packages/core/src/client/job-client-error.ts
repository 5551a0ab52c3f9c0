/**
 * Every failure of the client: an HTTP error answer (status and code from the
 * server's `{ error: { code, message, fieldErrors?, jobId? } }`), or a network failure
 * (status 0, code 'network_error').
 */
export class JobClientError extends Error {
  override readonly name = 'JobClientError';
  readonly fieldErrors?: Record<string, string[]>;
  /** With code 'job_active': the job already running for the submission. */
  readonly jobId?: string;

  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    details: { fieldErrors?: Record<string, string[]> | undefined; jobId?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.fieldErrors !== undefined) this.fieldErrors = details.fieldErrors;
    if (details.jobId !== undefined) this.jobId = details.jobId;
  }

  static async fromResponse(response: Response): Promise<JobClientError> {
    const body = (await response.json().catch(() => null)) as { error?: Partial<Record<string, unknown>> } | null;
    const error = body?.error ?? {};
    const message = typeof error.message === 'string' ? error.message : `HTTP ${response.status} ${response.statusText}`.trim();
    const code = typeof error.code === 'string' ? error.code : `http_${response.status}`;
    return new JobClientError(message, response.status, code, {
      fieldErrors: error.fieldErrors as Record<string, string[]> | undefined,
      jobId: typeof error.jobId === 'string' ? error.jobId : undefined,
    });
  }

  static network(cause: unknown): JobClientError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new JobClientError(`Network error: ${reason}`, 0, 'network_error', { cause });
  }
}
