import type { Actor } from '../../src/core/events';
import { digestPeriod } from '../../src/core/digest';
import type { Review } from '../../src/core/engine/store-ports';
import { digestSchedulerId } from '../../src/digest/digest-queue';
import { nextFireTimes } from '../../src/digest/schedule';
import { defaultTranslator } from '../../src/i18n/translator';
import { createRedisStores } from '../../src/storage/redis';
import { readCalls, RecordingChatPort, waitFor } from '../jobs/support/recording-chat-port';
import { queueDrained } from '../support/queue-drained';
import { createDigestRig, type DigestRig } from './support/digest-rig';

/** Subscriptions, schedulers and exactly-once posting on a real Redis and real BullMQ workers. */
const CHANNEL = 'playground:ml-reviews';
const admin: Actor = { platform: 'playground', userId: 'lee', tz: 'Europe/Berlin' };
const t = defaultTranslator();
const review = (id: string, projectId: string, openedAt: string): Review => ({
  id,
  projectId,
  flowName: 'mltrl',
  gate: { from: 3, to: 4 },
  phase: 'gaps',
  requestedBy: { key: 'ana', platform: 'playground', userId: 'ana' },
  conversationId: CHANNEL,
  openedAt,
  cardFile: `${projectId}.md`,
  cardRevision: 'a1b2c3d4e5f6',
  nudges: { target: 'owners', round: 0, escalated: false },
});

describe('digest subscriptions and scheduled posts', () => {
  let rig: DigestRig;
  beforeEach(() => {
    rig = createDigestRig();
    rig.clock.set(new Date('2026-11-26T10:00:00Z'));
  });
  afterEach(() => rig.close());

  const delayedDigests = async () => rig.queue.getJobs(['delayed', 'wait', 'active']);

  it('subscribes with the default schedule; starting again and resubscribing never duplicate the scheduler', async () => {
    const reply = await rig.service.subscribe({ conversationId: CHANNEL, by: admin });
    expect(reply.kind).toBe('notice');
    expect(reply.text).toContain('every Monday at 09:00 (Europe/Berlin)');
    const scheduler = await rig.queue.getJobScheduler(digestSchedulerId(CHANNEL));
    expect(scheduler).toMatchObject({ pattern: '0 9 * * 1', tz: 'Europe/Berlin' });
    await rig.service.start();
    await rig.service.start();
    await rig.service.subscribe({ conversationId: CHANNEL, by: admin });
    expect(await rig.queue.getJobSchedulersCount()).toBe(1);
    const jobs = await delayedDigests();
    expect(jobs).toHaveLength(1);
    expect(jobs[0].opts.delay).toBeGreaterThan(0);
  });

  it('a bad schedule or time zone answers what is wrong and changes nothing', async () => {
    const cases: Array<[string | undefined, string | undefined, string]> = [
      ['weekly mon 25:00', undefined, '"25:00" is not a time like 09:00'],
      ['weekly someday 09:00', undefined, '"someday" is not a weekday'],
      ['* * * * *', undefined, 'at most once an hour'],
      ['0 9 * *', undefined, 'a cron needs 5 fields'],
      ['0 9 * * 1', 'Mars/Olympus', 'Unknown time zone "Mars/Olympus"'],
    ];
    for (const [schedule, tz, expected] of cases) {
      const reply = await rig.service.subscribe({ conversationId: CHANNEL, schedule, tz, by: admin });
      expect(reply.kind).toBe('error');
      expect(reply.text).toContain(expected);
    }
    expect(await rig.queue.getJobSchedulersCount()).toBe(0);
    expect(await rig.service.subscriptions.list()).toEqual([]);
  });

  it('two workers and a duplicate run of the same fire post the digest once', async () => {
    const port = new RecordingChatPort(rig.delivery.redis, rig.delivery.prefix);
    rig.delivery.startWorker([port]);
    await rig.service.subscribe({ conversationId: CHANNEL, schedule: 'weekly mon 09:00', by: admin });
    rig.startWorker();
    rig.startWorker();
    const [job] = await delayedDigests();
    // The controlled clock: Monday 09:00 has come, the scheduler's job is due.
    await job.promote();
    await waitFor(
      async () => (await readCalls(rig.delivery.redis, rig.delivery.prefix)).length > 0,
      15000,
      'a post',
    );
    // A duplicate execution of the same fire (a retry after a lost acknowledgement).
    await rig.service.runScheduled(
      CHANNEL,
      new Date(job.opts.prevMillis ?? Number(job.id!.split(':').pop())),
    );
    // The fired job is finished once the scheduler's next fire is the only digest job left (none waiting
    // or running); what it and the duplicate handed to delivery has run once the delivery queue is empty.
    const next = await waitFor(async () => {
      const jobs = await delayedDigests();
      return jobs.length === 1 && jobs[0].id !== job.id ? jobs : undefined;
    });
    await queueDrained(rig.delivery.queue.queue, 'the delivery queue');
    const calls = await readCalls(rig.delivery.redis, rig.delivery.prefix);
    expect(calls).toHaveLength(1);
    const fireAt = new Date(job.opts.prevMillis!);
    const period = digestPeriod(fireAt, 'Europe/Berlin', 'week', t);
    expect(calls[0]).toMatchObject({
      op: 'post',
      conversationId: CHANNEL,
      key: `digest-${CHANNEL}-${period.id}`,
    });
    expect(calls[0].text.startsWith(`ML readiness digest · ${period.label}`)).toBe(true);
    // The scheduler already planned the next Monday 09:00.
    const [expected] = nextFireTimes({ cron: '0 9 * * 1', tz: 'Europe/Berlin' }, fireAt, 1);
    expect(new Date(next[0].opts.prevMillis!)).toEqual(expected);
  });

  it('a controllable clock (playground) starts the digests it has passed, and only those', async () => {
    const port = new RecordingChatPort(rig.delivery.redis, rig.delivery.prefix);
    rig.delivery.startWorker([port]);
    rig.startWorker();
    await rig.service.subscribe({ conversationId: CHANNEL, by: admin });
    const [job] = await delayedDigests();
    const fireAt = job.opts.prevMillis!;
    rig.clock.set(new Date(fireAt - 60_000));
    expect(await rig.service.promoteDue()).toEqual([]);
    rig.clock.set(new Date(fireAt + 60_000));
    const promoted = await rig.service.promoteDue();
    expect(promoted).toEqual([job.id]);
    expect(await rig.service.waitUntilSettled(promoted)).toBe(true);
    await waitFor(
      async () => (await readCalls(rig.delivery.redis, rig.delivery.prefix)).length === 1,
      15000,
      'the post',
    );
  });

  it('unsubscribe removes the scheduler and its pending job; a late job posts nothing', async () => {
    await rig.service.subscribe({ conversationId: CHANNEL, by: admin });
    const reply = await rig.service.unsubscribe(CHANNEL, admin);
    expect(reply.text).toBe('Digest unsubscribed: this channel gets no more digests.');
    expect(await rig.queue.getJobSchedulersCount()).toBe(0);
    expect(await delayedDigests()).toHaveLength(0);
    expect(await rig.service.runScheduled(CHANNEL, new Date('2026-11-30T08:00:00Z'))).toBe('unsubscribed');
    expect((await rig.service.unsubscribe(CHANNEL, admin)).text).toBe(
      'This channel has no digest subscription.',
    );
    await rig.service.start();
    expect(await rig.queue.getJobSchedulersCount()).toBe(0);
  });

  it('"what changed" starts where the previous period ended, also when a period is retried', async () => {
    await rig.service.subscribe({ conversationId: CHANNEL, by: admin });
    const first = new Date('2026-11-30T08:00:00Z');
    const second = new Date('2026-12-07T08:00:00Z');
    expect(await rig.service.runScheduled(CHANNEL, first)).toBe('posted');
    // A review opened in the following week shows up in the next digest only.
    const stores = createRedisStores(rig.delivery.redis, rig.delivery.prefix);
    await stores.reviews.create(review('rev-1', 'R07.2', '2026-12-02T10:00:00Z'));
    await stores.audit.append({
      at: '2026-12-02T10:00:00Z',
      actor: 'ana',
      type: 'review-started',
      projectId: 'R07.2',
      reviewId: 'rev-1',
    });
    expect(await rig.service.subscriptions.lastDigest(CHANNEL)).toEqual({
      periodId: '2026-W48',
      at: first.toISOString(),
      since: new Date(first.getTime() - 7 * 86_400_000).toISOString(),
    });
    const port = new RecordingChatPort(rig.delivery.redis, rig.delivery.prefix);
    rig.delivery.startWorker([port]);
    await rig.service.runScheduled(CHANNEL, second);
    await rig.service.runScheduled(CHANNEL, second);
    await queueDrained(rig.delivery.queue.queue, 'the delivery queue');
    const calls = await readCalls(rig.delivery.redis, rig.delivery.prefix);
    expect(calls).toHaveLength(2);
    expect(calls[0].text).toMatch(/week 48 \(23-29 Nov\): no changes; 0 gates waiting/);
    expect(calls[1].text).toMatch(
      /^ML readiness digest · week 49 \(30 Nov-6 Dec\): 1 change, 1 gate waiting, 3 projects/,
    );
    expect(await rig.service.subscriptions.lastDigest(CHANNEL)).toEqual({
      periodId: '2026-W49',
      at: second.toISOString(),
      since: first.toISOString(),
    });
  });

  it('`digest now` posts the current period once; the scheduled digest of that period stays silent', async () => {
    await rig.service.subscribe({ conversationId: CHANNEL, schedule: 'weekly fri 17:00', by: admin });
    const port = new RecordingChatPort(rig.delivery.redis, rig.delivery.prefix);
    rig.delivery.startWorker([port]);
    rig.clock.set(new Date('2026-11-26T16:00:00Z')); // Thursday: the seven days before are mostly week 48
    await rig.service.postNow(CHANNEL, admin);
    // Friday 17:00 of the same week: its period (week 48) was posted by `digest now`.
    expect(await rig.service.runScheduled(CHANNEL, new Date('2026-11-27T16:00:00Z'))).toBe('already-posted');
    // A fire older than the last digest (a stale job) never posts back in time.
    expect(await rig.service.runScheduled(CHANNEL, new Date('2026-11-20T16:00:00Z'))).toBe('already-posted');
    expect(await rig.service.runScheduled(CHANNEL, new Date('2026-12-04T16:00:00Z'))).toBe('posted');
    await queueDrained(rig.delivery.queue.queue, 'the delivery queue');
    const calls = await readCalls(rig.delivery.redis, rig.delivery.prefix);
    expect(calls.map((call) => call.key)).toEqual([
      `digest-${CHANNEL}-2026-W48`,
      `digest-${CHANNEL}-2026-W49`,
    ]);
    expect(calls[0].text).toMatch(/week 48 \(23-29 Nov\)/);
  });

  it('fire times come from the bot clock: a clock ahead of the host plans the next digest on its own time', async () => {
    rig.clock.set(new Date(Date.now() + 30 * 86_400_000)); // the playground's clock, a month ahead
    const reply = await rig.service.subscribe({ conversationId: CHANNEL, by: admin });
    const [job] = await delayedDigests();
    const [expected] = nextFireTimes({ cron: '0 9 * * 1', tz: 'Europe/Berlin' }, rig.clock.now(), 1);
    expect(new Date(job.opts.prevMillis!)).toEqual(expected);
    expect(await rig.service.promoteDue()).toEqual([]);
    const day = new Intl.DateTimeFormat('en', { day: 'numeric', timeZone: 'Europe/Berlin' }).format(expected);
    expect(reply.text).toMatch(new RegExp(`Next: Mon ${day} \\w{3}, 09:00 `));
  });
});
