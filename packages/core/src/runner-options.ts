import { z } from 'zod';
import type { JobDispatcher } from './job-dispatcher.js';
import type { JobStore } from './job-store.js';
import type { PromptInput } from './prompt.js';
import type { GenerateRequest, TextGenerator } from './text-generator.js';
import { RunnerOptionsError, fieldErrorsOf } from './validation-error.js';

const hasMethods = (value: unknown, methods: readonly string[]): boolean =>
  typeof value === 'object' &&
  value !== null &&
  methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');

const STORE_METHODS = [
  'createJob', 'getJob', 'listJobs', 'countJobs', 'claimJob', 'heartbeat', 'releaseJob',
  'recordItem', 'listItems', 'appendLogs', 'listLogs', 'requestCancel', 'finishJob', 'resetForRetry',
] as const;

const positiveMs = z.number().int().positive();

export const runnerOptionsSchema = z
  .object({
    store: z.custom<JobStore>((value) => hasMethods(value, STORE_METHODS), 'must be a JobStore (createJob, claimJob, ...)'),
    generator: z.custom<TextGenerator>((value) => hasMethods(value, ['generate']), 'must be a TextGenerator (generate())'),
    /** Max generations in flight across all jobs of this runner. */
    concurrency: z.number().int().min(1).max(1000).default(10),
    rateLimit: z
      .object({
        requestsPerMinute: z.number().int().positive().optional(),
        tokensPerMinute: z.number().int().positive().optional(),
        windowMs: positiveMs.default(60_000),
      })
      .prefault({}),
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).max(100).default(4),
        baseDelayMs: z.number().int().min(0).default(500),
        maxDelayMs: z.number().int().min(0).default(30_000),
      })
      .prefault({}),
    /** Per generation call. */
    timeoutMs: positiveMs.default(60_000),
    lease: z
      .object({ durationMs: positiveMs.default(30_000), heartbeatMs: positiveMs.default(10_000) })
      .prefault({})
      .refine((lease) => lease.heartbeatMs < lease.durationMs, {
        message: 'heartbeatMs must be shorter than durationMs, or the lease lapses between heartbeats',
        path: ['heartbeatMs'],
      }),
    /** Job-level retries allowed, stored on each job. */
    maxRetries: z.number().int().min(0).max(100).default(3),
    prompt: z
      .custom<(input: PromptInput) => GenerateRequest>((value) => typeof value === 'function', 'must be a function')
      .optional(),
    /** Accepted text length in characters, after trimming. */
    output: z
      .object({ minLength: z.number().int().min(0).default(50), maxLength: z.number().int().positive().default(300) })
      .prefault({})
      .refine((output) => output.minLength <= output.maxLength, {
        message: 'minLength must not exceed maxLength',
        path: ['minLength'],
      }),
    /** start() and retry() run the job in this process. Off for API-only hosts with separate workers. */
    autoRun: z.boolean().default(true),
    /** When set, start() and retry() hand jobs to it instead of running them here (autoRun is ignored). */
    dispatcher: z
      .custom<JobDispatcher>((value) => hasMethods(value, ['dispatch']), 'must be a JobDispatcher (dispatch())')
      .optional(),
    owner: z.string().min(1).max(200).optional(),
    jobType: z.string().min(1).max(100).default('ai_review_generation'),
    maxOutputTokens: z.number().int().positive().default(512),
    temperature: z.number().min(0).max(2).default(0.9),
  })
  .strict();

export type ReviewJobRunnerOptions = z.input<typeof runnerOptionsSchema>;
export type ResolvedRunnerOptions = z.output<typeof runnerOptionsSchema>;

export function parseRunnerOptions(input: unknown): ResolvedRunnerOptions {
  const parsed = runnerOptionsSchema.safeParse(input);
  if (!parsed.success) throw new RunnerOptionsError(fieldErrorsOf(parsed.error));
  return parsed.data;
}
