/**
 * `npm run playground:reset`: clears the playground's data (messages, reviews, votes, levels, digests,
 * queues: every key under REDIS_PREFIX, nothing else in that Redis) and puts its clock back to now.
 * A running playground (HOST:PORT) is asked to do it, so its open pages start over at once; with none
 * running, the Redis it would use (REDIS_URL, or the embedded one under DATA_DIR) is cleared directly.
 * Refused when Slack or Teams are configured: then the data is not play.
 */
import { deletePlaygroundData } from '../src/app/playground-reset';
import { resolveRedis } from '../src/app/app-redis';
import { ConfigError, loadConfig, type Config } from '../src/config/config';
import { queuePrefix } from '../src/jobs/job-ids';
import { createLogger } from '../src/logging/logger';
import { closeConnection, createCommandConnection } from '../src/runtime/redis-connections';
import { resetClockOffset } from '../src/runtime/controllable-clock';

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  if (config.slackEnabled || config.teamsEnabled) {
    return fail(
      "playground:reset: Slack or Teams credentials are set, so this data is not the playground's; nothing was deleted.",
    );
  }
  const host = /^(0\.0\.0\.0|::|\[::\])$/.test(config.HOST) ? '127.0.0.1' : config.HOST;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
  const running = await askRunningPlayground(base);
  if (running !== undefined) return running;

  const logger = createLogger('warn');
  const handle = await resolveRedis(config, logger);
  const redis = createCommandConnection(handle.target, 'mltrl-playground-reset');
  try {
    const keyPrefix = queuePrefix(config.REDIS_PREFIX);
    const deleted = await deletePlaygroundData(redis, keyPrefix);
    await resetClockOffset(redis, `${keyPrefix}:clock:offset`);
    console.log(
      `playground:reset: deleted ${deleted} keys under ${keyPrefix}; the clock is back to now. Start it with npm start.`,
    );
    return 0;
  } finally {
    await closeConnection(redis);
    await handle.stop();
  }
}

/** 0 or 1 when a playground answered at `base`; undefined when nothing listens there. */
async function askRunningPlayground(base: string): Promise<number | undefined> {
  let response: Response;
  try {
    response = await fetch(`${base}/playground/api/reset`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ confirm: true }),
    });
  } catch {
    return undefined;
  }
  const body = (await response.json().catch(() => ({}))) as { now?: string; error?: { message?: string } };
  if (!response.ok)
    return fail(`playground:reset: ${base} refused: ${body.error?.message ?? response.status}`);
  console.log(`playground:reset: the playground at ${base} was reset; its clock reads ${body.now}.`);
  return 0;
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`playground:reset failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
