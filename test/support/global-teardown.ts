import type { PrivateRedis } from './redis-server';

export default async function globalTeardown(): Promise<void> {
  const redis = (globalThis as { __MLTRL_TEST_REDIS__?: PrivateRedis }).__MLTRL_TEST_REDIS__;
  await redis?.stop();
}
