import Redis from 'ioredis';
import type { EngineStores } from '../../src/core/engine/store-ports';
import type { ActionEvent } from '../../src/core/events';
import { encodeAction } from '../../src/core/render';
import { createMemoryStores } from '../../src/storage/memory/memory-stores';
import { createRedisStores } from '../../src/storage/redis';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { CHANNEL, click, command, completeRetina, makeHarness, person, type Harness } from './harness';

/**
 * Button actions are idempotent by (message, actor, action, value, card revision): a second identical
 * click is answered without acting twice, on one process or on two sharing Redis; a deliberate change
 * of mind and a refused click are not mistaken for repeats.
 */
const redis = new Redis(testRedisUrl());
const prefixes: string[] = [];
afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
});
const redisStores = (prefix = `{${uniquePrefix('clicks')}}`) => {
  prefixes.push(prefix);
  return createRedisStores(redis, prefix);
};

const kinds: Array<[string, () => EngineStores]> = [
  ['memory', () => createMemoryStores()],
  ['redis', () => redisStores()],
];

const notMine = (h: Harness, who: string, reviewId: string, messageId = 'm-nudge-1') =>
  h.engine.handle({
    type: 'action',
    actor: person(who),
    conversationId: CHANNEL,
    messageId,
    actionId: 'not-my-project',
    value: encodeAction({ kind: 'not-mine', reviewId }),
  } satisfies ActionEvent);

describe.each(kinds)('button idempotency (%s stores)', (_kind, stores) => {
  it('a second identical "Not my project" click is answered without telling the lead twice', async () => {
    const h = makeHarness({ stores: stores() });
    await command(h, 'sam', 'review R07.2');
    const review = (await h.stores.reviews.openForProject('R07.2'))!;
    expect((await notMine(h, 'ana', review.id)).ephemeral[0].text).toContain('review lead');
    const again = await notMine(h, 'ana', review.id);
    expect(again.ephemeral.map((m) => m.text)).toEqual([
      'That click was already handled; nothing was done twice.',
    ]);
    const trail = await h.stores.audit.listByProject('R07.2');
    expect(trail.filter((event) => event.type === 'not-mine')).toHaveLength(1);
    // Another person's click, or the same person's on another message, is a click of its own.
    await notMine(h, 'sam', review.id);
    await notMine(h, 'ana', review.id, 'm-nudge-2');
    const after = await h.stores.audit.listByProject('R07.2');
    expect(after.filter((event) => event.type === 'not-mine')).toHaveLength(3);
  });

  it('a repeated vote is recorded once and answered with the vote as it stands', async () => {
    const h = makeHarness({ stores: stores() });
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2');
    await click(h, 'priya', 'vote-approve');
    expect((await click(h, 'priya', 'vote-approve')).ephemeral[0].text).toContain(
      'already recorded: approved',
    );
    const trail = (await h.stores.audit.listByProject('R07.2')).map((event) => event.type);
    expect(trail.filter((type) => type === 'voted' || type === 'vote-changed')).toEqual(['voted']);
  });

  it('a change of mind is not a repeat: approve, abstain, approve counts the last', async () => {
    const h = makeHarness({ stores: stores() });
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2');
    await click(h, 'priya', 'vote-approve');
    await click(h, 'priya', 'vote-abstain');
    const back = await click(h, 'priya', 'vote-approve');
    expect(back.ephemeral[0].text).toContain('changed to: approved');
    const trail = (await h.stores.audit.listByProject('R07.2')).map((event) => event.type);
    expect(trail.filter((type) => type === 'voted' || type === 'vote-changed')).toEqual([
      'voted',
      'vote-changed',
      'vote-changed',
    ]);
  });

  it('a refused click is answered with its reason every time', async () => {
    const h = makeHarness({ stores: stores() });
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2');
    for (let i = 0; i < 2; i++)
      expect((await click(h, 'lee', 'vote-approve')).ephemeral[0].text).toContain('Only the reviewers named');
  });
});

it('two processes sharing Redis act on an identical click once', async () => {
  const prefix = `{${uniquePrefix('clicks')}}`;
  const first = makeHarness({ stores: redisStores(prefix) });
  const second = makeHarness({ stores: redisStores(prefix) });
  await command(first, 'sam', 'review R07.2');
  const review = (await first.stores.reviews.openForProject('R07.2'))!;
  const [a, b] = await Promise.all([notMine(first, 'ana', review.id), notMine(second, 'ana', review.id)]);
  const texts = [a, b].map((reply) => reply.ephemeral[0].text);
  expect(
    texts.filter((text) => text === 'That click was already handled; nothing was done twice.'),
  ).toHaveLength(1);
  const trail = await first.stores.audit.listByProject('R07.2');
  expect(trail.filter((event) => event.type === 'not-mine')).toHaveLength(1);
});
