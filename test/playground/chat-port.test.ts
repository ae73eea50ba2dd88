import Redis from 'ioredis';
import { PermanentDeliveryError } from '../../src/core/errors';
import type { OutboundMessage } from '../../src/core/messages';
import { PlaygroundChatPort } from '../../src/platforms/playground/playground-chat-port';
import { WorkspaceStore, type WorkspaceChange } from '../../src/platforms/playground/workspace-store';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { deleteKeys, people } from './playground-fixture';

const note = (text: string): OutboundMessage => ({ kind: 'notice', text, blocks: [{ type: 'text', text }] });

let redis: Redis;
let subscriber: Redis;
let keyPrefix: string;
let store: WorkspaceStore;
let chat: PlaygroundChatPort;
let changes: WorkspaceChange[];

beforeEach(async () => {
  redis = new Redis(testRedisUrl());
  subscriber = new Redis(testRedisUrl());
  keyPrefix = `{${uniquePrefix('pgchat')}}`;
  store = new WorkspaceStore(redis, keyPrefix, { now: () => new Date('2026-11-24T08:00:00Z') });
  chat = new PlaygroundChatPort(store, people);
  changes = [];
  subscriber.on('message', (_channel, payload) => changes.push(JSON.parse(payload)));
  await subscriber.subscribe(store.changesChannel);
});
afterEach(async () => {
  subscriber.disconnect();
  await deleteKeys(redis, keyPrefix);
  redis.disconnect();
});

async function settle(count: number) {
  for (let i = 0; i < 50 && changes.length < count; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
}

test('post, reply in a thread (also via a reply), update, DM and ephemeral land where a person would look', async () => {
  const parent = await chat.post('playground:ml-reviews', note('parent'));
  const reply = await chat.post('playground:ml-reviews', note('reply'), parent.messageId);
  await chat.post('playground:ml-reviews', note('reply to reply'), reply.messageId);
  await chat.update(parent, note('parent v2'));
  const dm = await chat.directMessage('ana', note('nudge'));
  await chat.ephemeral('playground:ml-reviews', 'priya', note('just priya'));

  expect(dm.conversationId).toBe('playground:dm-ana');
  const asAna = await store.view('playground:ml-reviews', 'ana');
  expect(asAna.map((m) => m.message.text)).toEqual(['parent v2']);
  expect(asAna[0].version).toBe(2);
  expect(asAna[0].replies.map((m) => m.message.text)).toEqual(['reply', 'reply to reply']);
  expect((await store.view('playground:ml-reviews', 'priya')).map((m) => m.message.text)).toEqual([
    'parent v2',
    'just priya',
  ]);
  expect((await store.view('playground:dm-ana', 'ana')).map((m) => m.message.text)).toEqual(['nudge']);
  expect((await store.versions(parent.messageId)).map((v) => v.message.text)).toEqual([
    'parent',
    'parent v2',
  ]);

  await settle(6);
  expect(changes).toHaveLength(6);
  expect(changes[5]).toEqual({
    type: 'message',
    conversationId: 'playground:ml-reviews',
    messageId: expect.any(String),
    visibleTo: 'priya',
  });
});

test('unknown targets fail permanently, so the delivery queue does not retry them', async () => {
  const posted = await chat.post('playground:ml-reviews', note('x'));
  const failures = [
    chat.post('playground:random', note('x')),
    chat.post('slack:T1:C1', note('x')),
    chat.post('playground:ml-reviews', note('x'), 'pm-999'),
    chat.post('playground:ml-leads', note('x'), posted.messageId),
    chat.update({ conversationId: 'playground:ml-reviews', messageId: 'pm-999' }, note('x')),
    chat.update({ conversationId: 'playground:ml-leads', messageId: posted.messageId }, note('x')),
    chat.directMessage('nobody', note('x')),
    chat.ephemeral('playground:ml-reviews', 'nobody', note('x')),
    chat.ephemeral('playground:dm-ana', 'max', note('x')),
  ];
  for (const failure of failures) await expect(failure).rejects.toBeInstanceOf(PermanentDeliveryError);
  expect((await store.view('playground:ml-reviews', 'ana')).map((m) => m.message.text)).toEqual(['x']);
});

test('concurrent updates keep every version', async () => {
  const posted = await chat.post('playground:ml-reviews', note('v1'));
  await Promise.all(Array.from({ length: 10 }, (_, i) => chat.update(posted, note(`u${i}`))));
  expect(await store.versions(posted.messageId)).toHaveLength(11);
  expect((await store.get(posted.messageId))!.version).toBe(11);
});

test('a post or DM repeated with the same idempotency key is not posted twice, and can be found', async () => {
  const first = await chat.post('playground:ml-reviews', note('once'), undefined, { idempotencyKey: 'k1' });
  const again = await chat.post('playground:ml-reviews', note('once'), undefined, { idempotencyKey: 'k1' });
  const dm = await chat.directMessage('ana', note('nudge'), { idempotencyKey: 'k2' });
  const dmAgain = await chat.directMessage('ana', note('nudge'), { idempotencyKey: 'k2' });
  expect(again).toEqual(first);
  expect(dmAgain).toEqual(dm);
  expect(await store.view('playground:ml-reviews', 'ana')).toHaveLength(1);
  expect(await store.view('playground:dm-ana', 'ana')).toHaveLength(1);
  expect(await chat.findPosted('k1')).toEqual(first);
  expect(await chat.findPosted('unknown')).toBeUndefined();
});

test('a late reminder is stamped with its due time, never a time still to come', async () => {
  const late = { ...note('Reminder 1 of 3'), dueAt: '2026-11-23T09:30:00.000Z' };
  const early = { ...note('clock behind'), dueAt: '2026-11-25T09:30:00.000Z' };
  await chat.directMessage('ana', late);
  await chat.directMessage('ana', early);
  const stamps = (await store.view('playground:dm-ana', 'ana')).map((m) => [m.message.text, m.postedAt]);
  expect(stamps).toEqual([
    ['Reminder 1 of 3', '2026-11-23T09:30:00.000Z'],
    ['clock behind', '2026-11-24T08:00:00.000Z'],
  ]);
});
