import { GoogleGenerativeAI, type GenerationConfig } from '@google/generative-ai';
import type { GenerateRequest, GenerateResult, TextGenerator } from '@review-jobs/core';
import { thinkingConfigFor } from '../shared/gemini-defaults.js';
import { runGeminiCall } from '../shared/run-gemini-call.js';
import {
  validateGeminiOptions,
  type CommonGeminiOptions,
  type ResolvedGeminiOptions,
} from '../shared/validate-gemini-options.js';

/**
 * 0.24's GenerationConfig predates thinking; the API accepts thinkingConfig all the same
 * (the SDK sends generationConfig as given).
 */
export type LegacyGeminiGenerationConfig = GenerationConfig & {
  thinkingConfig?: { thinkingBudget?: number; includeThoughts?: boolean };
};

/** The part of a GoogleGenerativeAI client the generator uses. */
export type LegacyGeminiClient = Pick<GoogleGenerativeAI, 'getGenerativeModel'>;

export interface LegacyGeminiGeneratorOptions extends CommonGeminiOptions {
  /** A GoogleGenerativeAI you already have. Then `apiKey` is not needed. */
  client?: LegacyGeminiClient | undefined;
  /** Defaults for every call; a request's temperature and maxOutputTokens override them. */
  generationConfig?: LegacyGeminiGenerationConfig | undefined;
}

/**
 * The same generator as GeminiGenerator, for apps still on `@google/generative-ai`
 * 0.24 (deprecated by Google; move to the main entry when you can). Same options, same
 * error kinds, same id ("gemini:<model>"). That SDK never retries, so nothing to turn off.
 */
export class LegacyGeminiGenerator implements TextGenerator {
  readonly id: string;
  readonly model: string;
  readonly #client: LegacyGeminiClient;
  readonly #options: ResolvedGeminiOptions;
  readonly #generationConfig: LegacyGeminiGenerationConfig;

  constructor(options: LegacyGeminiGeneratorOptions) {
    const hasClient = options?.client !== undefined;
    this.#options = validateGeminiOptions('LegacyGeminiGenerator', options, hasClient);
    if (hasClient && typeof options.client?.getGenerativeModel !== 'function') {
      throw new TypeError('LegacyGeminiGenerator: `client` must be a GoogleGenerativeAI instance');
    }
    // validateGeminiOptions guarantees apiKey when there is no client.
    this.#client = options.client ?? new GoogleGenerativeAI(options.apiKey as string);
    this.#generationConfig = options.generationConfig ?? {};
    this.model = this.#options.model;
    this.id = `gemini:${this.model}`;
  }

  async generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const { systemInstruction, timeoutMs, baseUrl, thinking } = this.#options;
    const defaults = this.#generationConfig;
    // A GenerativeModel is a plain holder of settings: making one per call costs nothing
    // and lets a request override the model.
    const model = this.#client.getGenerativeModel(
      {
        model: request.model ?? this.model,
        systemInstruction: request.systemInstruction ?? systemInstruction,
        generationConfig: {
          thinkingConfig: thinkingConfigFor(thinking),
          ...defaults,
          temperature: request.temperature ?? defaults.temperature,
          maxOutputTokens: request.maxOutputTokens ?? defaults.maxOutputTokens,
        } satisfies LegacyGeminiGenerationConfig,
      },
      baseUrl === undefined ? undefined : { baseUrl },
    );
    return runGeminiCall(request, signal, timeoutMs, async (callSignal) => {
      const result = await model.generateContent(
        { contents: [{ role: 'user', parts: [{ text: request.prompt }] }] },
        { signal: callSignal },
      );
      return result.response;
    });
  }
}
