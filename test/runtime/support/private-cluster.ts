import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from '../../support/redis-server';
import { stopChild, waitForOutput } from './private-sentinel';

/** Three private cluster-enabled masters sharing the 16384 slots, no replicas. */
export interface PrivateCluster {
  ports: number[];
  stop(): Promise<void>;
}

const SLOTS = 16384;

export async function startPrivateCluster(size = 3): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'mltrl-test-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < size; index++) {
      const port = await freePort();
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      await waitForOutput(child, 'Ready to accept connections', 'cluster node');
      child.removeAllListeners('exit');
      ports.push(port);
    }
    await formCluster(ports);
    return { ports, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Gives each node a third of the slots, introduces them and waits until every node says the cluster is ok. */
async function formCluster(ports: number[]): Promise<void> {
  const admins = ports.map((port) => new Redis({ port, host: '127.0.0.1', protocol: 2 }));
  try {
    const share = Math.ceil(SLOTS / ports.length);
    await Promise.all(
      admins.map((admin, index) =>
        admin.call('CLUSTER', 'ADDSLOTSRANGE', index * share, Math.min(SLOTS, (index + 1) * share) - 1),
      ),
    );
    for (const port of ports.slice(1)) await admins[0]!.call('CLUSTER', 'MEET', '127.0.0.1', port);
    const deadline = Date.now() + 15000;
    for (;;) {
      const states = await Promise.all(admins.map((admin) => admin.call('CLUSTER', 'INFO')));
      if (states.every((info) => String(info).includes('cluster_state:ok'))) return;
      if (Date.now() > deadline) throw new Error(`cluster did not form: ${String(states[0])}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    admins.forEach((admin) => admin.disconnect());
  }
}
