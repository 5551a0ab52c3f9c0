/** Newest first by createdAt; equal times keep the server's order (sort is stable). */
export function newestFirst<T extends { createdAt: string }>(rows: readonly T[]): readonly T[] {
  return [...rows].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}
