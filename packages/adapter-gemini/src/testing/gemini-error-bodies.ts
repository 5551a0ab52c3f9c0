/**
 * Error bodies as the Gemini API (generativelanguage.googleapis.com) sends them: a
 * google.rpc.Status under "error", with typed details. Copied from real answers so the
 * SDKs' error paths run exactly as in production.
 */
export interface GeminiErrorBody {
  error: { code: number; message: string; status: string; details?: Array<Record<string, unknown>> };
}

const RATE_LIMITS_DOC = 'https://ai.google.dev/gemini-api/docs/rate-limits';

/** 429 for a spent requests-per-minute quota: QuotaFailure, Help, RetryInfo. */
export function quotaExceededBody(model: string, requestsPerMinute: number, retryDelay: string): GeminiErrorBody {
  const metric = 'generativelanguage.googleapis.com/generate_content_free_tier_requests';
  return {
    error: {
      code: 429,
      message:
        `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: ${RATE_LIMITS_DOC}. To monitor your current usage, head to: https://ai.dev/usage?tab=rate-limit. \n` +
        `* Quota exceeded for metric: ${metric}, limit: ${requestsPerMinute}, model: ${model}\n` +
        `Please retry in ${retryDelay}.`,
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            {
              quotaMetric: metric,
              quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
              quotaDimensions: { location: 'global', model },
              quotaValue: String(requestsPerMinute),
            },
          ],
        },
        {
          '@type': 'type.googleapis.com/google.rpc.Help',
          links: [{ description: 'Learn more about Gemini API quotas', url: RATE_LIMITS_DOC }],
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
      ],
    },
  };
}

/** 400 for a key that does not exist or was deleted (reason API_KEY_INVALID). */
export function apiKeyInvalidBody(): GeminiErrorBody {
  const message = 'API key not valid. Please pass a valid API key.';
  return {
    error: {
      code: 400,
      message,
      status: 'INVALID_ARGUMENT',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
      ],
    },
  };
}

/** 403 when no key was sent at all. */
export function missingKeyBody(): GeminiErrorBody {
  return {
    error: {
      code: 403,
      message:
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      status: 'PERMISSION_DENIED',
    },
  };
}

export function invalidArgumentBody(message: string): GeminiErrorBody {
  return { error: { code: 400, message, status: 'INVALID_ARGUMENT' } };
}

export function modelNotFoundBody(model: string, apiVersion: string): GeminiErrorBody {
  return {
    error: {
      code: 404,
      message: `models/${model} is not found for API version ${apiVersion}, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      status: 'NOT_FOUND',
    },
  };
}

const SERVER_ERRORS: Record<500 | 503 | 504, GeminiErrorBody> = {
  500: {
    error: {
      code: 500,
      message:
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      status: 'INTERNAL',
    },
  },
  503: { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } },
  504: { error: { code: 504, message: 'Deadline expired before operation could complete.', status: 'DEADLINE_EXCEEDED' } },
};

export function serverErrorBody(status: 500 | 503 | 504): GeminiErrorBody {
  return SERVER_ERRORS[status];
}

/** A 502 comes from Google's front end, as HTML, not JSON. */
export const BAD_GATEWAY_HTML =
  '<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 502 (Server Error)!!1</title>\n' +
  '  <p><b>502.</b> <ins>That’s an error.</ins>\n  <p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.  <ins>That’s all we know.</ins>\n';
