/**
 * The Redis of the tests and the bench: REVIEW_JOBS_TEST_REDIS_URL, default the local
 * one. Every run works under a prefix of its own and deletes it afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

const url = new URL(process.env.REVIEW_JOBS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

export const TEST_REDIS: RedisOptions = {
  host: url.hostname,
  port: Number(url.port || 6379),
  ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  maxRetriesPerRequest: null,
};

/** A fresh BullMQ prefix, so parallel runs and leftovers never meet. */
export const uniquePrefix = (): string => `rj-test-${randomBytes(5).toString('hex')}`;

/**
 * Whether Redis answers. Unreachable: under CI that is a failure (thrown), elsewhere the
 * caller skips, after a warning that says how to run the tests.
 */
export async function redisAvailable(): Promise<boolean> {
  const redis = new Redis({ ...TEST_REDIS, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch (error) {
    const message = `Redis is unreachable at ${url.host} (${(error as Error).message})`;
    if (process.env.CI) throw new Error(`${message}; the BullMQ tests need it in CI`);
    console.warn(`${message}: skipping the BullMQ tests. Start Redis or set REVIEW_JOBS_TEST_REDIS_URL to run them.`);
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under `prefix` (the queue, its limiter and meta). */
export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
