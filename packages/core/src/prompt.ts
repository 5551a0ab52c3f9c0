import { GenerationError } from './generation-error.js';
import type { JobPayload } from './job.js';
import type { GenerateRequest } from './text-generator.js';

export interface PromptInput {
  placeName: string;
  script: string;
  /** 1..count */
  index: number;
  count: number;
  submission: JobPayload;
}

/** The plan's prompt. Placeholders: {placeName} {script} {index} {count}. */
export const DEFAULT_PROMPT_TEMPLATE =
  '당신은 {placeName}을(를) 방문한 고객입니다. 다음 내용을 바탕으로 자연스러운 리뷰를 작성해주세요: {script}\n' +
  '요구사항: 100-150자 내외, 자연스럽고 진솔한 톤, 구체적인 경험 포함';

export const DEFAULT_SYSTEM_INSTRUCTION =
  '리뷰 본문만 답하세요. 제목, 따옴표, 설명, 이모지 없이 한국어 리뷰 텍스트 하나만 작성합니다.';

/**
 * One hint per index, cycled: 50 calls with the same prompt and temperature tend to
 * converge on the same few sentences; a different angle per draft keeps them apart.
 */
const VARIATION_HINTS = [
  '처음 방문한 손님의 시점으로',
  '단골 손님의 시점으로',
  '친구와 함께 방문한 경험을 중심으로',
  '가족과 함께 방문한 경험을 중심으로',
  '직원의 응대를 중심으로',
  '분위기와 인테리어를 중심으로',
  '가격과 만족도를 중심으로',
  '재방문 의사를 중심으로',
  '짧고 담백한 문장으로',
  '구체적인 메뉴나 서비스 하나를 중심으로',
] as const;

export function fillTemplate(template: string, input: PromptInput): string {
  const values: Record<string, string> = {
    placeName: input.placeName,
    script: input.script,
    index: String(input.index),
    count: String(input.count),
  };
  return template.replace(/\{(placeName|script|index|count)\}/g, (_, key: string) => values[key] ?? '');
}

export interface DefaultPromptOptions {
  temperature: number;
  maxOutputTokens: number;
}

/** The default request: the submission's template (or the plan's), a variation hint, the system instruction. */
export function buildDefaultRequest(input: PromptInput, options: DefaultPromptOptions): GenerateRequest {
  const hint = VARIATION_HINTS[(input.index - 1) % VARIATION_HINTS.length];
  const prompt = `${fillTemplate(input.submission.promptTemplate ?? DEFAULT_PROMPT_TEMPLATE, input)}\n(${input.index}/${input.count}번째 리뷰: ${hint} 작성)`;
  return {
    prompt,
    systemInstruction: DEFAULT_SYSTEM_INSTRUCTION,
    temperature: input.submission.temperature ?? options.temperature,
    maxOutputTokens: options.maxOutputTokens,
    model: input.submission.model,
  };
}

export interface ItemRequestOptions extends DefaultPromptOptions {
  /** The runner's `prompt` option: replaces the default request when set. */
  prompt?: ((input: PromptInput) => GenerateRequest) | undefined;
}

/**
 * The request for item `index` of a job: the `prompt` option when set, else the default.
 * Shared by the runner's job loop and the queue workers (adapter-bullmq). May throw
 * whatever a custom `prompt` throws.
 */
export function buildItemRequest(payload: JobPayload, index: number, options: ItemRequestOptions): GenerateRequest {
  const input = { placeName: payload.placeName, script: payload.script, index, count: payload.count, submission: payload };
  return options.prompt ? options.prompt(input) : buildDefaultRequest(input, options);
}

export interface OutputBounds {
  minLength: number;
  maxLength: number;
}

/**
 * The text as it will be stored, or GenerationError('invalid_output') (retryable: a
 * new sample may pass). Lengths count characters (code points) after trimming.
 */
export function checkOutput(text: string, bounds: OutputBounds): string {
  const trimmed = text.trim();
  const length = [...trimmed].length;
  if (length === 0) throw new GenerationError('invalid_output', 'The model returned an empty text');
  if (length < bounds.minLength || length > bounds.maxLength) {
    throw new GenerationError(
      'invalid_output',
      `The text has ${length} characters, outside ${bounds.minLength}-${bounds.maxLength}`,
    );
  }
  return trimmed;
}
