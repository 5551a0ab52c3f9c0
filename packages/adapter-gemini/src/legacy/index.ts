export { LegacyGeminiGenerator } from './legacy-gemini-generator.js';
export type {
  LegacyGeminiClient,
  LegacyGeminiGenerationConfig,
  LegacyGeminiGeneratorOptions,
} from './legacy-gemini-generator.js';
export { DEFAULT_GEMINI_MODEL, DEFAULT_TIMEOUT_MS } from '../shared/gemini-defaults.js';
export type { ThinkingOption } from '../shared/gemini-defaults.js';
