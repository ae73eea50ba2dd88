import { PermanentDeliveryError, RateLimitedError } from '../../src/core/errors';
import type { DeliveryRequest } from '../../src/core/engine-api';
import { toJobId } from '../../src/jobs/job-ids';
import { queueDrained } from '../support/queue-drained';
import { recordingLogger } from '../support/recording-logger';
import { makeHarness } from '../engine/harness';
import { createDeliveryRig, type DeliveryRig } from './support/delivery-rig';
import { readCalls, RecordingChatPort, textMessage, waitFor } from './support/recording-chat-port';

describe('delivery queue', () => {
  let rig: DeliveryRig;
  beforeEach(() => {
    rig = createDeliveryRig();
  });
  afterEach(() => rig.close());

  const post = (key: string, conversationId = 'playground:general', extra: Partial<DeliveryRequest> = {}) =>
    ({ op: 'post', key, conversationId, message: textMessage(key), ...extra }) as DeliveryRequest;

  const settled = (key: string) =>
    waitFor(
      async () => {
        const entry = await rig.ledger.get(key);
        return entry && entry.state !== 'claimed' ? entry : undefined;
      },
      30000,
      `ledger entry for ${key}`,
    );
  // Nothing waiting, running or delayed: whatever was going to happen has happened.
  const drained = () => queueDrained(rig.queue.queue, 'the delivery queue');

  it('posts a request once even when it is sent twice, before and after delivery', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix);
    await rig.queue.send([post('greeting:1'), post('greeting:1')]);
    expect(await rig.queue.queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    rig.startWorker([port]);
    const entry = await settled('greeting:1');
    expect(entry).toMatchObject({ state: 'posted', platform: 'playground' });
    await rig.queue.send([post('greeting:1')]);
    await drained();
    const calls = await readCalls(rig.redis, rig.prefix);
    expect(calls.map((call) => call.key)).toEqual(['greeting:1']);
  });

  it('refuses a malformed request at once, adding nothing', async () => {
    await expect(rig.queue.send([post('')])).rejects.toThrow(/has no key/);
    await expect(rig.queue.send([post('ok'), post('odd', 'irc:#general')])).rejects.toThrow(
      /odd: conversation id without a known platform prefix/,
    );
    expect(await rig.queue.queue.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 0, delayed: 0 });
  });

  it('threads a reply under its parent, waiting until the parent is recorded', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix);
    rig.startWorker([port]);
    await rig.queue.send([
      post('reply', 'playground:general', { threadOf: 'parent' } as Partial<DeliveryRequest>),
    ]);
    // The reply was picked up and is waiting for its parent (delayed, with the time it began waiting).
    await waitFor(
      async () => {
        const job = await rig.queue.queue.getJob(toJobId('reply'));
        return job?.data.waitingSince !== undefined && (await job.getState()) === 'delayed';
      },
      15000,
      'the reply waiting for its parent',
    );
    expect(await readCalls(rig.redis, rig.prefix)).toEqual([]);
    await rig.queue.send([post('parent')]);
    await settled('reply');
    const [parent, reply] = await readCalls(rig.redis, rig.prefix);
    expect(parent.key).toBe('parent');
    expect(reply).toMatchObject({ key: 'reply', threadId: parent.messageId });
  });

  it('updates the message a key landed as, and skips updates a newer one replaced', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix);
    await rig.queue.send([post('vote')]);
    await rig.queue.send(
      [1, 2, 3].map((n) => ({
        op: 'update',
        key: `vote|u${n}`,
        of: 'vote',
        message: textMessage(`tally ${n}`),
      })),
    );
    rig.startWorker([port]);
    await Promise.all([settled('vote|u1'), settled('vote|u2'), settled('vote|u3')]);
    const calls = await readCalls(rig.redis, rig.prefix);
    const updates = calls.filter((call) => call.op === 'update');
    expect(updates.map((call) => call.text)).toEqual(['tally 3']);
    expect(updates[0].messageId).toBe(calls[0].messageId);
  });

  it('coalesces tally updates: sixty flipped votes reserve no slots, so the next message is not held up', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix, 'slack');
    rig.startWorker([port], { rateIntervalMs: { slack: 1000 }, concurrency: 10 });
    await rig.queue.send([post('vote', 'slack:T1:C1')]);
    await settled('vote');
    // Sixty flips, one click at a time: each is handled (sent, skipped, or waiting for the channel's
    // slot) before the next click, as when people flip votes over a quarter of a minute.
    const flips = Array.from({ length: 60 }, (_, index) => `vote|u${index + 1}`);
    for (const [index, key] of flips.entries()) {
      await rig.queue.send([{ op: 'update', key, of: 'vote', message: textMessage(`tally ${index + 1}`) }]);
      await waitFor(
        async () => ['delayed', 'completed'].includes(await rig.queue.queue.getJobState(toJobId(key))),
        15000,
        `flip ${key} handled`,
      );
    }
    await rig.queue.send([post('next', 'slack:T1:C1')]);
    const nextJob = (await rig.queue.queue.getJob(toJobId('next')))!;
    await Promise.all([...flips.map((key) => settled(key)), settled('next')]);
    const calls = await readCalls(rig.redis, rig.prefix);
    // The next message went out within the channel's next slot or one after it, not sixty behind.
    const nextCall = calls.find((call) => call.key === 'next')!;
    expect(nextCall.at - nextJob.timestamp).toBeLessThan(2 * 1000 + 500);
    const updates = calls.filter((call) => call.op === 'update');
    // At most one update per free slot went out (the flips took a few seconds), the newest one last.
    expect(updates.length).toBeLessThan(flips.length / 4);
    expect(updates.at(-1)?.text).toBe('tally 60');
  });

  it('keeps the order of one batch within a conversation, however the workers race', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix, 'playground', {
      before: () => new Promise((resolve) => setTimeout(resolve, Math.random() * 40)),
    });
    rig.startWorker([port], { concurrency: 10 });
    const keys = Array.from({ length: 12 }, (_, index) => `step-${index}`);
    await rig.queue.send([...keys.map((key) => post(key)), post('elsewhere', 'playground:other')]);
    await Promise.all(keys.map((key) => settled(key)));
    const calls = await readCalls(rig.redis, rig.prefix);
    const here = calls.filter((call) => call.conversationId === 'playground:general').map((call) => call.key);
    expect(here).toEqual(keys);
  });

  it('spaces messages in one conversation by the interval after each answer, shared across two workers', async () => {
    // A platform that takes 300 ms to answer each call: the next post may reach it only an interval
    // after that answer (spacing slots at send time let two posts reach Slack 165 ms apart under load).
    const answerMs = 300;
    const port = new RecordingChatPort(rig.redis, rig.prefix, 'slack', {
      beforeAnswer: () => new Promise((resolve) => setTimeout(resolve, answerMs)),
    });
    const intervals = { rateIntervalMs: { slack: 400 } };
    rig.startWorker([port], intervals);
    rig.startWorker([port], intervals);
    const keys = ['a', 'b', 'c', 'd', 'e'].map((key) => `busy-${key}`);
    // Separate sends, so nothing but the limiter holds them apart (no batch ordering).
    await Promise.all([...keys.map((key) => rig.queue.send([post(key, 'slack:T1:C1')]))]);
    await rig.queue.send([post('other', 'slack:T1:C2')]);
    await Promise.all([...keys.map((key) => settled(key)), settled('other')]);
    const calls = await readCalls(rig.redis, rig.prefix);
    const busy = calls.filter((call) => call.conversationId === 'slack:T1:C1').map((call) => call.at);
    expect(busy).toHaveLength(5);
    // Receive times at the platform: each post at least the answer time plus the interval after the one
    // before (the slot's tolerance aside). Unlimited, they would arrive together.
    for (let index = 1; index < busy.length; index++)
      expect(busy[index] - busy[index - 1]).toBeGreaterThanOrEqual(answerMs + 400 - 15);
    // The other channel did not wait behind the busy one.
    const other = calls.find((call) => call.key === 'other')!;
    expect(other.at).toBeLessThan(busy[1]);
  });

  it('reschedules after a platform rate limit, and loses nothing', async () => {
    let refusals = 0;
    const port = new RecordingChatPort(rig.redis, rig.prefix, 'playground', {
      before: (call) => {
        if (call.key === 'limited' && refusals === 0) {
          refusals += 1;
          throw new RateLimitedError(800);
        }
      },
    });
    const logger = recordingLogger();
    rig.startWorker([port], { logger });
    await rig.queue.send([post('limited'), post('fine', 'playground:other')]);
    await Promise.all([settled('limited'), settled('fine')]);
    const calls = await readCalls(rig.redis, rig.prefix);
    expect(calls.map((call) => call.key).sort()).toEqual(['fine', 'limited']);
    // The job was put back for the platform's Retry-After, not retried at once.
    expect(logger.with('platform rate limit: delivery delayed').map((line) => line.fields)).toEqual([
      { key: 'limited', retryAfterMs: 800 },
    ]);
    expect((await rig.counters.read()).delivery_rate_limited).toBe(1);
  });

  it('retries transient failures with back-off and posts once', async () => {
    let failures = 0;
    const port = new RecordingChatPort(rig.redis, rig.prefix, 'playground', {
      before: () => {
        if (failures < 2) {
          failures += 1;
          throw new Error('socket hang up');
        }
      },
    });
    rig.startWorker([port]);
    await rig.queue.send([post('flaky')]);
    await settled('flaky');
    expect((await readCalls(rig.redis, rig.prefix)).map((call) => call.key)).toEqual(['flaky']);
    expect((await rig.counters.read()).delivery_retried).toBe(2);
  });

  it('does not retry a permanent failure, and tells the requester only', async () => {
    let attempts = 0;
    const port = new RecordingChatPort(rig.redis, rig.prefix, 'playground', {
      before: (call) => {
        if (call.conversationId === 'playground:secret') {
          attempts += 1;
          throw new PermanentDeliveryError('not_in_channel');
        }
      },
    });
    // The worker reports the failure to the real engine, which audits it (under '*': no review key).
    const engine = makeHarness();
    rig.startWorker([port], { onFailed: (failure) => engine.engine.deliveryFailed!(failure) });
    await rig.queue.send([
      post('hidden', 'playground:secret', {
        notify: { platform: 'playground', userId: 'ana', conversationId: 'playground:general' },
      } as Partial<DeliveryRequest>),
    ]);
    expect(await settled('hidden')).toEqual({ state: 'failed', reason: 'not_in_channel' });
    await settled('hidden|failure-notice');
    const calls = await readCalls(rig.redis, rig.prefix);
    expect(attempts).toBe(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ op: 'ephemeral', conversationId: 'playground:general', userId: 'ana' });
    expect(calls[0].text).toMatch(/not a member of that channel/);
    expect(await rig.queue.queue.getJobState('hidden')).toBe('failed');
    const audited = await waitFor(
      async () => {
        const trail = await engine.stores.audit.listByProject('*');
        return trail.length > 0 ? trail : undefined;
      },
      10000,
      'the delivery-failed audit entry',
    );
    expect(audited.map((event) => [event.type, event.actor, event.data])).toEqual([
      [
        'delivery-failed',
        'bot',
        { key: 'hidden', op: 'post', reason: 'not_in_channel', conversationId: 'playground:secret' },
      ],
    ]);
  });

  it('without a conversation to notify in, the requester gets a DM', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix, 'playground', {
      before: (call) => {
        if (call.userId === 'ghost') throw new PermanentDeliveryError('user_not_found');
      },
    });
    rig.startWorker([port]);
    await rig.queue.send([
      {
        op: 'dm',
        key: 'nudge-ghost',
        platform: 'playground',
        userId: 'ghost',
        message: textMessage('please fill in the card'),
        notify: { platform: 'playground', userId: 'lead' },
      },
    ]);
    await settled('nudge-ghost|failure-notice');
    const calls = await readCalls(rig.redis, rig.prefix);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ op: 'dm', userId: 'lead' });
    expect(calls[0].text).toContain('<@ghost>');
  });

  it('after a worker died holding a claim: asks the platform, and does not post twice', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix);
    // The platform has the message, but the dead attempt never recorded it.
    await port.post('playground:general', textMessage('landed'), undefined, { idempotencyKey: 'landed' });
    await rig.ledger.claim('landed', 'dead-attempt', Date.now() - 5000);
    // This one never reached the platform.
    await rig.ledger.claim('lost', 'dead-attempt', Date.now() - 5000);
    rig.startWorker([port]);
    await rig.queue.send([post('landed'), post('lost')]);
    expect(await settled('landed')).toMatchObject({ state: 'posted', message: { messageId: 'm1' } });
    expect(await settled('lost')).toMatchObject({ state: 'posted', message: { messageId: 'm2' } });
    expect((await readCalls(rig.redis, rig.prefix)).map((call) => call.key)).toEqual(['landed', 'lost']);
    expect((await rig.counters.read()).delivery_recovered).toBe(1);
  });

  it('a platform that cannot look messages up gets no second post after a dead claim (uncertain)', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix, 'playground', { lookup: false });
    await rig.ledger.claim('maybe', 'dead-attempt', Date.now() - 5000);
    rig.startWorker([port]);
    await rig.queue.send([post('maybe')]);
    expect(await settled('maybe')).toEqual({ state: 'uncertain' });
    expect(await readCalls(rig.redis, rig.prefix)).toEqual([]);
    expect((await rig.counters.read()).delivery_uncertain).toBe(1);
  });

  it('waits while a fresh claim may still be posting, then settles it', async () => {
    const port = new RecordingChatPort(rig.redis, rig.prefix);
    await rig.ledger.claim('busy', 'live-attempt', Date.now());
    // Long enough that the job is seen waiting even on a loaded machine.
    rig.startWorker([port], { claimTimeoutMs: 6000 });
    await rig.queue.send([post('busy')]);
    // The job saw the fresh claim and put itself back until that attempt's deadline has passed.
    await waitFor(
      async () => (await rig.queue.queue.getJobState(toJobId('busy'))) === 'delayed',
      15000,
      'the job waiting for the live claim',
    );
    expect(await rig.ledger.get('busy')).toMatchObject({ state: 'claimed', by: 'live-attempt' });
    expect(await settled('busy')).toMatchObject({ state: 'posted' });
    expect(await readCalls(rig.redis, rig.prefix)).toHaveLength(1);
  });
});
