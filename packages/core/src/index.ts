export { ReviewJobRunner } from './runner.js';
export type { RunForOptions, StartResult, WaitForJobOptions, WorkOptions } from './runner.js';
export { runnerOptionsSchema } from './runner-options.js';
export type { JobDispatcher } from './job-dispatcher.js';
export type { ResolvedRunnerOptions, ReviewJobRunnerOptions } from './runner-options.js';
export type { LogEvent, RateLimitedEvent, RunnerEvents } from './events.js';
export { SubmissionValidationError, RunnerOptionsError } from './validation-error.js';
export type { FieldErrors } from './validation-error.js';
export { JobNotFoundError } from './job-not-found-error.js';
export {
  DEFAULT_PROMPT_TEMPLATE,
  DEFAULT_SYSTEM_INSTRUCTION,
  buildDefaultRequest,
  checkOutput,
  fillTemplate,
} from './prompt.js';
export type { DefaultPromptOptions, OutputBounds, PromptInput } from './prompt.js';
// The runner's per-item rules, for workers that run items outside its loop (adapter-bullmq).
export { buildItemRequest } from './prompt.js';
export type { ItemRequestOptions } from './prompt.js';
export { RetryPolicy, RATE_LIMITED_ATTEMPTS_FACTOR } from './retry-policy.js';
export type { RetryDecision, RetryOptions } from './retry-policy.js';
export { toGenerationError } from './to-generation-error.js';
export { settledJobOutcome } from './settled-job-outcome.js';
export { fieldErrorsOf } from './validation-error.js';

// The contracts.
export * from './job.js';
export * from './job-store.js';
export * from './text-generator.js';
export * from './generation-error.js';
export * from './submission.js';
