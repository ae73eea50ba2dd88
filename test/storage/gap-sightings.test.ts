import Redis from 'ioredis';
import type { GapSightingStore } from '../../src/core/engine/store-ports';
import { MemoryGapSightingStore } from '../../src/storage/memory/memory-gap-sightings';
import { RedisGapSightingStore } from '../../src/storage/redis/redis-gap-sightings';
import { testRedisUrl, uniquePrefix } from '../support/redis';

const redis = new Redis(testRedisUrl());
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
});

const MON = '2026-11-23T09:00:00.000Z';
const TUE = '2026-11-24T09:00:00.000Z';
const WED = '2026-11-25T09:00:00.000Z';

function describeSightings(name: string, make: () => GapSightingStore): void {
  describe(`${name} gap sightings`, () => {
    it('keeps the first sighting of a section while it stays missing', async () => {
      const store = make();
      expect(await store.observe('R07.2', ['code-repo', 'testing-status'], MON)).toEqual({
        'code-repo': MON,
        'testing-status': MON,
      });
      expect(await store.observe('R07.2', ['code-repo', 'testing-status', 'tldr'], TUE)).toEqual({
        'code-repo': MON,
        'testing-status': MON,
        tldr: TUE,
      });
      expect(await store.get('R07.2')).toEqual({ 'code-repo': MON, 'testing-status': MON, tldr: TUE });
      expect(await store.get('R03.1')).toEqual({});
    });

    it('forgets a filled section, and dates it anew when it goes missing again', async () => {
      const store = make();
      await store.observe('R07.2', ['code-repo', 'testing-status'], MON);
      expect(await store.observe('R07.2', ['testing-status'], TUE)).toEqual({ 'testing-status': MON });
      expect(await store.observe('R07.2', ['testing-status', 'code-repo'], WED)).toEqual({
        'testing-status': MON,
        'code-repo': WED,
      });
      expect(await store.observe('R07.2', [], WED)).toEqual({});
      expect(await store.get('R07.2')).toEqual({});
    });

    it('looks at many projects in one call, answering in their order', async () => {
      const store = make();
      await store.observe('P0', ['tldr'], MON);
      const looks = Array.from({ length: 600 }, (_, i) => ({
        projectId: `P${i}`,
        open: i % 2 ? (['code-repo'] as const) : (['tldr', 'code-repo'] as const),
      }));
      const answers = await store.observeMany(looks, TUE);
      expect(answers).toHaveLength(600);
      expect(answers[0]).toEqual({ tldr: MON, 'code-repo': TUE });
      expect(answers[599]).toEqual({ 'code-repo': TUE });
      expect(await store.get('P598')).toEqual({ tldr: TUE, 'code-repo': TUE });
      expect(await store.observeMany([], WED)).toEqual([]);
    });

    it('keeps projects apart and agrees with itself under concurrent looks', async () => {
      const store = make();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.observe('R07.2', ['code-repo'], new Date(Date.parse(MON) + i * 1000).toISOString()),
        ),
      );
      await store.observe('D11.4', ['tldr'], TUE);
      expect(await store.get('R07.2')).toEqual({ 'code-repo': MON });
      expect(await store.get('D11.4')).toEqual({ tldr: TUE });
    });
  });
}

describeSightings('memory', () => new MemoryGapSightingStore());
describeSightings('redis', () => {
  const prefix = `{${uniquePrefix('sightings')}}`;
  prefixes.push(prefix);
  return new RedisGapSightingStore(redis, prefix);
});
