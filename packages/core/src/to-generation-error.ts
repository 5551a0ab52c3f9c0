import { GenerationError, isGenerationError } from './generation-error.js';

/**
 * Any failure of a generate() call as the GenerationError the retry policy decides on.
 * `timedOutAfterMs`: the caller's own timeout fired (the generator then reports
 * `cancelled`, but for the retry policy it is a `timeout`). Shared by the runner's job
 * loop and the queue workers (adapter-bullmq), so both classify alike.
 */
export function toGenerationError(caught: unknown, timedOutAfterMs?: number): GenerationError {
  if (timedOutAfterMs !== undefined) return new GenerationError('timeout', `No answer within ${timedOutAfterMs} ms`, { cause: caught });
  if (isGenerationError(caught)) return caught;
  // The TextGenerator contract: anything that is not a GenerationError counts as transient.
  const message = caught instanceof Error ? caught.message : String(caught);
  return new GenerationError('transient', message, { cause: caught });
}
