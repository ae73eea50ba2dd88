import { randomUUID } from 'node:crypto';

/** The private Redis started by the jest global setup. */
export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through jest (npm test)');
  return url;
}

/** A key/queue prefix of this test's own, so tests sharing the Redis never see each other's data. */
export function uniquePrefix(name = 't'): string {
  return `${name}-${randomUUID().slice(0, 8)}`;
}
