import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findPlaceName } from './find-place-name.js';
import {
  BAD_GATEWAY_HTML,
  apiKeyInvalidBody,
  invalidArgumentBody,
  missingKeyBody,
  modelNotFoundBody,
  quotaExceededBody,
  serverErrorBody,
  type GeminiErrorBody,
} from './gemini-error-bodies.js';
import { koreanReviewText } from './korean-review-text.js';
import { RequestQuota } from './request-quota.js';
import { lognormal, seededRandom, type Random } from '@review-jobs/core/fake';

/** One thing that can go wrong with a call, as the real API shows it. */
export type FakeFault =
  /** 429 RESOURCE_EXHAUSTED with QuotaFailure, Help and RetryInfo (default "26s"). */
  | { type: 'rate_limited'; retryDelay?: string }
  /** 500 INTERNAL, 502 (HTML from the front end), 503 UNAVAILABLE or 504 DEADLINE_EXCEEDED; default 503. */
  | { type: 'server_error'; status?: 500 | 502 | 503 | 504 }
  /** The server drops the connection without answering (ECONNRESET / "other side closed"). */
  | { type: 'connection_reset' }
  /** Never answers; only the client's abort or close() ends it. */
  | { type: 'hang' }
  /** 200, no candidates, promptFeedback.blockReason (default SAFETY). */
  | { type: 'blocked_prompt'; blockReason?: string }
  /** 200, a candidate with no content and this finishReason (default SAFETY). */
  | { type: 'blocked_output'; finishReason?: string }
  /** 200, finishReason MAX_TOKENS, with half a review or (default) no text at all. */
  | { type: 'max_tokens'; withText?: boolean }
  /** 200 with a body cut off mid-JSON. */
  | { type: 'malformed_json' }
  /** 400 INVALID_ARGUMENT. */
  | { type: 'invalid_argument'; message?: string }
  /** 403 PERMISSION_DENIED. */
  | { type: 'permission_denied' };

export interface FaultPlan {
  /**
   * Served to the next requests, one each, in order. Only requests that pass the key,
   * quota and body checks draw a fault: those answer first, as on the real API.
   */
  next?: readonly FakeFault[] | undefined;
  /** After `next` is used up, each request draws these in order; the first hit applies. */
  random?: ReadonlyArray<{ fault: FakeFault; probability: number }> | undefined;
}

/** Milliseconds, fixed; or lognormal around a median (sigma default 0.5). */
export type FakeLatency = number | { medianMs: number; sigma?: number };

export interface FakeGeminiOptions {
  /** Default 0: any free port. */
  port?: number | undefined;
  /** When set, the only key accepted; any other answers 400 API_KEY_INVALID. Default: any non-empty key. */
  apiKey?: string | undefined;
  /** Time to answer a generation (not auth or quota errors, which come at once). Default 0. */
  latency?: FakeLatency | undefined;
  /** Multiplies every latency: 0.01 runs a realistic profile 100 times faster. Default 1. */
  timeScale?: number | undefined;
  /** Enforced requests per window per model; windowMs defaults to 60 000 (shrink it with timeScale). */
  quota?: { requestsPerMinute: number; windowMs?: number | undefined } | undefined;
  faults?: FaultPlan | undefined;
  /** Seed for latencies, texts and random faults, so a run can be replayed. Default 1. */
  seed?: number | undefined;
  /** When set, other models answer 404 NOT_FOUND. Default: any model. */
  models?: readonly string[] | undefined;
}

export interface FakeGeminiStats {
  /** generateContent requests received. */
  requests: number;
  /** Answers written, by HTTP status. */
  answered: Record<number, number>;
  /** 429 answers, from the enforced quota and injected faults. */
  rateLimited: number;
  /** 429 answers from the enforced quota only. */
  quotaRejected: number;
  inFlight: number;
  maxInFlight: number;
  /** Requests whose client went away (abort) before the answer was written. */
  aborted: number;
  /** Connections the server cut on purpose (connection_reset). */
  resets: number;
}

export interface FakeGeminiCall {
  apiVersion: string;
  model: string;
  apiKey: string | undefined;
  /** The parsed JSON body (the raw text when it was not JSON). */
  body: unknown;
  /** performance.now() when the request's headers arrived. */
  arrivedAt: number;
}

export interface FakeGemini {
  /** Pass as `baseUrl`, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** A snapshot of the counters. */
  readonly stats: FakeGeminiStats;
  /** Every generateContent request received, in order. */
  readonly calls: readonly FakeGeminiCall[];
  /** Replace the fault plan (pending `next` faults included). */
  setFaults(plan: FaultPlan): void;
  setLatency(latency: FakeLatency): void;
  resetStats(): void;
  /** Resolves once `predicate(stats)` holds; rejects after `timeoutMs` (default 5 000). */
  waitFor(predicate: (stats: FakeGeminiStats) => boolean, timeoutMs?: number): Promise<FakeGeminiStats>;
  /** Ends hanging requests and open connections, then stops listening. */
  close(): Promise<void>;
}

const ROUTE = /^\/(v1|v1beta)\/models\/([^/:]+):generateContent$/;

const TOP_LEVEL_FIELDS = new Set([
  'contents', 'systemInstruction', 'system_instruction', 'generationConfig', 'generation_config',
  'safetySettings', 'safety_settings', 'tools', 'toolConfig', 'tool_config', 'cachedContent', 'cached_content',
]);
const GENERATION_CONFIG_FIELDS = new Set([
  'stopSequences', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'responseModalities',
  'candidateCount', 'maxOutputTokens', 'temperature', 'topP', 'topK', 'seed', 'presencePenalty',
  'frequencyPenalty', 'responseLogprobs', 'logprobs', 'enableEnhancedCivicAnswers', 'speechConfig',
  'thinkingConfig', 'imageConfig', 'mediaResolution',
]);

interface GenerateBody {
  contents?: Array<{ parts?: Array<{ text?: string }> }>;
  systemInstruction?: { parts?: Array<{ text?: string }> };
  generationConfig?: {
    temperature?: number;
    maxOutputTokens?: number;
    thinkingConfig?: { thinkingBudget?: number };
  };
}

type Answer =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'raw'; status: number; contentType: string; text: string }
  | { kind: 'reset' }
  | { kind: 'hang' };

const json = (status: number, body: GeminiErrorBody | Record<string, unknown>): Answer => ({ kind: 'json', status, body });

/** Korean runs about 1.5 characters per token with Gemini's tokenizer; close enough for usage figures. */
const tokensOf = (text: string): number => Math.ceil([...text].length / 1.5);

const textOf = (parts: Array<{ text?: string }> | undefined): string =>
  (parts ?? []).map((part) => part.text ?? '').join('');

function formatRetryDelay(ms: number): string {
  const whole = Math.ceil(ms);
  return whole % 1000 === 0 ? `${whole / 1000}s` : `${(whole / 1000).toFixed(3)}s`;
}

function checkBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'Invalid JSON payload received. Expected an object.';
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL_FIELDS.has(key)) return `Invalid JSON payload received. Unknown name "${key}": Cannot find field.`;
  }
  const { contents, generationConfig } = body as GenerateBody;
  if (!Array.isArray(contents) || contents.length === 0 || textOf(contents.flatMap((c) => c.parts ?? [])) === '') {
    return '* GenerateContentRequest.contents: contents is not specified\n';
  }
  for (const key of Object.keys(generationConfig ?? {})) {
    if (!GENERATION_CONFIG_FIELDS.has(key)) {
      return `Invalid JSON payload received. Unknown name "${key}" at 'generation_config': Cannot find field.`;
    }
  }
  const { temperature, maxOutputTokens } = generationConfig ?? {};
  if (temperature !== undefined && !(typeof temperature === 'number' && temperature >= 0 && temperature <= 2)) {
    return '* GenerateContentRequest.generation_config.temperature: must be between 0.0 and 2.0\n';
  }
  if (maxOutputTokens !== undefined && !(Number.isInteger(maxOutputTokens) && maxOutputTokens > 0)) {
    return '* GenerateContentRequest.generation_config.max_output_tokens: max_output_tokens must be positive.\n';
  }
  return undefined;
}

/**
 * A local stand-in for the Gemini API's generateContent (v1beta and v1), speaking its
 * real request and response JSON, so tests run the real SDKs end to end: auth by
 * x-goog-api-key header or `key` query, an enforced requests-per-minute quota, latency,
 * and injected faults. Answers are Korean reviews of 100-150 characters about the
 * place named in the prompt.
 */
export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const random: Random = seededRandom(options.seed ?? 1);
  const timeScale = options.timeScale ?? 1;
  const quota = options.quota
    ? new RequestQuota(options.quota.requestsPerMinute, options.quota.windowMs ?? 60_000)
    : undefined;
  let latency: FakeLatency = options.latency ?? 0;
  let nextFaults: FakeFault[] = [...(options.faults?.next ?? [])];
  let randomFaults = options.faults?.random ?? [];
  const calls: FakeGeminiCall[] = [];
  const watchers = new Set<() => void>();
  let responseCounter = 0;

  const freshStats = (): FakeGeminiStats => ({
    requests: 0, answered: {}, rateLimited: 0, quotaRejected: 0, inFlight: 0, maxInFlight: 0, aborted: 0, resets: 0,
  });
  let stats = freshStats();
  const changed = () => {
    for (const watcher of watchers) watcher();
  };

  const drawFault = (): FakeFault | undefined => {
    const next = nextFaults.shift();
    if (next) return next;
    return randomFaults.find((entry) => random() < entry.probability)?.fault;
  };

  const drawLatency = (): number => {
    const ms = typeof latency === 'number' ? latency : lognormal(random, latency.medianMs, latency.sigma ?? 0.5);
    return ms * timeScale;
  };

  const meta = (model: string) => ({
    modelVersion: model,
    responseId: `fake-${(++responseCounter).toString(36)}-${Math.floor(random() * 1e9).toString(36)}`,
  });

  function success(model: string, body: GenerateBody): Answer {
    const prompt = textOf(body.contents?.flatMap((c) => c.parts ?? []));
    const promptTokenCount = tokensOf(prompt + textOf(body.systemInstruction?.parts));
    const config = body.generationConfig ?? {};
    const budget = config.thinkingConfig?.thinkingBudget;
    // No thinkingConfig means the model's default: dynamic thinking, as on 2.5 Flash.
    const sampled = Math.round(150 + random() * 350);
    const thoughts = budget === 0 ? 0 : budget !== undefined && budget > 0 ? Math.min(budget, sampled) : sampled;
    let text = koreanReviewText(findPlaceName(prompt) ?? '이곳', random);
    let finishReason = 'STOP';
    // Thinking tokens count against maxOutputTokens, as on the real API.
    const room = (config.maxOutputTokens ?? Number.POSITIVE_INFINITY) - thoughts;
    if (room < tokensOf(text)) {
      finishReason = 'MAX_TOKENS';
      text = room <= 0 ? '' : [...text].slice(0, Math.floor(room * 1.5)).join('');
    }
    const candidatesTokenCount = tokensOf(text);
    return json(200, {
      candidates: [
        { content: text ? { parts: [{ text }], role: 'model' } : { role: 'model' }, finishReason, index: 0 },
      ],
      usageMetadata: {
        promptTokenCount,
        ...(candidatesTokenCount > 0 ? { candidatesTokenCount } : {}),
        totalTokenCount: promptTokenCount + candidatesTokenCount + thoughts,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokenCount }],
        ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
      },
      ...meta(model),
    });
  }

  function faultAnswer(fault: FakeFault, model: string, body: GenerateBody): Answer {
    const promptTokenCount = tokensOf(textOf(body.contents?.flatMap((c) => c.parts ?? [])));
    switch (fault.type) {
      case 'rate_limited':
        return json(429, quotaExceededBody(model, options.quota?.requestsPerMinute ?? 15, fault.retryDelay ?? '26s'));
      case 'server_error': {
        const status = fault.status ?? 503;
        if (status === 502) return { kind: 'raw', status, contentType: 'text/html; charset=UTF-8', text: BAD_GATEWAY_HTML };
        return json(status, serverErrorBody(status));
      }
      case 'connection_reset':
        return { kind: 'reset' };
      case 'hang':
        return { kind: 'hang' };
      case 'blocked_prompt':
        return json(200, {
          promptFeedback: {
            blockReason: fault.blockReason ?? 'SAFETY',
            safetyRatings: [
              { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
              { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'HIGH' },
              { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
              { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'NEGLIGIBLE' },
            ],
          },
          usageMetadata: { promptTokenCount, totalTokenCount: promptTokenCount },
          ...meta(model),
        });
      case 'blocked_output':
        return json(200, {
          candidates: [
            {
              finishReason: fault.finishReason ?? 'SAFETY',
              index: 0,
              safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'MEDIUM', blocked: true }],
            },
          ],
          usageMetadata: { promptTokenCount, totalTokenCount: promptTokenCount },
          ...meta(model),
        });
      case 'max_tokens': {
        const limit = body.generationConfig?.maxOutputTokens ?? 1024;
        const text = fault.withText ? [...koreanReviewText('이곳', random)].slice(0, 60).join('') : '';
        const candidatesTokenCount = tokensOf(text);
        const thoughts = Math.max(0, limit - candidatesTokenCount);
        return json(200, {
          candidates: [
            { content: text ? { parts: [{ text }], role: 'model' } : { role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 },
          ],
          usageMetadata: {
            promptTokenCount,
            ...(candidatesTokenCount > 0 ? { candidatesTokenCount } : {}),
            totalTokenCount: promptTokenCount + limit,
            ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
          },
          ...meta(model),
        });
      }
      case 'malformed_json':
        return { kind: 'raw', status: 200, contentType: 'application/json; charset=UTF-8', text: '{\n  "candidates": [\n    {\n      "content": {\n        "parts": [\n          {\n            "text": "좋' };
      case 'invalid_argument':
        return json(400, invalidArgumentBody(fault.message ?? 'Request contains an invalid argument.'));
      case 'permission_denied':
        return json(403, {
          error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' },
        });
    }
  }

  async function decide(
    req: IncomingMessage,
    apiVersion: string,
    model: string,
    arrivedAt: number,
    closed: AbortSignal,
  ): Promise<Answer> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const header = req.headers['x-goog-api-key'];
    const apiKey = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('key') ?? undefined;
    let body: unknown;
    let parsed = true;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
      parsed = false;
    }
    calls.push({ apiVersion, model, apiKey, body, arrivedAt });

    if (!apiKey) return json(403, missingKeyBody());
    if (options.apiKey !== undefined && apiKey !== options.apiKey) return json(400, apiKeyInvalidBody());
    if (options.models && !options.models.includes(model)) return json(404, modelNotFoundBody(model, apiVersion));
    if (quota) {
      const taken = quota.take(model, arrivedAt);
      if (!taken.ok) {
        stats.quotaRejected++;
        return json(429, quotaExceededBody(model, quota.limit, formatRetryDelay(taken.retryAfterMs)));
      }
    }
    if (!parsed) return json(400, invalidArgumentBody('Invalid JSON payload received. Unexpected token.'));
    const problem = checkBody(body);
    if (problem) return json(400, invalidArgumentBody(problem));

    const fault = drawFault();
    await sleep(drawLatency(), closed);
    return fault ? faultAnswer(fault, model, body as GenerateBody) : success(model, body as GenerateBody);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The quota counts a request when its headers arrive, not when its body has been read.
    const arrivedAt = performance.now();
    const match = ROUTE.exec(new URL(req.url ?? '/', 'http://fake').pathname);
    if (req.method !== 'POST' || !match) {
      write(res, json(404, { error: { code: 404, message: 'Method not found.', status: 'NOT_FOUND' } }));
      return;
    }
    const [, apiVersion = 'v1beta', model = ''] = match;
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    changed();
    const closedController = new AbortController();
    let cutByServer = false;
    res.on('close', () => {
      closedController.abort();
      stats.inFlight--;
      if (!res.writableFinished && !cutByServer) stats.aborted++;
      changed();
    });

    const answer = await decide(req, apiVersion, decodeURIComponent(model), arrivedAt, closedController.signal);
    if (closedController.signal.aborted) return;
    if (answer.kind === 'hang') return; // res 'close' (client abort or close()) ends it
    if (answer.kind === 'reset') {
      cutByServer = true;
      stats.resets++;
      req.socket.destroy();
      return;
    }
    stats.answered[answer.status] = (stats.answered[answer.status] ?? 0) + 1;
    if (answer.status === 429) stats.rateLimited++;
    write(res, answer);
    changed();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A client that went away mid-upload is no error of ours.
      if (req.socket.destroyed) return;
      // A bug in the fake must show as a failed call, never as an unhandled rejection.
      if (!res.headersSent) write(res, json(500, serverErrorBody(500)));
      console.error('fake Gemini server error', error);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const snapshot = (): FakeGeminiStats => ({ ...stats, answered: { ...stats.answered } });

  return {
    url: `http://127.0.0.1:${port}`,
    get stats() {
      return snapshot();
    },
    calls,
    setFaults(plan) {
      nextFaults = [...(plan.next ?? [])];
      randomFaults = plan.random ?? [];
    },
    setLatency(value) {
      latency = value;
    },
    /** Call between tests, with nothing in flight: a late answer would count in the new figures. */
    resetStats() {
      stats = { ...freshStats(), inFlight: stats.inFlight };
      calls.length = 0;
    },
    waitFor(predicate, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(snapshot())) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(snapshot());
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`fake Gemini: condition not met within ${timeoutMs} ms; stats ${JSON.stringify(snapshot())}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function write(res: ServerResponse, answer: Answer): void {
  if (answer.kind === 'json') {
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(answer.body, null, 2));
  } else if (answer.kind === 'raw') {
    res.writeHead(answer.status, { 'content-type': answer.contentType });
    res.end(answer.text);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Resolves after `ms`, or at once when the client has gone. */
function sleep(ms: number, closed: AbortSignal): Promise<void> {
  if (ms <= 0 || closed.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      closed.removeEventListener('abort', done);
      resolve();
    }
    closed.addEventListener('abort', done, { once: true });
  });
}
