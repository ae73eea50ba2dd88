import { startPrivateRedis } from './redis-server';

/**
 * Starts one private redis-server for the whole test run. Its URL reaches the test workers through
 * TEST_REDIS_URL (workers are forked after global setup, so they inherit the environment).
 * Tests isolate themselves with their own key and queue prefixes (see test/support/redis.ts).
 */
export default async function globalSetup(): Promise<void> {
  const redis = await startPrivateRedis();
  process.env.TEST_REDIS_URL = redis.url;
  (globalThis as { __MLTRL_TEST_REDIS__?: typeof redis }).__MLTRL_TEST_REDIS__ = redis;
}
