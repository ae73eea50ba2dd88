import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild, waitForOutput } from '../runtime/support/private-sentinel';
import { freePort, startPrivateRedis, type PrivateRedis } from '../support/redis-server';

/**
 * A private Redis master, one replica and three sentinels (quorum 2) that fail over a second after the
 * master stops answering: what REDIS_SENTINELS points at in production, on ports of its own.
 */
export interface SentinelRig {
  masterName: string;
  sentinels: Array<{ host: string; port: number }>;
  master: PrivateRedis;
  replica: PrivateRedis;
  /** kill -9 of the master; resolves once a sentinel names the replica as the new master. */
  failOver(): Promise<void>;
  stop(): Promise<void>;
}

const MASTER = 'chaosmaster';

export async function startSentinelRig(): Promise<SentinelRig> {
  const master = await startPrivateRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'everysec'] });
  const replica = await startPrivateRedis({
    args: [
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--replicaof',
      '127.0.0.1',
      String(master.port),
    ],
  });
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  const sentinels: Array<{ host: string; port: number }> = [];
  for (let index = 0; index < 3; index++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'mltrl-chaos-sentinel-'));
    dirs.push(dir);
    const configFile = join(dir, 'sentinel.conf');
    writeFileSync(
      configFile,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${MASTER} 127.0.0.1 ${master.port} 2`,
        `sentinel down-after-milliseconds ${MASTER} 1000`,
        `sentinel failover-timeout ${MASTER} 5000`,
        `sentinel parallel-syncs ${MASTER} 1`,
        '',
      ].join('\n'),
    );
    const child = spawn('redis-server', [configFile, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    await waitForOutput(child, '+monitor master', 'redis sentinel');
    child.removeAllListeners('exit');
    sentinels.push({ host: '127.0.0.1', port });
  }
  const masterPort = async (): Promise<number | undefined> => {
    const { default: Redis } = await import('ioredis');
    const client = new Redis({ port: sentinels[0].port, host: '127.0.0.1', lazyConnect: true });
    try {
      await client.connect();
      const answer = (await client.call('SENTINEL', 'get-master-addr-by-name', MASTER)) as string[] | null;
      return answer ? Number(answer[1]) : undefined;
    } catch {
      return undefined;
    } finally {
      client.disconnect();
    }
  };
  return {
    masterName: MASTER,
    sentinels,
    master,
    replica,
    async failOver() {
      await master.crash();
      const until = Date.now() + 60000;
      while ((await masterPort()) !== replica.port) {
        if (Date.now() > until) throw new Error('the sentinels did not fail over within a minute');
        await new Promise((done) => setTimeout(done, 200));
      }
    },
    async stop() {
      await Promise.all(children.map((child) => stopChild(child)));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      await replica.stop();
      await master.stop();
    },
  };
}
