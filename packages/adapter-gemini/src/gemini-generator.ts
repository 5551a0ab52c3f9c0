import { GoogleGenAI, type GenerateContentConfig } from '@google/genai';
import type { GenerateRequest, GenerateResult, TextGenerator } from '@review-jobs/core';
import { thinkingConfigFor } from './shared/gemini-defaults.js';
import { runGeminiCall } from './shared/run-gemini-call.js';
import {
  validateGeminiOptions,
  type CommonGeminiOptions,
  type ResolvedGeminiOptions,
} from './shared/validate-gemini-options.js';

/** Everything of GenerateContentConfig the generator does not set itself. */
export type GeminiGenerationConfig = Omit<GenerateContentConfig, 'abortSignal' | 'httpOptions' | 'systemInstruction'>;

/** The part of a GoogleGenAI client the generator uses (so a wrapped client fits too). */
export type GeminiClient = Pick<GoogleGenAI, 'models'>;

export interface GeminiGeneratorOptions extends CommonGeminiOptions {
  /** A client you built yourself (Vertex AI, custom fetch...). Then `apiKey` is not needed. */
  client?: GeminiClient | undefined;
  /**
   * Defaults for every call (topP, safetySettings, thinkingConfig, ...). A request's
   * temperature and maxOutputTokens override these; a `thinkingConfig` here overrides
   * the `thinking` option (for models that take thinkingLevel instead of a budget).
   */
  generationConfig?: GeminiGenerationConfig | undefined;
}

/**
 * A TextGenerator on `@google/genai`: one generateContent call per generate(), no
 * retries of its own (the runner owns retry and rate limits), the runner's AbortSignal
 * passed down to fetch, every failure a GenerationError.
 *
 * @example
 * const generator = new GeminiGenerator({
 *   apiKey: process.env.GEMINI_API_KEY,
 *   model: process.env.GEMINI_MODEL, // default gemini-flash-latest
 * });
 */
export class GeminiGenerator implements TextGenerator {
  /** "gemini:<model>" */
  readonly id: string;
  readonly model: string;
  readonly #client: GeminiClient;
  readonly #options: ResolvedGeminiOptions;
  readonly #generationConfig: GeminiGenerationConfig;

  constructor(options: GeminiGeneratorOptions) {
    const hasClient = options?.client !== undefined;
    this.#options = validateGeminiOptions('GeminiGenerator', options, hasClient);
    if (hasClient && typeof options.client?.models?.generateContent !== 'function') {
      throw new TypeError('GeminiGenerator: `client` must be a GoogleGenAI instance (client.models.generateContent)');
    }
    this.#client = options.client ?? new GoogleGenAI({ apiKey: options.apiKey });
    this.#generationConfig = options.generationConfig ?? {};
    this.model = this.#options.model;
    this.id = `gemini:${this.model}`;
  }

  async generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const { systemInstruction, timeoutMs, baseUrl, thinking } = this.#options;
    const defaults = this.#generationConfig;
    return runGeminiCall(request, signal, timeoutMs, (callSignal) =>
      this.#client.models.generateContent({
        model: request.model ?? this.model,
        contents: request.prompt,
        config: {
          thinkingConfig: thinkingConfigFor(thinking),
          ...defaults,
          systemInstruction: request.systemInstruction ?? systemInstruction,
          temperature: request.temperature ?? defaults.temperature,
          maxOutputTokens: request.maxOutputTokens ?? defaults.maxOutputTokens,
          // A continuation is a second billed request the runner did not schedule.
          automaticContinuation: false,
          abortSignal: callSignal,
          // Per call, so it holds for a client passed in too: attempts 1 = no SDK retries.
          httpOptions: { retryOptions: { attempts: 1 }, ...(baseUrl === undefined ? {} : { baseUrl }) },
        },
      }),
    );
  }
}
