import Redis from 'ioredis';
import { readCalls, RecordingChatPort, waitFor } from '../jobs/support/recording-chat-port';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { queueDrained } from '../support/queue-drained';
import { testRedisUrl, uniquePrefix } from '../support/redis';

const recorder = new Redis(testRedisUrl(), { protocol: 2 });
const recorderPrefix = uniquePrefix('recorder');

describe('buildApp through the harness', () => {
  let harness: AppHarness;
  beforeAll(async () => {
    harness = await startAppHarness({
      chatPortOverrides: { playground: new RecordingChatPort(recorder, recorderPrefix) },
    });
  });
  afterAll(async () => {
    await harness.stop();
    await recorder.del(
      `${recorderPrefix}:chat:log`,
      `${recorderPrefix}:chat:seq`,
      `${recorderPrefix}:chat:by-key`,
    );
    recorder.disconnect();
  });

  it('serves /healthz when Redis answers', async () => {
    const response = await fetch(`${harness.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves Prometheus metrics with queue depths', async () => {
    const response = await fetch(`${harness.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('mltrl_queue_jobs{queue="delivery",state="waiting"} 0');
    expect(text).toContain('mltrl_queue_jobs{queue="engine",state="delayed"} 0');
  });

  it('serves the playground, and the clock moves forward for the whole app', async () => {
    expect(harness.app.platforms.map((platform) => platform.name)).toContain('playground');
    const before = harness.clock.now().getTime();
    await harness.clock.advance(3 * 3600_000);
    expect(harness.clock.now().getTime() - before).toBeGreaterThanOrEqual(3 * 3600_000);
  });

  it('runs the delivery worker: a post sent twice lands once', async () => {
    const request = {
      op: 'post' as const,
      key: 'harness:hello',
      conversationId: 'playground:general',
      message: { kind: 'notice' as const, text: 'hello from the harness', blocks: [] },
    };
    await harness.app.delivery.send([request]);
    await harness.app.delivery.send([request]);
    // Both sends are queued by now: once the queue is empty, each has been delivered or dropped.
    await queueDrained(harness.app.delivery.queue, 'the delivery queue');
    const calls = await readCalls(harness.app.redis, recorderPrefix);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      op: 'post',
      key: 'harness:hello',
      conversationId: 'playground:general',
    });
  });
});

describe('buildApp with the real playground platform', () => {
  let harness: AppHarness;
  beforeAll(async () => {
    harness = await startAppHarness();
  });
  afterAll(() => harness.stop());

  it('loads the people directory and delivers a post into a playground channel', async () => {
    expect(harness.app.people.people.map((person) => person.id)).toContain('ana');
    await harness.app.delivery.send([
      {
        op: 'post',
        key: 'harness:channel-hello',
        conversationId: 'playground:ml-reviews',
        message: {
          kind: 'notice',
          text: 'hello, reviewers',
          blocks: [{ type: 'text', text: 'hello, reviewers' }],
        },
      },
    ]);
    const text = await waitFor(async () => {
      const response = await fetch(
        `${harness.baseUrl}/playground/api/conversations/${encodeURIComponent('playground:ml-reviews')}/messages?as=ana`,
      );
      const body = await response.text();
      return response.ok && body.includes('hello, reviewers') && body;
    });
    expect(text.split('hello, reviewers').length).toBeGreaterThan(1);
  });
});
