import { fieldErrorsOf, runnerOptionsSchema, type FieldErrors, type JobStore } from '@review-jobs/core';
import type { Redis, RedisOptions } from 'ioredis';
import { z } from 'zod';

/** Redis as BullMQ takes it: ioredis options, or an ioredis client to copy the settings from. */
export type FleetConnection = RedisOptions | Redis;

/** What the dispatcher (web side) and the workers must agree on. */
export interface FleetOptions {
  connection: FleetConnection;
  store: JobStore;
  /** Default 'review-jobs'. */
  queueName?: string | undefined;
  /** BullMQ's key prefix. Default 'bull'. */
  prefix?: string | undefined;
  /**
   * The store lease owner the whole fleet writes under (fencing is BullMQ's job lock
   * here, per item). Default `bullmq:<prefix>:<queueName>`.
   */
  owner?: string | undefined;
  /** The store lease, renewed by every item a worker starts. Default 60 000. */
  leaseMs?: number | undefined;
}

export const fleetOptionsSchema = z.object({
  connection: z.custom<FleetConnection>((value) => typeof value === 'object' && value !== null, 'must be ioredis options or an ioredis client'),
  store: runnerOptionsSchema.shape.store,
  queueName: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[^:]+$/, "BullMQ queue names cannot contain ':'")
    .default('review-jobs'),
  prefix: z.string().min(1).max(100).default('bull'),
  owner: z.string().min(1).max(200).optional(),
  leaseMs: z.number().int().positive().default(60_000),
});

export type ResolvedFleetOptions = z.output<typeof fleetOptionsSchema> & { owner: string };

/** A bad option of the dispatcher or the worker; names the field, like RunnerOptionsError. */
export class FleetOptionsError extends TypeError {
  override readonly name = 'FleetOptionsError';
  constructor(
    what: string,
    readonly fieldErrors: FieldErrors,
  ) {
    const fields = Object.entries(fieldErrors).map(([field, messages]) => `${field || '(root)'}: ${messages.join('; ')}`);
    super(`Invalid ${what} options: ${fields.join(', ')}`);
  }
}

export function parseFleetOptions<Schema extends z.ZodType<z.output<typeof fleetOptionsSchema>>>(
  what: string,
  schema: Schema,
  input: unknown,
): z.output<Schema> & { owner: string } {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new FleetOptionsError(what, fieldErrorsOf(parsed.error));
  const options = parsed.data;
  return { ...options, owner: options.owner ?? `bullmq:${options.prefix}:${options.queueName}` };
}
