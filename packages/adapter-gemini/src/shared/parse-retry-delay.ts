/**
 * A google.protobuf.Duration in its JSON form ("26s", "53.016342224s") as whole
 * milliseconds, rounded up so a caller that waits this long never comes back early.
 * Integer arithmetic on the fraction: 0.35 * 1000 in floating point is 350.00000000000006,
 * which would round up to 351.
 */
export function parseRetryDelay(duration: string): number | undefined {
  const match = /^(\d+)(?:\.(\d{1,9}))?s$/.exec(duration.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]);
  const nanos = Number((match[2] ?? '').padEnd(9, '0'));
  return seconds * 1000 + Math.ceil(nanos / 1_000_000);
}
