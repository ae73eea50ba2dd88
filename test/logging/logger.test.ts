import { createLogger } from '../../src/logging/logger';

function collect(level: 'debug' | 'info' | 'warn' | 'error' = 'debug', redactPaths?: string[]) {
  const lines: string[] = [];
  const logger = createLogger(level, (line) => lines.push(line), { redactPaths });
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

test('each line is one JSON object with an ISO time, a level name and the message', () => {
  const { logger, records } = collect();
  logger.info('review opened', { reviewId: 'r-1' });
  const [record] = records();
  expect(record).toMatchObject({ level: 'info', message: 'review opened', reviewId: 'r-1' });
  expect(new Date(record!.time as string).toISOString()).toBe(record!.time);
});

test('lines below the minimum level are dropped', () => {
  const { logger, records } = collect('warn');
  logger.debug('d');
  logger.info('i');
  logger.warn('w');
  logger.error('e');
  expect(records().map((r) => r.level)).toEqual(['warn', 'error']);
});

test('secret fields are redacted at any depth, inside arrays too, without touching the caller object', () => {
  const { logger, records } = collect();
  const fields = {
    token: 'xoxb-top',
    request: { headers: { authorization: 'Bearer abc', 'x-slack-signature': 'v0=ff', host: 'bot.example' } },
    deep: { a: { b: { c: { d: { clientSecret: 'deep-secret', keep: 1 } } } } },
    installs: [{ botToken: 'xoxb-in-array', team: 'T1' }],
  };
  logger.warn('refused', fields);
  const line = JSON.stringify(records()[0]);
  for (const secret of ['xoxb-top', 'Bearer abc', 'v0=ff', 'deep-secret', 'xoxb-in-array']) {
    expect(line).not.toContain(secret);
  }
  expect(records()[0]).toMatchObject({
    request: { headers: { host: 'bot.example', authorization: '(redacted)' } },
    deep: { a: { b: { c: { d: { keep: 1, clientSecret: '(redacted)' } } } } },
    installs: [{ team: 'T1', botToken: '(redacted)' }],
  });
  expect(fields.token).toBe('xoxb-top');
});

test('extra redact paths given by pino path syntax are honoured', () => {
  const { logger, records } = collect('debug', ['user.email', 'items[*].note']);
  logger.info('x', { user: { email: 'a@b.c', name: 'Ada' }, items: [{ note: 'private' }] });
  expect(records()[0]).toMatchObject({
    user: { email: '(redacted)', name: 'Ada' },
    items: [{ note: '(redacted)' }],
  });
});

test('child loggers carry their bindings (request or job id) on every line, redacted too', () => {
  const { logger, records } = collect();
  const job = logger.child({ jobId: 'deliver:42', queue: 'delivery' });
  job.info('sent');
  job.child({ attempt: 2, token: 'leak' }).error('failed', { error: new Error('boom') });
  expect(records()).toEqual([
    expect.objectContaining({ jobId: 'deliver:42', queue: 'delivery', message: 'sent' }),
    expect.objectContaining({ jobId: 'deliver:42', attempt: 2, token: '(redacted)', error: 'boom' }),
  ]);
});
