import type { GenerationError } from '@review-jobs/core';

/**
 * Thrown by the item processor to give the item back to BullMQ for another attempt: the
 * worker's backoff strategy reads `delayMs`, which the core RetryPolicy chose (full
 * jitter, at least the provider's retry-after). The wait holds no worker slot: BullMQ
 * parks the item in its delayed set.
 */
export class RetryItemError extends Error {
  override readonly name = 'RetryItemError';
  constructor(
    readonly reason: GenerationError,
    readonly delayMs: number,
  ) {
    super(`${reason.kind}: ${reason.message}`, { cause: reason });
  }
}
