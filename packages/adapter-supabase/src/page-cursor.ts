/**
 * Page cursors are opaque to callers: base64url of the last row's (createdAt, id), the
 * key the SQL pages on. Decoding checks the shape so a foreign string fails here, with
 * the field named, instead of as a PostgreSQL cast error.
 */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== 2 ||
    typeof parts[0] !== 'string' ||
    Number.isNaN(Date.parse(parts[0])) ||
    typeof parts[1] !== 'string' ||
    parts[1] === ''
  ) {
    throw new TypeError(`cursor: not a cursor returned by this store (${JSON.stringify(cursor)})`);
  }
  return { createdAt: parts[0], id: parts[1] };
}
