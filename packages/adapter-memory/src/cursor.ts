/**
 * Page cursors are opaque to callers: base64url text, so nobody builds one by hand
 * and the store may change what it keeps inside. Built on btoa/atob and TextEncoder
 * rather than Buffer so the store also runs on edge runtimes.
 */
export function encodeCursor(parts: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(parts.join('|'));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The parts of a cursor, or a TypeError naming the field when it was not one of ours. */
export function decodeCursor(cursor: string, partCount: number): string[] {
  let text: string;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    text = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    text = '';
  }
  const split = text.split('|');
  // The last part keeps any '|' of its own (an id from a custom idGenerator).
  const parts = [...split.slice(0, partCount - 1), split.slice(partCount - 1).join('|')];
  if (split.length < partCount || parts.some((part) => part === '')) {
    throw new TypeError(`cursor: not a cursor returned by this store (${JSON.stringify(cursor)})`);
  }
  return parts;
}
