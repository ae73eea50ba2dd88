import { request as httpRequest } from 'node:http';
import Redis from 'ioredis';
import { loadConfig } from '../../src/config/config';
import { BotError } from '../../src/core/errors';
import { defaultTranslator } from '../../src/i18n/translator';
import { silentLogger } from '../../src/logging/logger';
import { isLoopbackHost } from '../../src/platforms/playground/loopback';
import { createPlaygroundPlatform } from '../../src/platforms/playground/create-playground-platform';
import { testRedisUrl } from '../support/redis';
import { RecordingEngine, people, startPlayground } from './playground-fixture';

test.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])(
  '%s is loopback',
  (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  },
);

test.each(['0.0.0.0', '::', '192.168.1.5', 'example.org', '128.0.0.1', ''])('%s is not loopback', (host) => {
  expect(isLoopbackHost(host)).toBe(false);
});

describe('starting on a public address', () => {
  const redis = new Redis(testRedisUrl(), { lazyConnect: true });
  afterAll(() => redis.disconnect());
  const build = (env: Record<string, string>) =>
    createPlaygroundPlatform({
      config: loadConfig(env),
      engine: new RecordingEngine(),
      redis,
      keyPrefix: '{unused}',
      clock: { now: () => new Date() },
      t: defaultTranslator(),
      people,
      logger: silentLogger,
    });

  test('is refused with a message that says what to do', () => {
    expect(() => build({ HOST: '0.0.0.0' })).toThrow(BotError);
    expect(() => build({ HOST: '0.0.0.0' })).toThrow(
      /HOST=0\.0\.0\.0 is not a loopback address.*PLAYGROUND_PUBLIC=true/,
    );
  });

  test('is allowed with PLAYGROUND_PUBLIC=true, and loopback is always allowed', () => {
    expect(build({ HOST: '0.0.0.0', PLAYGROUND_PUBLIC: 'true' }).name).toBe('playground');
    expect(build({ HOST: '127.0.0.1' }).name).toBe('playground');
  });
});

describe('the Host header (DNS rebinding)', () => {
  const get = (url: string, host: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const target = new URL(url);
      const request = httpRequest(
        {
          hostname: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          headers: { host },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
      request.end();
    });

  test('a request naming another host is refused; loopback names are served', async () => {
    const pg = await startPlayground();
    try {
      const refused = await get(`${pg.url}/playground/api/people`, 'evil.example:80');
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body).error.code).toBe('forbidden-host');
      expect((await get(`${pg.url}/`, 'evil.example')).status).toBe(403);
      for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000', 'localhost']) {
        expect((await get(`${pg.url}/playground/api/people`, host)).status).toBe(200);
      }
    } finally {
      await pg.close();
    }
  });

  test('PLAYGROUND_PUBLIC=true serves any host name', async () => {
    const pg = await startPlayground({ PLAYGROUND_PUBLIC: 'true' });
    try {
      expect((await get(`${pg.url}/playground/api/people`, 'bot.example.org')).status).toBe(200);
    } finally {
      await pg.close();
    }
  });
});
