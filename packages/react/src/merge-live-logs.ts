import type { JobLog, LiveJobLog } from '@review-jobs/core/client';
import { newestFirst } from './newest-first.js';

/**
 * A fetched page of the job's log with the lines heard live since, newest first, at most
 * `limit`. A live line has no stored id yet (the runner writes its log in batches), so
 * "the same line" is the same time, level and message; time is compared as an instant
 * because a database hands it back in its own ISO spelling. Counted, not just seen: two
 * identical lines in the same millisecond are two lines.
 */
export function mergeLiveLogs(fetched: readonly JobLog[], live: readonly JobLog[], limit: number): readonly JobLog[] {
  const stored = new Map<string, number>();
  for (const log of fetched) stored.set(logKey(log), (stored.get(logKey(log)) ?? 0) + 1);
  const unseen = live.filter((log) => {
    const count = stored.get(logKey(log)) ?? 0;
    if (count > 0) stored.set(logKey(log), count - 1);
    return count === 0;
  });
  // Live lines first: on equal times they are the newer ones, and the sort is stable.
  return newestFirst([...unseen, ...fetched]).slice(0, limit);
}

function logKey(log: LiveJobLog): string {
  return `${Date.parse(log.createdAt)}\u0000${log.level}\u0000${log.message}`;
}
