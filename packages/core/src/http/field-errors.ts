import type { z } from 'zod';

/**
 * Zod issues as `{ field: [messages] }`. Unlike `z.flattenError`, an unknown key of a
 * strict object is listed under its own name ("palceName": ["unknown field"]), so the
 * answer names the typo instead of a form-level "Unrecognized key".
 */
export function fieldErrorsOf(error: z.ZodError, root = 'body'): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (field: string, message: string) => (out[field] ??= []).push(message);
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path, key].join('.'), 'unknown field');
    } else {
      add(issue.path.length > 0 ? issue.path.join('.') : root, issue.message);
    }
  }
  return out;
}

/** "count: Too small...; placeName: unknown field": the fields named in the message itself. */
export function describeFieldErrors(fieldErrors: Record<string, string[]>): string {
  return Object.entries(fieldErrors)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .join('; ');
}
