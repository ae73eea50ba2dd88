import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { buildApp, type App } from '../../src/app/build-app';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/logging/logger';
import { readCalls, RecordingChatPort, waitFor } from '../jobs/support/recording-chat-port';
import { testRedisUrl, uniquePrefix } from '../support/redis';

const REPO = resolve(__dirname, '..', '..');

/** `mltrl-bot web` and `mltrl-bot worker` apart: one Redis, one prefix, different processes' roles. */
describe('web and worker roles apart', () => {
  const prefix = uniquePrefix('roles');
  const recorder = new Redis(testRedisUrl(), { protocol: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'mltrl-roles-'));
  const apps: App[] = [];
  const config = loadConfig({
    PORT: '0',
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    CARDS_DIR: join(REPO, 'cards'),
    FLOWS_DIR: join(REPO, 'flows'),
    PEOPLE_FILE: join(REPO, 'people.yaml'),
    DATA_DIR: join(dir, 'data'),
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    const keys = await recorder.keys(`*${prefix}*`);
    if (keys.length > 0) await recorder.del(...keys);
    recorder.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a web-only process queues, a worker-only process delivers; the web one serves metrics for both', async () => {
    const port = new RecordingChatPort(recorder, `{${prefix}}:recorder`);
    const web = await buildApp({
      config,
      roles: { web: true, worker: false },
      logger: silentLogger,
      chatPortOverrides: { playground: port },
    });
    apps.push(web);
    expect(web.http?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await web.delivery.send([
      {
        op: 'post',
        key: 'apart',
        conversationId: 'playground:ml-reviews',
        message: { kind: 'notice', text: 'apart', blocks: [] },
      },
    ]);
    await new Promise((done) => setTimeout(done, 500));
    expect(await web.delivery.queue.getWaitingCount()).toBe(1);

    const worker = await buildApp({
      config: { ...config, HEALTH_PORT: 0 },
      roles: { web: false, worker: true },
      logger: silentLogger,
      chatPortOverrides: { playground: port },
    });
    apps.push(worker);
    expect(worker.http).toBeUndefined();
    await waitFor(
      async () => (await readCalls(recorder, `{${prefix}}:recorder`)).length === 1,
      10000,
      'delivery by the worker',
    );
    const metrics = await waitFor(async () => {
      const text = await (await fetch(`${web.http!.url}/metrics`)).text();
      return text.includes('mltrl_delivered_total 1') && text;
    });
    expect(metrics).toContain('mltrl_queue_jobs{queue="delivery",state="waiting"} 0');

    // The worker has no web port, but its health port answers probes and shows its own histograms.
    const health = worker.health!;
    expect((await fetch(`${health.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${health.url}/readyz`)).json()).toMatchObject({ status: 'ready', failed: [] });
    const workerMetrics = await waitFor(async () => {
      const text = await (await fetch(`${health.url}/metrics`)).text();
      return text.includes('mltrl_job_run_seconds_count{queue="delivery",outcome="completed"} 1') && text;
    });
    expect(workerMetrics).toContain('mltrl_delivery_latency_seconds_count{platform="playground"} 1');
    expect(workerMetrics).toMatch(/^mltrl_job_wait_seconds_count\{queue="delivery"\} 1$/m);
  });
});
