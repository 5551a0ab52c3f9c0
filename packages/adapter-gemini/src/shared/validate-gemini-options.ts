import { DEFAULT_GEMINI_MODEL, DEFAULT_TIMEOUT_MS, type ThinkingOption } from './gemini-defaults.js';

/** The options both entries take; each adds its own `client` and `generationConfig`. */
export interface CommonGeminiOptions {
  /** Your Gemini API key, e.g. `process.env.GEMINI_API_KEY`. Needed unless you pass `client`. */
  apiKey?: string | undefined;
  /** Default `gemini-flash-latest`. A request's `model` overrides it per call. */
  model?: string | undefined;
  /** Used when a request brings no systemInstruction of its own. */
  systemInstruction?: string | undefined;
  /** Per request; default 60 000. When it runs out the call fails with kind `timeout`. */
  timeoutMs?: number | undefined;
  /** Another endpoint than https://generativelanguage.googleapis.com (a proxy, a fake server). */
  baseUrl?: string | undefined;
  /** Default false (thinkingBudget 0). See ThinkingOption. */
  thinking?: ThinkingOption | undefined;
}

export interface ResolvedGeminiOptions {
  model: string;
  systemInstruction: string | undefined;
  timeoutMs: number;
  baseUrl: string | undefined;
  thinking: ThinkingOption;
}

/**
 * Checks what both generators take, up front, so a typo fails at construction with the
 * field's name instead of as 50 failed items later. `hasClient` says whether a client
 * object was passed (each entry checks that object's own shape).
 */
export function validateGeminiOptions(
  className: string,
  options: CommonGeminiOptions | undefined,
  hasClient: boolean,
): ResolvedGeminiOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${className}: expected an options object with \`apiKey\` (or \`client\`) and \`model\``);
  }
  const { apiKey, model, systemInstruction, timeoutMs, baseUrl, thinking } = options;
  if (!hasClient && apiKey === undefined) {
    throw new TypeError(
      `${className}: \`apiKey\` is missing. Pass \`apiKey: process.env.GEMINI_API_KEY\` (and check it is set) or a ready \`client\`.`,
    );
  }
  if (apiKey !== undefined && (typeof apiKey !== 'string' || apiKey.trim() === '')) {
    throw new TypeError(`${className}: \`apiKey\` must be a non-empty string`);
  }
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '')) {
    throw new TypeError(`${className}: \`model\` must be a non-empty string, e.g. "${DEFAULT_GEMINI_MODEL}"`);
  }
  if (systemInstruction !== undefined && typeof systemInstruction !== 'string') {
    throw new TypeError(`${className}: \`systemInstruction\` must be a string`);
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError(`${className}: \`timeoutMs\` must be a positive number of milliseconds`);
  }
  if (baseUrl !== undefined && (typeof baseUrl !== 'string' || !URL.canParse(baseUrl))) {
    throw new TypeError(`${className}: \`baseUrl\` must be an absolute URL such as "http://127.0.0.1:8080"`);
  }
  if (
    thinking !== undefined &&
    typeof thinking !== 'boolean' &&
    !(Number.isInteger(thinking) && (thinking >= 0 || thinking === -1))
  ) {
    throw new TypeError(`${className}: \`thinking\` must be true, false or a token budget (an integer >= 0)`);
  }
  return {
    model: model ?? DEFAULT_GEMINI_MODEL,
    systemInstruction,
    timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // Both SDKs append "/v1beta/..." themselves; a trailing slash would double it.
    baseUrl: baseUrl?.replace(/\/+$/, ''),
    thinking: thinking ?? false,
  };
}
