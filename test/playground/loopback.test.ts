import Redis from 'ioredis';
import { loadConfig } from '../../src/config/config';
import { BotError } from '../../src/core/errors';
import { defaultTranslator } from '../../src/i18n/translator';
import { silentLogger } from '../../src/logging/logger';
import { isLoopbackHost } from '../../src/platforms/playground/loopback';
import { createPlaygroundPlatform } from '../../src/platforms/playground/create-playground-platform';
import { testRedisUrl } from '../support/redis';
import { RecordingEngine, people } from './playground-fixture';

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
