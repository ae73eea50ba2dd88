import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import Redis from 'ioredis';

export interface CountedCommands {
  /** Commands clients sent while `work` ran (not those scripts called, nor this counter's own INFO). */
  commands: number;
  byName: Map<string, number>;
  /** Reads Redis processed: one per batch a client wrote, so pipelined commands count once. */
  batches: number;
}

/**
 * Counts the Redis commands `work` causes, as MONITOR sees them. MONITOR runs in `redis-cli`, so its
 * stream never shares an ioredis client with the bench (an ioredis MONITOR connection can read a monitor
 * line before it has switched modes on a loaded machine, and then fails the whole bench).
 */
export async function countRedisCommands(
  url: string,
  work: () => Promise<unknown>,
  print = false,
): Promise<CountedCommands> {
  const monitor = spawn('redis-cli', ['-u', url, 'monitor'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let counting = false;
  let commands = 0;
  const byName = new Map<string, number>();
  createInterface({ input: monitor.stdout }).on('line', (line) => {
    const match = /^[\d.]+ \[\d+ ([^\]]+)\] "([^"]+)"(.*)$/.exec(line);
    if (!counting || !match || match[1] === 'lua') return;
    const name = match[2].toLowerCase();
    if (name === 'info') return;
    if (print) console.log('   ', `${match[2]}${match[3]}`.slice(0, 120));
    commands++;
    byName.set(name, (byName.get(name) ?? 0) + 1);
  });
  const stats = new Redis(url);
  const reads = async () => Number(/total_reads_processed:(\d+)/.exec(await stats.info('stats'))?.[1] ?? 0);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
  try {
    await settle(); // redis-cli connected and monitoring
    const readsBefore = await reads();
    counting = true;
    await work();
    await settle(); // the last monitor lines arrived
    counting = false;
    return { commands, byName, batches: (await reads()) - readsBefore - 1 }; // less the INFO itself
  } finally {
    monitor.kill();
    stats.disconnect(); // else it keeps the bench alive, reconnecting after Redis stops
  }
}

/** "get 3.0, hgetall 2.0, ..." per unit of work. */
export function commandMix(byName: Map<string, number>, per: number): string {
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} ${(count / per).toFixed(1)}`)
    .join(', ');
}
