import { GenerationError, type GenerateRequest, type GenerateResult } from '@review-jobs/core';
import { readGeminiResponse, type GeminiResponseLike } from './read-gemini-response.js';
import { toGenerationError } from './to-generation-error.js';

function checkRequest(request: GenerateRequest): void {
  if (typeof request?.prompt !== 'string' || request.prompt.trim() === '') {
    throw new GenerationError('invalid_request', '`prompt` must be a non-empty string');
  }
  const { temperature, maxOutputTokens } = request;
  if (temperature !== undefined && !(typeof temperature === 'number' && temperature >= 0 && temperature <= 2)) {
    throw new GenerationError('invalid_request', '`temperature` must be a number from 0 to 2');
  }
  if (maxOutputTokens !== undefined && !(Number.isInteger(maxOutputTokens) && maxOutputTokens > 0)) {
    throw new GenerationError('invalid_request', '`maxOutputTokens` must be a positive integer');
  }
}

/**
 * The part of a generate() call both entries share: check the request, run the SDK call
 * under the runner's signal plus our own per-request deadline (one AbortSignal that
 * reaches fetch), and turn the outcome into a GenerateResult or a GenerationError.
 *
 * The deadline is ours rather than the SDKs' `timeout` options: @google/generative-ai
 * 0.24 never clears its timer (it would keep a CLI alive for timeoutMs after the last
 * call), and with our own timer we know for sure whether it was the deadline or the
 * caller that aborted.
 */
export async function runGeminiCall(
  request: GenerateRequest,
  signal: AbortSignal,
  timeoutMs: number,
  call: (signal: AbortSignal) => Promise<GeminiResponseLike>,
): Promise<GenerateResult> {
  checkRequest(request);
  if (signal.aborted) throw toGenerationError(signal.reason, { signal, timedOut: false, timeoutMs });
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let response: GeminiResponseLike;
  try {
    response = await call(controller.signal);
  } catch (error) {
    throw toGenerationError(error, { signal, timedOut, timeoutMs });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
  return readGeminiResponse(response);
}
