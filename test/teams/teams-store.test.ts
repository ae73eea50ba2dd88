import { createCommandConnection } from '../../src/runtime/redis-connections';
import { TeamsStore, type StoredConversation } from '../../src/platforms/teams/teams-store';
import { TeamsPeople } from '../../src/platforms/teams/teams-people';
import { silentLogger } from '../../src/logging/logger';
import { testRedisUrl, uniquePrefix } from '../support/redis';

const redis = createCommandConnection({ url: testRedisUrl() }, 'teams-store-test');
const prefix = `{${uniquePrefix('teams-store')}}`;
const store = new TeamsStore(redis, prefix);
const channel: StoredConversation = {
  id: '19:c@thread.tacv2',
  serviceUrl: 'http://127.0.0.1:9/',
  tenantId: 'tenant-1',
  conversationType: 'channel',
  botId: '28:bot',
};

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

test('a busy conversation is written once a minute; a dropped one is written again at once', async () => {
  await store.touchConversation(channel, 1_000);
  await redis.del(`${prefix}:teams:conv:${channel.id}`);
  await store.touchConversation(channel, 2_000);
  expect(await store.conversation(channel.id)).toBeUndefined();
  await store.touchConversation(channel, 62_000);
  expect(await store.conversation(channel.id)).toEqual(channel);
  await store.dropConversation(channel.id);
  await store.touchConversation(channel, 62_500);
  expect(await store.conversation(channel.id)).toEqual(channel);
  expect(await store.tenant()).toEqual({
    tenantId: 'tenant-1',
    serviceUrl: channel.serviceUrl,
    botId: '28:bot',
  });
});

test('personal conversations are found by user; profiles by e-mail, UPN and AAD object id', async () => {
  await store.saveConversation({ ...channel, id: 'a:1dm', conversationType: 'personal', userId: '29:1u' });
  expect((await store.personalConversationOf('29:1u'))?.id).toBe('a:1dm');
  await store.saveProfile({
    userId: '29:1u',
    name: 'U',
    email: 'U@Example.org',
    userPrincipalName: 'u@corp.example',
    aadObjectId: 'AAD-1',
  });
  expect(await store.userIdByEmail('u@example.org')).toBe('29:1u');
  expect(await store.userIdByEmail('U@corp.example')).toBe('29:1u');
  expect(await store.userIdsByAadObjectId(['aad-1', 'missing'])).toEqual(new Map([['aad-1', '29:1u']]));
  await store.dropConversation('a:1dm');
  expect(await store.personalConversationOf('29:1u')).toBeUndefined();
});

test('a card saved as it was read in the same turn is not written again; a changed one is', async () => {
  const message = { kind: 'vote', text: 'R07.2: 3 -> 4', blocks: [] } as never;
  const key = `${prefix}:teams:card:msg-9`;
  await store.saveCard('msg-9', { conversationId: 'teams:c', message });
  const read = await store.card('msg-9');
  expect(read).toEqual({ conversationId: 'teams:c', message });
  // Shared with every turn that reads the same version, so nobody may change it.
  expect(Object.isFrozen(read!.message)).toBe(true);
  expect(await store.card('msg-9')).toBe(read);

  await redis.expire(key, 100); // a write would set the 90-day expiry again
  await store.saveCard('msg-9', { conversationId: 'teams:c', message: { ...read!.message } }, read);
  expect(await redis.ttl(key)).toBeLessThanOrEqual(100);

  const changed = { ...read!.message, text: 'R07.2: 3 -> 4 (closed)' };
  await store.saveCard('msg-9', { conversationId: 'teams:c', message: changed }, read);
  expect(await redis.ttl(key)).toBeGreaterThan(100);
  expect((await store.card('msg-9'))?.message).toEqual(changed);

  // Without this turn's read, a save always writes (another process may have changed the card).
  await redis.expire(key, 100);
  await store.saveCard('msg-9', { conversationId: 'teams:c', message: changed });
  expect(await redis.ttl(key)).toBeGreaterThan(100);
});

test('the people answers version moves with every profile or miss written, and with the minute', async () => {
  const people = new TeamsPeople(store, {} as never, silentLogger);
  const now = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-03T10:00:05Z'));
  try {
    const first = await people.answersVersion();
    expect(await people.answersVersion()).toBe(first);
    await store.saveProfile({ userId: '29:1new', name: 'New Person', email: 'new@example.org' });
    const saved = await people.answersVersion();
    expect(saved).not.toBe(first);
    await store.rememberMiss('nobody@example.org');
    const missed = await people.answersVersion();
    expect(missed).not.toBe(saved);
    // Cached answers expire without a write: the next minute is another version.
    now.mockReturnValue(Date.parse('2026-12-03T10:01:00Z'));
    expect(await people.answersVersion()).not.toBe(missed);
  } finally {
    now.mockRestore();
  }
});

test('a card a delivery update sent is kept only while no newer update of the message was queued', async () => {
  const seqKey = `${prefix}:deliv:seq:review-r1-vote`;
  const card = (text: string) => ({
    conversationId: 'teams:c',
    message: { kind: 'vote' as const, text, blocks: [{ type: 'text' as const, text }] },
  });
  await redis.set(seqKey, '2');
  // Update 2 is the newest queued: kept. Update 1, sent late, does not replace what a click saved since.
  await store.saveCardInOrder('m-order', card('tally 2'), { seqKey, seq: 2 });
  expect((await store.card('m-order'))?.message.text).toBe('tally 2');
  await store.saveCard('m-order', card('tally 3 (the click)'));
  await store.saveCardInOrder('m-order', card('tally 1'), { seqKey, seq: 1 });
  expect((await store.card('m-order'))?.message.text).toBe('tally 3 (the click)');
});
