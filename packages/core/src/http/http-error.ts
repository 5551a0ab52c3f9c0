/**
 * An answer other than 2xx, thrown inside a route and turned into the one JSON error
 * shape `{ error: { code, message, fieldErrors?, jobId? } }` by the router. Only the
 * message of an HttpError reaches the client: anything else thrown becomes a generic
 * 500, so no stack trace or store detail ever leaks.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { fieldErrors?: Record<string, string[]>; jobId?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }

  toResponse(): Response {
    const { fieldErrors, jobId, headers } = this.extra;
    const body = { error: { code: this.code, message: this.message, ...(fieldErrors && { fieldErrors }), ...(jobId && { jobId }) } };
    return jsonResponse(body, this.status, headers);
  }
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
