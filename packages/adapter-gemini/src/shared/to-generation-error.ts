import { GenerationError } from '@review-jobs/core';
import { parseRetryDelay } from './parse-retry-delay.js';

/** One entry of `error.details` in a Google API error body (google.rpc.*). */
interface RpcDetail {
  '@type'?: string;
  reason?: string;
  retryDelay?: string;
}

/** An HTTP failure, whichever SDK reported it. */
interface HttpFailure {
  httpStatus: number;
  /** google.rpc code name such as RESOURCE_EXHAUSTED; only @google/genai keeps it. */
  rpcStatus: string | undefined;
  message: string;
  details: RpcDetail[];
}

export interface CallContext {
  /** The runner's signal for this call. */
  signal: AbortSignal;
  /** True when our own per-request deadline aborted the call. */
  timedOut: boolean;
  timeoutMs: number;
}

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
const KEY_REASONS = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED', 'API_KEY_SERVICE_BLOCKED']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * @google/genai's ApiError carries the HTTP status and, as its message, the response
 * body serialised as JSON text ({"error":{code,message,status,details}}), so the body is
 * parsed back out of the message. A non-JSON body (a 502 HTML page) arrives wrapped as
 * {"error":{"message":"<html...","code":502,"status":"Bad Gateway"}}.
 */
function fromGenaiApiError(error: Record<string, unknown>, status: number): HttpFailure {
  const raw = typeof error.message === 'string' ? error.message : '';
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = undefined;
  }
  const inner = isObject(body) && isObject(body.error) ? body.error : {};
  return {
    httpStatus: status,
    rpcStatus: typeof inner.status === 'string' ? inner.status : undefined,
    message: typeof inner.message === 'string' ? inner.message : raw,
    details: Array.isArray(inner.details) ? (inner.details as RpcDetail[]) : [],
  };
}

/**
 * @google/generative-ai's GoogleGenerativeAIFetchError keeps status and the parsed
 * `details` array (errorDetails), and folds the message into
 * "[GoogleGenerativeAI Error]: Error fetching from <url>: [429 Too Many Requests] <message> <details>".
 */
function fromLegacyFetchError(error: Record<string, unknown>, status: number): HttpFailure {
  const raw = typeof error.message === 'string' ? error.message : '';
  const afterStatus = /\[\d{3}[^\]]*\]\s*(.*)$/s.exec(raw)?.[1] ?? raw;
  const details = Array.isArray(error.errorDetails) ? (error.errorDetails as RpcDetail[]) : [];
  // The details are appended to the message as JSON; keep only the human part.
  const detailsAt = details.length > 0 ? afterStatus.indexOf(' [{') : -1;
  return {
    httpStatus: status,
    rpcStatus: undefined,
    message: detailsAt >= 0 ? afterStatus.slice(0, detailsAt) : afterStatus,
    details,
  };
}

function readHttpFailure(error: unknown): HttpFailure | undefined {
  if (!isObject(error) || typeof error.status !== 'number') return undefined;
  if (error.name === 'ApiError') return fromGenaiApiError(error, error.status);
  if ('errorDetails' in error || 'statusText' in error) return fromLegacyFetchError(error, error.status);
  return undefined;
}

function retryAfterMsOf(failure: HttpFailure): number | undefined {
  const retryInfo = failure.details.find((d) => d['@type'] === RETRY_INFO && typeof d.retryDelay === 'string');
  if (retryInfo?.retryDelay !== undefined) return parseRetryDelay(retryInfo.retryDelay);
  // Some quota errors only say it in prose: "... Please retry in 26.504915421s."
  const inProse = /retry in (\d+(?:\.\d+)?s)/i.exec(failure.message)?.[1];
  return inProse === undefined ? undefined : parseRetryDelay(inProse);
}

function isKeyRefused(failure: HttpFailure): boolean {
  if (failure.httpStatus === 401 || failure.httpStatus === 403) return true;
  return failure.details.some((d) => d['@type'] === ERROR_INFO && d.reason !== undefined && KEY_REASONS.has(d.reason));
}

function fromHttpFailure(failure: HttpFailure, cause: unknown): GenerationError {
  const { httpStatus } = failure;
  const label = failure.rpcStatus === undefined ? `${httpStatus}` : `${httpStatus} ${failure.rpcStatus}`;
  const said = failure.message.trim().slice(0, 500);
  if (isKeyRefused(failure)) {
    const reason = failure.details.find((d) => d['@type'] === ERROR_INFO)?.reason;
    return new GenerationError(
      'unauthorized',
      `Gemini refused the API key (${reason ?? label}): ${said}. Check GEMINI_API_KEY.`,
      { cause },
    );
  }
  if (httpStatus === 429) {
    return new GenerationError('rate_limited', `Gemini rate limit or quota exceeded (${label}): ${said}`, {
      cause,
      retryAfterMs: retryAfterMsOf(failure),
    });
  }
  if (httpStatus === 408) return new GenerationError('timeout', `Gemini timed out (${label}): ${said}`, { cause });
  if (httpStatus >= 500) return new GenerationError('transient', `Gemini server error (${label}): ${said}`, { cause });
  // 400 INVALID_ARGUMENT, 404 unknown model, 400 FAILED_PRECONDITION (region) ...:
  // the same request would fail again.
  return new GenerationError('invalid_request', `Gemini rejected the request (${label}): ${said}`, { cause });
}

const isAbortError = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'AbortError' || error.constructor.name === 'GoogleGenerativeAIAbortError');

/** Why a fetch failed at the socket level, e.g. ECONNRESET (undici hides it in `cause`). */
function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; isObject(e) && depth < 4; e = e.cause, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/**
 * Maps whatever a Gemini SDK call threw to the one GenerationError kind the runner acts
 * on. Shared by both entries so the two SDKs can never disagree on what a 429 means.
 */
export function toGenerationError(error: unknown, context: CallContext): GenerationError {
  if (error instanceof GenerationError) return error;
  if (context.signal.aborted) {
    // A runner that aborts because its own deadline passed says so with a TimeoutError reason.
    const reason: unknown = context.signal.reason;
    const kind = isObject(reason) && reason.name === 'TimeoutError' ? 'timeout' : 'cancelled';
    return new GenerationError(kind, kind === 'timeout' ? 'Gemini call timed out' : 'Gemini call cancelled', {
      cause: error,
    });
  }
  if (context.timedOut) {
    return new GenerationError('timeout', `Gemini did not answer within ${context.timeoutMs} ms`, { cause: error });
  }
  const failure = readHttpFailure(error);
  if (failure) return fromHttpFailure(failure, error);
  if (error instanceof SyntaxError) {
    return new GenerationError('transient', `Gemini answered with malformed JSON: ${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isAbortError(error)) {
    // Aborted, yet neither the caller nor our deadline did it: the connection went away.
    return new GenerationError('transient', `Gemini request aborted: ${message}`, { cause: error });
  }
  const code = networkCode(error);
  return new GenerationError('transient', `Gemini request failed: ${message}${code ? ` (${code})` : ''}`, {
    cause: error,
  });
}
