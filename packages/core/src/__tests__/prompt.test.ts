import { describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_INSTRUCTION, GenerationError, buildDefaultRequest, checkOutput, type JobPayload } from '@review-jobs/core';

const payload: JobPayload = { submissionId: 's1', placeName: '성수동 카페 온도', script: '핸드드립 커피가 맛있음', count: 50 };
const input = (index: number, submission: JobPayload = payload) => ({ placeName: submission.placeName, script: submission.script, index, count: submission.count, submission });
const defaults = { temperature: 0.9, maxOutputTokens: 512 };

describe('prompt', () => {
  it("builds the plan's Korean prompt with a system instruction", () => {
    const request = buildDefaultRequest(input(1), defaults);
    expect(request.prompt).toContain('당신은 성수동 카페 온도을(를) 방문한 고객입니다.');
    expect(request.prompt).toContain('다음 내용을 바탕으로 자연스러운 리뷰를 작성해주세요: 핸드드립 커피가 맛있음');
    expect(request.prompt).toContain('요구사항: 100-150자 내외, 자연스럽고 진솔한 톤, 구체적인 경험 포함');
    expect(request).toMatchObject({ systemInstruction: DEFAULT_SYSTEM_INSTRUCTION, temperature: 0.9, maxOutputTokens: 512 });
  });

  it('varies the prompt per index so drafts differ', () => {
    const prompts = new Set(Array.from({ length: 10 }, (_, i) => buildDefaultRequest(input(i + 1), defaults).prompt.split('\n').at(-1)));
    expect(prompts.size).toBe(10);
  });

  it("uses the submission's template, model and temperature when given", () => {
    const custom = { ...payload, promptTemplate: '{placeName}|{script}|{index}|{count}|{unknown}', model: 'gemini-x', temperature: 0.2 };
    const request = buildDefaultRequest(input(7, custom), defaults);
    expect(request.prompt.startsWith('성수동 카페 온도|핸드드립 커피가 맛있음|7|50|{unknown}')).toBe(true);
    expect(request).toMatchObject({ model: 'gemini-x', temperature: 0.2 });
  });

  it('checks the output: trims, counts characters, rejects empty or out-of-range as invalid_output', () => {
    const bounds = { minLength: 5, maxLength: 10 };
    expect(checkOutput('  리뷰 다섯 글자  ', bounds)).toBe('리뷰 다섯 글자');
    for (const bad of ['   ', '짧음', '열 글자를 훌쩍 넘는 리뷰입니다']) {
      const error = (() => {
        try {
          checkOutput(bad, bounds);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(GenerationError);
      expect(error).toMatchObject({ kind: 'invalid_output', retryable: true });
    }
  });
});
