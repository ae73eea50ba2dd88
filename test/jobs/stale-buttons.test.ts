import { PermanentDeliveryError } from '../../src/core/errors';
import type { DeliveryRequest } from '../../src/core/engine-api';
import type { OutboundMessage } from '../../src/core/messages';
import { createDeliveryRig, type DeliveryRig } from './support/delivery-rig';
import { readCalls, RecordingChatPort, textMessage, waitFor } from './support/recording-chat-port';

/** Buttons that would show an old state are turned off, or fixed once a click tells where they are. */
describe('stale buttons', () => {
  let rig: DeliveryRig;
  beforeEach(() => {
    rig = createDeliveryRig('stale');
  });
  afterEach(() => rig.close());

  const voteMessage = (tally: string): OutboundMessage => ({
    kind: 'vote',
    text: `Gate vote: ${tally}`,
    blocks: [
      { type: 'text', text: tally },
      {
        type: 'actions',
        actions: [
          { type: 'button', actionId: 'vote-approve', label: 'Approve', value: 'v1|RV1|approve' },
          { type: 'button', actionId: 'open-card', label: 'Open card', value: '', url: 'https://x.test/c' },
        ],
      },
    ],
    actionableBy: ['priya'],
  });
  const settled = (key: string) =>
    waitFor(
      async () => {
        const entry = await rig.ledger.get(key);
        return entry && entry.state !== 'claimed' ? entry : undefined;
      },
      20000,
      `ledger entry for ${key}`,
    );
  const update = (key: string, message: OutboundMessage, extra: Partial<DeliveryRequest> = {}) =>
    ({ op: 'update', key, of: 'vote', message, ...extra }) as DeliveryRequest;

  it('an update that fails for good turns the buttons off, with a line saying why', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix, 'playground', {
      before: (call) => {
        if (call.op === 'update' && call.text === 'Gate vote: 2 approvals')
          throw new PermanentDeliveryError('msg_too_long');
      },
    });
    rig.startWorker([port]);
    await rig.queue.send([
      { op: 'post', key: 'vote', conversationId: 'playground:g', message: voteMessage('0') },
    ]);
    await settled('vote');
    await rig.queue.send([update('vote|u2', voteMessage('2 approvals'))]);
    expect(await settled('vote|u2')).toEqual({ state: 'failed', reason: 'msg_too_long' });
    await settled('vote|u2|buttons-off');
    const updates = (await readCalls(rig.redis, rig.prefix)).filter((call) => call.op === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ messageId: 'm1', buttons: 0 });
    expect(updates[0].text).toMatch(/Buttons turned off: I could not bring this message up to date/);
    expect((await rig.counters.read()).delivery_buttons_off).toBe(1);
  });

  it('when turning them off fails too, it stops there (no loop)', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix, 'playground', {
      before: (call) => {
        if (call.op === 'update') throw new PermanentDeliveryError('message_not_found');
      },
    });
    rig.startWorker([port]);
    await rig.queue.send([
      { op: 'post', key: 'vote', conversationId: 'playground:g', message: voteMessage('0') },
    ]);
    await settled('vote');
    await rig.queue.send([update('vote|u1', voteMessage('1 approval'))]);
    await settled('vote|u1|buttons-off');
    expect((await rig.counters.read()).delivery_buttons_off).toBe(1);
    expect(await rig.queue.queue.getJobCounts('waiting', 'active', 'delayed')).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
    });
  });

  it('a vote whose post ended "uncertain" is found where someone clicks it, and gets the update it missed', async () => {
    // A platform that cannot look messages up, and an attempt that died while posting the vote.
    const port = new RecordingChatPort(rig.redis, rig.prefix, 'playground', { lookup: false });
    await rig.ledger.claim('vote', 'dead-attempt', Date.now() - 5000);
    rig.startWorker([port]);
    await rig.queue.send([
      { op: 'post', key: 'vote', conversationId: 'playground:g', message: voteMessage('0') },
    ]);
    expect(await settled('vote')).toEqual({ state: 'uncertain' });
    // The final tally cannot reach it: it is kept.
    await rig.queue.send([update('vote|final', voteMessage('closed: approved'))]);
    expect(await settled('vote|final')).toEqual({ state: 'failed', reason: 'parent_not_posted' });
    // Someone clicks the vote's (stale) button: the click says where the message is.
    const seenAs = { conversationId: 'playground:g', messageId: 'dead-attempt-post' };
    await rig.queue.send([
      update('vote|seen', textMessage('This review closed.'), { seenAs, onlyIfLost: true }),
    ]);
    await settled('vote|seen');
    const calls = await readCalls(rig.redis, rig.prefix);
    expect(calls).toEqual([
      expect.objectContaining({
        op: 'update',
        messageId: 'dead-attempt-post',
        text: 'Gate vote: closed: approved',
      }),
    ]);
    expect(await rig.ledger.get('vote')).toEqual({
      state: 'posted',
      message: seenAs,
      platform: 'playground',
    });
    expect((await rig.counters.read()).delivery_found_later).toBe(1);
  });

  it('a click on a vote the ledger knows changes nothing (the fix is only for a lost one)', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix);
    rig.startWorker([port]);
    await rig.queue.send([
      { op: 'post', key: 'vote', conversationId: 'playground:g', message: voteMessage('0') },
    ]);
    await settled('vote');
    const seenAs = { conversationId: 'playground:g', messageId: 'm1' };
    await rig.queue.send([
      update('vote|final', voteMessage('closed')),
      update('vote|seen', textMessage('This review closed.'), { seenAs, onlyIfLost: true }),
    ]);
    await Promise.all([settled('vote|final'), settled('vote|seen')]);
    const updates = (await readCalls(rig.redis, rig.prefix)).filter((call) => call.op === 'update');
    // The final update is not superseded by the fix, and the fix itself sends nothing.
    expect(updates.map((call) => call.text)).toEqual(['Gate vote: closed']);
  });
});
