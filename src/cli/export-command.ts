import { writeFileSync } from 'node:fs';
import { exportState } from '../backup/state-dump';
import { withStateRedis } from './state-connection';

const USAGE = `usage: mltrl-bot export [--out <file.json>]

  Writes the bot's whole state (reviews, votes, audit, subscriptions, queued jobs) as JSON to the file,
  or to standard output. Reads the Redis configured by REDIS_URL (or Sentinel, Cluster, DATA_DIR).`;

export async function run(args: string[]): Promise<number> {
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out' && args[i + 1]) out = args[++i];
    else {
      console.error(`mltrl-bot export: unknown option "${args[i]}"\n\n${USAGE}`);
      return 2;
    }
  }
  return withStateRedis(async (redis, prefix) => {
    const dump = await exportState(redis, prefix);
    const text = JSON.stringify(dump) + '\n';
    if (out) {
      writeFileSync(out, text, { mode: 0o600 });
      console.error(`exported ${dump.keys.length} keys under ${prefix} to ${out}`);
    } else process.stdout.write(text);
    return 0;
  });
}
