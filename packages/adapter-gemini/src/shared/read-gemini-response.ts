import { GenerationError, type GenerateResult } from '@review-jobs/core';

/**
 * The generateContent response fields we read. Both SDKs hand back this JSON shape
 * (the new one as a GenerateContentResponse class with the same field names), so one
 * reader serves both entries.
 */
export interface GeminiResponseLike {
  candidates?: Array<{
    content?: { parts?: Array<{ text?: string; thought?: boolean }> };
    finishReason?: string;
  }>;
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string };
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number };
}

/** finishReasons that mean the answer was withheld for policy reasons: retrying will not help. */
const BLOCKED_FINISH_REASONS = new Set(['SAFETY', 'RECITATION', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII']);

function usageOf(response: GeminiResponseLike): GenerateResult['usage'] {
  const meta = response.usageMetadata;
  if (!meta) return undefined;
  return {
    inputTokens: meta.promptTokenCount ?? 0,
    // Thinking tokens are billed as output and count against maxOutputTokens.
    outputTokens: (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0),
  };
}

/**
 * The text of the first candidate, or the GenerationError that says why there is none.
 *
 * MAX_TOKENS: with text, the text is returned with finishReason "MAX_TOKENS" and the
 * runner's length check decides whether a cut review is usable. Without text (all the
 * budget went to thinking, or the limit is tiny) it is `invalid_output`: retryable,
 * because another sample may be shorter; the message says to raise maxOutputTokens or
 * leave thinking off.
 */
export function readGeminiResponse(response: GeminiResponseLike): GenerateResult {
  const usage = usageOf(response);
  const candidate = response.candidates?.[0];
  if (!candidate) {
    const blockReason = response.promptFeedback?.blockReason;
    if (blockReason) {
      const why = response.promptFeedback?.blockReasonMessage;
      throw new GenerationError('blocked', `Gemini blocked the prompt (${blockReason})${why ? `: ${why}` : ''}`);
    }
    throw new GenerationError('invalid_output', 'Gemini answered with no candidates');
  }
  const finishReason = candidate.finishReason;
  if (finishReason !== undefined && BLOCKED_FINISH_REASONS.has(finishReason)) {
    throw new GenerationError('blocked', `Gemini withheld the answer (finishReason ${finishReason})`);
  }
  // Thought summaries (part.thought) are not part of the answer.
  const text = (candidate.content?.parts ?? [])
    .filter((part) => part.thought !== true && typeof part.text === 'string')
    .map((part) => part.text)
    .join('');
  if (text.trim() === '') {
    if (finishReason === 'MAX_TOKENS') {
      throw new GenerationError(
        'invalid_output',
        'Gemini hit maxOutputTokens before writing any text (finishReason MAX_TOKENS); raise maxOutputTokens or leave thinking off',
      );
    }
    throw new GenerationError('invalid_output', `Gemini answered with no text (finishReason ${finishReason ?? 'none'})`);
  }
  return { text, usage, finishReason };
}
