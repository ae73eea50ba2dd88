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

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.join('\n');
  }
  throw new Error('expected a ConfigError');
}

test('Sentinel settings parse into addresses, and their passwords are redacted', () => {
  const config = loadConfig({
    REDIS_SENTINELS: '10.0.0.5:26379, sentinel-2.internal:26380,[::1]:26381',
    REDIS_SENTINEL_NAME: 'mymaster',
    REDIS_PASSWORD: 'redis-pw',
    REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
  });
  expect(config.REDIS_SENTINELS).toEqual([
    { host: '10.0.0.5', port: 26379 },
    { host: 'sentinel-2.internal', port: 26380 },
    { host: '::1', port: 26381 },
  ]);
  expect(config.REDIS_SENTINEL_NAME).toBe('mymaster');
  const redacted = JSON.stringify(redactConfig(config));
  expect(redacted).not.toContain('redis-pw');
  expect(redacted).not.toContain('sentinel-pw');
});

test('Cluster seed nodes parse into addresses', () => {
  const config = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.5:6379,10.0.0.6:6379' });
  expect(config.REDIS_CLUSTER_NODES).toEqual([
    { host: '10.0.0.5', port: 6379 },
    { host: '10.0.0.6', port: 6379 },
  ]);
  expect(config.REDIS_SENTINELS).toBeUndefined();
});

test('malformed Sentinel and Cluster lists name the entries that are wrong', () => {
  const problems = problemsOf({
    REDIS_SENTINELS: '10.0.0.5, 10.0.0.6:99999',
    REDIS_SENTINEL_NAME: 'mymaster',
    REDIS_CLUSTER_NODES: ',,',
  });
  expect(problems).toMatch(
    /REDIS_SENTINELS: host:port entries, e\.g\. 10\.0\.0\.5:26379 \(not valid: 10\.0\.0\.5, 10\.0\.0\.6:99999\)/,
  );
  expect(problems).toMatch(/REDIS_CLUSTER_NODES: host:port entries, e\.g\. 10\.0\.0\.5:6379/);
});

test('only one way to reach Redis, and Sentinel needs its master name', () => {
  expect(
    problemsOf({ REDIS_URL: 'redis://x:6379', REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_NAME: 'm' }),
  ).toMatch(/REDIS_URL and REDIS_SENTINELS: set only one way/);
  expect(problemsOf({ REDIS_SENTINELS: 'a:26379', REDIS_CLUSTER_NODES: 'b:6379' })).toMatch(
    /REDIS_SENTINELS and REDIS_CLUSTER_NODES: set only one way/,
  );
  expect(problemsOf({ REDIS_SENTINELS: 'a:26379' })).toMatch(
    /REDIS_SENTINEL_NAME: required with REDIS_SENTINELS/,
  );
  expect(problemsOf({ REDIS_SENTINEL_NAME: 'm' })).toMatch(
    /REDIS_SENTINEL_NAME: only used with REDIS_SENTINELS/,
  );
  expect(problemsOf({ REDIS_URL: 'redis://x:6379', REDIS_PASSWORD: 'pw' })).toMatch(
    /REDIS_PASSWORD: only used with REDIS_SENTINELS or REDIS_CLUSTER_NODES/,
  );
  expect(problemsOf({ REDIS_CLUSTER_NODES: 'b:6379', REDIS_SENTINEL_PASSWORD: 'pw' })).toMatch(
    /REDIS_SENTINEL_PASSWORD: only used with REDIS_SENTINELS/,
  );
});

test('cards from git: settings parse, secrets are redacted, misuse is named', () => {
  const config = loadConfig({
    CARDS_GIT_URL: 'https://forge.example.org/org/cards.git',
    CARDS_GIT_TOKEN: 'tok-1',
    CARDS_GIT_WEBHOOK_SECRET: 'hook-1',
    CARDS_WEB_URL: 'https://forge.example.org/org/cards/blob/{sha}/{path}',
  });
  expect(config.CARDS_GIT_POLL_SECONDS).toBe(60);
  const redacted = JSON.stringify(redactConfig(config));
  expect(redacted).not.toContain('tok-1');
  expect(redacted).not.toContain('hook-1');

  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };
  expect(problems({ CARDS_GIT_TOKEN: 'x', CARDS_GIT_PATH: 'cards' })).toEqual([
    'CARDS_GIT_PATH, CARDS_GIT_TOKEN: only used with CARDS_GIT_URL',
  ]);
  expect(problems({ CARDS_GIT_URL: 'https://bot:secret@forge.example.org/org/cards.git' })).toEqual([
    'CARDS_GIT_URL: put the password or token in CARDS_GIT_TOKEN, not in the URL',
  ]);
  expect(problems({ CARDS_WEB_URL: 'https://forge.example.org/org/cards' })[0]).toMatch(
    /^CARDS_WEB_URL: a link template/,
  );
});

test('write-back needs the git source, and pull requests need a forge and a token', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };
  expect(problems({ CARDS_WRITE_BACK: 'commit' })).toEqual([
    'CARDS_WRITE_BACK: needs CARDS_GIT_URL (decisions are written into the card repository)',
  ]);
  expect(
    problems({ CARDS_GIT_URL: 'https://forge.example.org/org/cards.git', CARDS_WRITE_BACK: 'pull-request' }),
  ).toEqual(['CARDS_WRITE_BACK=pull-request: needs CARDS_FORGE (github or gitlab) and CARDS_GIT_TOKEN']);
  expect(
    loadConfig({ CARDS_GIT_URL: 'file:///srv/cards.git', CARDS_WRITE_BACK: 'commit' }).CARDS_WRITE_BACK,
  ).toBe('commit');
});
