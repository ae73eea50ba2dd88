import { ConfigError, loadConfig, redactConfig } from '../src/config/config';

test('defaults give the playground on loopback port 3000', () => {
  const config = loadConfig({});
  expect(config.PORT).toBe(3000);
  expect(config.HOST).toBe('127.0.0.1');
  expect(config.playgroundEnabled).toBe(true);
  expect(config.slackEnabled).toBe(false);
  expect(config.ADMINS).toEqual([]);
});

test('every bad value is listed at once', () => {
  try {
    loadConfig({ PORT: 'eighty', DEFAULT_TZ: 'Mars/Olympus', REDIS_URL: 'http://x' });
    throw new Error('expected a ConfigError');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DEFAULT_TZ/);
    expect(problems).toMatch(/REDIS_URL/);
  }
});

test('Slack credentials switch the playground off and secrets are redacted', () => {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 's3cret',
    ADMINS: 'ana, lee',
  });
  expect(config.slackEnabled).toBe(true);
  expect(config.playgroundEnabled).toBe(false);
  expect(config.ADMINS).toEqual(['ana', 'lee']);
  const redacted = JSON.stringify(redactConfig(config));
  expect(redacted).not.toContain('s3cret');
  expect(redacted).not.toContain('xoxb-1');
});
