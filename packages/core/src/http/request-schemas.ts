import { z } from 'zod';
import { JOB_STATUSES, type JobStatus } from '../job.js';
import { describeFieldErrors, fieldErrorsOf } from './field-errors.js';
import { HttpError } from './http-error.js';

/** Job ids are UUIDs; checking the shape first keeps junk away from the store. */
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isJobId = (value: string): boolean => JOB_ID.test(value);

const limit = z
  .string()
  .regex(/^\d{1,6}$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200'));

/** Cursors are opaque to us; this only bounds them to what any store could have made. */
const cursor = z.string().min(1).max(512).regex(/^[\w.:=+/-]+$/, 'malformed cursor');

const isStatus = (value: string): value is JobStatus => (JOB_STATUSES as readonly string[]).includes(value);
const statusList = z
  .string()
  .refine((value) => value.split(',').every(isStatus), `must be one or more of ${JOB_STATUSES.join(', ')}, comma separated`)
  .transform((value) => [...new Set(value.split(','))] as JobStatus[]);

export const listJobsQuery = z.strictObject({
  status: statusList.optional(),
  createdBy: z.string().min(1).max(200).optional(),
  cursor: cursor.optional(),
  limit: limit.optional(),
});

export const listLogsQuery = z.strictObject({ cursor: cursor.optional(), limit: limit.optional() });

export const eventsQuery = z.strictObject({ lastEventId: z.string().max(200).optional() });

export const noQuery = z.strictObject({});

/**
 * Parses the query string with a strict schema (an unknown parameter is a 400 naming
 * it, so a typo like `?stauts=` is not silently ignored). A repeated parameter is read
 * as a comma list: `?status=running&status=pending` equals `?status=running,pending`.
 */
export function parseQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  const raw: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) raw[key] = url.searchParams.getAll(key).join(',');
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const fieldErrors = fieldErrorsOf(result.error, 'query');
  throw new HttpError(400, 'invalid_query', `Invalid query: ${describeFieldErrors(fieldErrors)}`, { fieldErrors });
}
