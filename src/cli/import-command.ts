import { readFileSync } from 'node:fs';
import { importState, parseStateDump, StateDumpError } from '../backup/state-dump';
import { withStateRedis } from './state-connection';

const USAGE = `usage: mltrl-bot import <file.json | -> [--replace]

  Restores a dump written by "mltrl-bot export" into the configured Redis, under REDIS_PREFIX. Refuses
  when the bot already has keys there, unless --replace (which deletes them first). Stop the bot first.`;

export async function run(args: string[]): Promise<number> {
  const replace = args.includes('--replace');
  const files = args.filter((arg) => arg !== '--replace');
  if (files.length !== 1 || (files[0]!.startsWith('--') && files[0] !== '-')) {
    console.error(`mltrl-bot import: give one dump file\n\n${USAGE}`);
    return 2;
  }
  let dump;
  try {
    const text = readFileSync(files[0] === '-' ? 0 : files[0]!, 'utf8');
    dump = parseStateDump(JSON.parse(text));
  } catch (error) {
    console.error(`mltrl-bot import: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  return withStateRedis(async (redis, prefix) => {
    try {
      const result = await importState(redis, prefix, dump, { replace });
      const replaced = result.deleted ? ` (replaced ${result.deleted} keys)` : '';
      console.error(`imported ${result.keys} keys under ${prefix}${replaced}`);
      return 0;
    } catch (error) {
      if (error instanceof StateDumpError) {
        console.error(`mltrl-bot import: ${error.message}`);
        return 1;
      }
      throw error;
    }
  });
}
