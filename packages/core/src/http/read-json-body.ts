import { HttpError } from './http-error.js';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/**
 * The request body parsed as JSON, or `undefined` when it is empty.
 *
 * - Over `maxBytes` -> 413, checked on Content-Length first and again while reading
 *   (a chunked body has no length), so a huge body is never buffered whole.
 * - A body whose Content-Type is not JSON -> 415. This is also a CSRF guard: an HTML
 *   form can only send urlencoded, multipart or text/plain bodies without a CORS
 *   preflight, so a cross-site form cannot reach start, cancel or retry.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const contentType = request.headers.get('content-type');
  if (contentType !== null && !JSON_TYPE.test(contentType)) {
    throw new HttpError(415, 'unsupported_media_type', `body: Content-Type must be application/json, got "${contentType}".`);
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (request.body === null) return undefined;

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (size === 0) return undefined;

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(concat(chunks, size));
  } catch {
    throw new HttpError(400, 'invalid_json', 'body: not valid UTF-8.');
  }
  if (contentType === null) {
    throw new HttpError(415, 'unsupported_media_type', 'body: Content-Type must be application/json.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `body: malformed JSON (${(error as Error).message}).`);
  }
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, 'payload_too_large', `body: larger than the limit of ${maxBytes} bytes.`);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
