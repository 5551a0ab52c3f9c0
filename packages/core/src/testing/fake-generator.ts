import { GenerationError, type GenerationErrorKind } from '../generation-error.js';
import type { GenerateRequest, GenerateResult, TextGenerator } from '../text-generator.js';
import { lognormal, seededRandom } from './seeded-random.js';

/** Rates (0..1) of faults drawn per call, checked in this order. */
export interface FaultProfile {
  transient?: number;
  timeout?: number;
  rateLimited?: number;
  blocked?: number;
  unauthorized?: number;
  /** retryAfterMs of a drawn `rateLimited` fault (already in scaled time). Default: 1 s scaled. */
  retryAfterMs?: number;
}

export interface FakeGeneratorOptions {
  /** PRNG seed: the same seed gives the same latencies and faults. Default 1. */
  seed?: number;
  /** Lognormal latency: median * exp(sigma * N(0,1)), before timeScale. */
  latency?: { medianMs?: number; sigma?: number };
  /** Multiplies every duration: 0.001 makes a 12 s call take 12 ms. Default 1. */
  timeScale?: number;
  faults?: FaultProfile;
  /** Like a real API: more requests than this per window answer rate_limited. */
  requestsPerMinute?: number;
  /** Like a real API: more calls than this in flight answer rate_limited. */
  maxInFlight?: number;
  /** The provider's "minute". Default 60000 * timeScale. */
  windowMs?: number;
  /** The text of a successful call. Default: a varied 100-150 character Korean review. */
  texts?: (request: GenerateRequest, callNo: number) => string;
  /** Scripted faults for unit tests (1-based call number); wins over `faults`. */
  faultsFor?: (callNo: number, request: GenerateRequest) => GenerationErrorKind | undefined;
  id?: string;
}

export interface FakeGeneratorStats {
  calls: number;
  succeeded: number;
  failed: Partial<Record<GenerationErrorKind, number>>;
  inFlight: number;
  maxInFlight: number;
  /** The most calls that arrived in any window of `windowMs` (429s included). */
  maxRequestsInAnyWindow: number;
  /** Calls stopped by their AbortSignal. */
  aborted: number;
}

const OPENERS = ['{place}에 다녀왔어요.', '{place} 방문 후기 남겨요.', '오랜만에 {place}에 들렀습니다.', '지인 추천으로 {place}에 가봤어요.', '{place}은(는) 이번이 두 번째예요.'];
const MIDDLES = [
  '직원분들이 정말 친절하게 안내해 주셔서 기분이 좋았어요.',
  '매장이 깔끔하고 조용해서 오래 머물기 좋았습니다.',
  '창가 자리에 앉으니 햇살이 들어와서 분위기가 참 따뜻했어요.',
  '가격도 합리적인 편이라 부담 없이 즐길 수 있었습니다.',
  '주문하고 얼마 안 돼서 바로 나와서 기다림이 거의 없었어요.',
  '인테리어가 아기자기해서 사진 찍기에도 좋더라고요.',
  '주차가 조금 불편했지만 그 외에는 다 만족스러웠어요.',
  '메뉴 설명을 자세히 해 주셔서 고르기가 수월했습니다.',
  '음악 소리가 적당해서 대화하기에도 편했어요.',
];
const CLOSERS = ['다음에 또 방문하고 싶어요.', '주변 분들께도 추천하고 싶은 곳이에요.', '재방문 의사 있습니다!', '전체적으로 만족스러운 시간이었어요.'];

const emptyStats = (): FakeGeneratorStats => ({
  calls: 0,
  succeeded: 0,
  failed: {},
  inFlight: 0,
  maxInFlight: 0,
  maxRequestsInAnyWindow: 0,
  aborted: 0,
});

/**
 * A TextGenerator that behaves like a real LLM API, in scaled time: lognormal
 * latency, random or scripted faults, its own requests-per-window and in-flight caps
 * (answering 429 with the time until the window frees), and prompt aborts. Records
 * every request; `stats` counts what happened.
 */
export class FakeGenerator implements TextGenerator {
  readonly id: string;
  readonly requests: GenerateRequest[] = [];
  stats: FakeGeneratorStats = emptyStats();

  private readonly random: () => number;
  private readonly timeScale: number;
  private readonly medianMs: number;
  private readonly sigma: number;
  private readonly windowMs: number;
  /** Arrival times in the last window: all calls, and the accepted ones the quota counts. */
  private arrivals: number[] = [];
  private accepted: number[] = [];

  constructor(private readonly options: FakeGeneratorOptions = {}) {
    this.random = seededRandom(options.seed ?? 1);
    this.timeScale = options.timeScale ?? 1;
    this.medianMs = options.latency?.medianMs ?? 12_000;
    this.sigma = options.latency?.sigma ?? 0.5;
    this.windowMs = options.windowMs ?? 60_000 * this.timeScale;
    this.id = options.id ?? `fake:lognormal-${this.medianMs}ms`;
  }

  /** Zero the counters and the request log (the PRNG keeps its sequence). */
  reset(): void {
    this.stats = emptyStats();
    this.requests.length = 0;
    this.arrivals = [];
    this.accepted = [];
  }

  async generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const callNo = ++this.stats.calls;
    this.requests.push(request);
    const now = performance.now();
    this.countArrival(now);
    this.stats.inFlight += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    try {
      if (signal.aborted) throw this.aborted();
      const refusal = this.quotaRefusal(now);
      if (refusal) throw refusal;
      this.accepted.push(now);
      const latency = this.sampleLatency();
      const fault = this.options.faultsFor?.(callNo, request) ?? this.drawFault();
      if (fault) {
        // Refusals come back fast; failures mid-generation take part of the latency.
        const slow = fault === 'transient' || fault === 'timeout';
        await this.sleep(slow ? latency / 2 : Math.min(latency, 50 * this.timeScale), signal);
        throw new GenerationError(fault, `fake ${fault} (call ${callNo})`, {
          retryAfterMs: fault === 'rate_limited' ? (this.options.faults?.retryAfterMs ?? 1000 * this.timeScale) : undefined,
        });
      }
      await this.sleep(latency, signal);
      const text = this.options.texts?.(request, callNo) ?? this.review(request);
      this.stats.succeeded += 1;
      return {
        text,
        usage: { inputTokens: Math.ceil(request.prompt.length / 2), outputTokens: Math.ceil(text.length / 2) },
        finishReason: 'STOP',
      };
    } catch (error) {
      const kind = error instanceof GenerationError ? error.kind : 'transient';
      this.stats.failed[kind] = (this.stats.failed[kind] ?? 0) + 1;
      throw error;
    } finally {
      this.stats.inFlight -= 1;
    }
  }

  private countArrival(now: number): void {
    this.arrivals.push(now);
    while (this.arrivals[0]! + this.windowMs <= now) this.arrivals.shift();
    this.stats.maxRequestsInAnyWindow = Math.max(this.stats.maxRequestsInAnyWindow, this.arrivals.length);
  }

  private quotaRefusal(now: number): GenerationError | undefined {
    const { requestsPerMinute, maxInFlight } = this.options;
    if (maxInFlight !== undefined && this.stats.inFlight > maxInFlight) {
      return new GenerationError('rate_limited', `fake: more than ${maxInFlight} calls in flight`);
    }
    if (requestsPerMinute === undefined) return undefined;
    while (this.accepted.length > 0 && this.accepted[0]! + this.windowMs <= now) this.accepted.shift();
    if (this.accepted.length < requestsPerMinute) return undefined;
    const retryAfterMs = Math.ceil(this.accepted[0]! + this.windowMs - now);
    return new GenerationError('rate_limited', `fake: over ${requestsPerMinute} requests per window`, { retryAfterMs });
  }

  private drawFault(): GenerationErrorKind | undefined {
    const faults = this.options.faults;
    if (!faults) return undefined;
    const draw = this.random();
    let threshold = 0;
    const rates: Array<[GenerationErrorKind, number | undefined]> = [
      ['transient', faults.transient],
      ['timeout', faults.timeout],
      ['rate_limited', faults.rateLimited],
      ['blocked', faults.blocked],
      ['unauthorized', faults.unauthorized],
    ];
    for (const [kind, rate] of rates) {
      threshold += rate ?? 0;
      if (draw < threshold) return kind;
    }
    return undefined;
  }

  private sampleLatency(): number {
    return lognormal(this.random, this.medianMs, this.sigma) * this.timeScale;
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(this.aborted());
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private aborted(): GenerationError {
    this.stats.aborted += 1;
    return new GenerationError('cancelled', 'fake: aborted by the caller');
  }

  /** 100-150 characters: an opener with the place name, middles until 100, a closer if it fits. */
  private review(request: GenerateRequest): string {
    const place = /당신은 (.+?)을\(를\) 방문한/.exec(request.prompt)?.[1] ?? '이곳';
    const pick = <T>(list: readonly T[]): T => list[Math.floor(this.random() * list.length)]!;
    let text = '';
    for (let tries = 0; tries < 20; tries += 1) {
      const middles = [...MIDDLES];
      text = pick(OPENERS).replaceAll('{place}', place);
      while ([...text].length < 100 && middles.length > 0) {
        text += ` ${middles.splice(Math.floor(this.random() * middles.length), 1)[0]}`;
      }
      const closer = ` ${pick(CLOSERS)}`;
      if ([...text].length + [...closer].length <= 150) text += closer;
      const length = [...text].length;
      if (length >= 100 && length <= 150) return text;
    }
    return [...text].slice(0, 150).join(''); // only a very long place name gets here
  }
}
