import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logging/logger';
import { RedisServerMissingError, startEmbeddedRedis } from '../../src/runtime/embedded-redis';
import { closeConnection, createCommandConnection } from '../../src/runtime/redis-connections';

jest.setTimeout(60000);

describe('embedded redis-server', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'mltrl-emb-')), 'data');
  });
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('keeps its data in DATA_DIR with an append-only file, across a restart', async () => {
    const first = await startEmbeddedRedis({ dataDir, logger: silentLogger });
    expect(first.owned).toBe(true);
    const client = createCommandConnection(first.target);
    await client.set('review:R07.2', 'voting');
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    await closeConnection(client);
    await first.stop();
    expect(readdirSync(join(dataDir, 'appendonlydir')).some((file) => file.endsWith('.aof'))).toBe(true);
    expect(existsSync(join(dataDir, 'redis.sock'))).toBe(false);

    const second = await startEmbeddedRedis({ dataDir, logger: silentLogger });
    const again = createCommandConnection(second.target);
    expect(await again.get('review:R07.2')).toBe('voting');
    await closeConnection(again);
    await second.stop();
  });

  it('a second process on the same DATA_DIR shares the running server and does not stop it', async () => {
    const owner = await startEmbeddedRedis({ dataDir, logger: silentLogger });
    const sharer = await startEmbeddedRedis({ dataDir, logger: silentLogger });
    expect(sharer.owned).toBe(false);
    await sharer.stop();
    const client = createCommandConnection(owner.target);
    expect(await client.ping()).toBe('PONG');
    await closeConnection(client);
    await owner.stop();
  });

  it('without redis-server on the PATH: one clear message saying how to get one', async () => {
    const attempt = startEmbeddedRedis({
      dataDir,
      logger: silentLogger,
      redisServer: 'redis-server-that-is-not-installed',
    });
    await expect(attempt).rejects.toBeInstanceOf(RedisServerMissingError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toMatch(/apt-get install redis-server/);
    expect(message).toMatch(/brew install redis/);
    expect(message).toMatch(/docker compose up -d redis/);
    expect(message).toMatch(/REDIS_URL/);
  });
});
