/**
 * An alias that Google moves to the current Flash model, so a default never points at
 * a retired id. Pin a dated id (or read GEMINI_MODEL) when output must not drift.
 */
export const DEFAULT_GEMINI_MODEL = 'gemini-flash-latest';

/** Generous for a 100-150 character review (a few seconds), short enough to free a slot. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * `false` (default): no thinking. Thinking tokens count against maxOutputTokens and add
 * seconds per call, and a short review gains nothing from them.
 * `true`: the model picks its own budget. A number: that many thinking tokens.
 */
export type ThinkingOption = boolean | number;

export function thinkingConfigFor(thinking: ThinkingOption): { thinkingBudget: number } {
  if (thinking === true) return { thinkingBudget: -1 };
  if (thinking === false) return { thinkingBudget: 0 };
  return { thinkingBudget: thinking };
}
