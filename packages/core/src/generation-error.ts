/**
 * The one error a TextGenerator throws. `kind` is what the runner decides on:
 * retry, wait, fail the item, or fail the whole job.
 */
export const GENERATION_ERROR_KINDS = [
  'rate_limited',
  'transient',
  'timeout',
  'invalid_output',
  'blocked',
  'invalid_request',
  'unauthorized',
  'cancelled',
] as const;
export type GenerationErrorKind = (typeof GENERATION_ERROR_KINDS)[number];

/**
 * Kinds worth another attempt. `invalid_output` is ours: the model answered, but the
 * text failed the output check (empty, too short, too long); a new sample may pass.
 */
const RETRYABLE: ReadonlySet<GenerationErrorKind> = new Set([
  'rate_limited',
  'transient',
  'timeout',
  'invalid_output',
]);

export interface GenerationErrorOptions {
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

export class GenerationError extends Error {
  override readonly name = 'GenerationError';
  readonly kind: GenerationErrorKind;
  /** For `rate_limited`: how long the provider asked us to wait. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: GenerationErrorKind, message: string, options: GenerationErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

export const isGenerationError = (error: unknown): error is GenerationError =>
  error instanceof GenerationError;

export const isRetryableKind = (kind: GenerationErrorKind): boolean => RETRYABLE.has(kind);
