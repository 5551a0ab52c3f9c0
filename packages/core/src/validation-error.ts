import type { z } from 'zod';

/** Field path ("rateLimit.windowMs", "count") -> messages; "" holds object-level issues. */
export type FieldErrors = Record<string, string[]>;

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  const add = (path: readonly PropertyKey[], message: string) => {
    (fieldErrors[path.map(String).join('.')] ??= []).push(message);
  };
  for (const issue of error.issues) {
    // Name the typo itself ("palceName: unknown field"), not the object holding it.
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add([...issue.path, key], 'unknown field');
    else add(issue.path, issue.message);
  }
  return fieldErrors;
}

function describe(fieldErrors: FieldErrors): string {
  return Object.entries(fieldErrors)
    .map(([field, messages]) => `${field || '(root)'}: ${messages.join('; ')}`)
    .join(', ');
}

/** `runner.start()` got a submission that fails `submissionSchema`; nothing was written. */
export class SubmissionValidationError extends Error {
  override readonly name = 'SubmissionValidationError';
  constructor(readonly fieldErrors: FieldErrors) {
    super(`Invalid submission: ${describe(fieldErrors)}`);
  }
}

/** `new ReviewJobRunner(options)` got a bad option. A TypeError, like p-limit's, so it reads as a programming error. */
export class RunnerOptionsError extends TypeError {
  override readonly name = 'RunnerOptionsError';
  constructor(readonly fieldErrors: FieldErrors) {
    super(`Invalid ReviewJobRunner options: ${describe(fieldErrors)}`);
  }
}
