export { GeminiGenerator } from './gemini-generator.js';
export type { GeminiClient, GeminiGenerationConfig, GeminiGeneratorOptions } from './gemini-generator.js';
export { DEFAULT_GEMINI_MODEL, DEFAULT_TIMEOUT_MS } from './shared/gemini-defaults.js';
export type { ThinkingOption } from './shared/gemini-defaults.js';
