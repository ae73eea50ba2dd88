import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/redis-server';

/** A private Redis Sentinel watching one private master: its own port, config file and directory. */
export interface PrivateSentinel {
  port: number;
  masterName: string;
  stop(): Promise<void>;
}

/** Resolves once the process prints `marker`; rejects with its output if it exits or takes too long. */
export function waitForOutput(child: ChildProcess, marker: string, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${output}`)), 10000);
    const done = (error?: Error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    child.on('error', (error) => done(new Error(`cannot run redis-server: ${error.message}`)));
    child.on('exit', (code) => done(new Error(`${what} exited with ${code}: ${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) done();
    });
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function startPrivateSentinel(
  masterPort: number,
  masterName = 'mymaster',
): Promise<PrivateSentinel> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mltrl-test-sentinel-'));
  // Sentinel rewrites its config file, so it gets a writable one of its own.
  const configFile = join(dir, 'sentinel.conf');
  writeFileSync(
    configFile,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`,
      '',
    ].join('\n'),
  );
  const child = spawn('redis-server', [configFile, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await waitForOutput(child, '+monitor master', 'redis sentinel');
  } catch (error) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  child.removeAllListeners('exit');
  return {
    port,
    masterName,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
