/** Whatever was thrown, as an Error (a client may reject with a string or a Response). */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
