import { GoogleGenAI } from '@google/genai';
import { GenerationError, type GenerateRequest, type TextGenerator } from '@review-jobs/core';
import { GeminiGenerator, type GeminiGeneratorOptions } from '@review-jobs/adapter-gemini';
import { LegacyGeminiGenerator } from '@review-jobs/adapter-gemini/legacy';
import { startFakeGemini, type FakeFault, type FakeGemini } from '@review-jobs/adapter-gemini/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const KEY = 'good-key';
const PLACE = '성수동 카페 온도';
const request: GenerateRequest = {
  prompt: `당신은 ${PLACE}을(를) 방문한 고객입니다. 다음 내용을 바탕으로 자연스러운 리뷰를 작성해주세요: 라떼가 맛있음`,
  systemInstruction: '리뷰 본문만 답하세요.',
  temperature: 0.9,
  maxOutputTokens: 512,
};

type Options = Omit<GeminiGeneratorOptions, 'client' | 'generationConfig'>;
const entries: Array<{ entry: string; make: (options: Options) => TextGenerator }> = [
  { entry: '@google/genai', make: (options) => new GeminiGenerator(options) },
  { entry: '@google/generative-ai (legacy)', make: (options) => new LegacyGeminiGenerator(options) },
];

let server: FakeGemini;
beforeAll(async () => {
  server = await startFakeGemini({ apiKey: KEY, latency: 5, models: ['gemini-flash-latest', 'gemini-2.5-flash'] });
});
afterAll(() => server.close());
beforeEach(() => {
  server.setFaults({});
  server.setLatency(5);
  server.resetStats();
});

const live = () => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<GenerationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GenerationError);
  return error as GenerationError;
}

describe.each(entries)('$entry against the fake Gemini server', ({ make }) => {
  const generator = (options: Options = {}) => make({ apiKey: KEY, baseUrl: server.url, ...options });
  const withFault = async (fault: FakeFault, options: Options = {}) => {
    server.setFaults({ next: [fault] });
    return failure(generator(options).generate(request, live()));
  };

  it('returns the text, the usage and the finish reason, and sends the request as mapped', async () => {
    const result = await generator().generate(request, live());

    expect(result.text).toContain(PLACE);
    expect([...result.text].length).toBeGreaterThanOrEqual(100);
    expect([...result.text].length).toBeLessThanOrEqual(150);
    expect(result.finishReason).toBe('STOP');
    expect(result.usage?.inputTokens).toBeGreaterThan(0);
    expect(result.usage?.outputTokens).toBeGreaterThan(0);

    expect(server.calls).toHaveLength(1);
    const call = server.calls[0]!;
    expect(call).toMatchObject({ apiVersion: 'v1beta', model: 'gemini-flash-latest', apiKey: KEY });
    expect(call.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: request.prompt }] }],
      systemInstruction: { parts: [{ text: request.systemInstruction }] },
      generationConfig: { temperature: 0.9, maxOutputTokens: 512, thinkingConfig: { thinkingBudget: 0 } },
    });
  });

  it('has id gemini:<model>, defaults to gemini-flash-latest, and lets a request pick the model', async () => {
    expect(generator().id).toBe('gemini:gemini-flash-latest');
    expect(generator({ model: 'gemini-2.5-flash' }).id).toBe('gemini:gemini-2.5-flash');
    await generator().generate({ ...request, model: 'gemini-2.5-flash' }, live());
    expect(server.calls[0]?.model).toBe('gemini-2.5-flash');
  });

  it('turns thinking on when asked, and counts thinking tokens as output', async () => {
    const result = await generator({ thinking: true }).generate(request, live());
    const body = server.calls[0]?.body as { generationConfig: { thinkingConfig: unknown } };
    expect(body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: -1 });
    // The fake thinks 150-500 tokens; a 150-character review is ~100 tokens.
    expect(result.usage?.outputTokens).toBeGreaterThan(150);
  });

  it('maps 429 RESOURCE_EXHAUSTED to rate_limited with retryAfterMs from RetryInfo, after one request', async () => {
    const first = await withFault({ type: 'rate_limited', retryDelay: '26s' });
    expect(first).toMatchObject({ kind: 'rate_limited', retryAfterMs: 26_000, retryable: true });
    const second = await withFault({ type: 'rate_limited', retryDelay: '53.016342224s' });
    expect(second.retryAfterMs).toBe(53_017);
    expect(second.message).toMatch(/quota/);
    // No retries inside the SDK: one HTTP request per generate().
    expect(server.stats.requests).toBe(2);
  });

  it.each([500, 502, 503, 504] as const)('maps %i to transient, after one request', async (status) => {
    const error = await withFault({ type: 'server_error', status });
    expect(error).toMatchObject({ kind: 'transient', retryable: true });
    expect(error.message).toContain(String(status));
    expect(server.stats.requests).toBe(1);
  });

  it('maps a connection reset to transient', async () => {
    const error = await withFault({ type: 'connection_reset' });
    expect(error.kind).toBe('transient');
    expect(server.stats.resets).toBe(1);
  });

  it('maps malformed JSON to transient', async () => {
    expect((await withFault({ type: 'malformed_json' })).kind).toBe('transient');
  });

  it('maps its own per-request timeout to timeout, and the server sees the connection close', async () => {
    const started = performance.now();
    const error = await withFault({ type: 'hang' }, { timeoutMs: 150 });
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(performance.now() - started).toBeLessThan(2_000);
    await server.waitFor((stats) => stats.aborted === 1);
  });

  it('aborts the HTTP request when the signal aborts: cancelled, and the server sees the connection close', async () => {
    server.setFaults({ next: [{ type: 'hang' }] });
    const controller = new AbortController();
    const pending = generator().generate(request, controller.signal);
    await server.waitFor((stats) => stats.inFlight === 1);
    controller.abort();
    const error = await failure(pending);
    expect(error).toMatchObject({ kind: 'cancelled', retryable: false });
    const stats = await server.waitFor((s) => s.aborted === 1 && s.inFlight === 0);
    expect(stats.answered).toEqual({});
  });

  it('reports a runner deadline (abort reason TimeoutError) as timeout', async () => {
    server.setFaults({ next: [{ type: 'hang' }] });
    const error = await failure(generator().generate(request, AbortSignal.timeout(100)));
    expect(error.kind).toBe('timeout');
  });

  it('does not call Gemini when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure(generator().generate(request, controller.signal))).kind).toBe('cancelled');
    expect(server.stats.requests).toBe(0);
  });

  it('maps a blocked prompt to blocked', async () => {
    const error = await withFault({ type: 'blocked_prompt', blockReason: 'PROHIBITED_CONTENT' });
    expect(error).toMatchObject({ kind: 'blocked', retryable: false });
    expect(error.message).toContain('PROHIBITED_CONTENT');
  });

  it.each(['SAFETY', 'RECITATION', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII'])(
    'maps finishReason %s to blocked',
    async (finishReason) => {
      const error = await withFault({ type: 'blocked_output', finishReason });
      expect(error.kind).toBe('blocked');
      expect(error.message).toContain(finishReason);
    },
  );

  it('maps MAX_TOKENS without text to invalid_output (retryable)', async () => {
    const error = await withFault({ type: 'max_tokens' });
    expect(error).toMatchObject({ kind: 'invalid_output', retryable: true });
    expect(error.message).toMatch(/maxOutputTokens/);
  });

  it('returns the text of a MAX_TOKENS answer with finishReason MAX_TOKENS', async () => {
    server.setFaults({ next: [{ type: 'max_tokens', withText: true }] });
    const result = await generator().generate(request, live());
    expect(result.finishReason).toBe('MAX_TOKENS');
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('hits MAX_TOKENS for real when thinking eats the output budget', async () => {
    const error = await failure(generator({ thinking: true }).generate({ ...request, maxOutputTokens: 100 }, live()));
    expect(error.kind).toBe('invalid_output');
  });

  it('maps 400 INVALID_ARGUMENT and an unknown model (404) to invalid_request', async () => {
    const error = await withFault({ type: 'invalid_argument', message: 'Request contains an invalid argument.' });
    expect(error).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(error.message).toContain('invalid argument');
    const notFound = await failure(generator({ model: 'gemini-1.0-pro' }).generate(request, live()));
    expect(notFound.kind).toBe('invalid_request');
    expect(notFound.message).toContain('not found');
  });

  it('maps 400 API_KEY_INVALID to unauthorized with a message that says the key was refused', async () => {
    const error = await failure(generator({ apiKey: 'AIza-wrong' }).generate(request, live()));
    expect(error).toMatchObject({ kind: 'unauthorized', retryable: false });
    expect(error.message).toMatch(/refused the API key \(API_KEY_INVALID\)/);
    expect(error.message).not.toContain('AIza-wrong');
  });

  it('maps 403 PERMISSION_DENIED to unauthorized', async () => {
    const error = await withFault({ type: 'permission_denied' });
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toMatch(/refused the API key/);
  });

  it('rejects a bad request before any call, naming the field', async () => {
    const error = await failure(generator().generate({ ...request, temperature: 3 }, live()));
    expect(error).toMatchObject({ kind: 'invalid_request' });
    expect(error.message).toContain('temperature');
    expect((await failure(generator().generate({ prompt: ' ' }, live()))).message).toContain('prompt');
    expect(server.stats.requests).toBe(0);
  });

  it('checks its options up front, naming the field', () => {
    expect(() => make({ baseUrl: server.url })).toThrow(/`apiKey` is missing/);
    expect(() => make({ apiKey: '' })).toThrow(/`apiKey` must be a non-empty string/);
    expect(() => make({ apiKey: KEY, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => make({ apiKey: KEY, model: '' })).toThrow(/model/);
    expect(() => make({ apiKey: KEY, baseUrl: 'localhost' })).toThrow(/baseUrl/);
    expect(() => make({ apiKey: KEY, thinking: 1.5 })).toThrow(/thinking/);
  });
});

describe('GeminiGenerator with a client of your own', () => {
  it('keeps the SDK retries off even when the client was built with retryOptions', async () => {
    const client = new GoogleGenAI({
      apiKey: KEY,
      httpOptions: { retryOptions: { attempts: 5, initialDelay: 0.01, maxDelay: 0.01 } },
    });
    const generator = new GeminiGenerator({ client, baseUrl: server.url });
    server.setFaults({ next: [{ type: 'server_error', status: 503 }, { type: 'server_error', status: 503 }] });
    const error = await failure(generator.generate(request, live()));
    expect(error.kind).toBe('transient');
    expect(server.stats.requests).toBe(1);
  });

  it('rejects something that is not a client', () => {
    expect(() => new GeminiGenerator({ client: {} as GoogleGenAI })).toThrow(/client/);
  });
});
