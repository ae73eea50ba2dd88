import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Actor } from '../../src/core/events';
import { queueDrained } from '../support/queue-drained';
import { testRedisUrl } from '../support/redis';
import { readCalls, RecordingChatPort, waitFor } from '../jobs/support/recording-chat-port';
import { createDigestRig, type DigestRig } from './support/digest-rig';

/** A worker process killed in the middle of a digest, then another worker: the channel gets one post. */
const CHANNEL = 'playground:ml-reviews';
const admin: Actor = { platform: 'playground', userId: 'lee' };
const ROOT = join(__dirname, '..', '..');

function startWorkerProcess(
  prefix: string,
  crashAt: string,
): { child: ChildProcess; ready: Promise<void>; exited: Promise<unknown> } {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'run-ts.js'), join(__dirname, 'support', 'digest-worker-process.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: testRedisUrl(), DIGEST_PREFIX: prefix, CRASH_AT: crashAt },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code, signal) =>
      reject(new Error(`worker process exited early (${code ?? signal})`)),
    );
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, ready, exited };
}

describe('digest worker killed mid-digest', () => {
  let rig: DigestRig;
  let child: ChildProcess | undefined;
  beforeEach(() => {
    rig = createDigestRig();
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rig.close();
  });

  it.each(['before-send', 'after-send'])(
    'killed %s: restarted, the channel gets exactly one digest',
    async (crashAt) => {
      await rig.service.subscribe({ conversationId: CHANNEL, by: admin });
      const worker = startWorkerProcess(rig.delivery.prefix, crashAt);
      child = worker.child;
      await worker.ready;
      const [job] = await rig.queue.getJobs(['delayed']);
      await job.promote();
      await worker.exited;
      expect(worker.child.signalCode).toBe('SIGKILL');

      // Restart: a digest worker and the delivery worker in this process.
      const port = new RecordingChatPort(rig.delivery.redis, rig.delivery.prefix);
      rig.delivery.startWorker([port]);
      rig.startWorker();
      await waitFor(
        async () => (await rig.queue.getJob(job.id!))?.finishedOn,
        20000,
        'the retried digest job',
      );
      // The retried job handed its post to delivery before it finished, and the killed process may have
      // left one behind (after-send): count the posts once the delivery queue is empty.
      await queueDrained(rig.delivery.queue.queue, 'the delivery queue');
      const calls = await readCalls(rig.delivery.redis, rig.delivery.prefix);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ op: 'post', conversationId: CHANNEL });
      expect(calls[0].text).toMatch(/^ML readiness digest · week \d+/);
      expect(await rig.service.subscriptions.lastDigest(CHANNEL)).toMatchObject({
        at: new Date(job.opts.prevMillis!).toISOString(),
      });
    },
    45000,
  );
});
