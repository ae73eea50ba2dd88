import type Redis from 'ioredis';
import type { Actor } from '../../src/core/events';
import { nextFireTimes } from '../../src/digest/schedule';
import { RedisAuditLog } from '../../src/storage/redis';
import { closeConnection, createCommandConnection } from '../../src/runtime/redis-connections';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { readCalls, RecordingChatPort, waitFor } from '../jobs/support/recording-chat-port';

/**
 * The whole app (engine, queues, workers, playground clock): an admin subscribes a playground channel,
 * the bot's clock passes Monday 09:00, the channel gets its digest; anyone gets the portfolio.
 */
const CHANNEL = 'playground:ml-leads';
const lee: Actor = { platform: 'playground', userId: 'lee', tz: 'Europe/Berlin' };
const ana: Actor = { platform: 'playground', userId: 'ana', tz: 'Europe/Berlin' };

describe('digests in the running app (playground)', () => {
  let harness: AppHarness;
  let redis: Redis;
  let recordPrefix: string;
  beforeEach(async () => {
    redis = createCommandConnection({ url: testRedisUrl() });
    recordPrefix = uniquePrefix('dgapp');
    const port = new RecordingChatPort(redis, recordPrefix, 'playground');
    harness = await startAppHarness({
      env: { ADMINS: 'lee', DEFAULT_TZ: 'Europe/Berlin' },
      chatPortOverrides: { playground: port },
    });
  });
  afterEach(async () => {
    await harness.stop();
    const keys = await redis.keys(`${recordPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await closeConnection(redis);
  });

  const command = (actor: Actor, text: string) =>
    harness.app.engine.handle({ type: 'command', actor, conversationId: CHANNEL, text });

  it('posts the digest when the clock passes Monday 09:00, once; portfolio answers only the caller', async () => {
    const refused = await command(ana, 'digest subscribe');
    expect(refused.ephemeral[0].kind).toBe('error');
    const subscribed = await command(lee, 'digest subscribe weekly mon 09:00 Europe/Berlin');
    expect(subscribed.ephemeral[0].text).toContain(
      'Digest subscribed: every Monday at 09:00 (Europe/Berlin)',
    );

    const [monday] = nextFireTimes({ cron: '0 9 * * 1', tz: 'Europe/Berlin' }, harness.clock.now(), 1);
    await harness.clock.advance(monday.getTime() - harness.clock.now().getTime() + 60_000);
    const calls = await waitFor(
      async () => {
        const all = (await readCalls(redis, recordPrefix)).filter((call) => call.conversationId === CHANNEL);
        return all.length > 0 ? all : undefined;
      },
      20000,
      'the digest post',
    );
    expect(calls).toHaveLength(1);
    expect(calls[0].text).toMatch(/^ML readiness digest · week \d+ \(/);

    const portfolio = await command(ana, 'portfolio');
    expect(portfolio.ephemeral[0].kind).toBe('portfolio');
    expect(portfolio.ephemeral[0].blocks.some((block) => block.type === 'image' && block.pngBase64)).toBe(
      true,
    );

    expect((await command(lee, 'digest unsubscribe')).ephemeral[0].text).toContain('Digest unsubscribed');
    expect(await harness.app.redis.exists(`${harness.keyPrefix}:digest:sub:${CHANNEL}`)).toBe(0);

    // Every state change is an audit entry, in the same hash-chained trail as the reviews'.
    const trail = await new RedisAuditLog(harness.app.redis, harness.keyPrefix).listByProject('*');
    expect(trail.map((event) => [event.type, event.actor, event.data?.conversationId])).toEqual([
      ['refused', 'ana', undefined],
      ['digest-subscribed', 'lee', CHANNEL],
      ['digest-posted', 'bot', CHANNEL],
      ['digest-unsubscribed', 'lee', CHANNEL],
    ]);
    expect(trail[1].data).toMatchObject({ schedule: 'weekly mon 09:00', tz: 'Europe/Berlin' });
  }, 60000);
});
