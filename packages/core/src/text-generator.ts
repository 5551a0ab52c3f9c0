import type { TokenUsage } from './job.js';

export interface GenerateRequest {
  prompt: string;
  systemInstruction?: string | undefined;
  temperature?: number | undefined;
  maxOutputTokens?: number | undefined;
  /** Overrides the generator's default model for this call, when it supports that. */
  model?: string | undefined;
}

export interface GenerateResult {
  text: string;
  usage?: TokenUsage | undefined;
  finishReason?: string | undefined;
}

/**
 * The LLM side. One call, one text.
 *
 * Contract:
 * - Resolve with the text, and `usage` when the provider reports it (the runner
 *   corrects its token budget from it).
 * - Fail only with a GenerationError whose `kind` says what happened; anything else
 *   thrown is treated as `transient`.
 * - Honour `signal`: when it aborts, stop the request and reject with kind `cancelled`
 *   promptly. The runner aborts on cancel, on timeout and on shutdown.
 * - Do no retries of your own: the runner owns retry, backoff and rate limits.
 */
export interface TextGenerator {
  /** e.g. "gemini:gemini-flash-latest"; shows in logs. */
  readonly id: string;
  generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult>;
}
