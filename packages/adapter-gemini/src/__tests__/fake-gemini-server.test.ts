import { seededRandom } from '@review-jobs/core/fake';
import { findPlaceName, koreanReviewText, startFakeGemini } from '@review-jobs/adapter-gemini/testing';
import { describe, expect, it } from 'vitest';

const body = (prompt: string, generationConfig: Record<string, unknown> = {}) =>
  JSON.stringify({ contents: [{ role: 'user', parts: [{ text: prompt }] }], generationConfig });

/** The parts of Gemini's wire JSON these tests read. */
interface WireBody {
  candidates: Array<{ content: { parts: Array<{ text: string }> } }>;
  usageMetadata: Record<string, number>;
  error: {
    code: number;
    status: string;
    message: string;
    details: Array<{ '@type': string; retryDelay?: string; violations?: unknown[] }>;
  };
}

async function post(url: string, payload: string, headers: Record<string, string> = { 'x-goog-api-key': 'k' }) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
  return { status: response.status, json: (await response.json()) as WireBody };
}

describe('startFakeGemini', () => {
  it('answers generateContent on v1beta and v1 with the real response shape', async () => {
    const server = await startFakeGemini();
    try {
      for (const version of ['v1beta', 'v1']) {
        const { status, json } = await post(`${server.url}/${version}/models/gemini-2.5-flash:generateContent`, body('당신은 을지로 순대국을(를) 방문한 고객입니다.'));
        expect(status).toBe(200);
        expect(json.candidates[0]).toMatchObject({ content: { role: 'model' }, finishReason: 'STOP', index: 0 });
        expect(json.candidates[0]?.content.parts[0]?.text).toContain('을지로 순대국');
        expect(json.usageMetadata).toMatchObject({ promptTokenCount: expect.any(Number), candidatesTokenCount: expect.any(Number) });
        expect(json).toMatchObject({ modelVersion: 'gemini-2.5-flash', responseId: expect.any(String) });
      }
      expect(server.calls.map((c) => c.apiVersion)).toEqual(['v1beta', 'v1']);
    } finally {
      await server.close();
    }
  });

  it('checks the key from the header or the key query: 400 API_KEY_INVALID, 403 without a key', async () => {
    const server = await startFakeGemini({ apiKey: 'right' });
    const url = `${server.url}/v1beta/models/m:generateContent`;
    try {
      expect((await post(`${url}?key=right`, body('hi'), {})).status).toBe(200);
      const wrong = await post(url, body('hi'), { 'x-goog-api-key': 'wrong' });
      expect(wrong.status).toBe(400);
      expect(wrong.json.error).toMatchObject({ status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }, {}] });
      const none = await post(url, body('hi'), {});
      expect(none.json.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
      expect(server.stats.answered).toEqual({ 200: 1, 400: 1, 403: 1 });
    } finally {
      await server.close();
    }
  });

  it('enforces its requests-per-minute quota in a sliding window with the real 429 body', async () => {
    const server = await startFakeGemini({ quota: { requestsPerMinute: 3, windowMs: 300 } });
    const url = `${server.url}/v1beta/models/m:generateContent`;
    try {
      for (let i = 0; i < 3; i++) expect((await post(url, body('hi'))).status).toBe(200);
      const refused = await post(url, body('hi'));
      expect(refused.status).toBe(429);
      expect(refused.json.error.status).toBe('RESOURCE_EXHAUSTED');
      const types = refused.json.error.details.map((d) => d['@type'].split('.').pop());
      expect(types).toEqual(['QuotaFailure', 'Help', 'RetryInfo']);
      expect(refused.json.error.details[0]?.violations?.[0]).toMatchObject({ quotaValue: '3', quotaDimensions: { model: 'm' } });
      const delayMs = Number.parseFloat(refused.json.error.details[2]?.retryDelay ?? '') * 1000;
      expect(delayMs).toBeGreaterThan(0);
      expect(delayMs).toBeLessThanOrEqual(300);
      // Another model has its own quota.
      expect((await post(`${server.url}/v1beta/models/other:generateContent`, body('hi'))).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, delayMs + 10));
      expect((await post(url, body('hi'))).status).toBe(200);
      expect(server.stats).toMatchObject({ requests: 6, rateLimited: 1, quotaRejected: 1 });
    } finally {
      await server.close();
    }
  });

  it('rejects malformed requests as the API does', async () => {
    const server = await startFakeGemini();
    const url = `${server.url}/v1beta/models/m:generateContent`;
    try {
      expect((await post(url, '{"contents": [')).json.error.message).toMatch(/Invalid JSON payload/);
      expect((await post(url, JSON.stringify({ contents: [] }))).json.error.message).toMatch(/contents is not specified/);
      expect((await post(url, JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }], temprature: 1 }))).json.error.message).toMatch(/Unknown name "temprature"/);
      expect((await post(url, body('x', { temperature: 5 }))).status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it('serves faults in order, then the random ones, and counts peak concurrency', async () => {
    const server = await startFakeGemini({
      latency: 30,
      faults: { next: [{ type: 'server_error', status: 500 }], random: [{ fault: { type: 'server_error', status: 503 }, probability: 1 }] },
    });
    const url = `${server.url}/v1beta/models/m:generateContent`;
    try {
      const first = await post(url, body('x'));
      expect(first.json.error.status).toBe('INTERNAL');
      const rest = await Promise.all([post(url, body('x')), post(url, body('x')), post(url, body('x'))]);
      expect(rest.map((r) => r.status)).toEqual([503, 503, 503]);
      expect(server.stats).toMatchObject({ requests: 4, answered: { 500: 1, 503: 3 }, maxInFlight: 3, inFlight: 0 });
    } finally {
      await server.close();
    }
  });

  it('scales lognormal latency with timeScale', async () => {
    const server = await startFakeGemini({ latency: { medianMs: 2_000, sigma: 0.3 }, timeScale: 0.01 });
    try {
      const started = performance.now();
      await post(`${server.url}/v1beta/models/m:generateContent`, body('x'));
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThan(5);
      expect(elapsed).toBeLessThan(1_000);
    } finally {
      await server.close();
    }
  });
});

describe('review texts', () => {
  it('are 100-150 characters, varied, and name the place', () => {
    const random = seededRandom(7);
    const texts = Array.from({ length: 200 }, () => koreanReviewText('한옥마을 찻집', random));
    for (const text of texts) {
      expect([...text].length).toBeGreaterThanOrEqual(100);
      expect([...text].length).toBeLessThanOrEqual(150);
      expect(text).toContain('한옥마을 찻집');
    }
    expect(new Set(texts).size).toBeGreaterThan(150);
  });

  it('finds the place name in core-style, labelled and quoted prompts', () => {
    expect(findPlaceName('당신은 카페 라온을(를) 방문한 고객입니다. 다음 내용을')).toBe('카페 라온');
    expect(findPlaceName('장소: 부산 해운대 횟집\n스크립트: ...')).toBe('부산 해운대 횟집');
    expect(findPlaceName('Write a review of "Blue Bottle Seongsu".')).toBe('Blue Bottle Seongsu');
    expect(findPlaceName('리뷰를 써주세요')).toBeUndefined();
  });
});
